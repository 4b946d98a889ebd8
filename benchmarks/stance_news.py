"""Stance models on the news dev set (real news, data/news split dev), the project's headline figure.

    python benchmarks/stance_news.py models/stance-minilm models/stance-minilm-l6

For each model: macro-F1, per-label F1 and ECE on the news dev set with the annotated targets, by
source (PolNeAR quotes, PLOVER sentences); then what proposed targets cost, as the pipeline uses
them when the user names none: how often one of the (up to 3) proposed targets is the annotated
one (same phrase, or one mentions the other's head word or name), and macro-F1 when each quote is
scored toward its first proposed target instead.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def same_target(proposed: str, annotated: str) -> bool:
    from stance.targets.propose import mentions_target

    return mentions_target(proposed, annotated) or mentions_target(annotated, proposed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="+", help="model folders")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    args = parser.parse_args(argv)

    import torch

    from stance.stances.labels import LABELS
    from stance.stances.metrics import stance_report
    from stance.stances.model import StanceModel
    from stance.stances.news import load_news
    from stance.targets.propose import propose_targets

    if args.threads:
        torch.set_num_threads(args.threads)
    _, dev = load_news()
    gold = [LABELS[i] for i in dev["label"]]
    sources = list(dev["source"])
    proposed = [propose_targets(text) for text in dev["text"]]
    covered = [any(same_target(p, a) for p in ps) for ps, a in zip(proposed, dev["target"])]
    first = [ps[0] for ps in proposed]
    counts = {label: gold.count(label) for label in LABELS}
    print(f"news dev: {len(gold)} (quote, target) pairs: {counts}; by source "
          + ", ".join(f"{s} {sources.count(s)}" for s in sorted(set(sources))))
    print(f"proposed targets contain the annotated one for {sum(covered) / len(covered):.1%} of pairs "
          f"(first proposed: {sum(same_target(f, a) for f, a in zip(first, dev['target'])) / len(first):.1%})")
    header = f"{'model':<30} {'set':<14} {'n':>5} {'macro-F1':>8} " + " ".join(f"{l[:8]:>8}" for l in LABELS) + f" {'ECE':>6}"
    print(header)
    for folder in args.models:
        model = StanceModel.load(folder, device="cpu")
        scores = model.score_pairs(list(zip(dev["text"], dev["target"])), speakers=dev["speaker"])
        subsets = {"news dev": range(len(gold))}
        for s in sorted(set(sources)):
            subsets[s.replace("news-", "  ")] = [i for i, x in enumerate(sources) if x == s]
        for name, idx in subsets.items():
            r = stance_report([gold[i] for i in idx], [scores[i] for i in idx])
            print(f"{folder:<30} {name:<14} {r['n']:>5} {r['macro_f1']:>8.3f} "
                  + " ".join(f"{r['per_label'][l]['f1']:>8.3f}" for l in LABELS) + f" {r['ece']:>6.3f}")
        r = stance_report(gold, model.score_pairs(list(zip(dev["text"], first)), speakers=dev["speaker"]))
        print(f"{folder:<30} {'first proposed':<14} {r['n']:>5} {r['macro_f1']:>8.3f} "
              + " ".join(f"{r['per_label'][l]['f1']:>8.3f}" for l in LABELS) + f" {r['ece']:>6.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
