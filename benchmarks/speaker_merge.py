"""Precision and recall of merging speaker names across documents, on real name variants.

    python benchmarks/speaker_merge.py [--variants data/speaker_variants.csv] [--check-articles]

``data/speaker_variants.csv`` lists name variants as written in PolNeAR articles (train and dev),
each with the person it names there, read and checked by hand in its article (``article`` column):
"Mrs. Clinton" is Hillary, "Mr. Clinton" is Bill, "Rafael Cruz" is Ted Cruz's father. All variants
are merged together by ``stance.analysis.speakers.SpeakerIndex`` (no alias table), as one corpus.

Scores over pairs of rows: a pair is *merged* when both get the same ``speaker_id`` and *same*
when the list gives both the same person. Precision = merged pairs that are the same person /
merged pairs; recall = same-person pairs that are merged / same-person pairs. The wrong merges and
the missed ones are listed. ``--check-articles`` also checks that each variant occurs in its
article (needs ../shared/data/polnear or $STANCE_DATA).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stance.analysis.speakers import SpeakerIndex  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variants", default=str(ROOT / "data" / "speaker_variants.csv"))
    parser.add_argument("--check-articles", action="store_true")
    args = parser.parse_args()
    with open(args.variants, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    if args.check_articles:
        from stance.stances.data import shared_data_dir

        texts = {}
        for split in ("train", "dev"):
            with open(shared_data_dir() / "polnear" / f"{split}.jsonl", encoding="utf-8") as f:
                texts.update((r["id"], r["text"]) for r in map(json.loads, f))
        missing = [r for r in rows if r["variant"] not in texts.get(r["article"], "")]
        print(f"variants found in their articles: {len(rows) - len(missing)}/{len(rows)}")
    index = SpeakerIndex().fit(r["variant"] for r in rows)
    merged = same = both = 0
    wrong, missed = [], []
    for a, b in itertools.combinations(rows, 2):
        is_merged = index.id_of(a["variant"]) == index.id_of(b["variant"])
        is_same = a["person"] == b["person"]
        merged += is_merged
        same += is_same
        both += is_merged and is_same
        if is_merged and not is_same:
            wrong.append((a["variant"], a["person"], b["variant"], b["person"]))
        if is_same and not is_merged:
            missed.append((a["variant"], b["variant"]))
    people = len({r["person"] for r in rows})
    print(f"{len(rows)} variants of {people} people; {merged} pairs merged, {same} same-person pairs")
    print(f"merge precision {both / merged:.3f} ({both}/{merged}), recall {both / same:.3f} ({both}/{same})")
    print(f"speaker ids: {len(set(index.ids.values()))} for {people} people")
    for a, pa, b, pb in wrong:
        print(f"  wrong merge: {a!r} ({pa}) + {b!r} ({pb})")
    for a, b in missed:
        print(f"  not merged:  {a!r} + {b!r}")


if __name__ == "__main__":
    main()
