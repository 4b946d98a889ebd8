"""Scoring predicted quotes against gold attributions (PolNeAR's format).

A predicted quote matches a gold one when the character-Jaccard of their contents (the sets of
character offsets covered by their spans) reaches a threshold; matching is one-to-one, greedy from
the highest Jaccard down, as in the PolNeAR and Citron evaluations (Newell et al. 2018; Newell,
Margolin and Ruths 2018). Precision, recall and F1 follow from the matched pairs.

Speaker-mention accuracy is taken over quotes matched at Jaccard >= 0.5: the predicted mention is
right when it overlaps the gold source span, or when both are absent. ``exact`` also counts the
stricter rate where the predicted mention's text equals the gold source's.

``--by-kind`` splits by kind, read off the content the same way for gold and predicted quotes: *direct*
when every piece of the content is a quotation (opens and closes with a quotation mark), *mixed* when
the content holds quotation marks but is not all quotation, *indirect* when it holds none. The data's
README counts direct and mixed together as "direct quotes"; the report gives both.

``--by-kind`` also scores each role on its own by exact match, as the published PolNeAR taggers are
scored (BERT-CRF and CofeNet, COLING 2022): every content piece, cue and source span of a document,
each counted once, is snapped to the tokens it covers (``stance.segment.tokenize``, punctuation
tokens included) and matches only a span over exactly the same tokens. It is much stricter than
Jaccard 0.8: a content that takes or leaves out one closing quotation mark is a miss.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

QUOTE_MARKS = set("\"“”«»„") | {"''"}
THRESHOLDS = (0.5, 0.8)


def _chars(spans: Iterable[Iterable[int]]) -> set[int]:
    chars: set[int] = set()
    for s, e in spans:
        chars.update(range(s, e))
    return chars


OPENING = ("\"", "“", "«", "„", "''", "‘")
CLOSING = ("\"", "”", "»", "“", "''", "’")


def _kind(text: str, spans) -> str:
    """direct: every piece is a quotation; mixed: quotation marks inside; indirect: none."""
    pieces = [text[s:e].strip().rstrip(".,;:") for s, e in spans]
    content = " ".join(pieces)
    if not any(m in content for m in "\"“”«»„") and "''" not in content:
        return "indirect"
    if all(p.startswith(OPENING) and p.endswith(CLOSING) for p in pieces if p):
        return "direct"
    return "mixed"


def _gold_quotes(doc: dict) -> list[dict]:
    quotes = []
    for q in doc.get("quotes", []):
        if not q.get("content"):
            continue
        quotes.append({"spans": [tuple(s) for s in q["content"]], "source": [tuple(s) for s in q.get("source") or []]})
    return quotes


def _pred_quotes(record: dict) -> list[dict]:
    quotes = []
    for q in record.get("quotes", []):
        speaker = q.get("speaker")
        mention = speaker["mention"] if speaker else None
        quotes.append({"spans": [tuple(s) for s in q["spans"]], "source": [(mention["start"], mention["end"])] if mention else []})
    return quotes


def match(gold: list[dict], pred: list[dict], threshold: float) -> list[tuple[int, int]]:
    """One-to-one matching of quotes by content char-Jaccard >= threshold, greedy by Jaccard."""
    gold_chars = [_chars(g["spans"]) for g in gold]
    pred_chars = [_chars(p["spans"]) for p in pred]
    candidates = []
    for i, gc in enumerate(gold_chars):
        lo, hi = (min(gc), max(gc)) if gc else (0, -1)
        for j, pc in enumerate(pred_chars):
            if not pc or max(pc) < lo or min(pc) > hi:
                continue
            inter = len(gc & pc)
            if inter:
                jaccard = inter / len(gc | pc)
                if jaccard >= threshold:
                    candidates.append((jaccard, i, j))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_gold, used_pred, pairs = set(), set(), []
    for _, i, j in candidates:
        if i not in used_gold and j not in used_pred:
            used_gold.add(i)
            used_pred.add(j)
            pairs.append((i, j))
    return pairs


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "gold": n_gold, "predicted": n_pred, "matched": tp}


ROLES = ("content", "cue", "source")


def _token_spans(tokens, spans: Iterable[Iterable[int]]) -> set[tuple[int, int]]:
    """Each span as (first token, last token) of ``tokens``; spans over no token are dropped."""
    from bisect import bisect_left, bisect_right

    starts = [t.start for t in tokens]
    ends = [t.end for t in tokens]
    result = set()
    for s, e in spans:
        first = bisect_right(ends, s)  # the first token ending after s
        last = bisect_left(starts, e) - 1  # the last token starting before e
        if first <= last:
            result.add((first, last))
    return result


def _role_spans_gold(doc: dict) -> dict[str, list]:
    quotes = doc.get("quotes", [])
    return {role: [tuple(s) for q in quotes for s in (q.get(role) or [])] for role in ROLES}


def _role_spans_pred(record: dict) -> dict[str, list]:
    spans: dict[str, list] = {role: [] for role in ROLES}
    for q in record.get("quotes", []):
        spans["content"] += [tuple(s) for s in q["spans"]]
        if q.get("cue"):
            spans["cue"].append((q["cue"]["start"], q["cue"]["end"]))
        mention = (q.get("speaker") or {}).get("mention")
        if mention:
            spans["source"].append((mention["start"], mention["end"]))
    return spans


def evaluate_exact(gold_docs: list[dict], pred_records: list[dict]) -> dict[str, dict[str, float]]:
    """Exact token-boundary P/R/F1 per role (content pieces, cues, sources), each span counted once."""
    preds = {r.get("id"): r for r in pred_records}
    from stance.segment import tokenize

    counts = {role: [0, 0, 0] for role in ROLES}
    for doc in gold_docs:
        tokens = tokenize(doc["text"])
        gold = _role_spans_gold(doc)
        pred = _role_spans_pred(preds.get(doc["id"], {}))
        for role in ROLES:
            g, p = _token_spans(tokens, gold[role]), _token_spans(tokens, pred[role])
            counts[role][0] += len(g & p)
            counts[role][1] += len(p)
            counts[role][2] += len(g)
    return {role: _prf(*counts[role]) for role in ROLES}


def evaluate_quotes(gold_docs: list[dict], pred_records: list[dict], by_kind: bool = False) -> dict[str, Any]:
    """Quote P/R/F1 at each Jaccard threshold and speaker-mention accuracy on matched quotes."""
    preds = {r.get("id"): r for r in pred_records}
    missing = [d["id"] for d in gold_docs if d["id"] not in preds]
    if missing:
        raise ValueError(f"{len(missing)} gold documents have no prediction, first: {missing[0]!r}")
    kinds = ("all", "direct", "mixed", "indirect") if by_kind else ("all",)
    counts = {(k, t): [0, 0, 0] for k in kinds for t in THRESHOLDS}  # matched, predicted, gold
    speaker = {k: [0, 0, 0] for k in kinds}  # overlap-correct, exact-correct, total
    for doc in gold_docs:
        text = doc["text"]
        gold = _gold_quotes(doc)
        pred = _pred_quotes(preds[doc["id"]])
        gold_kind = [_kind(text, g["spans"]) for g in gold]
        pred_kind = [_kind(text, p["spans"]) for p in pred]
        for t in THRESHOLDS:
            pairs = match(gold, pred, t)
            for k in kinds:
                c = counts[(k, t)]
                c[0] += sum(1 for i, _ in pairs if k == "all" or gold_kind[i] == k)
                c[1] += sum(1 for pk in pred_kind if k == "all" or pk == k)
                c[2] += sum(1 for gk in gold_kind if k == "all" or gk == k)
            if t != 0.5:
                continue
            for i, j in pairs:
                g_src, p_src = gold[i]["source"], pred[j]["source"]
                if not g_src and not p_src:
                    overlap = exact = True
                elif not g_src or not p_src:
                    overlap = exact = False
                else:
                    overlap = bool(_chars(g_src) & _chars(p_src))
                    exact = " ".join(text[s:e] for s, e in g_src).strip() == " ".join(text[s:e] for s, e in p_src).strip()
                for k in kinds:
                    if k == "all" or gold_kind[i] == k:
                        speaker[k][0] += overlap
                        speaker[k][1] += exact
                        speaker[k][2] += 1
    report: dict[str, Any] = {"documents": len(gold_docs)}
    for k in kinds:
        report[k] = {f"jaccard>={t}": _prf(*counts[(k, t)]) for t in THRESHOLDS}
        n = speaker[k][2]
        report[k]["speaker_mention_accuracy"] = round(speaker[k][0] / n, 4) if n else 0.0
        report[k]["speaker_mention_exact"] = round(speaker[k][1] / n, 4) if n else 0.0
        report[k]["speaker_matched_quotes"] = n
    if by_kind:
        report["exact_spans"] = evaluate_exact(gold_docs, pred_records)
    return report


def read_jsonl(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def format_report(report: dict[str, Any]) -> str:
    lines = [f"documents: {report['documents']}"]
    for k, block in report.items():
        if not isinstance(block, dict) or k == "exact_spans":
            continue
        lines.append(f"[{k}]")
        for t in THRESHOLDS:
            m = block[f"jaccard>={t}"]
            lines.append(
                f"  Jaccard>={t}: P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}"
                f"  (matched {m['matched']}, predicted {m['predicted']}, gold {m['gold']})"
            )
        lines.append(
            f"  speaker mention accuracy {block['speaker_mention_accuracy']:.3f}"
            f" (exact {block['speaker_mention_exact']:.3f}) on {block['speaker_matched_quotes']} matched quotes"
        )
    if "exact_spans" in report:
        lines.append("[exact token-boundary spans]")
        for role, m in report["exact_spans"].items():
            lines.append(f"  {role:<8} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}"
                         f"  (matched {m['matched']}, predicted {m['predicted']}, gold {m['gold']})")
    return "\n".join(lines)
