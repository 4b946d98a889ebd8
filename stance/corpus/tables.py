"""Results as Arrow tables: nested (one row per document) and flat (one row per quote).

Nested, ``QUOTES_TYPE``: the ``quotes`` column of a DataFrame, ``datasets.Dataset`` or Ray dataset of
results holds exactly what ``Document.to_dict()["quotes"]`` holds, field for field and in the same
order, so a row read back as Python is the JSON-lines record.

Flat, ``QUOTE_ROW_SCHEMA`` (``--format quotes-parquet``): one row per quote, every row carrying its
document's ``record`` (position in the input, from 0) and ``id``. A document with no quotes (an empty
text, an article without attributions, or one that failed) keeps one row with ``quote`` and the quote
columns null and ``error`` set or null, so that ``table["id"].unique()`` lists every input document, in
input order. ``id`` is text here (a Parquet column has one type; a JSON-lines id 3 becomes "3");
``stances`` keeps every (target, label) row, and ``label``/``target``/``score`` repeat the primary one.
Kept input fields (``keep_fields``) follow ``id`` as text columns, like ``id`` (a date "2016-10-05"
stays as it is, a number 3 becomes "3"), null where the record lacked the field.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

import pyarrow as pa

from stance.stances.labels import LABELS

_SPAN = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("text", pa.string())])
STANCE_TYPE = pa.struct([
    ("target", pa.string()),
    ("label", pa.string()),
    ("score", pa.float64()),
    ("scores", pa.struct([(label, pa.float64()) for label in LABELS])),
])
QUOTE_TYPE = pa.struct([
    ("start", pa.int64()),
    ("end", pa.int64()),
    ("spans", pa.list_(pa.list_(pa.int64()))),
    ("text", pa.string()),
    ("kind", pa.string()),
    ("cue", _SPAN),
    ("speaker", pa.struct([("name", pa.string()), ("mention", _SPAN), ("via", _SPAN)])),
    ("stances", pa.list_(STANCE_TYPE)),
])
QUOTES_TYPE = pa.list_(QUOTE_TYPE)

QUOTE_ROW_SCHEMA = pa.schema([
    ("record", pa.int64()),
    ("id", pa.string()),
    ("quote", pa.int32()),
    ("start", pa.int64()),
    ("end", pa.int64()),
    ("spans", pa.list_(pa.list_(pa.int64()))),
    ("text", pa.string()),
    ("kind", pa.string()),
    ("cue_start", pa.int64()),
    ("cue_end", pa.int64()),
    ("cue", pa.string()),
    ("speaker", pa.string()),
    ("mention_start", pa.int64()),
    ("mention_end", pa.int64()),
    ("mention", pa.string()),
    ("label", pa.string()),
    ("target", pa.string()),
    ("score", pa.float64()),
    ("stances", pa.list_(STANCE_TYPE)),
    ("error", pa.string()),
])


def id_text(doc_id: Any) -> str:
    """An id as text: a string as it is, anything else as JSON (3 -> "3")."""
    return doc_id if isinstance(doc_id, str) else json.dumps(doc_id, ensure_ascii=False)


def kept_fields(doc: dict) -> list[str]:
    """The kept input fields of a ``Document.to_dict()`` record: its keys other than id, quotes, error."""
    return [key for key in doc if key not in ("id", "quotes", "error")]


def quote_rows(record: int, doc: dict) -> list[dict]:
    """The flat rows of one document (a ``Document.to_dict()``), at least one."""
    base = {"record": record, "id": id_text(doc["id"]), "error": doc.get("error")}
    base.update({key: None if doc[key] is None else id_text(doc[key]) for key in kept_fields(doc)})
    if not doc["quotes"]:
        return [base]
    rows = []
    for number, q in enumerate(doc["quotes"]):
        cue, speaker = q.get("cue") or {}, q.get("speaker") or {}
        mention = speaker.get("mention") or {}
        primary = max(q["stances"], key=lambda s: s["score"], default={})
        rows.append({
            **base, "quote": number, "start": q["start"], "end": q["end"], "spans": q["spans"],
            "text": q["text"], "kind": q["kind"],
            "cue_start": cue.get("start"), "cue_end": cue.get("end"), "cue": cue.get("text"),
            "speaker": speaker.get("name"), "mention_start": mention.get("start"),
            "mention_end": mention.get("end"), "mention": mention.get("text"),
            "label": primary.get("label"), "target": primary.get("target"), "score": primary.get("score"),
            "stances": q["stances"],
        })
    return rows


def quote_rows_table(first_record: int, docs: Iterable[dict]) -> pa.Table:
    docs = list(docs)
    schema = QUOTE_ROW_SCHEMA
    for offset, key in enumerate(kept_fields(docs[0]) if docs else []):
        schema = schema.insert(2 + offset, pa.field(key, pa.string()))
    rows = [row for i, doc in enumerate(docs) for row in quote_rows(first_record + i, doc)]
    return pa.Table.from_pylist(rows, schema=schema)


def result_columns(docs: Iterable[dict]) -> dict[str, pa.Array]:
    """``quotes`` and ``error`` columns (nested) for documents given as ``to_dict()`` records."""
    docs = list(docs)
    return {
        "quotes": pa.array([d["quotes"] for d in docs], type=QUOTES_TYPE),
        "error": pa.array([d["error"] for d in docs], type=pa.string()),
    }


def documents_from_table(table: pa.Table) -> list[dict]:
    """``{"id", "quotes", "error"}`` records, as ``Document.to_dict()`` gives them, from nested rows."""
    ids = table.column("id").to_pylist()
    quotes = table.column("quotes").to_pylist()
    errors = table.column("error").to_pylist()
    return [{"id": i, "quotes": q, "error": e} for i, q, e in zip(ids, quotes, errors)]


# ------------------------------------------------------------------------------- the same kind back

def add_to_dataframe(frame, documents):
    """A copy of ``frame`` with ``quotes`` (lists of quote dicts) and ``error`` columns."""
    quotes, errors = [], []
    for doc in documents:
        quotes.append([q.to_dict() for q in doc.quotes])
        errors.append(doc.error)
    import pandas as pd

    result = frame.copy()
    result["quotes"] = pd.Series(quotes, index=frame.index, dtype=object)
    result["error"] = pd.Series(errors, index=frame.index, dtype=object)  # None stays None, not NaN
    return result


def add_to_dataset(dataset, documents, chunk: int = 1024):
    """``dataset`` with ``quotes`` and ``error`` columns (Arrow-typed as ``QUOTES_TYPE``) added."""
    import datasets

    chunks, docs = [], []
    for doc in documents:
        docs.append(doc.to_dict())
        if len(docs) >= chunk:
            chunks.append(pa.table(result_columns(docs)))
            docs = []
    if docs or not chunks:
        chunks.append(pa.table(result_columns(docs)))
    results = datasets.Dataset(datasets.table.InMemoryTable(pa.concat_tables(chunks)))
    kept = [c for c in dataset.column_names if c not in ("quotes", "error")]
    return datasets.concatenate_datasets([dataset.select_columns(kept), results], axis=1)
