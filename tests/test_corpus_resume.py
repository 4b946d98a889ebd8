"""Resume: a run killed at any moment (SIGKILL), then resumed, writes the file a clean run writes."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from stance.corpus.job import run
from stance.pipeline import Pipeline

SENTENCES = [
    '"We will rebuild the bridge before winter," the mayor said.',
    "Officials said the road would reopen on Friday.",
    "According to the ministry, the talks will resume next week.",
    "The river rose overnight and the schools stayed closed.",
    'The governor warned that "nobody should travel tonight."',
]


def corpus(path: Path, n: int = 240) -> Path:
    rng = random.Random(4)
    lines = []
    for i in range(n):
        if i % 50 == 17:
            lines.append("{not json")
            continue
        text = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 12)))
        lines.append(json.dumps({"id": f"doc-{i}", "text": text}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "stance.cli", "analyze", *args, "--no-stances", "--docs-per-batch", "4", "--quiet"]


def written(output: Path) -> int:
    """Documents the output holds so far (lines, or rows of complete parts)."""
    if output.is_dir():
        return sum(pq.read_metadata(p).num_rows for p in output.glob("part-*.parquet"))
    return output.read_bytes().count(b"\n") if output.exists() else 0


def kill_after(args: list[str], output: Path, at_least: int, cwd: Path) -> bool:
    """Start the command and SIGKILL it once the output holds ``at_least`` documents; True when it
    was still running then (False: it had already finished)."""
    process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        if written(output) >= at_least:
            break
        time.sleep(0.002)
    running = process.poll() is None
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return running


@pytest.mark.parametrize("seed", [1, 2])
def test_jsonl_run_killed_at_random_points_then_resumed_equals_a_clean_run(tmp_path: Path, seed: int):
    corpus(tmp_path / "corpus.jsonl")
    clean = subprocess.run(command("corpus.jsonl", "-o", "clean.jsonl"), cwd=tmp_path)
    assert clean.returncode == 1  # the corpus has bad lines
    rng = random.Random(seed)
    out = tmp_path / "out.jsonl"
    kills = [kill_after(command("corpus.jsonl", "-o", "out.jsonl", "--resume"), out, target, tmp_path)
             for target in sorted(rng.sample(range(1, 230), 3))]
    assert any(kills)
    resumed = subprocess.run(command("corpus.jsonl", "-o", "out.jsonl", "--resume"), cwd=tmp_path)
    assert resumed.returncode == 1  # the bad lines written before the kill still count
    assert out.read_bytes() == (tmp_path / "clean.jsonl").read_bytes()
    ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert len(ids) == len(set(ids)) == 240


def test_half_written_last_line_and_its_unfinished_batch_are_redone(tmp_path: Path):
    source = corpus(tmp_path / "corpus.jsonl", 30)
    pipeline = Pipeline(model=None)
    run(source, tmp_path / "clean.jsonl", pipeline, batch_size=4, progress=False)
    lines = (tmp_path / "clean.jsonl").read_bytes().splitlines(keepends=True)
    (tmp_path / "out.jsonl").write_bytes(b"".join(lines[:11]) + lines[11][:25])
    summary = run(source, tmp_path / "out.jsonl", pipeline, batch_size=4, resume=True, progress=False)
    # 11 whole lines: the batch of records 8-11 is cut, so it is redone whole
    assert (summary.resumed, summary.documents) == (8, 22)
    assert (tmp_path / "out.jsonl").read_bytes() == (tmp_path / "clean.jsonl").read_bytes()


def test_resuming_a_finished_run_changes_nothing(tmp_path: Path):
    source = corpus(tmp_path / "corpus.jsonl", 20)
    pipeline = Pipeline(model=None)
    run(source, tmp_path / "out.jsonl", pipeline, progress=False)
    before = (tmp_path / "out.jsonl").read_bytes()
    summary = run(source, tmp_path / "out.jsonl", pipeline, resume=True, progress=False)
    assert (summary.resumed, summary.documents, summary.failed) == (20, 0, True)
    assert (tmp_path / "out.jsonl").read_bytes() == before


def test_resume_refuses_the_output_of_another_input(tmp_path: Path):
    corpus(tmp_path / "corpus.jsonl", 20)
    (tmp_path / "other.jsonl").write_text(json.dumps({"id": "x", "text": "Hello."}) + "\n")
    subprocess.run(command("other.jsonl", "-o", "out.jsonl"), cwd=tmp_path, check=True)
    result = subprocess.run(command("corpus.jsonl", "-o", "out.jsonl", "--resume"), cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert 'out.jsonl line 1: its id is "x" but the input record at its place has id "doc-0"' in result.stderr


def test_quotes_parquet_run_killed_then_resumed_equals_a_clean_run(tmp_path: Path):
    corpus(tmp_path / "corpus.jsonl")
    parquet = ["--format", "quotes-parquet", "--part-size", "8"]
    subprocess.run(command("corpus.jsonl", "-o", "clean", *parquet), cwd=tmp_path)
    out = tmp_path / "out"
    kills = [kill_after(command("corpus.jsonl", "-o", "out", "--resume", *parquet), out, target, tmp_path)
             for target in (20, 90, 170)]
    assert any(kills)
    subprocess.run(command("corpus.jsonl", "-o", "out", "--resume", *parquet), cwd=tmp_path)
    assert not list(out.glob("*.tmp"))
    assert pq.read_table(out).equals(pq.read_table(tmp_path / "clean"))
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in (tmp_path / "clean").iterdir())
