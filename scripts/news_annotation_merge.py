"""Merge two annotation passes (and adjudications) into data/news/{polnear,plv}.jsonl.

    python scripts/news_annotation_merge.py ITEMS_DIR PASSES_DIR [--adjudicated FILE] [--out data/news]

ITEMS_DIR is what scripts/news_annotation_batches.py wrote; PASSES_DIR holds A-<part>.jsonl (target
and label per item; a second line for a second target) and B-<part>.jsonl (a label per
"<item>/<n>", the n-th line of A for that item). Where A and B agree the label stands unless
a re-check changed it; where they differ the adjudicated label is used (``{"item": "<item>/<n>",
"label", "rule"}`` lines); a disagreement without one is listed and left out. Writes only ids, offsets, targets and labels.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

PARTS = {"polnear": ("pt1", "pt2", "pt3", "pt4", "pt5", "pt6", "pd", "pd2"), "plv": ("plv",)}


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("items", type=Path)
    parser.add_argument("passes", type=Path)
    parser.add_argument("--adjudicated", type=Path, nargs="*", default=[],
                        help="adjudication files; a later file wins; a line with \"rule\": \"kept\" changes nothing")
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "data" / "news")
    parser.add_argument("--disagreements", type=Path, help="write unadjudicated disagreements here")
    args = parser.parse_args()

    items = {}
    for name in ("polnear-train", "polnear-dev"):
        for item in _jsonl(args.items / f"{name}.jsonl"):
            items[item["item"]] = {**item, "split": "dev" if name.endswith("dev") else "train"}
    plv_split = {}
    for name in ("plv-train", "plv-dev"):
        for item in _jsonl(args.items / f"{name}.jsonl"):
            plv_split[item["id"]] = "dev" if name.endswith("dev") else "train"
    gold = {}
    for split in ("train", "dev"):
        for doc in _jsonl(args.data / "polnear" / f"{split}.jsonl"):
            for k, quote in enumerate(doc["quotes"]):
                gold[f"{doc['id']}#{k}"] = quote
    adjudicated = {}
    for path in args.adjudicated:
        for a in _jsonl(path):
            if a.get("rule") != "kept":
                adjudicated[a["item"]] = a

    open_cases, missing, out = [], [], {"polnear": [], "plv": []}
    for source, parts in PARTS.items():
        for part in parts:
            a_lines = _jsonl(args.passes / f"A-{part}.jsonl")
            b_labels = {b["item"]: b["label"] for b in _jsonl(args.passes / f"B-{part}.jsonl")}
            seen = collections.Counter()
            for a in a_lines:
                key = f"{a['item']}/{seen[a['item']]}"
                seen[a["item"]] += 1
                b = b_labels.get(key, b_labels.get(a["item"]) if key.endswith("/0") else None)
                if b is None:
                    missing.append(key)
                    continue
                settled = adjudicated.get(key) or (adjudicated.get(a["item"]) if key.endswith("/0") else None)
                if settled is not None:  # a disagreement settled, or an agreed row re-checked
                    label, rule = settled["label"], settled.get("rule") or "adjudicated"
                elif a["label"] == b:
                    label, rule = b, None
                else:
                    open_cases.append({"item": key, "labels": [a["label"], b]})
                    continue
                if source == "polnear":
                    item = items[a["item"]]
                    quote = gold[item["id"]]
                    row = {"id": item["id"], "content": quote["content"], "cue": quote.get("cue") or [],
                           "source": quote.get("source") or [], "target": a["target"], "label": label,
                           "annotators": [a["label"], b], "split": item["split"]}
                else:
                    row = {"id": a["item"], "target": a.get("target") or None, "label": label,
                           "annotators": [a["label"], b], "split": plv_split[a["item"]]}
                if rule:
                    row["adjudication"] = rule
                out[source].append(row)
    plv_targets = {r["id"]: r["target"] for r in _jsonl(args.data / "plv" / "train.jsonl")}
    for row in out["plv"]:
        row["target"] = row["target"] or plv_targets[row["id"]]
    args.out.mkdir(parents=True, exist_ok=True)
    for source, rows in out.items():
        with (args.out / f"{source}.jsonl").open("w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{source}: {len(rows)} rows")
    if missing:
        print(f"{len(missing)} lines without a second annotation, left out: {missing[:5]} ...", file=sys.stderr)
    if open_cases:
        print(f"{len(open_cases)} disagreements without an adjudication, left out", file=sys.stderr)
        if args.disagreements:
            with args.disagreements.open("w", encoding="utf-8") as f:
                for case in open_cases:
                    f.write(json.dumps(case) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
