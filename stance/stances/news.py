"""Real news stance annotations (``data/news/``), joined back to the third-party text they label.

Two files, written by this project's annotators under ``docs/annotation-guidelines.md``; each line
holds ids, offsets, a target and labels, never the text (see ``data/news/DATASHEET.md``):

- ``polnear.jsonl``: one line per (PolNeAR attribution, target),
  ``{"id": "<document id>#<attribution index>", "content": [[s, e], ...], "cue": [[s, e], ...],
  "source": [[s, e], ...], "target", "label", "annotators": [first, second], "split"}``; offsets
  index the document's text in ``$STANCE_DATA/polnear/{train,dev}.jsonl``. ``split`` is ``dev``
  for articles of PolNeAR's dev month (the news dev set) and ``train`` for its train month, so the
  split is by article.
- ``plv.jsonl``: one line per PLOVER-coded sentence of ``$STANCE_DATA/plv/train.jsonl``,
  ``{"id", "target", "label", "annotators", "split"}``; split by sentence text (a sentence marked
  with several targets is on one side only).

``label`` is the adjudicated label; ``annotators`` the two independent labels it was settled from.
What the model reads for a PolNeAR attribution is what the pipeline gives it for the same quote
(:func:`stance.pipeline.stance_text`: the content, with its cue when the cue comes first); for a
PLOVER row, the whole sentence.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

from stance.stances.data import REPO_ROOT, _to_dataset, read_jsonl_rows, shared_data_dir
from stance.stances.labels import LABEL_TO_ID, LABELS

NEWS_DIR = REPO_ROOT / "data" / "news"
SOURCES = ("polnear", "plv")


def _document_texts(paths: list[Path]) -> tuple[dict[str, str], dict[str, str]]:
    """Texts by id, and speakers by id where the file names one (PLOVER's marked source)."""
    texts: dict[str, str] = {}
    speakers: dict[str, str] = {}
    for path in paths:
        if not path.is_file():
            continue
        for _, obj, problem in read_jsonl_rows(path):
            if problem is None and isinstance(obj.get("id"), str) and isinstance(obj.get("text"), str):
                texts[obj["id"]] = obj["text"]
                if isinstance(obj.get("speaker"), str):
                    speakers[obj["id"]] = obj["speaker"]
    return texts, speakers


def _spans(value: Any) -> list[tuple[int, int]]:
    return [(int(s), int(e)) for s, e in value or []]


def polnear_quote_text(text: str, content: list[tuple[int, int]], cue: list[tuple[int, int]]) -> str:
    """The model's input for a gold attribution: :func:`stance.pipeline.stance_text` of its quote."""
    from stance.document import Quote, Span
    from stance.evaluate import _kind
    from stance.pipeline import stance_text

    before = [c for c in sorted(cue) if c[1] <= min(s for s, _ in content)]
    cue_span = Span.of(text, *before[-1]) if before else (Span.of(text, *sorted(cue)[0]) if cue else None)
    quote = Quote.of(text, content, _kind(text, content), cue=cue_span)
    return stance_text(text, quote)


def read_news_rows(news_dir: str | Path | None = None, data_dir: str | Path | None = None) -> list[dict[str, Any]]:
    """Rows ``{"text", "target", "label" (int), "source", "id", "split", "annotators"}`` of both files.

    A line whose document or sentence is not in the shared data, whose offsets fall outside its
    text, or whose label is unknown is skipped with one warning naming it (the first ten are named).
    """
    news_dir = Path(news_dir) if news_dir else NEWS_DIR
    data_dir = Path(data_dir) if data_dir else shared_data_dir()
    texts, speakers = _document_texts([data_dir / "polnear" / "train.jsonl", data_dir / "polnear" / "dev.jsonl",
                             data_dir / "plv" / "train.jsonl"])
    rows, problems = [], []
    for source in SOURCES:
        path = news_dir / f"{source}.jsonl"
        if not path.is_file():
            continue
        for number, obj, problem in read_jsonl_rows(path):
            where = f"{path.name}:{number}"
            if problem is None:
                problem, row = _row(source, obj, texts, speakers)
            if problem:
                problems.append(f"{where} ({obj.get('id') if obj else '?'}): {problem}")
                continue
            rows.append(row)
    if problems:
        shown = "; ".join(problems[:10]) + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
        warnings.warn(f"skipped {len(problems)} news annotation line(s): {shown}", stacklevel=2)
    return rows


def _row(source: str, obj: dict[str, Any], texts: dict[str, str],
         speakers: dict[str, str]) -> tuple[str | None, dict[str, Any] | None]:
    label, target, id_ = obj.get("label"), obj.get("target"), obj.get("id")
    if label not in LABEL_TO_ID:
        return f"label {label!r} is not one of {list(LABELS)}", None
    if not isinstance(target, str) or not target.strip() or not isinstance(id_, str):
        return "needs an id and a target", None
    if source == "polnear":
        document = id_.rsplit("#", 1)[0]
        text = texts.get(document)
        if text is None:
            return f"document {document} is not in the shared PolNeAR data", None
        content, cue = _spans(obj.get("content")), _spans(obj.get("cue"))
        if not content or any(not 0 <= s < e <= len(text) for s, e in content + cue):
            return f"offsets outside the text of {document} ({len(text)} characters)", None
        quote_text = polnear_quote_text(text, content, cue)
        speaker = " ".join(text[s:e] for s, e in _spans(obj.get("source")) if 0 <= s < e <= len(text))
    else:
        quote_text = texts.get(id_)
        if quote_text is None:
            return f"sentence {id_} is not in the shared PLOVER data", None
        speaker = speakers.get(id_, "")
    return None, {"text": quote_text.strip(), "target": target.strip(), "label": LABEL_TO_ID[label],
                  "source": f"news-{source}", "id": id_, "split": obj.get("split", "train"),
                  "annotators": obj.get("annotators"), "speaker": speaker}


def load_news(news_dir: str | Path | None = None, data_dir: str | Path | None = None):
    """(train, dev) Datasets of the real news annotations; dev is the news dev set."""
    rows = read_news_rows(news_dir, data_dir)
    if not rows:
        raise FileNotFoundError(f"no usable news annotations in {news_dir or NEWS_DIR} joined to "
                                f"{data_dir or shared_data_dir()}; set STANCE_DATA to the shared data folder")
    train = [r for r in rows if r["split"] != "dev"]
    dev = [r for r in rows if r["split"] == "dev"]
    return _to_dataset(train), _to_dataset(dev)


def write_jsonl(path: str | Path, rows: list[dict[str, Any]]) -> None:
    """Write rows as JSON lines (UTF-8, one object a line)."""
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
