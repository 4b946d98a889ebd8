"""Nothing lost, whatever the input or the operator does (issue 11): one bad record, a wrong flag,
two runs on one output, a resume onto the wrong file. Each test is one case of the table in
docs/corpus-runs.md ("What goes wrong, and what you get")."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from stance.cli import main
from stance.corpus.job import run
from stance.corpus.lock import OutputLock, lock_path
from stance.corpus.write import ResumeRefused
from stance.pipeline import Pipeline

SAID = '"We will rebuild the bridge before winter," the mayor said.'


def stance(*args: str, cwd: Path) -> SimpleNamespace:
    """``stance analyze ARGS --no-stances --quiet`` in ``cwd``, in this process (fast); the tests that
    need a process of its own (signals, two runs at once) start one."""
    err = io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stderr(err):
        code = main(["analyze", *args, "--no-stances", "--quiet"])
    return SimpleNamespace(returncode=code, stderr=err.getvalue())


def lines(path: Path) -> list[dict]:
    return [json.loads(line, parse_constant=_reject) for line in path.read_text(encoding="utf-8").splitlines()]


def _reject(name: str):
    raise ValueError(f"not strict JSON: {name}")


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


def rows(n: int) -> list[dict]:
    return [{"id": f"doc-{i}", "text": SAID.replace("mayor", f"mayor of town {i}")} for i in range(n)]


# ------------------------------------------------------------------ 1. one record fails alone

def test_lone_surrogate_in_a_text_or_an_id_fails_that_record_alone(tmp_path: Path):
    good = json.dumps({"id": "a", "text": SAID})
    write_jsonl(tmp_path / "c.jsonl", [
        good,
        '{"id": "s", "text": "He said \\"x \\ud800 y\\" today."}',  # legal JSON, not a character
        '{"id": "x\\udc00", "text": "Officials said the road would reopen."}',
        json.dumps({"id": "b", "text": SAID}),
    ])
    result = stance("c.jsonl", "-o", "o.jsonl", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    docs = lines(tmp_path / "o.jsonl")
    assert [d["id"] for d in docs] == ["a", "s", 3, "b"]
    assert docs[0]["quotes"] and docs[3]["quotes"] and docs[0]["error"] is None
    assert docs[1]["error"] == ("c.jsonl line 2 (id 's'): 'text' is not valid Unicode "
                                "(a lone surrogate U+D800 at character 11)")
    assert docs[2]["error"].startswith("c.jsonl line 3: the id 'x\\udc00' is not valid Unicode")


class _FailingModel:
    """A stand-in stance model that fails on any pair whose text mentions 'boom'."""

    def score_pairs(self, pairs, batch_size=64):
        if any("boom" in text for text, _ in pairs):
            raise TypeError("TextInputSequence must be str")
        return [{"de-escalation": 0.1, "condemnation": 0.2, "commitment": 0.3, "other": 0.4} for _ in pairs]


def test_a_model_failure_on_one_document_keeps_the_rest_of_its_batch():
    pipeline = Pipeline(model=_FailingModel())
    texts = [("a", SAID), ("b", SAID.replace("bridge", "boom")), ("c", SAID)]
    docs = list(pipeline.analyze_many(texts))
    assert [d.id for d in docs] == ["a", "b", "c"]
    assert docs[0].quotes[0].stances and docs[2].quotes[0].stances
    assert docs[1].quotes == () and docs[1].error == "document 'b': stances: TypeError: TextInputSequence must be str"


def test_a_result_that_is_not_json_is_written_as_an_error_in_its_place(tmp_path: Path):
    from stance.corpus.read import Record

    records = [Record("a", SAID), Record(b"\xff\xfe", SAID),
               Record(object(), SAID)]
    summary = run(records, tmp_path / "o.jsonl", Pipeline(model=None), progress=False)
    assert (summary.documents, summary.errors) == (3, 2)
    docs = lines(tmp_path / "o.jsonl")
    assert docs[0]["id"] == "a" and docs[0]["error"] is None
    assert docs[1]["id"] == "fffe" and "cannot be written as JSON" in docs[1]["error"]
    assert docs[2]["error"].startswith("document <object object at") and docs[2]["quotes"] == []


# ------------------------------------------------------------------ 2. writing over the input

def test_output_that_is_the_input_is_refused_also_through_a_link(tmp_path: Path):
    write_jsonl(tmp_path / "x.jsonl", rows(3))
    before = (tmp_path / "x.jsonl").read_bytes()
    (tmp_path / "link.jsonl").symlink_to(tmp_path / "x.jsonl")
    os.link(tmp_path / "x.jsonl", tmp_path / "hard.jsonl")
    for output in ("x.jsonl", "link.jsonl", "hard.jsonl", "./x.jsonl"):
        for flag in ("--overwrite", "--resume"):
            result = stance("x.jsonl", "-o", output, flag, cwd=tmp_path)
            assert result.returncode == 2
            assert result.stderr == (f"stance analyze: error: the output {output.removeprefix('./')} is the input "
                                     "x.jsonl (the same file); write to another path\n")
    assert (tmp_path / "x.jsonl").read_bytes() == before


# ------------------------------------------------------------------ 3. a usage error keeps the previous output

def test_existing_output_is_refused_without_overwrite_or_resume(tmp_path: Path):
    write_jsonl(tmp_path / "c.jsonl", rows(3))
    assert stance("c.jsonl", "-o", "o.jsonl", cwd=tmp_path).returncode == 0
    before = (tmp_path / "o.jsonl").read_bytes()
    result = stance("c.jsonl", "-o", "o.jsonl", cwd=tmp_path)
    assert result.returncode == 2
    assert "o.jsonl already holds results; pass --overwrite to replace them, or --resume" in result.stderr
    assert (tmp_path / "o.jsonl").read_bytes() == before
    write_jsonl(tmp_path / "c.jsonl", rows(2))
    assert stance("c.jsonl", "-o", "o.jsonl", "--overwrite", cwd=tmp_path).returncode == 0
    assert [d["id"] for d in lines(tmp_path / "o.jsonl")] == ["doc-0", "doc-1"]


@pytest.mark.parametrize("format", ["jsonl", "quotes-parquet"])
def test_usage_error_with_overwrite_leaves_the_previous_output_untouched(tmp_path: Path, format: str):
    write_jsonl(tmp_path / "c.jsonl", rows(5))
    out = "prev.jsonl" if format == "jsonl" else "prev"
    assert stance("c.jsonl", "-o", out, "--format", format, "--part-size", "2", cwd=tmp_path).returncode == 0
    before = {p.name: p.read_bytes() for p in sorted((tmp_path / out).glob("*"))} if format != "jsonl" else \
        (tmp_path / out).read_bytes()
    (tmp_path / "bad.csv").write_text("id,text\n1,hello\n", encoding="utf-8")
    result = stance("bad.csv", "-o", out, "--format", format, "--text-field", "body", "--overwrite", cwd=tmp_path)
    assert result.returncode == 2
    assert "bad.csv: no 'body' column (columns: ['id', 'text'])" in result.stderr
    after = {p.name: p.read_bytes() for p in sorted((tmp_path / out).glob("*"))} if format != "jsonl" else \
        (tmp_path / out).read_bytes()
    assert after == before and after


# ------------------------------------------------------------------ 4. two writers, one output

def test_a_second_run_on_a_locked_output_is_refused_with_the_holder(tmp_path: Path):
    write_jsonl(tmp_path / "c.jsonl", rows(3))
    with OutputLock(tmp_path / "o.jsonl"):
        result = stance("c.jsonl", "-o", "o.jsonl", "--resume", cwd=tmp_path)
        assert result.returncode == 2
        assert f"is being written by another stance run (pid {os.getpid()} on " in result.stderr
        assert not (tmp_path / "o.jsonl").exists()
    assert stance("c.jsonl", "-o", "o.jsonl", cwd=tmp_path).returncode == 0
    assert not lock_path(tmp_path / "o.jsonl").exists()  # released and removed at the end


def test_a_stale_lock_file_left_by_a_killed_run_is_taken_over(tmp_path: Path):
    write_jsonl(tmp_path / "c.jsonl", rows(3))
    lock_path(tmp_path / "o.jsonl").write_text("pid 999999 on somewhere, since yesterday")
    result = stance("c.jsonl", "-o", "o.jsonl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(lines(tmp_path / "o.jsonl")) == 3


def test_two_runs_started_together_on_one_output_never_both_write(tmp_path: Path):
    write_jsonl(tmp_path / "a.jsonl", rows(300))
    write_jsonl(tmp_path / "b.jsonl", [dict(r, id=f"b-{i}") for i, r in enumerate(rows(300))])
    args = ["analyze", "-o", "o.jsonl", "--no-stances", "--quiet", "--resume", "--docs-per-batch", "4"]
    runs = [subprocess.Popen([sys.executable, "-m", "stance.cli", *args, name], cwd=tmp_path, stderr=subprocess.PIPE,
                             text=True) for name in ("a.jsonl", "b.jsonl")]
    results = [(p.wait(), p.stderr.read()) for p in runs]
    docs = lines(tmp_path / "o.jsonl")
    ids = [d["id"] for d in docs]
    assert len(ids) == len(set(ids)) == 300  # one input's ids, each once, no torn line
    assert len({i.split("-")[0] for i in ids}) == 1
    assert sorted(code for code, _ in results) == [0, 2]  # the second one refused: locked, or not its output
    for code, stderr in results:
        if code == 2:
            assert "is being written by another stance run" in stderr or "it is not this input's output" in stderr


# ------------------------------------------------------------------ 5. a source that raises

class _Boom(Exception):
    pass


def _raising(n: int):
    for i in range(n):
        yield (f"d{i}", SAID)
    raise _Boom("the source broke")


@pytest.mark.parametrize("workers", [1, 2])
def test_analyze_many_gives_what_was_read_before_the_source_raised(workers: int):
    done = []
    with pytest.raises(_Boom):
        for doc in Pipeline(model=None).analyze_many(_raising(40), batch_size=32, workers=workers):
            done.append(doc.id)
    assert done == [f"d{i}" for i in range(40)]


# ------------------------------------------------------------------ 8. a resume redoes the whole batch a cut falls in

class _BatchSensitiveModel:
    """A stand-in for the real model's one batch effect: a pair's scores move with the other pairs
    in its forward pass (here, visibly, with their number)."""

    path = "batch-sensitive"
    quantized = False

    def score_pairs(self, pairs, batch_size=64):
        share = 0.1 + 0.001 * len(pairs)
        return [{"de-escalation": share, "condemnation": 0.2, "commitment": 0.3, "other": 0.7 - share} for _ in pairs]


def test_jsonl_cut_inside_a_batch_resumes_to_the_bytes_of_a_clean_run(tmp_path: Path):
    source = write_jsonl(tmp_path / "c.jsonl", rows(22))
    pipeline = Pipeline(model=_BatchSensitiveModel())
    run(source, tmp_path / "clean.jsonl", pipeline, batch_size=8, progress=False)
    clean = (tmp_path / "clean.jsonl").read_bytes()
    for cut in (3, 8, 13, 21):  # whole lines, as a kill between two writes (or a short write) leaves
        (tmp_path / "o.jsonl").write_bytes(b"".join(clean.splitlines(keepends=True)[:cut]))
        summary = run(source, tmp_path / "o.jsonl", pipeline, batch_size=8, resume=True, progress=False)
        assert summary.resumed == cut - cut % 8
        assert (tmp_path / "o.jsonl").read_bytes() == clean, cut


def test_parquet_parts_not_a_multiple_of_the_batch_resume_to_a_clean_run(tmp_path: Path):
    source = write_jsonl(tmp_path / "c.jsonl", rows(22))
    pipeline = Pipeline(model=_BatchSensitiveModel())
    options = dict(format="quotes-parquet", part_size=6, batch_size=8, progress=False)
    run(source, tmp_path / "clean", pipeline, **options)
    for kept in (1, 2):  # a kill after part 0 (records 0-5) or part 1 (6-11): records 8-11 share a batch
        out = tmp_path / f"out{kept}"
        run(source, out, pipeline, **options)
        for part in sorted(out.glob("part-*.parquet"))[kept:]:
            part.unlink()
        summary = run(source, out, pipeline, resume=True, **options)
        assert summary.resumed == 6 * kept
        assert pq.read_table(out).equals(pq.read_table(tmp_path / "clean"))


# ------------------------------------------------------------------ 9. resume onto a damaged or a wrong file

@pytest.mark.parametrize("damage", [b"\x00\x00\x00\x00\n", b"garbage\n", b'{"id": "doc-1"}\n'])
def test_resume_refuses_a_damaged_line_anywhere_naming_file_and_line(tmp_path: Path, damage: bytes):
    write_jsonl(tmp_path / "c.jsonl", rows(10))
    assert stance("c.jsonl", "-o", "o.jsonl", cwd=tmp_path).returncode == 0
    good = (tmp_path / "o.jsonl").read_bytes().splitlines(keepends=True)
    damaged = b"".join(good[:3]) + damage + b"".join(good[4:])
    (tmp_path / "o.jsonl").write_bytes(damaged)
    result = stance("c.jsonl", "-o", "o.jsonl", "--resume", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("stance analyze: error: o.jsonl line 4: ")
    assert "cannot be resumed" in result.stderr and len(result.stderr.splitlines()) == 1
    assert (tmp_path / "o.jsonl").read_bytes() == damaged


def test_resume_refuses_another_inputs_output_without_ids(tmp_path: Path):
    write_jsonl(tmp_path / "a.jsonl", [{"text": r["text"]} for r in rows(6)])
    write_jsonl(tmp_path / "b.jsonl", [{"text": "Officials said the road would reopen on " + d + "."}
                                       for d in ("Monday", "Tuesday", "Friday", "Sunday", "May 3", "June")])
    assert stance("a.jsonl", "-o", "o.jsonl", cwd=tmp_path).returncode == 0
    result = stance("b.jsonl", "-o", "o.jsonl", "--resume", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("stance analyze: error: o.jsonl line 1: quote 0 (0-43, ")
    assert "is not the input text at those offsets" in result.stderr


def test_resume_refuses_ids_that_differ_only_in_type(tmp_path: Path):
    write_jsonl(tmp_path / "a.jsonl", [{"id": i, "text": SAID} for i in range(4)])
    write_jsonl(tmp_path / "b.jsonl", [{"id": str(i), "text": SAID} for i in range(4)])
    assert stance("a.jsonl", "-o", "o.jsonl", cwd=tmp_path).returncode == 0
    result = stance("b.jsonl", "-o", "o.jsonl", "--resume", cwd=tmp_path)
    assert result.returncode == 2
    assert 'o.jsonl line 1: its id is 0 but the input record at its place has id "0"' in result.stderr


def test_resume_refuses_a_parquet_output_of_another_input(tmp_path: Path):
    write_jsonl(tmp_path / "a.jsonl", rows(6))
    write_jsonl(tmp_path / "b.jsonl", rows(3) + [{"id": "other", "text": SAID}] + rows(6)[4:])
    assert stance("a.jsonl", "-o", "q", "--format", "quotes-parquet", "--part-size", "2", cwd=tmp_path).returncode == 0
    result = stance("b.jsonl", "-o", "q", "--format", "quotes-parquet", "--part-size", "2", "--resume", cwd=tmp_path)
    assert result.returncode == 2
    assert "part-000001.parquet record 3: its id is \"doc-3\" but the input record at its place has id \"other\"" \
        in result.stderr


# ------------------------------------------------------------------ 10. output paths that cannot be written

def test_output_path_problems_are_one_line_and_exit_2(tmp_path: Path):
    write_jsonl(tmp_path / "c.jsonl", rows(2))
    (tmp_path / "folder").mkdir()
    cases = {
        "folder": "cannot write folder: it is a folder",
        "missing/o.jsonl": "cannot write missing/o.jsonl: missing: No such file or directory",
        "/dev/full": "/dev/full: No space left on device",
        "/proc/o.jsonl": "/proc/o.jsonl",
    }
    for output, message in cases.items():
        result = stance("c.jsonl", "-o", output, cwd=tmp_path)
        assert result.returncode == 2, output
        assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr, result.stderr
        assert result.stderr.startswith("stance analyze: error: ") and message in result.stderr, result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_output_in_a_read_only_folder_is_one_line(tmp_path: Path):
    write_jsonl(tmp_path / "c.jsonl", rows(2))
    (tmp_path / "ro").mkdir(mode=0o555)
    result = stance("c.jsonl", "-o", "ro/o.jsonl", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "stance analyze: error: cannot write ro/o.jsonl: ro: Permission denied\n"


# ------------------------------------------------------------------ 11. ids that JSON cannot carry

def test_ids_are_written_as_strict_json(tmp_path: Path):
    import datetime

    stamps = [datetime.datetime(2024, 5, 1, 12, 30), datetime.datetime(2024, 5, 2)]
    pq.write_table(pa.table({"id": pa.array(stamps, pa.timestamp("us")), "text": [SAID, SAID]}), tmp_path / "t.parquet")
    assert stance("t.parquet", "-o", "t.jsonl", cwd=tmp_path).returncode == 0
    assert [d["id"] for d in lines(tmp_path / "t.jsonl")] == ["2024-05-01T12:30:00", "2024-05-02T00:00:00"]
    (tmp_path / "n.jsonl").write_text('{"id": 1e400, "text": "x"}\n{"id": -1e400, "text": "y"}\n'
                                      '{"id": 12345678901234567890, "text": "z"}\n')
    assert stance("n.jsonl", "-o", "n.out.jsonl", cwd=tmp_path).returncode == 0
    assert [d["id"] for d in lines(tmp_path / "n.out.jsonl")] == ["Infinity", "-Infinity", 12345678901234567890]


# ------------------------------------------------------------------ 12. a byte order mark

def test_byte_order_mark_is_not_part_of_the_first_record(tmp_path: Path):
    bom = b"\xef\xbb\xbf"
    (tmp_path / "c.jsonl").write_bytes(bom + json.dumps({"id": "a", "text": SAID}).encode() + b"\n")
    (tmp_path / "c.csv").write_bytes(bom + b'id,text\na,"' + SAID.replace('"', '""').encode() + b'"\n')
    for name in ("c.jsonl", "c.csv"):
        assert stance(name, "-o", name + ".out", cwd=tmp_path).returncode == 0, name
        (doc,) = lines(tmp_path / (name + ".out"))
        assert doc["id"] == "a" and doc["error"] is None and doc["quotes"][0]["text"].startswith('"We will'), name


# ------------------------------------------------------------------ 6. no stall: linear text stages, a ceiling per record

def test_a_text_over_max_chars_gets_an_error_and_the_others_go_on(tmp_path: Path):
    write_jsonl(tmp_path / "c.jsonl", [{"id": "a", "text": SAID}, {"id": "long", "text": SAID * 10}, {"id": "b", "text": SAID}])
    result = stance("c.jsonl", "-o", "o.jsonl", "--max-chars", "100", cwd=tmp_path)
    assert result.returncode == 1
    docs = lines(tmp_path / "o.jsonl")
    assert docs[1] == {"id": "long", "quotes": [], "error": "document 'long': the text has 590 characters, more than "
                                                             "the limit of 100 (raise it with --max-chars, or max_chars=)"}
    assert docs[0]["quotes"] and docs[2]["quotes"]


def _shapes(n: int) -> list[str]:
    article = (Path(__file__).resolve().parent.parent / "examples" / "article.txt").read_text(encoding="utf-8")
    return [
        (article * (n // len(article) + 1))[:n],  # many paragraphs, quotes and speakers
        (article.replace("\n", " ") * (n // len(article) + 1))[:n],  # one paragraph
        ("he said " * n)[:n],  # one sentence dense with cues
        ("according to " * n)[:n],
        ("“" * n),  # quotation marks that never close
        ('"' * n),
        ("." * n),
    ]


@pytest.mark.slow
def test_text_stages_take_time_linear_in_the_text_length():
    import gc
    import time

    from stance.pipeline import find_quotes

    def seconds(text: str) -> float:  # CPU time, the best of two, without the garbage collector:
        best = float("inf")           # in a long test session its full passes scan every object
        for _ in range(2):
            gc.collect()
            gc.disable()
            try:
                started = time.process_time()
                find_quotes(text)
                best = min(best, time.process_time() - started)
            finally:
                gc.enable()
        return best

    for short, long in zip(_shapes(20_000), _shapes(80_000)):
        times = [seconds(short), seconds(long)]
        # 4x the text: linear takes about 4x the time, quadratic 16x
        assert times[1] < 8 * max(times[0], 0.02), (short[:20], times)


# ------------------------------------------------------------------ 7. SIGINT and SIGTERM: quick, clean, resumable

@pytest.mark.slow
@pytest.mark.parametrize("signum,group", [("SIGINT", True), ("SIGTERM", False), ("SIGTERM", True)])
def test_a_signal_stops_a_run_with_workers_quickly_and_it_resumes_to_a_clean_run(tmp_path: Path, signum: str, group: bool):
    import signal
    import time

    write_jsonl(tmp_path / "c.jsonl", [{"id": f"d{i}", "text": SAID * 4} for i in range(1500)])
    args = [sys.executable, "-m", "stance.cli", "analyze", "c.jsonl", "--no-stances", "--workers", "2",
            "--docs-per-batch", "8"]
    out = tmp_path / "o.jsonl"
    process = subprocess.Popen([*args, "-o", "o.jsonl"], cwd=tmp_path, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)  # its own process group, like a job in a terminal
    while process.poll() is None and (not out.exists() or out.stat().st_size < 10_000):
        time.sleep(0.02)
    assert process.poll() is None, "the run finished before it could be stopped"
    sent = time.monotonic()
    (os.killpg if group else os.kill)(process.pid, getattr(signal, signum))  # a terminal's Ctrl-C reaches the group
    code = process.wait(timeout=20)
    assert time.monotonic() - sent < 5
    stderr = process.stderr.read()
    assert code == 128 + getattr(signal, signum)
    assert stderr.startswith(f"stance analyze: stopped by {signum}; o.jsonl holds ") and len(stderr.splitlines()) == 1
    assert stderr.endswith("documents; run the same command with --resume to continue\n")
    time.sleep(0.2)
    left = [pid for pid in os.listdir("/proc") if pid.isdigit() and _cmdline(pid).endswith(b"o.jsonl\0")
            and str(tmp_path).encode() in _cwd(pid)]
    assert left == []  # no worker left behind
    assert subprocess.run([*args, "-o", "o.jsonl", "--resume", "--quiet"], cwd=tmp_path).returncode == 0
    assert subprocess.run([*args, "-o", "clean.jsonl", "--quiet"], cwd=tmp_path).returncode == 0
    assert out.read_bytes() == (tmp_path / "clean.jsonl").read_bytes()


def _cmdline(pid: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _cwd(pid: str) -> bytes:
    try:
        return os.readlink(f"/proc/{pid}/cwd").encode()
    except OSError:
        return b""
