"""Corpus input and output: records in, one result per record out, in input order.

    stance.corpus.read(source)                        # Records from a file, folder, DataFrame, Dataset
    stance.corpus.run(source, "quotes.jsonl", ...)    # analyse into a file: progress, resume, workers

``read`` (``read.py``) knows the input kinds, ``write.py`` the output formats and how to resume them,
``tables.py`` the Arrow layout of results, ``parallel.py`` the worker processes for the text
stages, ``job.py`` puts them together (``stance analyze``). What keeps a run from losing data:
``preflight.py`` (checks before the output is touched), ``lock.py`` (one writer per output),
``verify.py`` (a resumed output checked against the input), ``stop.py`` (SIGINT and SIGTERM).
"""

from stance.corpus.read import Record, count_records, read, read_records


def run(*args, **kwargs):
    """Analyse a corpus into a file: see :func:`stance.corpus.job.run`."""
    from stance.corpus.job import run as _run

    return _run(*args, **kwargs)


__all__ = ["Record", "count_records", "read", "read_records", "run"]
