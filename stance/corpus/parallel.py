"""The text stages (quotes and speakers) for batches of records, in this process or in worker processes.

Quote extraction and speaker resolution are pure functions of one text (``find_quotes``), so they
spread over processes without changing a result. ``TextStage(workers=N)`` keeps N worker processes
for its lifetime; batches go out in order and come back in order, with at most ``workers + 1``
batches in flight, so memory stays bounded by the batch size while the main process runs the model
on the batch before.

The workers are plain processes, each with a pipe for its chunks of records and one for its
results; there are no locks shared between processes. That is what makes stopping safe at any
moment: the workers ignore Ctrl-C (the terminal sends it to the whole process group; the parent
decides), and on an error or a signal the parent kills them outright and waits for them, which
cannot hang (``multiprocessing.Pool.terminate`` can, when a worker died holding the queue's lock).
A worker whose parent died sees its pipe close and exits.
"""

from __future__ import annotations

import multiprocessing
import queue
import signal
import sys
import threading
import warnings
from collections import deque
from typing import Any, Iterable, Iterator, Sequence

from stance.corpus.read import Record
from stance.document import Document, Quote

# Longer texts get an error instead of the text stages (characters; ``--max-chars``). The stages are
# linear in the length, about 1 s per million characters, so this bounds what one record can cost.
MAX_CHARS = 1_000_000


def text_stage(record: Record, max_chars: int | None = MAX_CHARS) -> tuple[tuple[Quote, ...], str | None]:
    """Quotes (no stances yet) of one record, or the error that stopped it; never raises."""
    from stance.pipeline import find_quotes

    error = text_error(record, max_chars)
    if error is not None:
        return (), error
    text = record.text
    try:
        return tuple(find_quotes(text)), None
    except Exception as error:  # a bug on one text must not stop a corpus
        return (), f"document {record.id!r}: {type(error).__name__}: {error}"


def text_error(record: Record, max_chars: int | None = MAX_CHARS) -> str | None:
    """Why a record has no usable text (none, not a string, longer than ``max_chars``), or None."""
    if record.error is not None:
        return record.error
    if not isinstance(record.text, str):
        what = "no text" if record.text is None else f"text is a {type(record.text).__name__}, not a string"
        return f"document {record.id!r}: {what}"
    if max_chars is not None and len(record.text) > max_chars:
        return (f"document {record.id!r}: the text has {len(record.text):,} characters, more than the limit of "
                f"{max_chars:,} (raise it with --max-chars, or max_chars=)")
    return None


def _documents(records: Sequence[Record], results: Iterable[tuple[tuple[Quote, ...], str | None]]) -> list[Document]:
    return [Document(r.text if isinstance(r.text, str) else "", quotes, r.id, error, r.fields or {})
            for r, (quotes, error) in zip(records, results)]


