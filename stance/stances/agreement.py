"""Agreement between two annotators: Cohen's kappa, overall, per data source and per label.

Cohen (1960): kappa = (p_o - p_e) / (1 - p_e), where p_o is the share of items both annotators gave
the same label and p_e the share expected by chance from each annotator's own label distribution.
Per label, the two annotations are read as binary (that label or not) and kappa is computed on that.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from stance.stances.labels import LABELS


def cohen_kappa(first: Sequence[str], second: Sequence[str]) -> float:
    """Cohen's kappa of two label sequences over the same items.

    1.0 when both agree everywhere; 0.0 at chance. When both annotators used a single label for
    every item chance agreement is 1 and kappa is undefined: NaN is returned.
    """
    if len(first) != len(second):
        raise ValueError(f"the two annotations cover {len(first)} and {len(second)} items")
    n = len(first)
    if n == 0:
        raise ValueError("no items to compare")
    observed = sum(a == b for a, b in zip(first, second)) / n
    count_a, count_b = Counter(first), Counter(second)
    expected = sum(count_a[label] * count_b[label] for label in count_a) / (n * n)
    if expected == 1.0:
        return float("nan")
    return (observed - expected) / (1 - expected)


def agreement_report(rows: Iterable[dict[str, Any]], labels: Sequence[str] = LABELS) -> dict[str, Any]:
    """Kappa and raw agreement of rows carrying ``annotators`` (two labels) and ``source``.

    Returns ``{"all": {...}, "by_source": {source: {...}}, "by_label": {label: kappa}}`` where each
    ``{...}`` holds ``n``, ``agreement`` (share identical) and ``kappa``.
    """
    rows = [r for r in rows if len(r.get("annotators") or ()) == 2]

    def summary(subset: list[dict[str, Any]]) -> dict[str, Any]:
        first = [r["annotators"][0] for r in subset]
        second = [r["annotators"][1] for r in subset]
        return {"n": len(subset), "agreement": sum(a == b for a, b in zip(first, second)) / len(subset),
                "kappa": cohen_kappa(first, second)}

    if not rows:
        raise ValueError("no rows with two annotations")
    sources = sorted({r["source"] for r in rows})
    by_label = {}
    for label in labels:
        first = [r["annotators"][0] == label for r in rows]
        second = [r["annotators"][1] == label for r in rows]
        by_label[label] = cohen_kappa([str(x) for x in first], [str(x) for x in second])
    return {"all": summary(rows),
            "by_source": {s: summary([r for r in rows if r["source"] == s]) for s in sources},
            "by_label": by_label}
