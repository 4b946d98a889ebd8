"""Two plots of a corpus' stances, in the style of seaborn: take a frame, return the figure.

    fig = stance.plot_shares_over_time(frame, label="condemnation", by="speaker", keys=["Hillary Clinton"])
    fig = stance.plot_heatmap(frame, label="condemnation", rows="speaker", columns="target_group")
    fig.savefig("condemnation.svg")        # or path="condemnation.png" in the call

Both build a ``matplotlib.figure.Figure`` directly (not through pyplot), so nothing is shown or kept
in pyplot's global state; a notebook with ``%matplotlib inline`` displays the returned figure. Shares and intervals come from
``stance.summarize``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from stance.analysis.summary import summarize


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")  # not in pyplot's state: never shown by us


def _save(fig, path: str | Path | None):
    if path is not None:
        fig.savefig(path)  # the format follows the suffix: .png, .svg, .pdf
    return fig


def _top_keys(frame, column: str, n: int) -> list:
    return frame[frame["label"].notna()][column].value_counts().head(n).index.tolist()


def plot_shares_over_time(frame, label: str, by: str = "speaker", keys: Sequence[str] | None = None,
                          period: str = "M", date: str = "date", per: str = "pair", top: int = 5,
                          min_count: int = 10, path: str | Path | None = None):
    """The share of ``label`` per ``period`` for each of ``keys`` (values of the ``by`` column;
    default: the ``top`` most frequent), with its Wilson 95% interval as a band. Periods with fewer
    than ``min_count`` rows are drawn as hollow markers. Returns the figure (saved to ``path`` too)."""
    keys = list(keys) if keys is not None else _top_keys(frame, by, top)
    subset = frame[frame[by].isin(keys)]
    table = summarize(subset, by=[by], period=period, date=date, per=per, min_count=min_count)
    table = table[table["label"] == label]
    fig = _figure(8, 4.5)
    ax = fig.add_subplot()
    for key in keys:
        rows = table[table[by] == key].sort_values("period")
        if rows.empty:
            continue
        x = rows["period"].dt.to_timestamp()
        line, = ax.plot(x, rows["share"], marker="o", label=f"{key} (n={int(rows['total'].sum())})")
        ax.fill_between(x, rows["low"], rows["high"], color=line.get_color(), alpha=0.15, linewidth=0)
        small = rows["small"].to_numpy()
        if small.any():
            ax.plot(x[small], rows["share"][small], linestyle="none", marker="o", markerfacecolor="white",
                    markeredgecolor=line.get_color())
    ax.set_ylim(0, 1)
    ax.set_xlabel(f"period ({period})")
    ax.set_ylabel(f"share {label}")
    ax.set_title(f"Share of {label} by {by}, with Wilson 95% intervals (hollow: n < {min_count})")
    if keys:
        ax.legend(loc="best", fontsize="small")
    fig.autofmt_xdate()
    return _save(fig, path)


def plot_heatmap(frame, label: str, rows: str = "speaker", columns: str = "target_group", top_rows: int = 10,
                 top_columns: int = 10, row_keys: Sequence[str] | None = None,
                 column_keys: Sequence[str] | None = None, per: str = "pair", min_count: int = 5,
                 path: str | Path | None = None):
    """A ``rows`` x ``columns`` heatmap of the share of ``label``, each cell annotated with its share
    and count n; cells with no rows are blank, cells under ``min_count`` rows are annotated in
    grey. Defaults: the ``top_rows``/``top_columns`` most frequent values. Returns the figure."""
    import numpy as np

    row_keys = list(row_keys) if row_keys is not None else _top_keys(frame, rows, top_rows)
    column_keys = list(column_keys) if column_keys is not None else _top_keys(frame, columns, top_columns)
    subset = frame[frame[rows].isin(row_keys) & frame[columns].isin(column_keys)]
    table = summarize(subset, by=[rows, columns], per=per, min_count=min_count)
    table = table[table["label"] == label].set_index([rows, columns])
    share = np.full((len(row_keys), len(column_keys)), np.nan)
    count = np.zeros_like(share, dtype=int)
    for i, r in enumerate(row_keys):
        for j, c in enumerate(column_keys):
            if (r, c) in table.index:
                share[i, j] = table.loc[(r, c), "share"]
                count[i, j] = table.loc[(r, c), "total"]
    fig = _figure(1.0 + 0.9 * max(len(column_keys), 3), 1.2 + 0.5 * max(len(row_keys), 2))
    ax = fig.add_subplot()
    image = ax.imshow(np.ma.masked_invalid(share), cmap="Reds", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(column_keys)), [str(c) for c in column_keys], rotation=45, ha="right")
    ax.set_yticks(range(len(row_keys)), [str(r) for r in row_keys])
    ax.set_xlabel(columns)
    ax.set_ylabel(rows)
    for i in range(len(row_keys)):
        for j in range(len(column_keys)):
            if count[i, j]:
                dark = share[i, j] > 0.6
                colour = "grey" if count[i, j] < min_count else ("white" if dark else "black")
                ax.text(j, i, f"{share[i, j]:.2f}\nn={count[i, j]}", ha="center", va="center", fontsize=7,
                        color=colour)
    fig.colorbar(image, ax=ax, label=f"share {label}")
    ax.set_title(f"Share of {label}: {rows} x {columns}")
    return _save(fig, path)
