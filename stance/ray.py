"""The Ray Data engine: the pipeline mapped over blocks of documents, one model per actor.

    import ray, stance.ray
    ds = ray.data.read_parquet("s3://bucket/articles/")           # columns text, id, ...
    results = stance.ray.analyze(ds, model="models/stance-minilm")  # + columns quotes, error
    results.write_parquet("s3://bucket/quotes/")

or, from the command line, ``stance analyze corpus.jsonl -o quotes.jsonl --engine ray``: then the
input is read by stance's own readers (every input kind, bad records kept, the same ids) in one
streaming Ray task on the driver's node, the analysis runs in an actor pool across the cluster, and
the driver writes the results in input order, exactly as the local engine would (with ``--resume``
and ``--format quotes-parquet`` too). Reading is not the bottleneck: one reader parses thousands
of documents a second, and each actor analyses tens.

Ray is imported only here and only when used: ``pip install "stance[ray]"``. Which cluster: an
already initialised Ray, else ``address`` (``"auto"``, ``"ray://head:10001"``), else
``$RAY_ADDRESS``, else a new local Ray. See docs/corpus-runs.md.
"""

from __future__ import annotations

import json
import math
from typing import Any, Iterator

from stance.corpus.read import Record, batched, checked_record, read_records

BLOCK_SIZE = 256  # documents per block sent to the actors


def _require_ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as error:
        raise ImportError('the Ray engine needs Ray Data: pip install "stance[ray]" '
                          '(or "ray[data]==2.60.*")') from error
    return ray


def init(address: str | None = None, **options: Any) -> None:
    """Connect to (or start) Ray unless it is already initialised; quiet about its own progress."""
    ray = _require_ray()
    if not ray.is_initialized():
        import logging

        ray.init(address=address, logging_level=logging.WARNING, log_to_driver=False, **options)
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False


class _Analyzer:
    """One actor: a ``Pipeline`` built once, applied to each batch (a ``pyarrow.Table``)."""

    def __init__(self, pipeline: dict, text_field: str, id_field: str, internal: bool, docs_per_batch: int):
        from stance.pipeline import Pipeline

        self.pipeline = Pipeline(**pipeline)
        self.text_field, self.id_field, self.internal = text_field, id_field, internal
        self.docs_per_batch = docs_per_batch

    def __call__(self, batch):
        from stance.corpus.tables import result_columns

        n = batch.num_rows
        texts = batch.column(self.text_field).to_pylist()
        if self.internal:  # from our own reader: ids as JSON, the reader's errors in input_error
            ids = [json.loads(i) for i in batch.column("id_json").to_pylist()]
            errors = batch.column("input_error").to_pylist()
            records = [Record(i, t, e) for i, t, e in zip(ids, texts, errors)]
            # a whole block: cut into the local engine's document batches (see corpus.read.batched)
            groups = batched(records, self.docs_per_batch, start=batch.column("record")[0].as_py()) if n else []
        else:
            names = batch.schema.names
            ids = batch.column(self.id_field).to_pylist() if self.id_field in names else [None] * n
            groups = [[checked_record(i, t, "ray dataset", self.text_field) for i, t in zip(ids, texts)]]
        docs = [d.to_dict() for group in groups for d in self.pipeline._analyze_batch(group)]
        for name in ("quotes", "error", "input_error"):
            if name in batch.schema.names:
                batch = batch.drop_columns([name])
        for name, column in result_columns(docs).items():
            batch = batch.append_column(name, column)
        return batch


def _pipeline_options(pipeline: Any) -> dict:
    """Keyword arguments that rebuild ``pipeline`` in an actor (a dict passes through)."""
    if pipeline is None:
        return {}
    if isinstance(pipeline, dict):
        return dict(pipeline)
    model = pipeline.model
    options = {"targets": pipeline.targets, "batch_size": pipeline.batch_size,
               "max_chars": getattr(pipeline, "max_chars", None)}
    finder = getattr(pipeline, "quotes", None)
    tagger_path = getattr(getattr(finder, "tagger", None), "path", None)
    options["quotes"] = "rules" if finder is None else str(tagger_path) if tagger_path else finder
    if model is None:
        options["model"] = None
    else:
        options.update(model=str(model.path), quantize=model.quantized)
    return options


def analyze(
    dataset: Any,
    model: Any = "default",
    targets: list[str] | None = None,
    *,
    text_field: str = "text",
    id_field: str = "id",
    device: str | None = None,
    batch_size: int = 64,
    quantize: bool = False,
    docs_per_batch: int = 32,
    concurrency: int | None = None,
    num_gpus: float = 0,
    pipeline: Any = None,
    _internal: bool = False,
):
    """Quotes, speakers and stances for a Ray ``Dataset``: the same rows with ``quotes`` (as in
    ``Document.to_dict``, Arrow-typed, see ``stance.corpus.tables.QUOTES_TYPE``) and ``error`` added.

    ``model``, ``targets``, ``device``, ``batch_size``, ``quantize``: as for ``Pipeline`` (or pass
    ``pipeline=`` a ``Pipeline`` or its keyword arguments); the model folder must be readable on
    every node. ``docs_per_batch``: documents whose quotes share the model's forward passes (one
    actor call per Ray batch of that many rows). ``concurrency``: actors (one
    model each; default one per CPU of the cluster, or per GPU with ``num_gpus``). Rows keep their
    order when the dataset's context has ``execution_options.preserve_order`` (set here).
    """
    ray = _require_ray()
    init()
    options = _pipeline_options(pipeline) if pipeline is not None else {
        "model": model, "targets": targets, "batch_size": batch_size, "quantize": quantize}
    if device is not None:
        options["device"] = device
    if concurrency is None:
        resources = ray.cluster_resources()
        concurrency = int(resources.get("GPU", 0) / num_gpus) if num_gpus else int(resources.get("CPU", 1))
    result = dataset.map_batches(
        _Analyzer,
        fn_constructor_kwargs={"pipeline": options, "text_field": text_field, "id_field": id_field,
                               "internal": _internal, "docs_per_batch": docs_per_batch},
        # our own reader's blocks go whole to an actor, which cuts them at the records where the local
        # engine cuts its batches; Ray's own batches would start wherever a block (or a resume) does
        batch_size=None if _internal else docs_per_batch,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=max(1, concurrency)),
        num_cpus=0 if num_gpus else 1,
        num_gpus=num_gpus or None,
    )
    result.context.execution_options.preserve_order = True
    return result


