"""How many (quote, target) pairs per second the stance classifier scores, fp32 and int8.

    python benchmarks/stance_speed.py --threads 1
    python benchmarks/stance_speed.py --model models/stance-minilm --threads 2 --pairs 1024

Quotes are the dev texts of our stance corpus (data/stance, the same hash split as training) with
15 to 60 words, each with its gold target: realistic news-quote lengths, not padded toy sentences.
Each variant is loaded, warmed up on one batch, then timed over all pairs with
``StanceModel.score_pairs`` (length-sorted batches, dynamic padding), best of ``--repeats`` runs.
The int8 row also says how often its label agrees with fp32 and the largest score difference.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def realistic_pairs(n: int, min_words: int = 15, max_words: int = 60) -> list[tuple[str, str]]:
    from stance.stances.data import load_corpus

    _, dev = load_corpus()
    pairs = [(t, g) for t, g in zip(dev["text"], dev["target"]) if min_words <= len(t.split()) <= max_words]
    if not pairs:
        raise SystemExit("no corpus dev quotes of 15-60 words; is data/stance/*.jsonl there?")
    return [pairs[i % len(pairs)] for i in range(n)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="model folder (default: $STANCE_MODEL or models/stance-minilm)")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads (default 1)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--pairs", type=int, default=512, help="pairs per timed run (default 512)")
    parser.add_argument("--repeats", type=int, default=2, help="timed runs per variant; best counts")
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args(argv)

    import torch

    from stance.stances.model import StanceModel

    torch.set_num_threads(args.threads)
    pairs = realistic_pairs(args.pairs)
    words = sum(len(q.split()) for q, _ in pairs) / len(pairs)
    variants = [("fp32", False)] + ([("int8 dynamic", True)] if args.device == "cpu" else [])
    rows, reference = [], None
    for name, quantize in variants:
        model = StanceModel.load(args.model, device=args.device, quantize=quantize)
        model.score_pairs(pairs[: args.batch_size], batch_size=args.batch_size)  # warm-up
        best = float("inf")
        for _ in range(args.repeats):
            started = time.perf_counter()
            scores = model.score_pairs(pairs, batch_size=args.batch_size)
            best = min(best, time.perf_counter() - started)
        labels = [max(row, key=row.get) for row in scores]
        if reference is None:
            reference = (scores, labels)
            agreement, max_diff = "-", "-"
        else:
            agreement = f"{sum(a == b for a, b in zip(labels, reference[1])) / len(labels):.3f}"
            max_diff = f"{max(abs(a[k] - b[k]) for a, b in zip(scores, reference[0]) for k in a):.4f}"
        rows.append((name, len(pairs) / best, best, agreement, max_diff))

    print(f"stance classifier speed: {len(pairs)} pairs (corpus dev quotes, mean {words:.0f} words), "
          f"batch {args.batch_size}, {args.threads} thread(s), device {args.device}, torch {torch.__version__}")
    print(f"model: {model.path}")
    print(f"{'variant':<14} {'pairs/s':>8} {'seconds':>8} {'label agreement':>16} {'max |diff|':>10}")
    for name, rate, seconds, agreement, max_diff in rows:
        print(f"{name:<14} {rate:>8.1f} {seconds:>8.2f} {agreement:>16} {max_diff:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