def _context():
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _work(tasks, results, max_chars: int | None) -> None:
    """A worker: chunks of records in, their text-stage results out, until None or a closed pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the parent stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, if it had one when forking
    try:
        while True:
            chunk = tasks.recv()
            if chunk is None:
                return
            results.send([text_stage(r, max_chars) for r in chunk])
    except (EOFError, OSError, KeyboardInterrupt):
        return  # the parent is gone or stopping


class TextStage:
    """Runs :func:`text_stage` over batches of records; ``workers > 1`` uses worker processes.

    Use it as a context manager (the workers are stopped on exit). On Linux the workers are forked:
    they run only the pure-Python text stages, never the model the parent may hold, and a script needs
    no ``if __name__ == "__main__"`` guard. Elsewhere they are spawned, and a script needs that guard.
    ``max_chars``: longer texts get an error instead of quotes (None: no limit).
    """

    def __init__(self, workers: int = 1, max_chars: int | None = MAX_CHARS):
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        if max_chars is not None and max_chars < 1:
            raise ValueError(f"max_chars must be at least 1, got {max_chars}")
        self.workers = workers
        self.max_chars = max_chars
        self._processes: list = []
        self._tasks: list = []  # the parent's end of each worker's task pipe
        self._results: list = []  # the parent's end of each worker's result pipe
        self._outbox: queue.Queue | None = None
        self._sender: threading.Thread | None = None
        self._next = 0  # the worker that gets the next chunk

    def __enter__(self) -> "TextStage":
        if self.workers > 1:
            self._start()
        return self

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        self.close(graceful=exc_type is None)

    def _start(self) -> None:
        context = _context()
        with warnings.catch_warnings():  # Python >= 3.12 warns about fork in a threaded process
            warnings.simplefilter("ignore", DeprecationWarning)
            for _ in range(self.workers):
                task_out, task_in = context.Pipe(duplex=False)
                result_out, result_in = context.Pipe(duplex=False)
                process = context.Process(target=_work, args=(task_out, result_in, self.max_chars), daemon=True)
                process.start()
                task_out.close()  # the worker's ends: closed here, so that a dead worker breaks its pipes
                result_in.close()
                self._processes.append(process)
                self._tasks.append(task_in)
                self._results.append(result_out)
        # One thread sends the chunks, so that the main thread never blocks on a full pipe while a
        # worker blocks on a full result pipe: the main thread only ever reads.
        self._outbox = queue.Queue()
        self._sender = threading.Thread(target=self._send, name="stance-text-stage-sender", daemon=True)
        self._sender.start()

    def _send(self) -> None:
        while True:
            item = self._outbox.get()
            if item is None:
                return
            worker, chunk = item
            try:
                self._tasks[worker].send(chunk)
            except (OSError, ValueError):
                return  # the workers are being stopped

    def close(self, graceful: bool = True) -> None:
        """Stop the workers: after their last chunk when ``graceful``, else at once (killed)."""
        if not self._processes:
            return
        if graceful:
            for worker in range(len(self._processes)):
                self._outbox.put((worker, None))
            for process in self._processes:
                process.join(timeout=5)
        self._outbox.put(None)
        for process in self._processes:
            if process.is_alive():
                process.kill()
        for process in self._processes:
            process.join()
        for connection in self._tasks + self._results:
            connection.close()
        self._sender.join(timeout=5)
        self._processes, self._tasks, self._results = [], [], []

    def _chunks(self, n: int) -> list[tuple[int, int]]:
        size = max(1, n // (self.workers * 4))
        return [(i, min(n, i + size)) for i in range(0, n, size)]

    def _submit(self, records: Sequence[Record]) -> list[tuple[int, int, int]]:
        """Send a batch's chunks to the workers in turn; (worker, start, end) per chunk."""
        sent = []
        for start, end in self._chunks(len(records)):
            worker = self._next
            self._next = (self._next + 1) % self.workers
            self._outbox.put((worker, list(records[start:end])))
            sent.append((worker, start, end))
        return sent

    def _collect(self, records: Sequence[Record], sent: list[tuple[int, int, int]]) -> list[Document]:
        results: list = []
        for worker, _, _ in sent:
            try:
                results.extend(self._results[worker].recv())
            except EOFError:
                code = self._processes[worker].exitcode
                raise ChildProcessError(f"a text-stage worker process died (exit code {code}) while analysing "
                                        f"documents {records[0].id!r} to {records[-1].id!r}") from None
        return _documents(records, results)

    def batch(self, records: Sequence[Record]) -> list[Document]:
        """Documents (without stances) for one batch of records, in order."""
        if not self._processes:
            return _documents(records, (text_stage(r, self.max_chars) for r in records))
        return self._collect(records, self._submit(records))

    def batches(self, batches: Iterable[Sequence[Record]]) -> Iterator[list[Document]]:
        """Documents for each batch, in order; with workers, later batches run while this one is used.

        When ``batches`` raises, the batches read before it are still given, then the error is raised."""
        if not self._processes:
            for records in batches:
                yield self.batch(records)
            return
        pending: deque = deque()
        source = iter(batches)
        while True:
            try:
                records = next(source)
            except StopIteration:
                break
            except Exception:  # the source failed: the batches already sent are still given, then the error
                while pending:
                    done, sent = pending.popleft()
                    yield self._collect(done, sent)
                raise
            pending.append((records, self._submit(records)))
            if len(pending) > self.workers:
                done, sent = pending.popleft()
                yield self._collect(done, sent)
        while pending:
            done, sent = pending.popleft()
            yield self._collect(done, sent)
