"""The text stages (quotes and speakers) for batches of records, in this process or in a pool.

Quote extraction and speaker resolution are pure functions of one text (``find_quotes``), so they
spread over processes without changing a result. ``TextStage(workers=N)`` keeps a pool of N
processes for its lifetime; batches go out in order and come back in order, with at most
``workers + 1`` batches in flight, so memory stays bounded by the batch size while the main process
runs the model on the batch before.
"""

from __future__ import annotations

import multiprocessing
import sys
import warnings
from collections import deque
from typing import Any, Iterable, Iterator, Sequence

from stance.corpus.read import Record
from stance.document import Document, Quote


def text_stage(record: Record) -> tuple[tuple[Quote, ...], str | None]:
    """Quotes (no stances yet) of one record, or the error that stopped it; never raises."""
    from stance.pipeline import find_quotes

    error = text_error(record)
    if error is not None:
        return (), error
    text = record.text
    try:
        return tuple(find_quotes(text)), None
    except Exception as error:  # a bug on one text must not stop a corpus
        return (), f"document {record.id!r}: {type(error).__name__}: {error}"


def text_error(record: Record) -> str | None:
    """Why a record has no usable text, or None."""
    if record.error is not None:
        return record.error
    if not isinstance(record.text, str):
        what = "no text" if record.text is None else f"text is a {type(record.text).__name__}, not a string"
        return f"document {record.id!r}: {what}"
    return None


def _documents(records: Sequence[Record], results: Iterable[tuple[tuple[Quote, ...], str | None]]) -> list[Document]:
    return [Document(r.text if isinstance(r.text, str) else "", quotes, r.id, error)
            for r, (quotes, error) in zip(records, results)]


def _context():
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


class TextStage:
    """Runs :func:`text_stage` over batches of records; ``workers > 1`` uses a process pool.

    Use it as a context manager (the pool is closed on exit). On Linux the workers are forked: they
    run only the pure-Python text stages, never the model the parent may hold, and a script needs no
    ``if __name__ == "__main__"`` guard. Elsewhere they are spawned, and a script needs that guard.
    """

    def __init__(self, workers: int = 1):
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.workers = workers
        self._pool = None

    def __enter__(self) -> "TextStage":
        if self.workers > 1:
            with warnings.catch_warnings():  # Python >= 3.12 warns about fork in a threaded process
                warnings.simplefilter("ignore", DeprecationWarning)
                self._pool = _context().Pool(self.workers)
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def _chunksize(self, n: int) -> int:
        return max(1, n // (self.workers * 4))

    def batch(self, records: Sequence[Record]) -> list[Document]:
        """Documents (without stances) for one batch of records, in order."""
        if self._pool is None:
            return _documents(records, map(text_stage, records))
        return _documents(records, self._pool.map(text_stage, records, self._chunksize(len(records))))

    def batches(self, batches: Iterable[Sequence[Record]]) -> Iterator[list[Document]]:
        """Documents for each batch, in order; with a pool, later batches run while this one is used."""
        if self._pool is None:
            for records in batches:
                yield self.batch(records)
            return
        pending: deque = deque()
        for records in batches:
            pending.append((records, self._pool.map_async(text_stage, records, self._chunksize(len(records)))))
            if len(pending) > self.workers:
                done, result = pending.popleft()
                yield _documents(done, result.get())
        while pending:
            done, result = pending.popleft()
            yield _documents(done, result.get())
