"""Real news annotations: the loader's join to third-party text, agreement, calibration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stance.stances.agreement import agreement_report, cohen_kappa
from stance.stances.labels import LABELS
from stance.stances.news import load_news, read_news_rows


def _write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


ARTICLE = ("Über-cautious? “We will release the records next week,” the campaign said.\n"
           "Senator Diaz accused the governor of lying about the budget.")


@pytest.fixture
def shared(tmp_path) -> Path:
    data = tmp_path / "shared"
    _write_jsonl(data / "polnear" / "train.jsonl", [{"id": "polnear/train/a", "text": ARTICLE, "quotes": []}])
    _write_jsonl(data / "polnear" / "dev.jsonl", [])
    _write_jsonl(data / "plv" / "train.jsonl", [
        {"id": "plv/train/0", "text": "Rebels freed 12 hostages on Sunday.", "marked": "", "speaker": "Rebels",
         "target": "12 hostages", "plover": "YIELD"}])
    return data


def _cue_and_content(needle_cue: str, needle_content: str) -> tuple[list, list]:
    c = ARTICLE.index(needle_cue)
    q = ARTICLE.index(needle_content)
    return [[c, c + len(needle_cue)]], [[q, q + len(needle_content)]]


def test_polnear_rows_resolve_offsets_against_the_shared_text(shared, tmp_path):
    cue, content = _cue_and_content("accused", "the governor of lying about the budget")
    direct_cue, direct = _cue_and_content("said", "“We will release the records next week,”")
    news = tmp_path / "news"
    _write_jsonl(news / "polnear.jsonl", [
        {"id": "polnear/train/a#1", "content": content, "cue": cue, "source": [], "target": "the governor",
         "label": "condemnation", "annotators": ["condemnation", "condemnation"], "split": "train"},
        {"id": "polnear/train/a#0", "content": direct, "cue": direct_cue, "source": [], "target": "the records",
         "label": "commitment", "annotators": ["commitment", "other"], "split": "dev"}])
    _write_jsonl(news / "plv.jsonl", [{"id": "plv/train/0", "target": "12 hostages", "label": "de-escalation",
                                        "annotators": ["de-escalation", "de-escalation"], "split": "train"}])
    rows = {r["id"]: r for r in read_news_rows(news, shared)}
    # reported speech: the cue comes first and is read with its content, as the pipeline does
    assert rows["polnear/train/a#1"]["text"] == "accused the governor of lying about the budget"
    # a direct quote is read on its own, without the postposed cue
    assert rows["polnear/train/a#0"]["text"] == "“We will release the records next week,”"
    assert rows["plv/train/0"]["text"] == "Rebels freed 12 hostages on Sunday."
    assert rows["plv/train/0"]["source"] == "news-plv"
    train, dev = load_news(news, shared)
    assert len(train) == 2 and len(dev) == 1
    assert LABELS[dev[0]["label"]] == "commitment"


def test_a_row_whose_text_is_missing_is_skipped_with_a_warning_naming_it(shared, tmp_path):
    news = tmp_path / "news"
    _write_jsonl(news / "polnear.jsonl", [
        {"id": "polnear/train/gone#0", "content": [[0, 4]], "cue": [], "source": [], "target": "x",
         "label": "other", "split": "train"},
        {"id": "polnear/train/a#9", "content": [[0, 10_000]], "cue": [], "source": [], "target": "x",
         "label": "other", "split": "train"}])
    _write_jsonl(news / "plv.jsonl", [{"id": "plv/train/77", "target": "x", "label": "other", "split": "dev"}])
    with pytest.warns(UserWarning) as caught:
        rows = read_news_rows(news, shared)
    assert rows == []
    message = str(caught[0].message)
    assert "skipped 3" in message
    assert "polnear/train/gone" in message and "plv/train/77" in message
    assert "offsets outside the text of polnear/train/a" in message


def test_cohen_kappa_matches_a_hand_computed_case():
    first = ["x", "x", "y", "y", "y", "z"]
    second = ["x", "y", "y", "y", "z", "z"]
    # observed 4/6; chance (2*1 + 3*3 + 1*2) / 36 = 13/36; kappa = (24 - 13) / (36 - 13) = 11/23
    assert cohen_kappa(first, second) == pytest.approx(11 / 23)
    assert cohen_kappa(first, first) == pytest.approx(1.0)


def test_agreement_report_splits_by_source_and_label():
    rows = ([{"source": "a", "annotators": ["other", "other"]}] * 3
            + [{"source": "a", "annotators": ["condemnation", "other"]}]
            + [{"source": "b", "annotators": ["commitment", "commitment"]},
               {"source": "b", "annotators": ["other", "other"]}])
    report = agreement_report(rows)
    assert report["all"]["n"] == 6 and report["all"]["agreement"] == pytest.approx(5 / 6)
    assert report["by_source"]["b"]["kappa"] == pytest.approx(1.0)
    assert report["by_source"]["a"]["agreement"] == pytest.approx(3 / 4)
    assert report["by_label"]["commitment"] == pytest.approx(1.0)
    assert report["by_label"]["condemnation"] == pytest.approx(0.0)


def test_temperature_fitting_lowers_the_nll_of_an_over_confident_model():
    import torch

    from stance.stances.calibrate import ece_at, fit_temperature, nll

    generator = torch.Generator().manual_seed(0)
    gold = torch.randint(0, 4, (400,), generator=generator)
    # a model that is right 70% of the time but puts ~all its mass on its answer
    predicted = torch.where(torch.rand(400, generator=generator) < 0.7, gold,
                            torch.randint(0, 4, (400,), generator=generator))
    logits = torch.nn.functional.one_hot(predicted, 4).float() * 12.0
    t = fit_temperature(logits, gold)
    assert t > 2.0
    assert nll(logits, gold, t) < nll(logits, gold, 1.0) - 1.0
    assert ece_at(logits, gold, t) < ece_at(logits, gold, 1.0)
    # scaling never changes the winning label
    assert torch.equal((logits / t).argmax(-1), logits.argmax(-1))


def test_quote_segment_marks_the_target_and_names_the_speaker():
    from stance.stances.inputs import quote_segment

    text = "accused Russia of shelling Russian-held towns"
    assert quote_segment(text, "Russia") == text
    assert quote_segment(text, "russia", input_format="marked") == "accused <t>Russia</t> of shelling Russian-held towns"
    assert quote_segment(text, "Kyiv", "Ukraine", "speaker+marked") == "Ukraine: " + text
    assert quote_segment(text, "Russia", None, "speaker") == text  # no speaker: nothing to add
    with pytest.raises(ValueError, match="input format"):
        quote_segment(text, "Russia", input_format="fancy")
