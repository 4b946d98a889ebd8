"""How `stance analyze` scales: time in the length of one article, memory in the size of a corpus.

    python benchmarks/scale.py                         # both parts
    python benchmarks/scale.py --part length --sizes 1,2,5   # one article of 1, 2 and 5 million characters
    python benchmarks/scale.py --part memory --model none    # text stages only (84, 924, 2,772 documents)

**length**: one article of N million characters (PolNeAR train's 840 articles one after another,
repeated as needed; or examples/article.txt repeated, with ``--text example``), through `stance analyze --no-stances` in one process pinned to one core (`taskset -c 0`
where there is one): wall time and characters/s. Linear text stages keep characters/s flat.
**memory**: the same command over growing corpora (PolNeAR dev, then train + dev repeated, from
``$STANCE_DATA`` or ../shared/data): peak RSS of the process (``ru_maxrss``), which should stay flat,
since records are read, analysed and written a batch at a time.

Each run is a fresh process, as a user would start it; the time includes starting Python (about
1 s) and, with the model, loading it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("STANCE_DATA", ROOT.parent / "shared" / "data"))


def analyze(corpus: Path, out: Path, extra: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (bytes) of the run's process tree, and its summary line."""
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONPATH=str(ROOT))
    args = [*pin, sys.executable, "-m", "stance.cli", "analyze", str(corpus), "-o", str(out), "--overwrite", *extra]
    # a wrapper process per run, so that its ru_maxrss of children is this run's alone
    wrapper = ("import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
               "print('maxrss', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(code)")
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", wrapper, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise SystemExit(f"failed: {' '.join(args)}\n{result.stderr}")
    lines = result.stderr.splitlines()
    peak = int(next(line.split()[1] for line in lines if line.startswith("maxrss "))) * 1024  # KiB on Linux
    summary = next((line for line in lines if line.startswith("stance analyze:")), "")
    return seconds, peak, summary


def length(sizes: list[float], folder: Path, source: str) -> None:
    if source == "polnear":  # real articles one after another: many names, quotes and speakers
        article = "\n".join(json.loads(line)["text"] for line in
                            (DATA / "polnear" / "train.jsonl").read_text(encoding="utf-8").splitlines())
    else:
        article = (ROOT / "examples" / "article.txt").read_text(encoding="utf-8")
    print(f"article: {source} text, repeated to length")
    print("| characters | words | quotes | seconds | characters/s |")
    print("|---:|---:|---:|---:|---:|")
    for size in sizes:
        n = int(size * 1_000_000)
        text = (article * (n // len(article) + 1))[:n]
        corpus = folder / f"long-{size}.jsonl"
        corpus.write_text(json.dumps({"id": "long", "text": text}) + "\n", encoding="utf-8")
        out = folder / f"long-{size}.out.jsonl"
        seconds, _, _ = analyze(corpus, out, ["--no-stances", "--quiet", "--max-chars", str(n)])
        doc = json.loads(out.read_text(encoding="utf-8"))
        assert doc["error"] is None, doc["error"]
        print(f"| {n:,} | {len(text.split()):,} | {len(doc['quotes']):,} | {seconds:.1f} | {n / seconds:,.0f} |", flush=True)


def memory(model: str, folder: Path, repeats: list[int]) -> None:
    dev = (DATA / "polnear" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    train = (DATA / "polnear" / "train.jsonl").read_text(encoding="utf-8").splitlines()
    extra = ["--no-stances"] if model == "none" else ["--model", model]
    print(f"| documents | model | seconds | peak RSS |")
    print("|---:|---|---:|---:|")
    corpora = {0: dev, **{r: (train + dev) * r for r in repeats if r}}
    for repeat in [0, *repeats]:
        lines = corpora[repeat]
        name = f"{len(lines):,}"
        corpus = folder / f"corpus-{len(lines)}.jsonl"
        corpus.write_text("".join(json.dumps({"id": f"d{i}", "text": json.loads(line)["text"]}) + "\n"
                                  for i, line in enumerate(lines)), encoding="utf-8")
        seconds, peak, summary = analyze(corpus, folder / "memory.out.jsonl", extra)
        print(f"| {name} | {model} | {seconds:.1f} | {peak / 2**20:,.0f} MB |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=["length", "memory", "both"], default="both")
    parser.add_argument("--sizes", default="1,2,5", help="article lengths, millions of characters")
    parser.add_argument("--text", choices=["polnear", "example"], default="polnear",
                        help="the long article: PolNeAR train's articles one after another (default), or "
                             "examples/article.txt repeated")
    parser.add_argument("--model", default="models/stance-minilm", help="'none' for the text stages only")
    parser.add_argument("--repeats", default="1,3", help="corpora after PolNeAR dev: train + dev this many times")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.part in ("length", "both"):
            length([float(s) for s in args.sizes.split(",")], Path(tmp), args.text)
        if args.part in ("memory", "both"):
            memory(args.model, Path(tmp), [int(r) for r in args.repeats.split(",") if r])


if __name__ == "__main__":
    main()
