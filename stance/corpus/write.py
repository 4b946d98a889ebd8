"""Writing results, one record per input record in input order, so that a killed run can resume.

Two formats:

- ``jsonl`` (default): one ``Document.to_dict()`` object a line. Each batch is written with one
  ``write`` and flushed to the operating system, so a killed process (even SIGKILL) leaves every
  finished batch in the file and at most a half-written last line; the file is also fsync'd every
  ``FSYNC_SECONDS`` and on close, which bounds what a power cut can take. To resume, the half line
  is truncated away and the complete lines are read back and checked against the input (see
  ``stance.corpus.verify``); the lines of the document batch the cut falls in are truncated too, and
  that whole batch is redone, so that its documents share the model's forward passes as in a clean run.
- ``quotes-parquet``: a folder of Parquet part files (``part-000000.parquet``, ...), one row per
  quote (see ``stance.corpus.tables``), each part holding ``part_size`` whole documents. A part is
  written to a temporary name and renamed when complete, so a part file is either whole or absent;
  to resume, left-over temporary files are removed and the documents in the complete parts are
  read back, checked and kept (the documents of the part being written when the run stopped, at
  most ``part_size``, are redone, from the start of the document batch the cut falls in).

A writer is made in two steps: ``open_writer`` touches nothing; ``existing()`` reads back what a
resumed output holds; ``open(keep)`` keeps that many documents and removes the rest (all of them
when not resuming). ``stance.corpus.job`` calls ``open`` only after the input has been checked
and the output locked, so that a usage error never costs a previous output.

Each document is serialised on its own and checked to be strict JSON in UTF-8 (:func:`safe_document`):
one that is not (an id no file can hold) is written as an error record in its place. ``pandas.read_parquet(folder)`` or ``pyarrow.dataset`` read the folder as one table.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path
from typing import Any, Iterator

FORMATS = ("jsonl", "quotes-parquet")
FSYNC_SECONDS = 5.0
PART_SIZE = 1000


def open_writer(path: str | Path, format: str = "jsonl", resume: bool = False, part_size: int = PART_SIZE):
    """A writer for ``format``; with ``resume`` it can read back and keep what ``path`` already holds."""
    if format == "jsonl":
        return JsonlWriter(path, resume)
    if format == "quotes-parquet":
        return QuotesParquetWriter(path, resume, part_size)
    raise ValueError(f"unknown output format {format!r}; choose one of {FORMATS}")


class ResumeRefused(ValueError):
    """The existing output cannot be continued: it is damaged or belongs to another input."""


def safe_document(doc: dict) -> tuple[dict, bytes]:
    """``doc`` and its JSON line (strict JSON: no NaN or Infinity; UTF-8), or, when it has none,
    an error record in its place that says why."""
    try:
        return doc, (json.dumps(doc, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")
    except (TypeError, ValueError) as error:  # UnicodeEncodeError is a ValueError
        problem = f"{type(error).__name__}: {error}"
    from stance.corpus.read import json_id

    try:
        doc_id = json_id(doc.get("id"))
    except ValueError:
        doc_id = ascii(doc.get("id"))
    replacement = {"id": doc_id, "quotes": [], "error": f"document {ascii(doc.get('id'))}: its result cannot be written "
                                                         f"as JSON ({problem})"}
    return replacement, (json.dumps(replacement, ensure_ascii=False) + "\n").encode("utf-8")


class JsonlWriter:
    """JSON lines, one document a line; ``done``: the documents the file holds."""

    def __init__(self, path: str | Path, resume: bool = False):
        self.path = Path(path)
        self.done = 0
        self.resuming = resume and self.path.is_file() and self.path.stat().st_size > 0
        self._file = None
        self._regular = True
        self._synced = time.monotonic()

    def existing(self) -> Iterator[tuple[str, dict]]:
        """(where, document) for each complete line of a resumed file, after truncating a half-written
        last line away. Raises ``ResumeRefused`` naming the line that is not a stance output record."""
        with open(self.path, "r+b") as f:
            end = 0
            for line in f:
                if not line.endswith(b"\n"):
                    break
                end += len(line)
            f.truncate(end)
        with open(self.path, "rb") as f:
            for number, line in enumerate(f, start=1):
                where = f"{self.path} line {number}"
                try:
                    doc = json.loads(line.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError) as error:
                    reason = "not UTF-8" if isinstance(error, UnicodeDecodeError) else f"not valid JSON ({error.msg})"
                    raise ResumeRefused(f"{where}: {reason}; the output is damaged, so it cannot be resumed "
                                        "(repair or remove that line, or run with --overwrite to start again)") from None
                if not isinstance(doc, dict) or not {"id", "quotes", "error"} <= set(doc) or not isinstance(doc["quotes"], list):
                    raise ResumeRefused(f"{where}: not a stance output record (one needs an id, a list of quotes and an "
                                        "error); the output cannot be resumed (run with --overwrite to start again)")
                yield where, doc

    def open(self, keep: int = 0) -> None:
        """Keep the first ``keep`` lines of a resumed file (none otherwise) and open it for writing."""
        if self.resuming:
            with open(self.path, "r+b") as f:
                end = 0
                for _ in range(keep):
                    end += len(f.readline())
                f.truncate(end)
            self._file = open(self.path, "ab")
        else:
            self._file = open(self.path, "wb")
        self._regular = os.path.isfile(self.path)  # not /dev/null, a pipe...: nothing to fsync
        self.done = keep if self.resuming else 0

    def write(self, docs: list[dict]) -> list[dict]:
        """Write ``docs``; returns them as written (see :func:`safe_document`)."""
        safe = [safe_document(d) for d in docs]
        with _naming(self.path):
            self._file.write(b"".join(line for _, line in safe))
            self._file.flush()
            self.done += len(docs)
            if self._regular and time.monotonic() - self._synced >= FSYNC_SECONDS:
                os.fsync(self._file.fileno())
                self._synced = time.monotonic()
        return [doc for doc, _ in safe]

    def close(self) -> None:
        if self._file is not None and not self._file.closed:
            with _naming(self.path):
                try:
                    self._file.flush()
                    if self._regular:
                        os.fsync(self._file.fileno())
                finally:
                    try:
                        self._file.close()
                    except OSError:
                        pass  # the flush above already failed, and said so

    def __enter__(self):
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class QuotesParquetWriter:
    """A folder of Parquet parts, one row per quote; each part holds ``part_size`` whole documents."""

    def __init__(self, path: str | Path, resume: bool = False, part_size: int = PART_SIZE):
        if part_size < 1:
            raise ValueError(f"part_size must be at least 1, got {part_size}")
        self.path = Path(path)
        self.part_size = part_size
        self.done = 0
        if self.path.exists() and not self.path.is_dir():
            raise ValueError(f"quotes-parquet output {str(self.path)!r} is a file; it must be a folder (of part files)")
        self.resuming = resume and bool(self._parts())
        self._part = 0
        self._pending: list[dict] = []

    def _parts(self) -> list[Path]:
        return sorted(self.path.glob("part-*.parquet")) if self.path.is_dir() else []

    def existing(self) -> Iterator[tuple[str, dict]]:
        """(where, document) for each document of the complete parts, in order: ``id`` (as text),
        ``error`` and ``quotes`` with their ``start``, ``end``, ``spans`` and ``text``."""
        import pyarrow.parquet as pq

        done = 0
        for number, part in enumerate(self._parts()):
            try:
                meta = pq.read_metadata(part).metadata or {}
                first, count = int(meta[b"stance.first_record"]), int(meta[b"stance.records"])
            except Exception as error:
                raise ResumeRefused(f"{part}: not a stance part file ({type(error).__name__}: {error}); the output "
                                    "cannot be resumed (run with --overwrite to start again)") from None
            if part.name != _part_name(number) or first != done:
                raise ResumeRefused(f"{part}: parts are not contiguous (expected {_part_name(number)} from record "
                                    f"{done}); run with --overwrite to start again")
            columns = ["record", "id", "start", "end", "spans", "text", "error"]
            rows = pq.read_table(part, columns=columns).to_pylist()
            documents: dict[int, dict] = {}
            for row in rows:
                doc = documents.setdefault(row["record"], {"id": row["id"], "quotes": [], "error": row["error"]})
                if row["start"] is not None:
                    doc["quotes"].append({k: row[k] for k in ("start", "end", "spans", "text")})
            if sorted(documents) != list(range(first, first + count)):
                raise ResumeRefused(f"{part}: holds records {min(documents, default=None)} to {max(documents, default=None)} "
                                    f"but its metadata says {first} to {first + count - 1}; it is damaged "
                                    "(run with --overwrite to start again)")
            for record in range(first, first + count):
                yield f"{part} record {record}", documents[record]
            done += count

    def open(self, keep: int = 0) -> None:
        """Keep the complete parts of a resumed folder (``keep`` documents), or none; remove left-overs."""
        self.path.mkdir(parents=True, exist_ok=True)
        for stale in self.path.glob("*.tmp"):
            stale.unlink()
        parts = self._parts()
        if not self.resuming:
            for part in parts:
                part.unlink()
            parts = []
        self._part = len(parts)
        self.done = keep if self.resuming else 0

    def write(self, docs: list[dict]) -> list[dict]:
        """Add ``docs``, writing each part as it fills; returns them as they will be written."""
        safe = [safe_document(d)[0] for d in docs]
        self._pending.extend(safe)
        while len(self._pending) >= self.part_size:
            self._flush(self._pending[:self.part_size])
            self._pending = self._pending[self.part_size:]
        return safe

    def _flush(self, docs: list[dict]) -> None:
        import pyarrow.parquet as pq

        from stance.corpus.tables import id_text, quote_rows_table

        first = self.done
        table = quote_rows_table(first, docs)
        table = table.replace_schema_metadata({
            "stance.first_record": str(first), "stance.records": str(len(docs)),
            "stance.errors": str(sum(d["error"] is not None for d in docs)),
            "stance.last_id": id_text(docs[-1]["id"]),
        })
        final = self.path / _part_name(self._part)
        temporary = final.with_name(final.name + ".tmp")
        pq.write_table(table, temporary)
        with open(temporary, "rb") as f:
            os.fsync(f.fileno())
        os.replace(temporary, final)
        self._part += 1
        self.done += len(docs)

    def close(self) -> None:
        if self._pending:
            pending, self._pending = self._pending, []
            self._flush(pending)

    def __enter__(self):
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


@contextlib.contextmanager
def _naming(path: Path) -> Iterator[None]:
    """An OS error while writing (a full disk) names the file it was writing."""
    try:
        yield
    except OSError as error:
        if error.filename is None and error.errno is not None:
            raise OSError(error.errno, error.strerror, str(path)) from None
        raise


def _part_name(number: int) -> str:
    return f"part-{number:06d}.parquet"
