"""The unlabelled transfer set a student model is distilled on: real text, as the pipeline sees it.

Knowledge distillation (Hinton et al. 2015) works best on inputs from the distribution the student
will meet. Ours are (quote, target) pairs from news: every gold attribution of PolNeAR's train month
(about 20,000), read as the pipeline reads a quote (:func:`stance.stances.news.polnear_quote_text`),
each paired with the targets the pipeline would propose for it (:func:`stance.targets.propose.
propose_targets`, up to ``max_targets``); plus UNSCon and keep_it_local sentences, paired the same
way. No labels are used: the teacher's scores are the only signal. Rows whose text is in any dev
set are left out by the caller (``exclude``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from stance.stances.data import _to_dataset, normalise_text, read_jsonl_rows, shared_data_dir
from stance.targets.propose import propose_targets

SOURCES = ("polnear", "unscon", "keep_it_local")


def _texts(source: str, data_dir: Path) -> Iterable[tuple[str, str]]:
    """(quote text, speaker words or "") of one source."""
    from stance.stances.news import polnear_quote_text

    if source == "polnear":
        for _, doc, problem in read_jsonl_rows(data_dir / "polnear" / "train.jsonl"):
            if problem:
                continue
            text = doc["text"]
            for quote in doc.get("quotes", []):
                content = [tuple(s) for s in quote.get("content") or []]
                if content:
                    speaker = " ".join(text[s:e] for s, e in quote.get("source") or [])
                    yield polnear_quote_text(text, content, [tuple(c) for c in quote.get("cue") or []]), speaker
    else:
        path = data_dir / ("unscon/sentences.jsonl" if source == "unscon" else "keep_it_local/quadclass_en.jsonl")
        for _, obj, problem in read_jsonl_rows(path):
            if not problem and isinstance(obj.get("text"), str):
                yield obj["text"], obj.get("speaker") if isinstance(obj.get("speaker"), str) else ""


def transfer_dataset(data_dir: str | Path | None = None, sources: Iterable[str] = SOURCES,
                     max_targets: int = 2, exclude: Iterable[str] = (), max_chars: int = 1000):
    """A Dataset (text, target, label=-1, source, speaker) of unlabelled pairs; ``exclude``: texts to leave out."""
    data_dir = Path(data_dir) if data_dir else shared_data_dir()
    excluded = {normalise_text(t) for t in exclude}
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for source in sources:
        for text, speaker in _texts(source, data_dir):
            text = text.strip()
            key = normalise_text(text)
            if not text or len(text) > max_chars or key in excluded or key in seen:
                continue
            seen.add(key)
            for target in propose_targets(text, max_targets=max_targets):
                rows.append({"text": text, "target": target, "label": -1, "source": f"transfer-{source}",
                             "speaker": speaker})
    return _to_dataset(rows)
