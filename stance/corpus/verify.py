"""Before a resume: is the existing output this input's, and whole?

Every document the output holds is read back and compared with the input record at its place (not
only the last one): the id must be the same, also in type (``3`` is not ``"3"`` in JSON lines; a
Parquet output keeps ids as text), a record the reader could not read must carry the same error,
and every quote's offsets must lie in the record's text and give the quote's text there. A line that
is not a stance output record stops the resume too (``stance.corpus.write``). Each refusal names the
file, the line (or part and record) and the reason; nothing is changed before it.

This reads the whole output and the input up to it once, keeping only the documents of the last,
unfinished document batch (at most ``batch_size``): memory stays flat in corpus size.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from stance.corpus.read import Record
from stance.corpus.tables import id_text
from stance.corpus.write import ResumeRefused

_HINT = "it is not this input's output (run with --overwrite to start again, or give the input it was made from)"


@dataclass
class Resumed:
    """What a resumed output holds: ``done`` documents that match the input, ``errors`` among them
    (also counted up to the last batch boundary: ``boundary_errors``), and ``tail``: the input records
    after that boundary, which a run redoes when it redoes their whole batch."""

    done: int = 0
    errors: int = 0
    boundary_errors: int = 0
    tail: list[Record] = field(default_factory=list)
    rest: Iterator[Record] = field(default_factory=lambda: iter(()))  # the input records after ``done``

    @property
    def boundary(self) -> int:
        return self.done - len(self.tail)


def check_resumable(existing: Iterable[tuple[str, dict]], records: Iterator[Record], batch_size: int,
                    exact_ids: bool = True) -> Resumed:
    """Compare each (where, document) of ``existing`` with the next input record; raise
    ``ResumeRefused`` at the first that does not match. The records after those compared are in ``rest``."""
    state = Resumed()
    for where, doc in existing:
        record = next(records, None)
        if record is None:
            raise ResumeRefused(f"{where}: the output holds more documents than the input has records ({state.done}); "
                                + _HINT)
        reason = mismatch(doc, record, exact_ids)
        if reason:
            raise ResumeRefused(f"{where}: {reason}; {_HINT}")
        if state.done % batch_size == 0:
            state.boundary_errors, state.tail = state.errors, []
        state.tail.append(record)
        state.done += 1
        state.errors += doc.get("error") is not None
    following = next(records, None)
    if state.done % batch_size == 0 or following is None:  # a batch cut by the input's end is whole
        state.boundary_errors, state.tail = state.errors, []
    state.rest = records if following is None else itertools.chain([following], records)
    return state


def mismatch(doc: dict, record: Record, exact_ids: bool = True) -> str | None:
    """Why ``doc`` (read back from an output) is not the result of ``record``, or None."""
    same_id = _json(doc["id"]) == _json(record.id) if exact_ids else id_text(doc["id"]) == id_text(record.id)
    if not same_id:
        return f"its id is {_json(doc['id'])} but the input record at its place has id {_json(record.id)}"
    if record.error is not None:
        if doc.get("error") != record.error:
            return f"the input record could not be read ({record.error}) but the output has {doc.get('error')!r}"
        return None
    text = record.text if isinstance(record.text, str) else ""
    for number, quote in enumerate(doc.get("quotes") or []):
        try:
            start, end, quoted = quote["start"], quote["end"], quote["text"]
            spans = quote.get("spans") or [[start, end]]
            inside = 0 <= start <= end <= len(text) and all(0 <= s <= e <= len(text) for s, e in spans)
        except (KeyError, TypeError, ValueError):
            return f"quote {number} is not a stance quote record"
        if not inside or text[start:end] != quoted:
            return (f"quote {number} ({start}-{end}, {_short(quoted)}) is not the input text at those offsets "
                    f"({_short(text[start:end]) if inside else 'beyond its end'})")
    return None


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _short(text: Any) -> str:
    text = str(text)
    return repr(text if len(text) <= 40 else text[:37] + "...")
