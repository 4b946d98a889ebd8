"""From results to findings: target aliases and groups, to_frame, summarize, plots."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

import stance
from stance.analysis.summary import wilson_interval
from stance.corpus.write import QuotesParquetWriter
from stance.pipeline import Pipeline
from stance.stances.labels import LABELS
from stance.targets.groups import read_target_file, target_group, target_table


# ------------------------------------------------------------------------------------------ targets

def test_target_with_aliases_matches_any_alias_and_counts_under_its_name():
    pipeline = Pipeline(model=None, targets=["Israel=Israel,Israeli,IDF", "Hamas"])
    assert pipeline.targets == ["Israel=Israel,Israeli,IDF", "Hamas"]
    assert pipeline._targets_for("The IDF said the strike hit a depot.") == ["Israel"]
    assert pipeline._targets_for("Israeli officials declined to comment.") == ["Israel"]
    assert pipeline._targets_for("Talks resumed.") == ["Israel", "Hamas"]  # none mentioned: all of them


def test_target_file_of_alias_canonical_rows(tmp_path):
    path = tmp_path / "targets.csv"
    path.write_text("alias,canonical\nIDF,Israel\nIsraeli,Israel\nHamas,\n", encoding="utf-8")
    assert read_target_file(path) == ["Israel=Israel,IDF,Israeli", "Hamas"]
    assert target_table({"Israel": ["IDF"]}) == {"Israel": ("Israel", "IDF")}


@pytest.mark.parametrize("target, group", [
    ("the ongoing aggression against the people of Gaza", "Gaza"),
    ("Israel's blockade", "Israel"),
    ("the United Nations", "United Nations"),
    ("a drone strike near the capital's airport", "strike"),
    ("rising tensions", "tension"),
    ("the situation", "situation"),
])
def test_target_group_is_the_named_actor_or_the_head_noun(target, group):
    assert target_group(target) == group


def test_target_group_uses_the_alias_table_first():
    assert target_group("the IDF", ["Israel=Israeli,IDF"]) == "Israel"
    assert target_group("IDF", {"Israel": ["IDF"]}) == "Israel"
    assert target_group(None) is None


# ----------------------------------------------------------------------------------------- to_frame

def _stance(target, label, p):
    rest = (1 - p) / 3
    scores = {name: (p if name == label else rest) for name in LABELS}
    return {"target": target, "label": label, "score": p, "scores": scores}


def _quote(start, text, speaker, stances, spans=None):
    return {"start": start, "end": start + len(text), "spans": spans or [[start, start + len(text)]], "text": text,
            "kind": "direct", "cue": {"start": 0, "end": 4, "text": "said"},
            "speaker": None if speaker is None else {"name": speaker, "mention": {"start": 0, "end": 2, "text": "He"}},
            "stances": stances}


RESULTS = [
    {"id": "a", "date": "2016-09-03", "outlet": "nyt", "quotes": [
        _quote(10, "no stance", "Hillary Clinton", []),                                    # 0 targets: 1 row
        _quote(30, "one target", "Clinton", [_stance("Israel's blockade", "condemnation", 0.7)]),  # 1 row
        _quote(50, '"a," he said, "b"', None, [_stance("tensions", "de-escalation", 0.6),
                                               _stance("the talks", "other", 0.5)], spans=[[50, 54], [64, 67]]),
    ], "error": None},
    {"id": "b", "date": "2016-10-01", "outlet": None, "quotes": [], "error": None},         # no quotes
    {"id": "c", "date": None, "outlet": "wapo", "quotes": [], "error": "c: not valid JSON"},  # failed
]


def test_to_frame_rows_one_per_quote_and_target_with_counts_of_the_rest(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RESULTS), encoding="utf-8")
    frame = stance.to_frame(path)
    assert len(frame) == 4  # 1 + 1 + 2
    assert list(frame.columns[:4]) == ["id", "date", "outlet", "quote"]
    assert {"speaker", "speaker_id", "mention", "cue", "content", "start", "end", "target", "target_group",
            "label", "score", *(f"score_{label}" for label in LABELS)} <= set(frame.columns)
    assert frame.attrs["documents"] == {"documents": 3, "with_quotes": 1, "without_quotes": 1, "failed": 1}
    no_stance = frame[frame["quote"] == 0].iloc[0]
    assert pd.isna(no_stance["target"]) and pd.isna(no_stance["label"]) and math.isnan(no_stance["score"])
    assert frame["speaker_id"].iloc[0] == frame["speaker_id"].iloc[1]  # "Clinton" merged with "Hillary Clinton"
    assert frame["speaker"].iloc[1] == "Hillary Clinton"
    assert frame["target_group"].tolist()[1:] == ["Israel", "tension", "talk"]
    assert frame["content"].iloc[2] == '"a," "b"'  # pieces joined, the interruption left out
    assert frame["score_condemnation"].iloc[1] == pytest.approx(0.7)


def test_to_frame_reads_quotes_parquet_and_documents_alike(tmp_path):
    folder = tmp_path / "quotes"
    with QuotesParquetWriter(folder) as writer:
        writer.open()  # a writer touches nothing until it is opened (stance.corpus.write)
        writer.write(RESULTS)
    from_parquet, docs = stance.to_frame(folder, documents=True)
    from_dicts = stance.to_frame(RESULTS)
    assert len(from_parquet) == len(from_dicts) == 4
    assert from_parquet["label"].tolist() == from_dicts["label"].tolist()
    assert from_parquet["content"].tolist() == from_dicts["content"].tolist()
    assert docs["id"].tolist() == ["a", "b", "c"] and docs["quotes"].tolist() == [3, 0, 0]
    assert docs["error"].iloc[2] == "c: not valid JSON"


def test_to_frame_of_documents_from_the_pipeline():
    docs = Pipeline(model=None).analyze_many(['"We will stay," the minister said.', "Nothing said here."])
    frame = stance.to_frame(docs)
    assert len(frame) == 1 and frame["mention"].iloc[0] == "the minister"
    assert frame.attrs["documents"]["without_quotes"] == 1


def test_to_frame_of_a_thousand_articles_is_fast():
    import time

    docs = [{"id": f"d{i}", "date": "2016-10-01", "quotes": [
        _quote(10 * q, "words", f"Person{i % 50} Name{i % 40}", [_stance("the attack", "condemnation", 0.8),
                                                             _stance("Israel", "other", 0.4)]) for q in range(20)],
             "error": None} for i in range(1000)]
    start = time.perf_counter()
    frame = stance.to_frame(docs)
    assert len(frame) == 40_000
    assert time.perf_counter() - start < 5


# ---------------------------------------------------------------------------------------- summarize

def test_wilson_interval_matches_hand_computed_values():
    # 1 of 2: p = 0.5, z^2 = 3.8415; centre 0.5, half-width 1.96 * sqrt(0.125 + 0.2401) / 2.9207 = 0.4055
    assert wilson_interval(1, 2) == pytest.approx((0.0945, 0.9055), abs=1e-4)
    # 0 of 10: upper bound z^2 / (n + z^2) = 3.8415 / 13.8415
    assert wilson_interval(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    # 8 of 10: centre (0.8 + 0.19207) / 1.38415 = 0.7167, half 1.96 * sqrt(0.016 + 0.009604) / 1.38415 = 0.2266
    assert wilson_interval(8, 10) == pytest.approx((0.4902, 0.9433), abs=1e-4)
    assert all(math.isnan(x) for x in wilson_interval(0, 0))


def test_summarize_counts_shares_and_flags_small_cells():
    frame = pd.DataFrame({
        "id": ["a"] * 12, "quote": range(12), "speaker": ["X"] * 10 + ["Y"] * 2,
        "label": ["condemnation"] * 8 + ["other"] * 2 + ["commitment", None],
        "score": [0.9] * 12, "date": ["2016-09-05"] * 5 + ["2016-10-01"] * 7})
    table = stance.summarize(frame, by="speaker", min_count=5)
    x = table[table["speaker"] == "X"].set_index("label")
    assert x.loc["condemnation", ["count", "total"]].tolist() == [8, 10]
    assert x.loc["condemnation", "share"] == pytest.approx(0.8)
    assert (x.loc["condemnation", "low"], x.loc["condemnation", "high"]) == pytest.approx((0.4902, 0.9433), abs=1e-4)
    assert x.loc["de-escalation", "count"] == 0  # every label listed
    y = table[table["speaker"] == "Y"]
    assert y["total"].iloc[0] == 1 and y["small"].all() and not x["small"].any()
    assert table.attrs["left_out"]["unlabelled"] == 1
    monthly = stance.summarize(frame, by=["speaker"], period="M")
    assert sorted(monthly["period"].astype(str).unique()) == ["2016-09", "2016-10"]
    september = monthly[(monthly["speaker"] == "X") & (monthly["period"].astype(str) == "2016-09")]
    assert september["total"].iloc[0] == 5


def test_summarize_names_a_missing_column():
    with pytest.raises(ValueError, match="no column 'outlet'"):
        stance.summarize(pd.DataFrame({"label": ["other"]}), by="outlet")


# -------------------------------------------------------------------------------------------- plots

def _plot_frame():
    rows = []
    for month, share in (("2016-08-10", 0.2), ("2016-09-10", 0.5), ("2016-10-10", 0.8)):
        for speaker in ("A", "B"):
            for i in range(10):
                label = "condemnation" if i < share * 10 else "other"
                rows.append({"id": f"{speaker}{month}{i}", "quote": 0, "speaker": speaker, "date": month,
                             "target_group": "Israel" if i % 2 else "Hamas", "label": label, "score": 0.9})
    return pd.DataFrame(rows)


def test_shares_over_time_plot_returns_a_figure_with_one_line_per_speaker(tmp_path):
    fig = stance.plot_shares_over_time(_plot_frame(), "condemnation", by="speaker", path=tmp_path / "shares.svg")
    (ax,) = fig.axes
    assert ax.get_ylabel() == "share condemnation" and ax.get_ylim() == (0, 1)
    assert [t.get_text().split(" (")[0] for t in ax.get_legend().get_texts()] == ["A", "B"]
    line = ax.get_lines()[0]
    assert list(line.get_ydata()) == pytest.approx([0.2, 0.5, 0.8])
    assert (tmp_path / "shares.svg").read_text().lstrip().startswith("<?xml")


def test_heatmap_returns_a_figure_with_shares_and_counts_in_the_cells(tmp_path):
    fig = stance.plot_heatmap(_plot_frame(), "condemnation", rows="speaker", columns="target_group",
                              path=tmp_path / "heat.png")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "B"]
    assert sorted(t.get_text() for t in ax.get_xticklabels()) == ["Hamas", "Israel"]
    cells = [t.get_text() for t in ax.texts]
    assert len(cells) == 4 and all("n=15" in c for c in cells)
    assert (tmp_path / "heat.png").read_bytes()[:4] == b"\x89PNG"


def test_cli_reads_a_targets_file_and_names_a_bad_one(tmp_path):
    import subprocess
    import sys

    article = tmp_path / "a.txt"
    article.write_text('"We will not allow it," the minister said of the IDF raid.', encoding="utf-8")
    empty = tmp_path / "targets.csv"
    empty.write_text("alias,canonical\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "stance.cli", "analyze", str(article), "-o", str(tmp_path / "o.jsonl"),
                             "--no-stances", "--targets-file", str(empty), "-q"], capture_output=True, text=True)
    assert result.returncode == 2 and "no targets (expected rows of alias,canonical)" in result.stderr
