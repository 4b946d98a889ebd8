"""The command line end to end: analyze a JSON-lines corpus, then evaluate it."""

import json
import subprocess
import sys
from pathlib import Path

GOLD = [
    {"id": "a", "text": '"The dam will hold," the engineer said.',
     "quotes": [{"content": [[0, 20]], "source": [[21, 33]], "cue": [[34, 38]]}]},
    {"id": "b", "text": "Officials said the road would reopen on Friday.",
     "quotes": [{"content": [[15, 46]], "source": [[0, 9]], "cue": [[10, 14]]}]},
    {"id": "c", "text": "", "quotes": []},
]


def stance(*args, cwd):
    return subprocess.run([sys.executable, "-m", "stance.cli", *args], cwd=cwd, capture_output=True, text=True)


def test_analyze_jsonl_keeps_order_and_marks_bad_lines(tmp_path: Path):
    corpus = tmp_path / "corpus.jsonl"
    lines = [json.dumps({"id": d["id"], "text": d["text"]}) for d in GOLD]
    lines.insert(2, "{not json")
    lines.insert(3, json.dumps({"id": "no-text"}))
    corpus.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.jsonl"
    result = stance("analyze", str(corpus), "-o", str(out), "--no-stances", cwd=tmp_path)
    assert result.returncode == 1, result.stderr  # some records failed
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in records] == ["a", "b", 3, "no-text", "c"]
    assert records[0]["quotes"][0]["text"] == '"The dam will hold,"'
    assert records[0]["quotes"][0]["speaker"]["mention"]["text"] == "the engineer"
    assert records[0]["quotes"][0]["stances"] == []
    assert records[2]["error"].startswith("corpus.jsonl line 3: not valid JSON")
    assert records[2]["quotes"] == []
    assert "no 'text' field" in records[3]["error"]
    assert records[4] == {"id": "c", "quotes": [], "error": None}  # an empty text is not an error

    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(d) for d in GOLD) + "\n")
    result = stance("evaluate", str(gold), str(out), "--by-kind", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["all"]["jaccard>=0.5"]["f1"] == 1.0
    assert report["direct"]["jaccard>=0.5"]["matched"] == 1
    assert report["indirect"]["jaccard>=0.5"]["matched"] == 1


def test_analyze_txt_file_is_one_document(tmp_path: Path):
    article = tmp_path / "article.txt"
    article.write_text("According to the ministry, the talks will resume.\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = stance("analyze", str(article), "-o", str(out), "--no-stances", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert record["id"] == "article"
    assert record["quotes"][0]["cue"]["text"] == "According to"


def test_missing_input_is_a_clear_error(tmp_path: Path):
    result = stance("analyze", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "o.jsonl"), "--no-stances", cwd=tmp_path)
    assert result.returncode == 2
    assert "does not exist" in result.stderr
