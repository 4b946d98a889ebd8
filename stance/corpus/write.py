"""Writing results, one record per input record in input order, so that a killed run can resume.

Two formats:

- ``jsonl`` (default): one ``Document.to_dict()`` object a line. Each batch is written with one
  ``write`` and flushed to the operating system, so a killed process (even SIGKILL) leaves every
  finished batch in the file and at most a half-written last line; the file is also fsync'd every
  ``FSYNC_SECONDS`` and on close, which bounds what a power cut can take. To resume, the half line
  is truncated away and the complete lines are counted: that many input records are done.
- ``quotes-parquet``: a folder of Parquet part files (``part-000000.parquet``, ...), one row per
  quote (see ``stance.corpus.tables``), each part holding ``part_size`` whole documents. A part is
  written to a temporary name and renamed when complete, so a part file is either whole or absent;
  to resume, left-over temporary files are removed and the documents in the complete parts are
  done (the documents of the part being written when the run stopped, at most ``part_size``, are
  redone). ``pandas.read_parquet(folder)`` or ``pyarrow.dataset`` read the folder as one table.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

FORMATS = ("jsonl", "quotes-parquet")
FSYNC_SECONDS = 5.0
PART_SIZE = 1000


def open_writer(path: str | Path, format: str = "jsonl", resume: bool = False, part_size: int = PART_SIZE):
    """A writer for ``format``; with ``resume`` it keeps what ``path`` already holds."""
    if format == "jsonl":
        return JsonlWriter(path, resume)
    if format == "quotes-parquet":
        return QuotesParquetWriter(path, resume, part_size)
    raise ValueError(f"unknown output format {format!r}; choose one of {FORMATS}")


class JsonlWriter:
    """JSON lines, one document a line. ``done``/``done_errors``/``last_id``: what a resumed file held."""

    def __init__(self, path: str | Path, resume: bool = False):
        self.path = Path(path)
        self.done, self.done_errors, self.last_id = 0, 0, None
        if resume and self.path.exists():
            self._repair()
            self._file = open(self.path, "ab")
        else:
            self._file = open(self.path, "wb")
        self._synced = time.monotonic()

    def _repair(self) -> None:
        """Truncate a half-written last line away; count the complete lines and their errors."""
        last = b""
        with open(self.path, "r+b") as f:
            end = 0
            for line in f:
                if not line.endswith(b"\n"):
                    break
                end += len(line)
                self.done += 1
                last = line
                if not line.endswith(b'"error": null}\n'):  # Document.to_dict puts error last
                    self.done_errors += json.loads(line).get("error") is not None
            f.truncate(end)
        if last:
            self.last_id = json.loads(last)["id"]

    def write(self, docs: list[dict]) -> None:
        self._file.write("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs).encode("utf-8"))
        self._file.flush()
        if time.monotonic() - self._synced >= FSYNC_SECONDS:
            os.fsync(self._file.fileno())
            self._synced = time.monotonic()

    def close(self) -> None:
        if not self._file.closed:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()

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
        self.done, self.done_errors, self.last_id = 0, 0, None
        if self.path.exists() and not self.path.is_dir():
            raise ValueError(f"quotes-parquet output {str(self.path)!r} is a file; it must be a folder (of part files)")
        self.path.mkdir(parents=True, exist_ok=True)
        for stale in self.path.glob("*.tmp"):
            stale.unlink()
        parts = sorted(self.path.glob("part-*.parquet"))
        if resume:
            self._count(parts)
        else:
            for part in parts:
                part.unlink()
        self._part = len(parts) if resume else 0
        self._pending: list[dict] = []

    def _count(self, parts: list[Path]) -> None:
        import pyarrow.parquet as pq

        for number, part in enumerate(parts):
            meta = pq.read_metadata(part).metadata or {}
            first, count = int(meta[b"stance.first_record"]), int(meta[b"stance.records"])
            if part.name != _part_name(number) or first != self.done:
                raise ValueError(f"{part}: parts are not contiguous (expected {_part_name(number)} from record "
                                 f"{self.done}); remove the folder and run again without --resume")
            self.done += count
            self.done_errors += int(meta[b"stance.errors"])
            self.last_id = meta[b"stance.last_id"].decode("utf-8")

    def write(self, docs: list[dict]) -> None:
        self._pending.extend(docs)
        while len(self._pending) >= self.part_size:
            self._flush(self._pending[:self.part_size])
            self._pending = self._pending[self.part_size:]

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
            self._flush(self._pending)
            self._pending = []

    def __enter__(self):
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _part_name(number: int) -> str:
    return f"part-{number:06d}.parquet"
