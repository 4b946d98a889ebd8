"""What proposed targets cost: corpus-dev macro-F1 with annotated targets and with proposed ones.

    python benchmarks/stance_targets.py models/stance-minilm models/stance-minilm-l6

For each dev quote of our corpus (data/stance, the training split's held-out part), the model scores
the quote once toward its annotated target and once toward the first target that
``stance.targets.propose.propose_targets`` gives for it, as the pipeline does when the user names
no targets; both are compared with the same gold labels.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="+", help="model folders")
    args = parser.parse_args(argv)

    from stance.stances.data import load_corpus
    from stance.stances.labels import LABELS
    from stance.stances.metrics import macro_f1
    from stance.stances.model import StanceModel
    from stance.targets.propose import propose_targets

    _, dev = load_corpus()
    gold = [LABELS[i] for i in dev["label"]]
    proposed = [propose_targets(text)[0] for text in dev["text"]]
    fallback = propose_targets("")[0]  # what a quote with nothing to target gets
    share = sum(t == fallback for t in proposed) / len(proposed)
    print(f"corpus dev: {len(gold)} quotes; {share:.1%} get the fallback target {fallback!r}")
    print(f"{'model':<32} {'annotated':>10} {'proposed':>10}")
    for folder in args.models:
        model = StanceModel.load(folder, device="cpu")
        row = []
        for targets in (dev["target"], proposed):
            scores = model.score_pairs(list(zip(dev["text"], targets)))
            row.append(macro_f1(gold, [max(s, key=s.get) for s in scores]))
        print(f"{folder:<32} {row[0]:>10.3f} {row[1]:>10.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
