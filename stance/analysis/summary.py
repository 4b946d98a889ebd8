"""``stance.summarize``: counts and shares of each stance label, with Wilson 95% intervals.

    table = stance.summarize(frame, by=["speaker"], period="M")   # frame from stance.to_frame

One row per group (the ``by`` columns, and the period when given) and label, every label listed even
at zero: ``count`` (rows with that label), ``total`` (rows in the group), ``share`` = count/total,
``low``/``high`` (the Wilson score interval, Wilson 1927, at 95%), and ``small`` (True when the group
has fewer than ``min_count`` rows: its share is shown, but read it as a hint, not a finding).

What is counted: ``per="pair"`` (default) counts every (quote, target) row, so a quote with two
targets counts twice; ``per="quote"`` keeps each quote's primary stance (its highest-scoring row).
Rows without a label (quotes without stances) are left out and counted in ``table.attrs``.
"""

from __future__ import annotations

import math
from typing import Sequence

from stance.stances.labels import LABELS

Z95 = 1.959963984540054  # the 0.975 quantile of the standard normal


def wilson_interval(count: int, total: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for ``count`` successes in ``total`` trials; (nan, nan) for none."""
    if total <= 0:
        return math.nan, math.nan
    p = count / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def summarize(frame, by: Sequence[str] | str = (), period: str | None = None, date: str = "date",
              per: str = "pair", min_count: int = 10, labels: Sequence[str] = LABELS):
    """Counts and shares per label with Wilson intervals (see the module docstring).

    ``by``: grouping columns ("speaker", "target_group", "outlet", ...). ``period``: a pandas period
    alias ("M" months, "W" weeks, "Q", "Y") over the ``date`` column (anything
    ``pandas.to_datetime`` reads); rows whose date does not parse are left out and counted.
    """
    import pandas as pd

    by = [by] if isinstance(by, str) else list(by)
    missing = [c for c in by + ([date] if period else []) if c not in frame.columns]
    if missing:
        raise ValueError(f"summarize: no column {missing[0]!r} (columns: {list(frame.columns)})")
    if per not in ("pair", "quote"):
        raise ValueError(f"per must be 'pair' or 'quote', not {per!r}")
    data = frame[frame["label"].notna()]
    unlabelled = len(frame) - len(data)
    if per == "quote":
        data = data.sort_values("score", ascending=False, kind="stable").drop_duplicates(["id", "quote"])
    keys = list(by)
    undated = 0
    if period:
        when = pd.to_datetime(data[date], errors="coerce", utc=True).dt.tz_localize(None)
        undated = int(when.isna().sum())
        data = data.assign(period=when.dt.to_period(period))[when.notna()]
        keys.append("period")
    data = data[data[keys].notna().all(axis=1)] if keys else data
    counts = data.groupby(keys + ["label"], observed=True).size() if keys else data.groupby("label").size()
    if keys:
        table = counts.unstack("label", fill_value=0)
    else:
        table = counts.to_frame().T
    table = table.reindex(columns=list(labels), fill_value=0)
    table.columns.name = "label"
    long = table.stack().rename("count").reset_index()
    if not keys:
        long = long.drop(columns=long.columns[0])
    long.columns = [*keys, "label", "count"]
    long["total"] = long.groupby(keys, observed=True)["count"].transform("sum") if keys else long["count"].sum()
    long["share"] = long["count"] / long["total"].where(long["total"] > 0)
    bounds = [wilson_interval(int(c), int(t)) for c, t in zip(long["count"], long["total"])]
    long["low"] = [b[0] for b in bounds]
    long["high"] = [b[1] for b in bounds]
    long["small"] = long["total"] < min_count
    long = long.astype({"count": int, "total": int})
    long.attrs["left_out"] = {"unlabelled": unlabelled, "undated": undated}
    return long
