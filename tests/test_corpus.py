"""Corpus runs: every input kind, every kind of bad record, order, workers, Parquet output, progress.

All without a model (``--no-stances`` / ``Pipeline(model=None)``): the corpus layer moves records,
the text stages are tested elsewhere.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from stance.corpus import count_records, read
from stance.corpus.job import run
from stance.corpus.tables import QUOTE_ROW_SCHEMA
from stance.pipeline import Pipeline

TEXTS = {
    "a": '"We will rebuild the bridge before winter," the mayor said on Monday.',
    "b": "Officials said the road would reopen on Friday. According to the ministry, talks will resume.",
    "c": "",
    "d": "The river rose overnight and the schools stayed closed.",
}


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(model=None)


def expected(pipeline: Pipeline, ids=TEXTS) -> list[dict]:
    return [d.to_dict() for d in pipeline.analyze_many([(i, TEXTS[i]) for i in ids])]


def analyzed(pipeline: Pipeline, source, **options) -> list[dict]:
    return [d.to_dict() for d in pipeline.analyze_corpus(source, **options)]


def stance(*args, cwd):
    return subprocess.run([sys.executable, "-m", "stance.cli", *args], cwd=cwd, capture_output=True, text=True)


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


# ----------------------------------------------------------------------------------- input kinds

def test_jsonl_csv_parquet_and_gzip_give_the_same_documents(tmp_path: Path, pipeline: Pipeline):
    rows = [{"id": i, "text": t} for i, t in TEXTS.items()]
    write_jsonl(tmp_path / "c.jsonl", rows)
    with gzip.open(tmp_path / "c.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write("".join(json.dumps(r) + "\n" for r in rows))
    pd.DataFrame(rows).to_csv(tmp_path / "c.csv", index=False)
    pd.DataFrame(rows).to_csv(tmp_path / "c.tsv", index=False, sep="\t")
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "c.parquet")
    for name in ("c.jsonl", "c.jsonl.gz", "c.csv", "c.tsv", "c.parquet"):
        assert analyzed(pipeline, tmp_path / name) == expected(pipeline), name


def test_folder_of_txt_files_is_one_document_per_file_in_name_order(tmp_path: Path, pipeline: Pipeline):
    folder = tmp_path / "articles"
    (folder / "more").mkdir(parents=True)
    (folder / "b.txt").write_text(TEXTS["b"], encoding="utf-8")
    (folder / "a.txt").write_text(TEXTS["a"], encoding="utf-8")
    (folder / "more" / "d.txt").write_text(TEXTS["d"], encoding="utf-8")
    (folder / "notes.md").write_text("not an article")
    docs = analyzed(pipeline, folder)
    assert [d["id"] for d in docs] == ["a", "b", "more/d"]
    assert docs == [dict(d, id=i) for d, i in zip(expected(pipeline, ["a", "b", "d"]), ["a", "b", "more/d"])]
    assert count_records(folder) == 3


def test_folder_of_parquet_parts_reads_in_name_order_and_numbers_rows_across_parts(tmp_path: Path, pipeline: Pipeline):
    folder = tmp_path / "parts"
    folder.mkdir()
    pq.write_table(pa.table({"text": [TEXTS["c"], TEXTS["d"]]}), folder / "part-1.parquet")
    pq.write_table(pa.table({"text": [TEXTS["a"], TEXTS["b"]]}), folder / "part-0.parquet")
    docs = analyzed(pipeline, folder)
    assert [d["id"] for d in docs] == [1, 2, 3, 4]  # no id column: row numbers from 1
    assert [d["quotes"] for d in docs] == [d["quotes"] for d in expected(pipeline)]
    assert count_records(folder) == 4


def test_saved_hugging_face_dataset_is_read_from_disk(tmp_path: Path, pipeline: Pipeline):
    datasets = pytest.importorskip("datasets")
    dataset = datasets.Dataset.from_dict({"body": list(TEXTS.values()), "doc": list(TEXTS)})
    dataset.save_to_disk(str(tmp_path / "saved"))
    assert analyzed(pipeline, tmp_path / "saved", text_field="body", id_field="doc") == expected(pipeline)
    datasets.DatasetDict({"train": dataset}).save_to_disk(str(tmp_path / "dict"))
    with pytest.raises(ValueError, match="splits \\['train'\\]"):
        read(tmp_path / "dict")


def test_dataframe_in_gives_a_dataframe_out_with_quotes_and_error_columns(pipeline: Pipeline):
    frame = pd.DataFrame({"text": list(TEXTS.values()), "source": ["x"] * 4}, index=[10, 11, 12, 13])
    result = pipeline.analyze_corpus(frame)
    assert isinstance(result, pd.DataFrame)
    assert list(result.index) == [10, 11, 12, 13]
    assert list(result.columns) == ["text", "source", "quotes", "error"]
    assert list(result["quotes"]) == [d["quotes"] for d in expected(pipeline)]
    assert result["error"].isna().all()
    assert list(frame.columns) == ["text", "source"]  # the input is not changed


def test_dataset_in_gives_a_dataset_out_with_quotes_and_error_columns(pipeline: Pipeline):
    datasets = pytest.importorskip("datasets")
    dataset = datasets.Dataset.from_dict({"text": list(TEXTS.values()), "id": list(TEXTS)})
    result = pipeline.analyze_corpus(dataset, workers=2)
    assert isinstance(result, datasets.Dataset)
    assert result.column_names == ["text", "id", "quotes", "error"]
    assert [{"id": r["id"], "quotes": r["quotes"], "error": r["error"]} for r in result] == expected(pipeline)


def test_text_and_id_fields_name_the_columns(tmp_path: Path, pipeline: Pipeline):
    path = write_jsonl(tmp_path / "c.jsonl", [{"body": t, "url": f"https://x/{i}"} for i, t in TEXTS.items()])
    docs = analyzed(pipeline, path, text_field="body", id_field="url")
    assert [d["id"] for d in docs] == [f"https://x/{i}" for i in TEXTS]


# ----------------------------------------------------------------------------------- bad records

def test_every_kind_of_bad_jsonl_line_keeps_its_place_with_an_error(tmp_path: Path, pipeline: Pipeline):
    path = write_jsonl(tmp_path / "c.jsonl", [
        {"id": "a", "text": TEXTS["a"]},
        "{not json",
        "[1, 2]",
        {"id": "no-text"},
        {"id": "null-text", "text": None},
        {"id": "number", "text": 42},
        {"text": TEXTS["b"]},
        {"id": None, "text": ""},
    ])
    docs = analyzed(pipeline, path)
    assert [d["id"] for d in docs] == ["a", 2, 3, "no-text", "null-text", "number", 7, 8]
    errors = [d["error"] for d in docs]
    assert errors[0] is None and errors[6] is None and errors[7] is None  # an empty text is not an error
    assert errors[1].startswith("c.jsonl line 2: not valid JSON")
    assert errors[2] == "c.jsonl line 3: a JSON list, not an object"
    assert errors[3] == "c.jsonl line 4 (id 'no-text'): no 'text' field"
    assert errors[4] == "c.jsonl line 5 (id 'null-text'): no text ('text' is null)"
    assert errors[5] == "c.jsonl line 6 (id 'number'): 'text' is a int, not a string"
    assert all(d["quotes"] == [] for d in docs[1:6])
    assert docs[6]["quotes"]


def test_bad_utf8_spoils_one_line_not_the_file(tmp_path: Path, pipeline: Pipeline):
    path = tmp_path / "c.jsonl"
    path.write_bytes(b'{"id": "x", "text": "caf\xe9"}\n' + json.dumps({"id": "a", "text": TEXTS["a"]}).encode() + b"\n")
    docs = analyzed(pipeline, path)
    assert docs[0]["error"] == "c.jsonl line 1: not UTF-8 (byte 24)"
    assert docs[1]["error"] is None and docs[1]["quotes"]


def test_bad_utf8_in_a_csv_spoils_one_row_and_says_where(tmp_path: Path, pipeline: Pipeline):
    path = tmp_path / "c.csv"
    path.write_bytes(b'id,text,note\nx,caf\xe9 owner,ok\nb\xff,text,ok\nc,clean text,bad \xe9 note\n'
                     b'a,"' + TEXTS["a"].replace('"', '""').encode() + b'",\n')
    docs = analyzed(pipeline, path)
    assert [d["id"] for d in docs] == ["x", 2, "c", "a"]
    assert docs[0]["error"] == "c.csv row 1 (id 'x'): 'text' is not UTF-8 text (byte 0xe9 at character 3)"
    assert docs[1]["error"] == "c.csv row 2: 'id' is not UTF-8 text (byte 0xff at character 1)"
    assert docs[2]["error"] is None  # a bad byte in a column we do not read is no error
    assert docs[3]["error"] is None and docs[3]["quotes"]


def test_csv_short_row_is_an_error_and_empty_cell_an_empty_text(tmp_path: Path, pipeline: Pipeline):
    path = tmp_path / "c.csv"
    path.write_text('id,text\na,"' + TEXTS["a"].replace('"', '""') + '"\nshort\nc,\n', encoding="utf-8")
    docs = analyzed(pipeline, path)
    assert [d["id"] for d in docs] == ["a", "short", "c"]
    assert docs[1]["error"] == "c.csv row 2 (id 'short'): no text ('text' is null)"
    assert docs[2] == {"id": "c", "quotes": [], "error": None}


def test_parquet_null_and_non_string_texts_are_errors(tmp_path: Path, pipeline: Pipeline):
    pq.write_table(pa.table({"text": [TEXTS["a"], None]}), tmp_path / "t.parquet")
    pq.write_table(pa.table({"text": [1, 2]}), tmp_path / "n.parquet")
    docs = analyzed(pipeline, tmp_path / "t.parquet")
    assert docs[1] == {"id": 2, "quotes": [], "error": "t.parquet row 2 (id 2): no text ('text' is null)"}
    assert [d["error"] for d in analyzed(pipeline, tmp_path / "n.parquet")] == [
        "n.parquet row 1 (id 1): 'text' is a int, not a string", "n.parquet row 2 (id 2): 'text' is a int, not a string"]


def test_txt_file_that_is_not_utf8_is_an_error_record(tmp_path: Path, pipeline: Pipeline):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(TEXTS["a"], encoding="utf-8")
    (tmp_path / "docs" / "b.txt").write_bytes(b"caf\xe9 au lait")
    docs = analyzed(pipeline, tmp_path / "docs")
    assert docs[1] == {"id": "b", "quotes": [], "error": "b.txt: not UTF-8 text (byte 3: b'\\xe9')"}


def test_dataframe_missing_text_is_an_error_and_missing_id_the_index(pipeline: Pipeline):
    frame = pd.DataFrame({"text": [TEXTS["a"], None, float("nan")], "id": ["a", None, "z"]})
    result = pipeline.analyze_corpus(frame)
    assert result["error"][0] is None
    assert result["error"][1] == "row 1 (id 1): no text ('text' is null)"
    assert result["error"][2] == "row 2 (id 'z'): no text ('text' is null)"


def test_missing_text_column_is_a_usage_error(tmp_path: Path):
    pd.DataFrame({"body": ["x"]}).to_csv(tmp_path / "c.csv", index=False)
    result = stance("analyze", "c.csv", "-o", "o.jsonl", "--no-stances", cwd=tmp_path)
    assert result.returncode == 2
    assert "no 'text' column (columns: ['body']); name it with --text-field" in result.stderr


# ----------------------------------------------------------------------------------- runs

def corpus_rows(n: int) -> list[dict]:
    texts = list(TEXTS.values())
    return [{"id": f"doc-{i}", "text": texts[i % 4].replace("Monday", f"day {i}")} for i in range(n)]


def test_order_is_input_order_with_workers_and_small_batches(tmp_path: Path, pipeline: Pipeline):
    path = write_jsonl(tmp_path / "c.jsonl", corpus_rows(37))
    one = run(path, tmp_path / "one.jsonl", pipeline, batch_size=5, workers=1, progress=False)
    two = run(path, tmp_path / "two.jsonl", pipeline, batch_size=5, workers=2, progress=False)
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    ids = [json.loads(line)["id"] for line in (tmp_path / "two.jsonl").read_text().splitlines()]
    assert ids == [f"doc-{i}" for i in range(37)]
    assert (one.documents, one.quotes, one.failed) == (two.documents, two.quotes, False) == (37, one.quotes, False)


def test_quotes_parquet_has_a_row_per_quote_and_keeps_every_document(tmp_path: Path, pipeline: Pipeline):
    rows = [{"id": i, "text": t} for i, t in TEXTS.items()] + ["{broken"]
    path = write_jsonl(tmp_path / "c.jsonl", rows)
    run(path, tmp_path / "q.jsonl", pipeline, progress=False)
    run(path, tmp_path / "q.parquet", pipeline, format="quotes-parquet", part_size=2, progress=False)
    table = pq.read_table(tmp_path / "q.parquet")
    assert table.schema.remove_metadata() == QUOTE_ROW_SCHEMA
    assert sorted(p.name for p in (tmp_path / "q.parquet").iterdir()) == [
        "part-000000.parquet", "part-000001.parquet", "part-000002.parquet"]
    frame = table.to_pandas()
    docs = [json.loads(line) for line in (tmp_path / "q.jsonl").read_text().splitlines()]
    assert list(dict.fromkeys(frame["id"])) == ["a", "b", "c", "d", "5"]  # every document, in order; ids as text
    assert list(dict.fromkeys(frame["record"])) == [0, 1, 2, 3, 4]
    for record, doc in enumerate(docs):
        part = frame[frame["record"] == record]
        if not doc["quotes"]:  # one row, no quote, the error if any
            assert len(part) == 1 and pd.isna(part["quote"].iloc[0])
            error = part["error"].iloc[0]
            assert (None if pd.isna(error) else error) == doc["error"]
            continue
        assert list(part["quote"]) == list(range(len(doc["quotes"])))
        for (_, row), quote in zip(part.iterrows(), doc["quotes"]):
            assert (row["start"], row["end"], row["text"], row["kind"]) == (quote["start"], quote["end"], quote["text"], quote["kind"])
            assert [list(s) for s in row["spans"]] == quote["spans"]
            assert row["mention"] == quote["speaker"]["mention"]["text"]
            assert row["cue"] == (quote["cue"] or {}).get("text")
    assert frame["error"].iloc[-1].startswith("c.jsonl line 5: not valid JSON")


def test_exit_status_says_whether_any_record_failed(tmp_path: Path):
    write_jsonl(tmp_path / "good.jsonl", [{"id": "a", "text": TEXTS["a"]}])
    write_jsonl(tmp_path / "bad.jsonl", [{"id": "a", "text": TEXTS["a"]}, {"id": "b"}])
    assert stance("analyze", "good.jsonl", "-o", "g.jsonl", "--no-stances", cwd=tmp_path).returncode == 0
    bad = stance("analyze", "bad.jsonl", "-o", "b.jsonl", "--no-stances", cwd=tmp_path)
    assert bad.returncode == 1
    assert "stance analyze: 2 documents, 1 quotes, 1 with errors" in bad.stderr


def test_quiet_prints_nothing_and_a_pipe_gets_a_summary_but_no_bar(tmp_path: Path):
    write_jsonl(tmp_path / "c.jsonl", corpus_rows(3))
    quiet = stance("analyze", "c.jsonl", "-o", "o.jsonl", "--no-stances", "--quiet", cwd=tmp_path)
    assert quiet.returncode == 0 and quiet.stderr == ""
    piped = stance("analyze", "c.jsonl", "-o", "p.jsonl", "--no-stances", cwd=tmp_path)
    assert piped.stderr.startswith("stance analyze: 3 documents") and "doc/s" not in piped.stderr


def test_progress_bar_shows_documents_quotes_and_errors(tmp_path: Path, pipeline: Pipeline, capsys):
    path = write_jsonl(tmp_path / "c.jsonl", corpus_rows(6) + ["{broken"])
    run(path, tmp_path / "o.jsonl", pipeline, batch_size=2, progress=True)
    bar = capsys.readouterr().err
    assert "7/7" in bar and "errors=1" in bar and "quotes=" in bar


def test_batches_are_cut_at_whole_multiples_of_the_size_also_after_a_resume():
    from stance.corpus.read import batched

    assert list(batched(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    # a run resumed after 4 records: its batches hold the same records as a clean run's (3-5, 6-8, 9)
    assert list(batched(range(4, 10), 3, start=4)) == [[4, 5], [6, 7, 8], [9]]
    assert list(batched(range(6, 8), 3, start=6)) == [[6, 7]]


def test_ray_actor_cuts_a_block_where_the_local_engine_cuts_its_batches():
    from stance.document import Document
    from stance.ray import _Analyzer

    class Recording:
        def __init__(self):
            self.calls = []

        def _analyze_batch(self, records):
            self.calls.append([r.id for r in records])
            return [Document("", (), r.id) for r in records]

    analyzer = _Analyzer({"model": None}, "text", "id_json", internal=True, docs_per_batch=4)
    analyzer.pipeline = Recording()
    numbers = list(range(6, 15))  # a resumed run's first block: records 6 to 14
    block = pa.table({"record": numbers, "id_json": [json.dumps(n) for n in numbers],
                      "text": ["x"] * len(numbers), "input_error": [None] * len(numbers)})
    out = analyzer(block)
    assert analyzer.pipeline.calls == [[6, 7], [8, 9, 10, 11], [12, 13, 14]]
    assert out.column("id_json").to_pylist() == block.column("id_json").to_pylist()

