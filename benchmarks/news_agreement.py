"""Agreement of the two annotators of the real news stance annotations (data/news/).

    python benchmarks/news_agreement.py

Reads only the committed label files (no third-party text needed) and prints Cohen's kappa and raw
agreement overall, per source (PolNeAR quotes, PLOVER sentences), per split, and per label (that
label against the rest), and how the disagreements were settled.
"""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    from stance.stances.agreement import agreement_report
    from stance.stances.labels import LABELS

    rows = []
    for source in ("polnear", "plv"):
        for line in (ROOT / "data" / "news" / f"{source}.jsonl").open(encoding="utf-8"):
            row = json.loads(line)
            rows.append({**row, "source": source})
    report = agreement_report(rows)
    print(f"{'set':<22} {'n':>6} {'agreement':>10} {'kappa':>7}")
    print(f"{'all':<22} {report['all']['n']:>6} {report['all']['agreement']:>10.3f} {report['all']['kappa']:>7.3f}")
    for source, r in report["by_source"].items():
        print(f"{source:<22} {r['n']:>6} {r['agreement']:>10.3f} {r['kappa']:>7.3f}")
    for split in ("train", "dev"):
        sub = agreement_report([r for r in rows if r["split"] == split])
        print(f"{'split ' + split:<22} {sub['all']['n']:>6} {sub['all']['agreement']:>10.3f} {sub['all']['kappa']:>7.3f}")
    print("per label (that label vs the rest): "
          + ", ".join(f"{label} {report['by_label'][label]:.3f}" for label in LABELS))
    pairs = collections.Counter(tuple(r["annotators"]) for r in rows if r["annotators"][0] != r["annotators"][1])
    settled = collections.Counter(r["label"] for r in rows if r["annotators"][0] != r["annotators"][1])
    print(f"disagreements: {sum(pairs.values())}; settled as {dict(settled)}")
    for (a, b), n in pairs.most_common(6):
        print(f"  first {a!r}, second {b!r}: {n}")
    counts = collections.Counter((r["source"], r["split"], r["label"]) for r in rows)
    print("final labels:")
    for source in ("polnear", "plv"):
        for split in ("train", "dev"):
            print(f"  {source:<8} {split:<5} " + ", ".join(f"{label} {counts[(source, split, label)]}" for label in LABELS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
