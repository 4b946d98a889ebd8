"""Corpus input and output: records in, one result per record out, in input order.

    stance.corpus.read(source)                        # Records from a file, folder, DataFrame, Dataset
    stance.corpus.run(source, "quotes.jsonl", ...)    # analyse into a file: progress, resume, workers

``read`` (``read.py``) knows the input kinds, ``write.py`` the output formats and how to resume them,
``tables.py`` the Arrow layout of results, ``parallel.py`` the pool for the text stages,
``job.py`` puts them together (``stance analyze``).
"""

from stance.corpus.read import Record, count_records, read, read_records


def run(*args, **kwargs):
    """Analyse a corpus into a file: see :func:`stance.corpus.job.run`."""
    from stance.corpus.job import run as _run

    return _run(*args, **kwargs)


__all__ = ["Record", "count_records", "read", "read_records", "run"]
