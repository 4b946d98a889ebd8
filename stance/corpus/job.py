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

import collections
import itertools
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from stance.corpus.progress import Progress
from stance.corpus.read import Record, batched, count_records, read_records
from stance.corpus.tables import id_text
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
    progress: bool | None = None,
    engine: str = "local",
    part_size: int = PART_SIZE,
    **engine_options: Any,
) -> RunSummary:
    """Analyse ``source`` (anything ``stance.corpus.read`` reads) into ``output``.

    ``pipeline``: a ``Pipeline`` or its keyword arguments (default: ``Pipeline()``, the default
    model); the ray engine rebuilds it in each actor. ``format``: "jsonl" or "quotes-parquet" (a
    folder of part files). ``resume``: keep the documents ``output`` already
    holds and go on after them (the input must be the same). ``progress``: a progress bar on stderr;
    None shows one when stderr is a terminal. ``workers``: processes for the text stages (local, default
    1) or model actors (ray, default one per CPU). ``engine``: "local" or "ray"; ``engine_options`` go to
    ``stance.ray.analyze`` (e.g. ``concurrency``).
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {ENGINES}")
    if engine == "local" and (pipeline is None or isinstance(pipeline, dict)):
        from stance.pipeline import Pipeline

        pipeline = Pipeline(**(pipeline or {}))
    started = time.perf_counter()
    records = read_records(source, text_field, id_field)  # fails early on a missing file or column
    writer = open_writer(output, format, resume, part_size)
    resumed, resumed_errors = writer.done, writer.done_errors
    documents = quotes = errors = 0
    results: Iterator[list[dict]] = iter(())
    try:
        records = _skip(records, resumed, writer.last_id, output)
        if engine == "ray":
            from stance.ray import analyze_records

            source = Path(source).resolve() if isinstance(source, (str, Path)) else source
            results = analyze_records(source, pipeline, text_field=text_field, id_field=id_field, skip=resumed,
                                      batch_size=batch_size, workers=workers, **engine_options)
        else:
            results = _local(records, pipeline, batch_size, workers or 1, start=resumed)
        show = sys.stderr.isatty() if progress is None else progress
        total = count_records(source) if show else None
        with Progress(total=total, initial=resumed, errors=resumed_errors, enabled=show) as bar:
            for docs in results:
                writer.write(docs)
                found = sum(len(d["quotes"]) for d in docs)
                failed = sum(d["error"] is not None for d in docs)
                documents, quotes, errors = documents + len(docs), quotes + found, errors + failed
                bar.update(len(docs), found, failed)
    finally:
        getattr(results, "close", lambda: None)()  # stops the worker pool or Ray run, if any
        writer.close()
    return RunSummary(str(output), documents, resumed, quotes, errors, resumed_errors, time.perf_counter() - started)


def _local(records: Iterator[Record], pipeline: Any, batch_size: int, workers: int,
           start: int = 0) -> Iterator[list[dict]]:
    """Batches of ``Document.to_dict()`` records, in input order: the text stages in ``workers``
    processes, the model in this one. ``start``: records before these (a resumed run), so that the
    batches hold the same documents as in a clean run."""
    from stance.corpus.parallel import TextStage

    if getattr(pipeline, "quotes", None) is not None:  # a quote model: it runs in this process, batched
        for batch in batched(records, batch_size, start):
            yield [d.to_dict() for d in pipeline._with_stances(pipeline._found(batch))]
        return
    with TextStage(workers) as stage:
        for documents in stage.batches(batched(records, batch_size, start)):
            yield [d.to_dict() for d in pipeline._with_stances(documents)]


def _skip(records: Iterator[Record], done: int, last_id: Any, output: Any) -> Iterator[Record]:
    """The records after the first ``done``, checking that the last one done has the id written last."""
    if not done:
        return records
    collections.deque(itertools.islice(records, done - 1), maxlen=0)  # read and drop, keeping none
    last = next(records, None)
    if last is None:
        raise ValueError(f"{output} holds {done} documents, more than the input has; it is not this input's "
                         "output (run without --resume to start again)")
    if id_text(last_id) != id_text(last.id):
        raise ValueError(f"{output}: document {done} has id {last_id!r} but input record {done} has id {last.id!r}; "
                         "it is not this input's output (run without --resume to start again)")
    return records
