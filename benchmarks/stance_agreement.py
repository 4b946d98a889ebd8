"""How often two stance models agree on real news quotes, where we have no gold stance labels.

    python benchmarks/stance_agreement.py models/stance-minilm-l6 models/stance-minilm
    python benchmarks/stance_agreement.py models/stance-minilm-l6 models/stance-minilm --quantize-second

The quotes are those the pipeline finds in PolNeAR dev (84 news articles, ``../shared/data`` or
``$STANCE_DATA``), each read as the pipeline reads it (reported speech with its cue) and scored
toward the targets proposed from it. Prints the share of (quote, target) pairs and of quotes
(primary stance) on which the two models give the same label, and the label counts of each, so a
faster model can be compared with a slower one on text unlike the training data.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def news_pairs(path: Path) -> tuple[list[tuple[str, str]], list[int]]:
    """(quote text, target) pairs of every quote found in the articles, and each pair's quote number."""
    from stance.pipeline import find_quotes, stance_text
    from stance.targets.propose import propose_targets

    pairs, owners, quotes = [], [], 0
    for line in path.open(encoding="utf-8"):
        text = json.loads(line)["text"]
        for quote in find_quotes(text):
            content = stance_text(text, quote)
            for target in propose_targets(content):
                pairs.append((content, target))
                owners.append(quotes)
            quotes += 1
    return pairs, owners


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("first", help="model folder (the reference)")
    parser.add_argument("second", help="model folder to compare with it")
    parser.add_argument("--quantize-second", action="store_true", help="int8 dynamic quantization of the second")
    parser.add_argument("--articles", help="JSON lines of articles (default: PolNeAR dev)")
    args = parser.parse_args(argv)

    from stance.stances.data import shared_data_dir
    from stance.stances.model import StanceModel

    path = Path(args.articles) if args.articles else shared_data_dir() / "polnear" / "dev.jsonl"
    pairs, owners = news_pairs(path)
    pair_labels, primary = [], []
    for folder, quantize in ((args.first, False), (args.second, args.quantize_second)):
        scores = StanceModel.load(folder, device="cpu", quantize=quantize).score_pairs(pairs)
        labels = [max(row, key=row.get) for row in scores]
        best: dict[int, tuple[float, str]] = {}  # per quote: its highest-scoring (score, label)
        for quote, row, label in zip(owners, scores, labels):
            best[quote] = max(best.get(quote, (-1.0, "")), (row[label], label))
        pair_labels.append(labels)
        primary.append([best[q][1] for q in sorted(best)])
    same_pairs = sum(a == b for a, b in zip(*pair_labels)) / len(pairs)
    same_quotes = sum(a == b for a, b in zip(*primary)) / len(primary[0])
    print(f"{path}: {len(primary[0])} quotes, {len(pairs)} (quote, proposed target) pairs")
    print(f"first:  {args.first}\nsecond: {args.second}{' (int8)' if args.quantize_second else ''}")
    print(f"label agreement: pairs {same_pairs:.3f}, quotes (primary stance) {same_quotes:.3f}")
    for name, column in (("first", primary[0]), ("second", primary[1])):
        counts = collections.Counter(column)
        print(f"primary labels, {name}: " + ", ".join(f"{k} {counts[k]}" for k in sorted(counts)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
