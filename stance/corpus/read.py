"""Reading documents: a .txt file is one document; a JSON-lines file holds one record a line.

Every input record yields exactly one ``Record``: a line that is not valid JSON, or a record without
a usable text, becomes a ``Record`` with ``error`` set, so the output keeps its line and the run goes on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator


@dataclass(frozen=True)
class Record:
    id: Any
    text: Any
    error: str | None = None


def read_records(path: str | Path, text_field: str = "text", id_field: str = "id") -> Iterator[Record]:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"input {str(path)!r} does not exist")
    if path.suffix.lower() == ".txt":
        yield Record(path.stem, path.read_text(encoding="utf-8"))
        return
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            yield parse_line(line, number, path.name, text_field, id_field)


def parse_line(line: str, number: int, source: str, text_field: str = "text", id_field: str = "id") -> Record:
    where = f"{source} line {number}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return Record(number, None, f"{where}: not valid JSON ({error.msg} at column {error.colno})")
    if not isinstance(record, dict):
        return Record(number, None, f"{where}: a JSON {type(record).__name__}, not an object")
    doc_id = record.get(id_field, number)
    if text_field not in record or record[text_field] is None:
        return Record(doc_id, None, f"{where} (id {doc_id!r}): no {text_field!r} field")
    text = record[text_field]
    if not isinstance(text, str):
        return Record(doc_id, None, f"{where} (id {doc_id!r}): {text_field!r} is a {type(text).__name__}, not a string")
    return Record(doc_id, text)
