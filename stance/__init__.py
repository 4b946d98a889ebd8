"""stance: quotations, speakers and stances in news articles.

    >>> import stance
    >>> doc = stance.analyze('"We will not back down," the minister said.')
    >>> doc.quotes[0].speaker.mention.text
    'the minister'
"""

from stance.document import Document, Quote, Span, Speaker, Stance
from stance.pipeline import Pipeline, analyze, find_quotes


def to_frame(results, speaker_aliases=None, target_aliases=None, documents=False):
    """Results (a JSON-lines path, a quotes-parquet folder, Documents) as a tidy pandas DataFrame,
    one row per (document, quote, target): see :mod:`stance.analysis.frame`."""
    from stance.analysis.frame import to_frame as _to_frame

    return _to_frame(results, speaker_aliases=speaker_aliases, target_aliases=target_aliases, documents=documents)


def summarize(frame, by=(), period=None, **options):
    """Counts and shares per label with Wilson 95% intervals: see :mod:`stance.analysis.summary`."""
    from stance.analysis.summary import summarize as _summarize

    return _summarize(frame, by=by, period=period, **options)


def plot_shares_over_time(frame, label, **options):
    """A label's share per period for chosen speakers or targets: see :mod:`stance.analysis.plots`."""
    from stance.analysis.plots import plot_shares_over_time as _plot

    return _plot(frame, label, **options)


def plot_heatmap(frame, label, **options):
    """A speaker x target heatmap of a label's share, counts in the cells: see :mod:`stance.analysis.plots`."""
    from stance.analysis.plots import plot_heatmap as _plot

    return _plot(frame, label, **options)


__all__ = ["Document", "Pipeline", "Quote", "Span", "Speaker", "Stance", "analyze", "find_quotes",
           "plot_heatmap", "plot_shares_over_time", "summarize", "to_frame"]
__version__ = "0.1.0"
