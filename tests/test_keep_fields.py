"""--keep-fields: input fields copied into every output record, in both formats and on resume."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from stance.corpus.fields import parse_keep_fields
from stance.corpus.job import run
from stance.corpus.read import read_records
from stance.pipeline import Pipeline

LINES = [
    {"id": "nyt-1", "text": '"We will not back down," the minister said.', "date": "2016-10-03", "outlet": "nyt"},
    {"id": "wapo-2", "text": "The river rose overnight.", "date": "2016-10-04"},  # no outlet
    "{not json",
    {"id": "fox-3", "text": "Officials said the road would reopen.", "outlet": "fox", "date": None},
]


def corpus(path: Path) -> Path:
    lines = [line if isinstance(line, str) else json.dumps(line) for line in LINES]
    path.write_text("\n".join(lines[:2]) + "\n\n" + "\n".join(lines[2:]) + "\n", encoding="utf-8")  # a blank line too
    return path


def test_jsonl_output_carries_kept_fields_and_null_for_missing_ones(tmp_path):
    out = tmp_path / "out.jsonl"
    summary = run(corpus(tmp_path / "in.jsonl"), out, {"model": None}, keep_fields="date,outlet")
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["id"], r["date"], r["outlet"]) for r in records] == [
        ("nyt-1", "2016-10-03", "nyt"), ("wapo-2", "2016-10-04", None), (4, None, None), ("fox-3", None, "fox")]
    assert list(records[0]) == ["id", "date", "outlet", "quotes", "error"]  # error stays last
    assert records[2]["error"].startswith("in.jsonl line 4: not valid JSON")
    assert summary.errors == 1


def test_quotes_parquet_rows_carry_kept_fields_as_text(tmp_path):
    out = tmp_path / "quotes"
    run(corpus(tmp_path / "in.jsonl"), out, {"model": None}, format="quotes-parquet", keep_fields=["outlet", "date"])
    table = pd.read_parquet(out)
    assert list(table.columns[:4]) == ["record", "id", "outlet", "date"]
    by_id = table.drop_duplicates("id").set_index("id")
    assert by_id.loc["nyt-1", "outlet"] == "nyt" and by_id.loc["nyt-1", "date"] == "2016-10-03"
    assert pd.isna(by_id.loc["wapo-2", "outlet"]) and pd.isna(by_id.loc["4", "date"])


def test_resumed_run_keeps_fields_in_every_record(tmp_path):
    source = corpus(tmp_path / "in.jsonl")
    clean, resumed = tmp_path / "clean.jsonl", tmp_path / "resumed.jsonl"
    run(source, clean, {"model": None}, keep_fields="date,outlet", batch_size=1)
    first_two = clean.read_text().splitlines(keepends=True)[:2]
    resumed.write_text("".join(first_two) + first_two[0][:20])  # two done, then half a line
    summary = run(source, resumed, {"model": None}, keep_fields="date,outlet", batch_size=1, resume=True)
    assert summary.resumed == 2
    assert resumed.read_bytes() == clean.read_bytes()


def test_resumed_quotes_parquet_keeps_fields(tmp_path):
    source = corpus(tmp_path / "in.jsonl")
    out = tmp_path / "quotes"
    run(source, out, {"model": None}, format="quotes-parquet", keep_fields="outlet", part_size=2)
    (out / "part-000001.parquet").unlink()  # as if killed while writing the second part
    summary = run(source, out, {"model": None}, format="quotes-parquet", keep_fields="outlet", part_size=2, resume=True)
    assert summary.resumed == 2
    table = pd.read_parquet(out)
    assert table.drop_duplicates("id")["outlet"].fillna("-").tolist() == ["nyt", "-", "-", "fox"]


def test_keep_fields_from_csv_dataframe_and_dicts():
    frame = pd.DataFrame({"id": [1, 2], "text": ["a", "b"], "date": pd.to_datetime(["2016-10-03", None])})
    assert [r.fields for r in read_records(frame, keep_fields=["date", "outlet"])] == [
        {"date": "2016-10-03T00:00:00", "outlet": None}, {"date": None, "outlet": None}]
    items = [{"text": "a", "outlet": "nyt"}, "just a text"]
    assert [r.fields for r in read_records(iter(items), keep_fields=["outlet"])] == [{"outlet": "nyt"}, {"outlet": None}]


def test_keep_fields_from_csv_with_a_bad_row_stay_aligned(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(b"id,text,outlet\n1,hello,nyt\n2,\xff bad,fox\n3,third,cnn\n")
    records = list(read_records(path, keep_fields=["outlet"]))
    assert [r.fields["outlet"] for r in records] == ["nyt", "fox", "cnn"]
    assert records[1].error is not None


def test_documents_from_analyze_corpus_carry_fields():
    docs = list(Pipeline(model=None).analyze_corpus([{"id": "x", "text": "Hi.", "outlet": "nyt"}], keep_fields=["outlet"]))
    assert docs[0].fields == {"outlet": "nyt"} and docs[0].to_dict()["outlet"] == "nyt"


@pytest.mark.parametrize("name", ["id", "quotes", "error"])
def test_a_field_named_like_an_output_key_is_refused(name):
    with pytest.raises(ValueError, match=f"cannot keep field '{name}'"):
        parse_keep_fields(f"date,{name}")


def test_cli_keep_fields(tmp_path):
    source, out = corpus(tmp_path / "in.jsonl"), tmp_path / "out.jsonl"
    result = subprocess.run([sys.executable, "-m", "stance.cli", "analyze", str(source), "-o", str(out), "--no-stances",
                             "--keep-fields", "outlet", "-q"], capture_output=True, text=True)
    assert result.returncode == 1  # one record failed
    assert [json.loads(line)["outlet"] for line in out.read_text().splitlines()] == ["nyt", None, None, "fox"]


@pytest.mark.parametrize("format", ["jsonl", "quotes-parquet"])
def test_resuming_with_other_kept_fields_is_refused(tmp_path, format):
    source, out = corpus(tmp_path / "in.jsonl"), tmp_path / "out"
    run(source, out, {"model": None}, format=format, keep_fields="outlet", part_size=2, batch_size=1)
    with pytest.raises(ValueError, match=r"written with kept fields \['outlet'\], not \['date'\]"):
        run(source, out, {"model": None}, format=format, keep_fields="date", part_size=2, batch_size=1, resume=True)
