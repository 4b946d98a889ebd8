"""A corpus run: read every record, analyse, write one result per record, with progress and resume.

    from stance.corpus import run
    summary = run("corpus.jsonl", "quotes.jsonl", pipeline=stance.Pipeline(), workers=2, resume=True)
    summary.failed   # True when any record carries an error

This is what ``stance analyze`` does. Engines: ``"local"`` (this machine; the text stages in
``workers`` processes, the model in this one) and ``"ray"`` (Ray Data, one model per actor; see
``stance.ray``). Both write the same file for the same input, also after a resume: document
batches are cut at the same records (docs/corpus-runs.md, "Same output").
"""

from __future__ import annotations

import contextlib
import itertools
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from stance.corpus.fields import check_resumed_fields, parse_keep_fields
from stance.corpus.lock import OutputLock
from stance.corpus.preflight import check_output, is_lockable
from stance.corpus.progress import Progress
from stance.corpus.read import Record, batched, count_records, read_records
from stance.corpus.stop import RunInterrupted, deferred, stop_on_signals
from stance.corpus.verify import Resumed, check_resumable
from stance.corpus.write import PART_SIZE, open_writer

ENGINES = ("local", "ray")


@dataclass(frozen=True)
class RunSummary:
    """What a run did: documents analysed now, documents found done (``resumed``), quotes found
    now, documents with an error (now and among the resumed ones), and the time it took."""

    output: str
    documents: int
    resumed: int
    quotes: int
    errors: int
    resumed_errors: int
    seconds: float

    @property
    def failed(self) -> bool:
        return self.errors + self.resumed_errors > 0

    def __str__(self) -> str:
        rate = self.documents / self.seconds if self.seconds > 0 else 0.0
        resumed = f" after {self.resumed:,} already done" if self.resumed else ""
        errors = self.errors + self.resumed_errors
        return (f"{self.documents:,} documents{resumed}, {self.quotes:,} quotes, {errors:,} with errors, "
                f"{self.seconds:.1f} s ({rate:,.1f} documents/s) -> {self.output}")


