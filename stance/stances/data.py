"""Training and dev data for the stance classifier, as ``datasets.Dataset`` objects.

Every loader returns rows with the same five columns:
``text`` (the quote), ``target`` (what the stance is toward), ``label`` (an int, the index into
:data:`~stance.stances.labels.LABELS`), ``source`` (which corpus the row came from) and ``speaker``
(who holds the stance, as the source names them; "" when unknown).

Two sources:

- ``corpus``: the project's own stance corpus, ``data/stance/*.jsonl``, written by its
  contributors; lines ``{"id", "text", "target", "label", "speaker"}``. The dev split holds ~15% of
  it apart by a hash of the normalised quote text, so rows sharing a quote (one quote, several
  targets) always fall on the same side and no quote leaks from train into dev.
- ``unscon``: UNSCon (UN Security Council speeches on Ukraine, 2014; CC BY-SA 4.0) from
  ``$STANCE_DATA/unscon/sentences.jsonl``, relabelled into our four labels by
  ``data/unscon_relabels.jsonl`` (``{"id", "label", "target"}``). Sentences not (yet) relabelled are
  kept only where UNSCon marks a negative evaluation, as condemnation toward its target country:
  the dataset's own README says a negative evaluation is a condemnation, and that an unmarked
  sentence is NOT "other". Split by speech (the id up to its last '/', e.g.
  ``unscon/UNSC_2014_SPV.7219_spch015``), so that no speech is in both train and dev.

Splits are deterministic (sha1 of the key, not Python's salted ``hash``) and do not depend on row
order or on which other rows exist, so adding lines to the corpus never moves an old row.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from stance.stances.labels import LABEL_TO_ID, LABELS

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = REPO_ROOT / "data" / "stance"
UNSCON_RELABELS = REPO_ROOT / "data" / "unscon_relabels.jsonl"
DEV_FRACTION = 0.15
COLUMNS = ("text", "target", "label", "source", "speaker")


def shared_data_dir() -> Path:
    """``$STANCE_DATA``, else ``<repo>/../shared/data``."""
    env = os.environ.get("STANCE_DATA")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "data"


def in_dev(key: str, dev_fraction: float = DEV_FRACTION) -> bool:
    """Whether ``key`` falls in the dev split: its sha1, read as a number in [0, 1), is below the fraction."""
    digest = hashlib.sha1(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < dev_fraction


def normalise_text(text: str) -> str:
    """The split key of a quote: lower case, whitespace collapsed, outer quotation marks dropped."""
    return re.sub(r"\s+", " ", text).strip().strip("\"'“”‘’").strip().lower()


def _to_dataset(rows: list[dict[str, Any]]):
    from datasets import Dataset, Features, Value

    features = Features({"text": Value("string"), "target": Value("string"),
                         "label": Value("int64"), "source": Value("string"), "speaker": Value("string")})
    columns = {c: [r[c] for r in rows] for c in COLUMNS if c != "speaker"}
    columns["speaker"] = [r.get("speaker") or "" for r in rows]  # "" when the source names no one
    return Dataset.from_dict(columns, features=features)


def read_jsonl_rows(path: str | Path) -> Iterable[tuple[int, dict[str, Any] | None, str | None]]:
    """(line number, object or None, problem or None) for every non-blank line of a JSON-lines file."""
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                yield number, None, f"invalid JSON ({e.msg} at column {e.colno})"
                continue
            if not isinstance(obj, dict):
                yield number, None, "not a JSON object"
                continue
            yield number, obj, None


def read_corpus_rows(paths: Iterable[str | Path] | None = None) -> list[dict[str, Any]]:
    """All usable rows of the stance corpus files (default ``data/stance/*.jsonl``).

    A line with invalid JSON, an empty text or target, or a label outside LABELS is skipped with a
    warning naming the file and line. Exact duplicates (same text, target and label) are kept once.
    """
    paths = sorted(Path(p) for p in paths) if paths is not None else sorted(CORPUS_DIR.glob("*.jsonl"))
    rows, seen, problems = [], set(), []
    for path in paths:
        for number, obj, problem in read_jsonl_rows(path):
            if problem is None:
                text, target, label = (obj.get(k) for k in ("text", "target", "label"))
                if not isinstance(text, str) or not text.strip():
                    problem = "no text"
                elif not isinstance(target, str) or not target.strip():
                    problem = "no target"
                elif label not in LABEL_TO_ID:
                    problem = f"label {label!r} is not one of {list(LABELS)}"
            if problem:
                problems.append(f"{path.name}:{number}: {problem}")
                continue
            key = (normalise_text(text), target.strip().lower(), label)
            if key in seen:
                continue
            seen.add(key)
            speaker = obj.get("speaker") if isinstance(obj.get("speaker"), str) else ""
            rows.append({"text": text.strip(), "target": target.strip(), "label": LABEL_TO_ID[label],
                         "source": "corpus", "id": obj.get("id"), "speaker": speaker})
    if problems:
        shown = "; ".join(problems[:10]) + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
        warnings.warn(f"skipped {len(problems)} stance corpus line(s): {shown}", stacklevel=2)
    return rows


def load_corpus(paths: Iterable[str | Path] | None = None, dev_fraction: float = DEV_FRACTION):
    """(train, dev) Datasets of our stance corpus, split by a hash of the quote text."""
    rows = read_corpus_rows(paths)
    if not rows:
        where = "the given files" if paths is not None else f"{CORPUS_DIR}/*.jsonl"
        raise FileNotFoundError(f"No usable stance corpus lines in {where}")
    train = [r for r in rows if not in_dev(normalise_text(r["text"]), dev_fraction)]
    dev = [r for r in rows if in_dev(normalise_text(r["text"]), dev_fraction)]
    return _to_dataset(train), _to_dataset(dev)


_SMALL_WORDS = {"of", "the", "and", "for", "in", "on", "to", "a", "an"}


def country_name(name: str) -> str:
    """UNSCon's lower-case country names as written in text: 'united states of america' -> 'United States of America'."""
    words = name.strip().split()
    return " ".join(w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words))


def speech_id(sentence_id: str) -> str:
    """The speech a UNSCon sentence belongs to: its id up to the last '/'."""
    return sentence_id.rsplit("/", 1)[0]


def read_unscon_rows(sentences: str | Path | None = None,
                     relabels: str | Path | None = UNSCON_RELABELS) -> list[dict[str, Any]]:
    """UNSCon sentences with our labels (see the module docstring for the rules).

    ``relabels=None`` or a missing relabels file: only the negative evaluations, as condemnation.
    Each row also carries ``speech`` (its speech id) for splitting.
    """
    sentences = Path(sentences) if sentences else shared_data_dir() / "unscon" / "sentences.jsonl"
    if not sentences.is_file():
        raise FileNotFoundError(f"UNSCon sentences not found at {sentences}; set STANCE_DATA to the "
                                "folder holding unscon/sentences.jsonl, or train without UNSCon")
    relabelled: dict[str, dict[str, Any]] = {}
    if relabels is not None and Path(relabels).is_file():
        for number, obj, problem in read_jsonl_rows(Path(relabels)):
            if problem or obj.get("label") not in LABEL_TO_ID or not obj.get("target") or not obj.get("id"):
                warnings.warn(f"{Path(relabels).name}:{number}: skipped "
                              f"({problem or 'needs id, target and a label in ' + str(list(LABELS))})",
                              stacklevel=2)
                continue
            relabelled[obj["id"]] = obj
    rows = []
    for number, obj, problem in read_jsonl_rows(sentences):
        if problem or not obj.get("text"):
            continue
        new = relabelled.get(obj.get("id"))
        if new is not None:
            label, target = new["label"], new["target"]
        elif obj.get("negative_evaluation") and obj.get("target"):
            label, target = "condemnation", country_name(obj["target"])
        else:
            continue
        rows.append({"text": obj["text"].strip(), "target": target.strip(), "label": LABEL_TO_ID[label],
                     "source": "unscon", "id": obj["id"], "speech": speech_id(obj["id"]),
                     "speaker": obj.get("speaker") if isinstance(obj.get("speaker"), str) else ""})
    return rows


def load_unscon(sentences: str | Path | None = None, relabels: str | Path | None = UNSCON_RELABELS,
                dev_fraction: float = DEV_FRACTION):
    """(train, dev) Datasets of relabelled UNSCon, split by speech."""
    rows = read_unscon_rows(sentences, relabels)
    train = [r for r in rows if not in_dev(r["speech"], dev_fraction)]
    dev = [r for r in rows if in_dev(r["speech"], dev_fraction)]
    return _to_dataset(train), _to_dataset(dev)


def load_training_data(corpus: Iterable[str | Path] | None = None, unscon: bool = True,
                       unscon_sentences: str | Path | None = None,
                       unscon_relabels: str | Path | None = UNSCON_RELABELS,
                       dev_fraction: float = DEV_FRACTION, news: bool = True,
                       news_dir: str | Path | None = None):
    """Train set (all sources concatenated) and one dev set per source:
    ``(train, {"news": dev, "corpus": dev, "unscon": dev})``.

    ``news``: the real news annotations (``data/news/``, :mod:`stance.stances.news`), whose dev set
    is the headline one; left out with a warning when the shared texts they label are missing.
    ``corpus``: corpus files (default ``data/stance/*.jsonl``). ``unscon=False`` leaves UNSCon out.
    """
    from datasets import concatenate_datasets

    parts, dev_sets = [], {}
    if news:
        from stance.stances.news import load_news

        try:
            news_train, news_dev = load_news(news_dir)
        except FileNotFoundError as e:
            warnings.warn(f"training without real news annotations: {e}", stacklevel=2)
        else:
            parts.append(news_train)
            dev_sets["news"] = news_dev
    train, dev = load_corpus(corpus, dev_fraction)
    parts.append(train)
    dev_sets["corpus"] = dev
    if unscon:
        u_train, u_dev = load_unscon(unscon_sentences, unscon_relabels, dev_fraction)
        parts.append(u_train)
        dev_sets["unscon"] = u_dev
    return concatenate_datasets(parts), dev_sets


def label_counts(dataset) -> dict[str, int]:
    """How many rows of each label a Dataset has, by label name."""
    counts = {label: 0 for label in LABELS}
    for i in dataset["label"]:
        counts[LABELS[i]] += 1
    return counts
