"""Write the items for the real-news stance annotation round (data/news/).

PolNeAR gold attributions (source, cue, content offsets) from a seeded sample of training
articles, and of development articles for the news dev set; and every PLOVER-coded sentence of
shared/data/plv/train.jsonl, split into train and dev by sentence text. The items carry the text
the annotators read; only ids, offsets, targets and labels are committed (data/news/).

    python scripts/news_annotation_batches.py OUT_DIR [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path

SEED = 20261129
TRAIN_QUOTES = 5300    # attributions drawn from PolNeAR train articles (whole articles; two rounds of 2,650)
DEV_QUOTES = 980      # attributions drawn from PolNeAR dev articles (whole articles; two rounds of 480 and 500)
PLV_DEV_SHARE = 0.4   # of each PLOVER root's sentences, by text, to the news dev set
CONTEXT = 350         # characters of paragraph shown either side of an attribution


def _paragraph_window(text: str, start: int, end: int) -> tuple[int, int]:
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    right = len(text) if right < 0 else right
    return max(left, start - CONTEXT), min(right, end + CONTEXT)


def _marked(text: str, quote: dict) -> str:
    marks = []
    for name, open_, close in (("source", "[S: ", "]"), ("cue", "[C: ", "]"), ("content", "{Q: ", "}")):
        for s, e in quote.get(name) or []:
            marks.append((s, e, open_, close))
    spans = [(s, e) for s, e, *_ in marks]
    lo, hi = _paragraph_window(text, min(s for s, _ in spans), max(e for _, e in spans))
    inserts = []
    for s, e, open_, close in marks:
        inserts += [(s, 1, open_), (e, 0, close)]
    out, at = [], lo
    for pos, _, mark in sorted(inserts):
        out.append(text[at:pos])
        out.append(mark)
        at = pos
    out.append(text[at:hi])
    return ("... " if lo > 0 else "") + "".join(out).replace("\n", " / ") + (" ..." if hi < len(text) else "")


def polnear_items(path: Path, wanted: int, prefix: str, rng: random.Random) -> list[dict]:
    docs = [json.loads(line) for line in path.open(encoding="utf-8")]
    rng.shuffle(docs)
    items: list[dict] = []
    for doc in docs:
        if len(items) >= wanted:
            break
        text = doc["text"]
        name = doc["id"].split("/")[-1]
        for k, quote in enumerate(doc["quotes"]):
            if not quote.get("content"):
                continue
            items.append({
                "item": f"{prefix}-{len(items):04d}",
                "id": f"{doc['id']}#{k}",
                "article": name,
                "source": " ... ".join(text[s:e] for s, e in quote.get("source") or []) or None,
                "cue": " ... ".join(text[s:e] for s, e in quote.get("cue") or []) or None,
                "content": " ... ".join(text[s:e] for s, e in quote["content"]),
                "context": _marked(text, quote),
            })
    return items


def plv_items(path: Path, rng: random.Random) -> tuple[list[dict], list[dict]]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    by_text: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_text[row["text"]].append(row)
    by_root: dict[str, list[str]] = defaultdict(list)
    for text, group in by_text.items():
        by_root[group[0]["plover"]].append(text)
    dev_texts = set()
    for root in sorted(by_root):
        texts = sorted(by_root[root])
        rng.shuffle(texts)
        dev_texts.update(texts[: round(len(texts) * PLV_DEV_SHARE)])
    train, dev = [], []
    for row in rows:
        item = {"id": row["id"], "sentence": row["marked"], "source": row["speaker"], "target": row["target"]}
        (dev if row["text"] in dev_texts else train).append(item)
    return train, dev


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    args = parser.parse_args()
    rng = random.Random(SEED)
    args.out.mkdir(parents=True, exist_ok=True)
    sets = {
        "polnear-train": polnear_items(args.data / "polnear" / "train.jsonl", TRAIN_QUOTES, "pt", rng),
        "polnear-dev": polnear_items(args.data / "polnear" / "dev.jsonl", DEV_QUOTES, "pd", rng),
    }
    plv_train, plv_dev = plv_items(args.data / "plv" / "train.jsonl", rng)
    sets["plv-train"], sets["plv-dev"] = plv_train, plv_dev
    for name, items in sets.items():
        with (args.out / f"{name}.jsonl").open("w", encoding="utf-8") as f:
            for item in items:
                f.write(json.dumps(item, ensure_ascii=False) + "\n")
        print(f"{name}: {len(items)} items")


if __name__ == "__main__":
    main()