def run(
    source: Any,
    output: str | Path,
    pipeline: Any = None,
    *,
    format: str = "jsonl",
    text_field: str = "text",
    id_field: str = "id",
    batch_size: int = 32,
    workers: int | None = None,
    resume: bool = False,
    overwrite: bool = False,
    progress: bool | None = None,
    engine: str = "local",
    part_size: int = PART_SIZE,
    keep_fields: Any = (),
    **engine_options: Any,
) -> RunSummary:
    """Analyse ``source`` (anything ``stance.corpus.read`` reads) into ``output``.

    ``pipeline``: a ``Pipeline`` or its keyword arguments (default: ``Pipeline()``, the default
    model); the ray engine rebuilds it in each actor. ``format``: "jsonl" or "quotes-parquet" (a
    folder of part files). ``resume``: keep the documents ``output`` already holds (all of them are
    checked against the input first) and go on after them. ``overwrite``: replace an output that
    already holds results; without it (or ``resume``) such an output is refused. ``progress``: a
    progress bar on stderr; None shows one when stderr is a terminal. ``workers``: processes for the
    text stages (local, default 1) or model actors (ray, default one per CPU). ``engine``: "local" or
    "ray"; ``engine_options`` go to ``stance.ray.analyze`` (e.g. ``concurrency``). ``keep_fields``:
    input fields copied into each output record (``"date,outlet"`` or a list; see
    ``stance.corpus.fields``).

    Safe against mistakes and interruptions (docs/corpus-runs.md, "What goes wrong"): the input is
    opened and its first record read before the output is touched; the output is locked against a
    second run; SIGINT and SIGTERM stop the run between two writes and raise ``RunInterrupted``
    with the output closed, whole and resumable.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {ENGINES}")
    if batch_size < 1:
        raise ValueError(f"batch size must be at least 1, got {batch_size}")
    if resume and overwrite:
        raise ValueError("--resume keeps what the output holds and --overwrite replaces it: choose one")
    started = time.perf_counter()
    keep_fields = parse_keep_fields(keep_fields)
    records = _first_read(read_records(source, text_field, id_field, keep_fields))  # fails early on a missing file or column
    check_output(source, output, format, resume, overwrite)
    if engine == "local" and (pipeline is None or isinstance(pipeline, dict)):
        from stance.pipeline import Pipeline

        pipeline = Pipeline(**(pipeline or {}))
    writer = open_writer(output, format, resume, part_size)  # touches nothing yet
    lock = OutputLock(output) if is_lockable(output) else contextlib.nullcontext()
    documents = quotes = errors = 0
    results: Iterator[list[dict]] = iter(())
    with lock, stop_on_signals():
        state = Resumed(rest=records)
        if writer.resuming:
            check_resumed_fields(output, format, keep_fields)
            state = check_resumable(writer.existing(), records, batch_size, exact_ids=format == "jsonl")
        # JSON lines are cut back to the last batch boundary; Parquet parts are kept whole, and the
        # documents of the redone batch that they already hold are dropped from the new results
        keep = state.boundary if format == "jsonl" else state.done
        resumed_errors = state.boundary_errors if format == "jsonl" else state.errors
        start, drop = state.boundary, keep - state.boundary
        records = itertools.chain(state.tail, state.rest)
        try:
            with deferred():
                writer.open(keep)
            if engine == "ray":
                from stance.ray import analyze_records

                source = Path(source).resolve() if isinstance(source, (str, Path)) else source
                results = analyze_records(source, pipeline, text_field=text_field, id_field=id_field, skip=start,
                                          keep_fields=keep_fields, batch_size=batch_size, workers=workers,
                                          **engine_options)
            else:
                results = _local(records, pipeline, batch_size, workers or 1, start=start)
            show = sys.stderr.isatty() if progress is None else progress
            total = count_records(source) if show else None
            with Progress(total=total, initial=keep, errors=resumed_errors, enabled=show) as bar:
                for docs in results:
                    if drop:
                        docs, drop = docs[drop:], max(0, drop - len(docs))
                    with deferred():  # a signal waits until the batch is written
                        docs = writer.write(docs)
                    found = sum(len(d["quotes"]) for d in docs)
                    failed = sum(d["error"] is not None for d in docs)
                    documents, quotes, errors = documents + len(docs), quotes + found, errors + failed
                    bar.update(len(docs), found, failed)
        except RunInterrupted as stop:
            with deferred():
                _close(results, writer)
            stop.written, stop.output = writer.done, str(output)
            raise
        finally:
            with deferred():
                _close(results, writer)
    return RunSummary(str(output), documents, keep, quotes, errors, resumed_errors, time.perf_counter() - started)


def _close(results: Any, writer: Any) -> None:
    try:
        getattr(results, "close", lambda: None)()  # stops the worker processes or the Ray run, if any
    finally:
        writer.close()


def _first_read(records: Iterator[Record]) -> Iterator[Record]:
    """``records``, with the first one read now: the readers open their files and check their columns
    when first asked, and that must happen before the output is touched."""
    first = next(records, None)
    return records if first is None else itertools.chain([first], records)


def _local(records: Iterator[Record], pipeline: Any, batch_size: int, workers: int,
           start: int = 0) -> Iterator[list[dict]]:
    """Batches of ``Document.to_dict()`` records, in input order: the text stages in ``workers``
    processes, the model in this one. ``start``: records before these (a resumed run), so that the
    batches hold the same documents as in a clean run."""
    from stance.corpus.parallel import MAX_CHARS, TextStage

    if getattr(pipeline, "quotes", None) is not None:  # a quote model: it runs in this process, batched
        for batch in batched(records, batch_size, start):
            yield [d.to_dict() for d in pipeline._with_stances(pipeline._found(batch))]
        return
    with TextStage(workers, getattr(pipeline, "max_chars", MAX_CHARS)) as stage:
        for documents in stage.batches(batched(records, batch_size, start)):
            yield [d.to_dict() for d in pipeline._with_stances(documents)]
