"""Input fields carried through a run: ``stance analyze --keep-fields date,outlet``.

Each kept field of an input record is copied into its output record (JSON lines: top-level keys
between ``id`` and ``quotes``; quotes-parquet: one text column each). A record that lacks a field,
or is not readable at all, has it null: a missing field is never an error.

How: records are read as usual (``stance.corpus.read``) and the kept fields by a second, lighter
reader of the same source that yields exactly one dict per record, in the same order (one per
non-blank JSON line, CSV row, Parquet/DataFrame/Dataset row, .txt file). An iterable that can only
be read once (a generator) is read in one pass instead.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import importlib
import json
import math
from pathlib import Path
from typing import Any, Iterator, Sequence

from stance.corpus.read import Record

_read = importlib.import_module("stance.corpus.read")  # the module (stance.corpus.read is also a function)

# Keys every output record has already: a kept field may not take their place.
RESERVED = ("id", "quotes", "error")


def parse_keep_fields(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """``"date,outlet"`` or ``["date", "outlet"]`` -> ``("date", "outlet")``, checked."""
    if not value:
        return ()
    names = value.split(",") if isinstance(value, str) else [n for part in value for n in str(part).split(",")]
    names = [n.strip() for n in names if n.strip()]
    clash = [n for n in names if n in RESERVED]
    if clash:
        raise ValueError(f"cannot keep field {clash[0]!r}: every output record has its own {clash[0]!r} "
                         f"({', '.join(RESERVED)} are taken); rename it in the input")
    return tuple(dict.fromkeys(names))


def json_value(value: Any) -> Any:
    """A kept value as plain JSON: dates as ISO text, numpy/pandas scalars as Python, NaN/NA as null."""
    value = _read._plain(value)
    if _read._is_missing(value):
        return None
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, float) and math.isinf(value):
        return None
    if isinstance(value, str):
        return None if _read._UNDECODED.search(value) else value  # a CSV cell that is not UTF-8
    if isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if hasattr(value, "tolist"):  # numpy arrays
        return json_value(value.tolist())
    return str(value)


def pick(item: Any, names: Sequence[str]) -> dict[str, Any]:
    """The kept fields of one input item (a dict or a row); null for each one it lacks."""
    if not isinstance(item, dict):
        return {n: None for n in names}
    return {n: json_value(item.get(n)) for n in names}


def with_fields(source: Any, text_field: str, id_field: str, keep_fields: Sequence[str]) -> Iterator[Record]:
    """``read_records(source)`` with ``Record.fields`` set to each record's kept fields."""
    names = parse_keep_fields(keep_fields)
    if isinstance(source, (str, Path)) or _read.is_dataframe(source) or _read.is_dataset(source):
        records = _read.read_records(source, text_field, id_field)  # fails early, as without fields
        return _zip(records, _field_rows(source, names), names)
    if _read.is_dataset_dict(source):
        return _read.read_records(source, text_field, id_field)  # raises its error
    return _one_pass(source, text_field, id_field, names)


def _zip(records: Iterator[Record], rows: Iterator[dict], names: Sequence[str]) -> Iterator[Record]:
    empty = {n: None for n in names}
    for record in records:
        fields = next(rows, empty)
        yield Record(record.id, record.text, record.error, fields)


def _one_pass(items: Any, text_field: str, id_field: str, names: Sequence[str]) -> Iterator[Record]:
    for number, item in enumerate(items):
        record = _read.record_of(item, number, text_field, id_field)
        fields = dict(record.fields) if isinstance(item, Record) and record.fields else pick(item, names)
        yield Record(record.id, record.text, record.error, fields)


# ------------------------------------------------------------------- one dict per record, by kind

def _field_rows(source: Any, names: Sequence[str]) -> Iterator[dict]:
    if _read.is_dataframe(source):
        return _frame_rows(source, names)
    if _read.is_dataset(source):
        return _dataset_rows(source, names)
    path = Path(source)
    if path.is_dir():
        if _read._is_saved_dataset(path):
            import datasets

            return _dataset_rows(datasets.load_from_disk(str(path)), names)
        parts = _read._parquet_parts(path)
        if parts:
            return _parquet_rows(parts, names)
        return (pick(None, names) for _ in _read._txt_files(path))
    kind = _read._kind(path)
    if kind == "jsonl":
        return _jsonl_rows(path, names)
    if kind == "csv":
        return _csv_rows(path, names)
    if kind == "parquet":
        return _parquet_rows([path], names)
    return iter([pick(None, names)])  # a .txt file: no fields


def _jsonl_rows(path: Path, names: Sequence[str]) -> Iterator[dict]:
    with _read._open_binary(path) as f:
        for raw in f:
            if not raw.strip():
                continue  # the reader skips blank lines too
            try:
                item = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                item = None
            yield pick(item, names)


def _csv_rows(path: Path, names: Sequence[str]) -> Iterator[dict]:
    delimiter = "\t" if ".tsv" in [s.lower() for s in path.suffixes] else ","
    limit = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)
    try:
        with _read._open_text(path) as f:
            reader = csv.reader(f, delimiter=delimiter)
            header = next(reader, None)
            if header is None:
                return
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error:
                    yield pick(None, names)  # the reader gives this row an error record
                    continue
                yield pick(dict(zip(header, row)), names)
    finally:
        csv.field_size_limit(limit)


def _parquet_rows(paths: list[Path], names: Sequence[str]) -> Iterator[dict]:
    import pyarrow.parquet as pq

    for p in paths:
        f = pq.ParquetFile(p)
        present = [n for n in names if n in f.schema_arrow.names]
        if not present:
            yield from (pick(None, names) for _ in range(f.metadata.num_rows))
            continue
        for batch in f.iter_batches(batch_size=_read.ARROW_BATCH, columns=present):
            yield from (pick(row, names) for row in batch.to_pylist())


def _frame_rows(frame, names: Sequence[str]) -> Iterator[dict]:
    present = [n for n in names if n in frame.columns]
    columns = [frame[n].tolist() for n in present]
    for values in zip(*columns) if present else ((),) * len(frame):
        yield pick(dict(zip(present, values)), names)


def _dataset_rows(dataset, names: Sequence[str]) -> Iterator[dict]:
    present = [n for n in names if n in dataset.column_names]
    if not present:
        yield from (pick(None, names) for _ in range(len(dataset)))
        return
    for batch in dataset.select_columns(present).iter(batch_size=_read.ARROW_BATCH):
        for values in zip(*(batch[n] for n in present)):
            yield pick(dict(zip(present, values)), names)


def check_resumed_fields(output: str | Path, format: str, keep_fields: Sequence[str]) -> None:
    """Raise ``ValueError`` when ``output``, being resumed, was written with other kept fields."""
    path = Path(output)
    if format == "quotes-parquet":
        import pyarrow.parquet as pq

        from stance.corpus.tables import QUOTE_ROW_SCHEMA

        parts = sorted(path.glob("part-*.parquet"))
        if not parts:
            return
        names = pq.read_schema(parts[-1]).names
        had = [n for n in names if n not in QUOTE_ROW_SCHEMA.names]
    else:
        last = None
        with open(path, "rb") as f:
            for line in f:
                if line.endswith(b"\n"):
                    last = line
        if last is None:
            return
        had = [k for k in json.loads(last) if k not in RESERVED]
    if list(had) != list(keep_fields):
        raise ValueError(f"{path} was written with kept fields {had or 'none'}, not {list(keep_fields) or 'none'}: "
                         "resume with the same --keep-fields (or run without --resume to start again)")
