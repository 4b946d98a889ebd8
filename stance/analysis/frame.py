"""``stance.to_frame``: a corpus run's results as one tidy table, one row per (document, quote, target).

    frame = stance.to_frame("quotes.jsonl")               # or a quotes-parquet folder, or Documents
    frame.groupby(["speaker", "target_group", "label"]).size()
    frame.attrs["documents"]   # {'documents': 1000, 'with_quotes': 941, 'without_quotes': 52, 'failed': 7}

Columns, in order: ``id``; the kept input fields (``--keep-fields``); ``quote`` (the quote's index in
its document); ``kind``; ``speaker`` (the canonical name across the corpus) and ``speaker_id``
(``stance.analysis.speakers``); ``name`` (the speaker's name in its document) and ``mention`` (the
words in the text); ``cue``; ``content`` (the quoted words, pieces joined); ``start`` and ``end``;
``target`` and ``target_group`` (``stance.targets.groups``; a group that is a name is merged like
the speakers, so "Trump" and "Donald Trump" are one group, named as the speaker is); ``label`` and ``score`` (that row's
highest label); ``score_<label>`` for every label. A quote without stances keeps one row with the
target and score columns null. Documents without quotes and failed documents have no rows: they
are counted in ``frame.attrs["documents"]``, and ``to_frame(..., documents=True)`` also returns a
frame with one row per document (``id``, kept fields, ``quotes``, ``error``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from stance.stances.labels import LABELS

_OWN_KEYS = ("id", "quotes", "error")
SCORE_COLUMNS = [f"score_{label}" for label in LABELS]
QUOTE_COLUMNS = ["quote", "kind", "speaker", "speaker_id", "name", "mention", "cue", "content", "start", "end",
                 "target", "target_group", "label", "score", *SCORE_COLUMNS]


def _jsonl_documents(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as error:  # a half-written last line of a killed run
                yield {"id": None, "quotes": [], "error": f"{path.name} line {number}: not valid JSON ({error.msg})"}


def _parquet_documents(path: Path) -> Iterator[dict]:
    """Documents rebuilt from quotes-parquet rows (one row per quote, or one per quote-less document)."""
    import pyarrow.dataset as ds

    parts = sorted(path.glob("part-*.parquet")) if path.is_dir() else [path]
    if not parts:
        raise ValueError(f"{path}: no part-*.parquet files; is it a quotes-parquet output folder?")
    table = ds.dataset([str(p) for p in parts], format="parquet").to_table()
    own = {"record", "id", "quote", "start", "end", "spans", "text", "kind", "cue_start", "cue_end", "cue",
           "speaker", "mention_start", "mention_end", "mention", "label", "target", "score", "stances", "error"}
    kept = [c for c in table.column_names if c not in own]
    current: dict | None = None
    for row in table.to_pylist():
        if current is None or row["record"] != current["_record"]:
            if current is not None:
                current.pop("_record")
                yield current
            current = {"_record": row["record"], "id": row["id"], **{k: row[k] for k in kept},
                       "quotes": [], "error": row["error"]}
        if row["quote"] is not None:
            mention = None if row["mention"] is None else {"start": row["mention_start"], "end": row["mention_end"],
                                                           "text": row["mention"]}
            current["quotes"].append({
                "start": row["start"], "end": row["end"], "spans": row["spans"], "text": row["text"],
                "kind": row["kind"], "cue": None if row["cue"] is None else {"text": row["cue"]},
                "speaker": None if mention is None else {"name": row["speaker"], "mention": mention},
                "stances": row["stances"] or []})
    if current is not None:
        current.pop("_record")
        yield current


def documents_of(results: Any) -> Iterator[dict]:
    """``Document.to_dict()`` records from a JSON-lines path, a quotes-parquet folder or file, or an
    iterable of ``Document`` objects or such dicts."""
    if isinstance(results, (str, Path)):
        path = Path(results)
        if not path.exists():
            raise FileNotFoundError(f"results {str(path)!r} do not exist")
        if path.is_dir() or path.suffix.lower() in (".parquet", ".pq"):
            return _parquet_documents(path)
        return _jsonl_documents(path)
    return (d if isinstance(d, Mapping) else d.to_dict() for d in results)


def content_of(quote: Mapping) -> str:
    """The quoted words, pieces joined by a space (``Quote.content``), from a quote record."""
    text, start, spans = quote.get("text") or "", quote.get("start") or 0, quote.get("spans") or []
    if len(spans) <= 1:
        return text
    return " ".join(text[s - start:e - start] for s, e in spans)


def to_frame(results: Any, speaker_aliases: Any = None, target_aliases: Any = None, documents: bool = False):
    """One row per (document, quote, target) of ``results`` (see the module docstring).

    ``speaker_aliases``: a CSV file (``alias,canonical``) or dict that overrides speaker merging;
    ``target_aliases``: target specs (``["Israel=Israeli,IDF"]``), a dict or a CSV file
    (``alias,canonical``) naming the groups of targets. ``documents=True``: return
    ``(rows, documents)``, the second a frame with one row per document.
    """
    import pandas as pd

    from stance.analysis.speakers import SpeakerIndex
    from stance.targets.groups import TargetGrouper, read_target_file

    if isinstance(target_aliases, (str, Path)):
        target_aliases = read_target_file(target_aliases)
    group = TargetGrouper(target_aliases)
    rows: list[tuple] = []
    doc_rows: list[tuple] = []
    kept: list[str] | None = None
    counts = {"documents": 0, "with_quotes": 0, "without_quotes": 0, "failed": 0}
    empty_scores = (None,) * len(LABELS)
    for doc in documents_of(results):
        if kept is None:
            kept = [k for k in doc if k not in _OWN_KEYS]
        fields = tuple(doc.get(k) for k in kept)
        quotes = doc.get("quotes") or []
        counts["documents"] += 1
        counts["failed" if doc.get("error") is not None else "with_quotes" if quotes else "without_quotes"] += 1
        doc_rows.append((doc.get("id"), *fields, len(quotes), doc.get("error")))
        for number, q in enumerate(quotes):
            speaker = q.get("speaker") or {}
            mention = (speaker.get("mention") or {}).get("text")
            base = (doc.get("id"), *fields, number, q.get("kind"), speaker.get("name"), mention,
                    (q.get("cue") or {}).get("text"), content_of(q), q.get("start"), q.get("end"))
            stances = q.get("stances") or []
            if not stances:
                rows.append(base + (None, None, None, None, *empty_scores))
            for s in stances:
                scores = s.get("scores") or {}
                rows.append(base + (s.get("target"), group(s.get("target")), s.get("label"), s.get("score"),
                                    *(scores.get(label) for label in LABELS)))
    kept = kept or []
    raw = ["id", *kept, "quote", "kind", "name", "mention", "cue", "content", "start", "end",
           "target", "target_group", "label", "score", *SCORE_COLUMNS]
    frame = pd.DataFrame.from_records(rows, columns=raw)
    # Speakers, and targets that are names, merged across documents in one index: "Trump" as a
    # target groups with "Donald Trump", and with the speaker of that name.
    groups = frame["target_group"].dropna()
    named_groups = groups[groups.str[:1].str.isupper()]
    index = SpeakerIndex(speaker_aliases).fit(frame["name"].dropna().tolist() + named_groups.tolist())
    names = frame["name"]
    frame["speaker"] = names.map(index.canonical, na_action="ignore")
    frame["speaker_id"] = names.map(index.ids, na_action="ignore")
    renamed = {g: index.canonical[g] or g for g in named_groups.unique()}
    frame["target_group"] = frame["target_group"].map(lambda g: renamed.get(g, g), na_action="ignore")
    frame = frame[["id", *kept, *QUOTE_COLUMNS]]
    frame = frame.astype({"quote": "Int64", "start": "Int64", "end": "Int64", "score": float,
                          **{c: float for c in SCORE_COLUMNS}})
    frame.attrs["documents"] = counts
    if not documents:
        return frame
    docs = pd.DataFrame.from_records(doc_rows, columns=["id", *kept, "quotes", "error"])
    docs.attrs["documents"] = counts
    return frame, docs