def read(source: Any, text_field: str = "text", id_field: str = "id", skip: int = 0, block_size: int = BLOCK_SIZE,
         keep_fields: tuple[str, ...] = ()):
    """A Ray ``Dataset`` of stance's own reading of ``source`` (a path readable on the driver's
    node, or an in-memory DataFrame/Dataset/list), in order: columns ``record`` (position from 0),
    ``id_json`` (the id as JSON), ``text`` and ``input_error`` (and ``fields_json``, the kept
    fields as JSON, with ``keep_fields``). One streaming task reads it all."""
    ray = _require_ray()
    init()
    import pyarrow as pa
    from ray.data import Datasource, ReadTask
    from ray.data.block import BlockMetadata
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    schema = pa.schema([("record", pa.int64()), ("id_json", pa.string()), ("text", pa.string()),
                        ("input_error", pa.string())] + ([("fields_json", pa.string())] if keep_fields else []))

    def blocks() -> Iterator[pa.Table]:
        records = read_records(source, text_field, id_field, keep_fields)
        rows: list[tuple] = []
        for number, r in enumerate(records):
            if number < skip:
                continue
            text = r.text if isinstance(r.text, str) else None
            error = r.error
            if error is None and text is None:
                error = f"document {r.id!r}: text is a {type(r.text).__name__}, not a string"
            row = (number, json.dumps(r.id, ensure_ascii=False), text, error)
            rows.append(row + (json.dumps(r.fields, ensure_ascii=False),) if keep_fields else row)
            if (number + 1) % block_size == 0:  # blocks end at the same records whatever ``skip`` is
                yield _block(rows, schema)
                rows = []
        if rows:
            yield _block(rows, schema)

    class StanceReader(Datasource):
        def get_read_tasks(self, parallelism: int, per_task_row_limit: int | None = None, **kwargs: Any):
            return [ReadTask(blocks, BlockMetadata(num_rows=None, size_bytes=None, input_files=None,
                                                   exec_stats=None), schema=schema)]

        def estimate_inmemory_data_size(self) -> int | None:
            return None

    here = ray.get_runtime_context().get_node_id()
    # override_num_blocks=1: without it Ray splits each block (into 35-row pieces in our benchmark),
    # and the actors' batches would no longer hold the same documents as the local engine's.
    return ray.data.read_datasource(StanceReader(), num_cpus=0, override_num_blocks=1,
                                    scheduling_strategy=NodeAffinitySchedulingStrategy(here, soft=False))


def _block(rows: list[tuple], schema):
    import pyarrow as pa

    columns = list(zip(*rows))
    return pa.Table.from_arrays([pa.array(c, type=f.type) for c, f in zip(columns, schema)], schema=schema)


def analyze_records(source: Any, pipeline: Any, *, text_field: str = "text", id_field: str = "id", skip: int = 0,
                    batch_size: int = 32, workers: int | None = None, address: str | None = None,
                    block_size: int = BLOCK_SIZE, keep_fields: tuple[str, ...] = (),
                    **options: Any) -> Iterator[list[dict]]:
    """``Document.to_dict()`` records of ``source`` after the first ``skip``, in input order, in
    batches (one per block): the ray engine of ``stance.corpus.run``."""
    init(address)
    # Blocks a whole number of document batches long, so that no block boundary falls inside one of
    # the local engine's batches (see stance.corpus.read.batched and _Analyzer).
    block_size = batch_size * max(1, math.ceil(block_size / batch_size))
    dataset = read(source, text_field, id_field, skip=skip, block_size=block_size, keep_fields=keep_fields)
    results = analyze(dataset, text_field="text", id_field="id_json", docs_per_batch=batch_size,
                      concurrency=workers, pipeline=_pipeline_options(pipeline), _internal=True, **options)
    for batch in results.iter_batches(batch_format="pyarrow", batch_size=None):
        ids = batch.column("id_json").to_pylist()
        quotes = batch.column("quotes").to_pylist()
        errors = batch.column("error").to_pylist()
        fields = ([json.loads(f) for f in batch.column("fields_json").to_pylist()] if keep_fields
                  else [{}] * len(ids))
        yield [{"id": json.loads(i), **f, "quotes": q, "error": e} for i, f, q, e in zip(ids, fields, quotes, errors)]
