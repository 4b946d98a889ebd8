"""Reading a corpus: every input record becomes exactly one ``Record``, in input order, lazily.

What ``read_records`` accepts (``text_field`` and ``id_field`` name the columns or keys):

- a JSON-lines file (``.jsonl``, ``.ndjson``, ``.json``; ``.gz`` too): one object a line, read line by line;
- a CSV file (``.csv``, ``.tsv``; ``.gz`` too), read row by row with a header row;
- a Parquet file, or a folder of ``.parquet`` files (read in name order), in batches of rows;
- a folder of ``.txt`` files (searched recursively, in name order): one document each, its id the
  path below the folder without ``.txt``; a single ``.txt`` file is one document, its id the file's stem;
- a Hugging Face dataset saved with ``save_to_disk`` (memory-mapped, read in batches);
- in memory: a pandas ``DataFrame``, a ``datasets.Dataset``, or any iterable of texts, ``(id, text)``
  pairs, ``{"id", "text"}`` dicts or ``Record`` objects.

Ids: where a record has no id (no id column or key, or a null one), its id is its number: the line
or row number for files, counted from 1 like an editor's lines; the position (from 0, like Python)
for an iterable or a ``Dataset``, and the index label for a ``DataFrame``.

Bad input loses nothing: a line that is not valid JSON, a record without a text, a text that is not
a string, a file that is not UTF-8 become a ``Record`` with ``error`` set ("<where>: <what>"), so
that the output keeps its place and the run goes on. An empty text is not an error. A text column
missing from a whole CSV, Parquet file or table is a usage error (``ValueError``): it names the
columns there are.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import gzip
import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines", ".json")
CSV_SUFFIXES = (".csv", ".tsv")
PARQUET_SUFFIXES = (".parquet", ".pq")
ARROW_BATCH = 1024  # rows per batch when reading Parquet and saved datasets
# CSV files are decoded with errors="surrogateescape": a byte that is not UTF-8 becomes U+DC80-U+DCFF,
# so one bad byte spoils the row it is in (reported there), not the file.
_UNDECODED = re.compile("[\udc80-\udcff]")
# A surrogate code point on its own is legal in JSON ("\ud800") and in a Python str, but it is not a
# character: no UTF-8 writer and no tokenizer takes it. A text or id holding one is an error on its record.
_SURROGATE = re.compile("[\ud800-\udfff]")
BOM = "\ufeff"


@dataclass(frozen=True)
class Record:
    """One input document: its id, its text, or the error that kept it from having one; ``fields``:
    the other fields a run keeps (``keep_fields``), each null where the record lacks it."""

    id: Any
    text: Any
    error: str | None = None
    fields: dict[str, Any] | None = None


def read_records(source: Any, text_field: str = "text", id_field: str = "id",
                 keep_fields: Sequence[str] = ()) -> Iterator[Record]:
    """Every record of ``source`` (a path, a DataFrame, a Dataset or an iterable), in order, lazily.

    ``keep_fields``: other fields (keys, columns) to carry through to the output, in
    ``Record.fields``; a record without one has it null (see ``stance.corpus.fields``).
    """
    if keep_fields:
        from stance.corpus.fields import with_fields

        return with_fields(source, text_field, id_field, keep_fields)
    if isinstance(source, (str, Path)):
        return _read_path(Path(source), text_field, id_field)
    if is_dataframe(source):
        return _read_dataframe(source, text_field, id_field)
    if is_dataset(source):
        return _read_dataset(source, text_field, id_field, first=0, where="row")
    if is_dataset_dict(source):
        raise ValueError(f"a DatasetDict with splits {list(source)}: pass one split, e.g. dataset[{list(source)[0]!r}]")
    return (record_of(item, number, text_field, id_field) for number, item in enumerate(source))


def read(source: Any, text_field: str = "text", id_field: str = "id") -> Iterator[Record]:
    """``stance.corpus.read(source)``: the same as :func:`read_records`."""
    return read_records(source, text_field, id_field)


def count_records(source: Any) -> int | None:
    """How many records ``source`` holds, where that is cheap to know (None otherwise).

    JSON lines are counted by reading the file once (fast, no parsing); CSV is not counted, since a
    quoted field may span lines.
    """
    if is_dataframe(source) or is_dataset(source):
        return len(source)
    if not isinstance(source, (str, Path)):
        return len(source) if hasattr(source, "__len__") else None
    path = Path(source)
    if path.is_dir():
        if _is_saved_dataset(path):
            import datasets

            return len(datasets.load_from_disk(str(path)))
        parts = _parquet_parts(path)
        if parts:
            return sum(_parquet_rows(p) for p in parts)
        return len(_txt_files(path))
    kind = _kind(path)
    if kind == "txt":
        return 1
    if kind == "parquet":
        return _parquet_rows(path)
    if kind == "jsonl" and path.is_file():
        with _open_binary(path) as f:
            return sum(1 for line in f if line.strip())
    return None


def record_of(item: Any, number: int, text_field: str = "text", id_field: str = "id") -> Record:
    """A ``Record`` from a text, an ``(id, text)`` pair, a dict or a ``Record``; ``number`` is the
    fallback id."""
    if isinstance(item, Record):
        return item
    if isinstance(item, str) or item is None:
        return checked_record(number, item, f"item {number}")
    if isinstance(item, dict):
        return checked_record(_id(item.get(id_field), number), item.get(text_field, _MISSING), f"item {number}", text_field)
    if isinstance(item, tuple) and len(item) == 2:
        return checked_record(_id(item[0], number), item[1], f"item {number}")
    return checked_record(number, item, f"item {number}")


def parse_line(line: str, number: int, source: str, text_field: str = "text", id_field: str = "id") -> Record:
    """The ``Record`` of one JSON line; ``number`` is its line number, ``source`` the file name."""
    where = f"{source} line {number}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return Record(number, None, f"{where}: not valid JSON ({error.msg} at column {error.colno})")
    if not isinstance(record, dict):
        return Record(number, None, f"{where}: a JSON {type(record).__name__}, not an object")
    return checked_record(_id(record.get(id_field), number), record.get(text_field, _MISSING), where, text_field)


# ----------------------------------------------------------------------------------------- records

_MISSING = object()


def _id(value: Any, number: Any) -> Any:
    """The record's id as a value JSON carries (see :func:`json_id`), or ``number`` when it has none.
    An id that cannot be written at all (a lone surrogate) comes back as a ``_BadId``, which
    :func:`checked_record` turns into an error on the record."""
    value = _plain(value)
    if _is_missing(value):
        return number
    try:
        return json_id(value)
    except ValueError as error:
        return _BadId(ascii(value), str(error), number)


@dataclass(frozen=True)
class _BadId:
    value: str
    why: str
    fallback: Any


def json_id(value: Any) -> Any:
    """``value`` as an id that strict JSON carries and that reads back as itself where it can:
    str, int, bool and finite floats as they are; a date or time as ISO 8601 text; a non-finite
    number as text ("Infinity", "-Infinity"); a Decimal as its text; bytes as UTF-8 text (else
    hex); lists and dicts item by item; anything else as ``str(value)``. Raises ``ValueError`` for
    text holding a lone surrogate, which no UTF-8 file can hold."""
    value = _plain(value)
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, str):
        bad = _SURROGATE.search(value)
        if bad:
            raise ValueError(f"not valid Unicode (a lone surrogate U+{ord(bad.group()):04X} at character {bad.start()})")
        return value
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        try:
            return json_id(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return data.hex()
    if isinstance(value, (list, tuple)):
        return [json_id(v) for v in value]
    if isinstance(value, dict):
        return {str(json_id(k)): json_id(v) for k, v in value.items()}
    return str(value)


def checked_record(doc_id: Any, text: Any, where: str, text_field: str = "text") -> Record:
    """A ``Record`` of ``text``, or one with ``error`` saying why ``text`` is not a usable text."""
    text = _plain(text)
    if text is _MISSING:
        return Record(doc_id, None, f"{where} (id {doc_id!r}): no {text_field!r} field")
    if isinstance(doc_id, _BadId):
        return Record(doc_id.fallback, None, f"{where}: the id {doc_id.value} is {doc_id.why}; "
                                             f"the record keeps its number {doc_id.fallback!r} as its id")
    if _is_missing(text):
        return Record(doc_id, None, f"{where} (id {doc_id!r}): no text ({text_field!r} is null)")
    if not isinstance(text, str):
        return Record(doc_id, None, f"{where} (id {doc_id!r}): {text_field!r} is a {type(text).__name__}, not a string")
    bad = _SURROGATE.search(text)
    if bad:
        return Record(doc_id, None, f"{where} (id {doc_id!r}): {text_field!r} is not valid Unicode "
                                    f"(a lone surrogate U+{ord(bad.group()):04X} at character {bad.start()})")
    return Record(doc_id, text)


def _plain(value: Any) -> Any:
    """numpy and pandas scalars as Python values, so that ids serialise as JSON."""
    if hasattr(value, "item") and type(value).__module__ == "numpy":
        return value.item()
    if type(value).__name__ == "Timestamp":
        return value.isoformat()
    return value


def _is_missing(value: Any) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return type(value).__name__ in ("NAType", "NaTType")


# ------------------------------------------------------------------------------------------- paths

def _kind(path: Path) -> str | None:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    suffix = suffixes[-1] if suffixes else ""
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    if suffix == ".txt":
        return "txt"
    return None


def _read_path(path: Path, text_field: str, id_field: str) -> Iterator[Record]:
    if not path.exists():
        raise FileNotFoundError(f"input {str(path)!r} does not exist")
    if path.is_dir():
        return _read_folder(path, text_field, id_field)
    kind = _kind(path)
    if kind == "jsonl":
        return _read_jsonl(path, text_field, id_field)
    if kind == "csv":
        return _read_csv(path, text_field, id_field)
    if kind == "parquet":
        return _read_parquet([path], path.name, text_field, id_field)
    if kind == "txt":
        return iter([_read_txt(path, path.stem, path.name)])
    raise ValueError(f"input {str(path)!r}: unknown kind of file; stance reads JSON lines (.jsonl), CSV (.csv, .tsv), "
                     "Parquet (.parquet), .txt files, folders of .txt or .parquet files, and datasets saved with save_to_disk")


def _read_folder(path: Path, text_field: str, id_field: str) -> Iterator[Record]:
    if (path / "dataset_dict.json").is_file():
        splits = json.loads((path / "dataset_dict.json").read_text()).get("splits", [])
        raise ValueError(f"input {str(path)!r} is a saved DatasetDict with splits {splits}: give one split's folder, "
                         f"e.g. {str(path / (splits[0] if splits else 'train'))!r}")
    if _is_saved_dataset(path):
        import datasets

        return _read_dataset(datasets.load_from_disk(str(path)), text_field, id_field, first=1, where=f"{path.name} row")
    parts = _parquet_parts(path)
    if parts:
        return _read_parquet(parts, path.name, text_field, id_field)
    files = _txt_files(path)
    if not files:
        raise ValueError(f"input folder {str(path)!r} holds no .txt or .parquet files and no saved dataset")
    return (_read_txt(f, f.relative_to(path).with_suffix("").as_posix(), f.relative_to(path).as_posix()) for f in files)


def _is_saved_dataset(path: Path) -> bool:
    return (path / "state.json").is_file() and (path / "dataset_info.json").is_file()


def _txt_files(path: Path) -> list[Path]:
    return sorted((f for f in path.rglob("*.txt") if f.is_file()), key=lambda f: f.relative_to(path).as_posix())


def _parquet_parts(path: Path) -> list[Path]:
    return sorted(f for f in path.iterdir() if f.is_file() and f.suffix.lower() in PARQUET_SUFFIXES)


def _open_text(path: Path):
    # utf-8-sig: a byte order mark at the start is read as the encoding's, not as part of the first column name
    if path.suffix.lower() == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", errors="surrogateescape", newline="")
    return open(path, encoding="utf-8-sig", errors="surrogateescape", newline="")


def _not_utf8(where: str, field: str, value: str | None) -> str | None:
    """The error for a CSV cell holding bytes that are not UTF-8, or None when it is clean."""
    bad = _UNDECODED.search(value) if value else None
    if bad is None:
        return None
    return (f"{where}: {field!r} is not UTF-8 text "
            f"(byte 0x{ord(bad.group()) - 0xDC00:02x} at character {bad.start()})")


def _open_binary(path: Path):
    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else open(path, "rb")


def _read_txt(path: Path, doc_id: str, where: str) -> Record:
    data = path.read_bytes()
    try:
        return Record(doc_id, data.decode("utf-8"))
    except UnicodeDecodeError as error:
        return Record(doc_id, None, f"{where}: not UTF-8 text (byte {error.start}: {data[error.start:error.start + 1]!r})")


def _read_jsonl(path: Path, text_field: str, id_field: str) -> Iterator[Record]:
    # Lines are read as bytes and decoded one by one, so that a bad byte spoils one line, not the file.
    with _open_binary(path) as f:
        for number, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                yield Record(number, None, f"{path.name} line {number}: not UTF-8 (byte {error.start})")
                continue
            if number == 1 and line.startswith(BOM):  # a byte order mark belongs to the encoding, not the record
                line = line[1:]
            yield parse_line(line, number, path.name, text_field, id_field)


def _read_csv(path: Path, text_field: str, id_field: str) -> Iterator[Record]:
    delimiter = "\t" if ".tsv" in [s.lower() for s in path.suffixes] else ","
    limit = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)  # articles can be longer than the default 128 KB; restored below
    try:
        with _open_text(path) as f:
            reader = csv.reader(f, delimiter=delimiter)
            header = next(reader, None)
            if header is None:
                return
            if any(_UNDECODED.search(name) for name in header):
                raise ValueError(f"{path.name}: the header row is not UTF-8 text")
            if text_field not in header:
                raise ValueError(f"{path.name}: no {text_field!r} column (columns: {header}); name it with --text-field")
            t, i = header.index(text_field), header.index(id_field) if id_field in header else None
            number = 0
            while True:
                number += 1
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    yield Record(number, None, f"{path.name} row {number}: not valid CSV ({error})")
                    continue
                raw_id = row[i] if i is not None and i < len(row) else None
                text = row[t] if t < len(row) else None
                where = f"{path.name} row {number}"
                error = _not_utf8(where, id_field, raw_id)
                if error:
                    yield Record(number, None, error)
                    continue
                doc_id = _id(raw_id, number)
                error = _not_utf8(f"{where} (id {doc_id!r})", text_field, text)
                if error:
                    yield Record(doc_id, None, error)
                    continue
                yield checked_record(doc_id, text, where, text_field)
    finally:
        csv.field_size_limit(limit)


def _parquet_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows


def _read_parquet(paths: list[Path], name: str, text_field: str, id_field: str) -> Iterator[Record]:
    import pyarrow.parquet as pq

    files = [pq.ParquetFile(p) for p in paths]  # opens footers only; fails early on a missing column
    for p, f in zip(paths, files):
        if text_field not in f.schema_arrow.names:
            raise ValueError(f"{p.name}: no {text_field!r} column (columns: {f.schema_arrow.names}); name it with --text-field")
    return _parquet_records(files, name, text_field, id_field)


def _parquet_records(files, name: str, text_field: str, id_field: str) -> Iterator[Record]:
    number = 0
    for f in files:
        has_id = id_field in f.schema_arrow.names
        columns = [text_field, id_field] if has_id and id_field != text_field else [text_field]
        for batch in f.iter_batches(batch_size=ARROW_BATCH, columns=columns):
            texts = batch.column(text_field).to_pylist()
            ids = batch.column(id_field).to_pylist() if has_id else [None] * len(texts)
            for doc_id, text in zip(ids, texts):
                number += 1
                yield checked_record(_id(doc_id, number), text, f"{name} row {number}", text_field)


def _read_dataframe(frame, text_field: str, id_field: str) -> Iterator[Record]:
    if text_field not in frame.columns:
        raise ValueError(f"the DataFrame has no {text_field!r} column (columns: {list(frame.columns)})")
    return _dataframe_records(frame, text_field, id_field)


def _dataframe_records(frame, text_field: str, id_field: str) -> Iterator[Record]:
    texts = frame[text_field]
    ids = frame[id_field] if id_field in frame.columns else frame.index
    for doc_id, index, text in zip(ids, frame.index, texts):
        yield checked_record(_id(doc_id, _plain(index)), text, f"row {_plain(index)!r}", text_field)


def _read_dataset(dataset, text_field: str, id_field: str, first: int, where: str) -> Iterator[Record]:
    if text_field not in dataset.column_names:
        raise ValueError(f"the dataset has no {text_field!r} column (columns: {dataset.column_names})")
    return _dataset_records(dataset, text_field, id_field, first, where)


def _dataset_records(dataset, text_field: str, id_field: str, first: int, where: str) -> Iterator[Record]:
    has_id = id_field in dataset.column_names
    columns = [text_field, id_field] if has_id and id_field != text_field else [text_field]
    number = first
    for batch in dataset.select_columns(columns).iter(batch_size=ARROW_BATCH):
        ids = batch[id_field] if has_id else [None] * len(batch[text_field])
        for doc_id, text in zip(ids, batch[text_field]):
            yield checked_record(_id(doc_id, number), text, f"{where} {number}", text_field)
            number += 1


def is_dataframe(source: Any) -> bool:
    return type(source).__module__.startswith("pandas") and hasattr(source, "itertuples")


def is_dataset(source: Any) -> bool:
    return type(source).__name__ == "Dataset" and type(source).__module__.startswith("datasets")


def is_dataset_dict(source: Any) -> bool:
    return type(source).__name__ in ("DatasetDict", "IterableDatasetDict") and type(source).__module__.startswith("datasets")


def batched(records: Iterable[Any], size: int, start: int = 0) -> Iterator[list[Any]]:
    """Lists of up to ``size`` items, in order, cut where the item's position in the whole input
    (``start`` items came before these) is a multiple of ``size``.

    The cut points matter beyond grouping: the model's scores for a pair move in the 6th decimal with
    the pairs that share its forward pass, so a run resumed after ``start`` documents, or another
    engine, only writes the same bytes as a clean run when its batches hold the same documents.
    """
    if size < 1:
        raise ValueError(f"batch size must be at least 1, got {size}")
    batch: list[Any] = []
    room = size - start % size
    items = iter(records)
    while True:
        try:
            item = next(items)
        except StopIteration:
            break
        except BaseException:  # the source failed: what was read before it is not lost
            if batch:
                yield batch
            raise
        batch.append(item)
        if len(batch) >= room:
            room = size
            yield batch
            batch = []
    if batch:
        yield batch
