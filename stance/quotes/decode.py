"""From tagged spans to quotes: which content goes with which cue, and which source with each cue.

Tags in, quotes out, nothing else. The tagger (:mod:`stance.quotes.tagger`) marks three kinds of
span in a paragraph: sources, cues and contents. This module links them, by position only:

1. **content -> cue.** Each content piece takes the nearest cue of its paragraph that no other
   content piece separates from it, preferring a cue in its own sentence ('"A," he said. "B," she
   said.' gives B to "she said"). A cue inside the piece itself counts (a mixed quote whose cue is
   within the quotation marks).
2. **pieces -> quote.** The pieces that share a cue are one quote ('"Safety," said Grimm. "Safety
   for the whole country."'). A piece that no cue reaches continues the quote before it in the
   paragraph, as PolNeAR annotates continued speech; at the start of a paragraph, a quotation
   continues the last quote of the paragraph before (a new quote, same cue and source).
3. **cue -> source.** A cue takes the nearest source in its sentence, else in its paragraph; one
   source may serve several cues ("X said ... and added that ...").
4. **channels.** A cue with a source but no content of its own, followed in its sentence by a quote
   whose source comes after it, is the *channel* of that quote: in "A statement from the office
   confirmed that the prime minister reaffirmed '...'" the words are the prime minister's and the
   statement is how they reached us. The quote keeps the channel's source as ``via``.
5. **kind** comes from the quotation marks: *direct* when every piece is a quotation, *mixed* when
   quotation marks hold at least ``MIXED_MIN_WORDS`` of its words, else *indirect*.

Content pieces of one paragraph never overlap (the tagger has one content layer), so no two quotes
share words.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from stance.quotes.extract import MIXED_MIN_WORDS
from stance.segment import ABBREVIATIONS, sentences
from stance.speakers.mentions import RELATIVE_PRONOUNS, SUBJECT_PRONOUNS

OPENING = ("\"", "“", "«", "„", "''", "‘")
CLOSING = ("\"", "”", "»", "“", "''", "’")
QUOTE_CHARS = "\"“”«»„"
EDGE_PUNCT = ",;:—–-"


@dataclass(frozen=True)
class DecodedQuote:
    """A quote before speaker resolution, as :class:`stance.quotes.extract.RawQuote` plus its channel."""

    spans: tuple[tuple[int, int], ...]
    kind: str
    cue: tuple[int, int] | None
    source: tuple[int, int] | None
    source_kind: str | None
    via: tuple[int, int] | None = None


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in EDGE_PUNCT):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in EDGE_PUNCT):
        e -= 1
    return s, e


def quote_kind(text: str, spans) -> str:
    """direct: every piece is a quotation; mixed: quoted words inside (at least MIXED_MIN_WORDS);
    indirect: no quotation marks, or only a scare-quoted word or two."""
    pieces = [text[s:e].strip().rstrip(".,;:!?").strip() for s, e in spans]
    if not any(c in p for p in pieces for c in QUOTE_CHARS) and not any("''" in p for p in pieces):
        return "indirect"
    if all(p.startswith(OPENING) and (p.endswith(CLOSING) or text[s:e].rstrip().endswith(CLOSING)) for p, (s, e) in zip(pieces, spans) if p):
        return "direct"
    quoted = 0
    for p, (s, _) in zip(pieces, spans):
        inside = _open_before(text, s)
        for word in p.split():
            opens = word.startswith(OPENING)
            closes = word.rstrip(".,;:!?").endswith(CLOSING) and not (opens and len(word) == 1)
            if opens:
                inside = True
            if inside:
                quoted += 1
            if closes:
                inside = False
    return "mixed" if quoted >= MIXED_MIN_WORDS else "indirect"


def _open_before(text: str, position: int) -> bool:
    """Whether a quotation opened earlier on the line is still open at ``position``."""
    line = text[text.rfind("\n", 0, position) + 1 : position]
    curly = max(line.rfind("“"), line.rfind("”"), line.rfind("«"), line.rfind("»"))
    if curly >= 0 and line[curly] in "“«":
        return True
    return line.count('"') % 2 == 1


def source_kind(text: str, span: tuple[int, int]) -> str:
    low = text[span[0] : span[1]].strip().lower()
    if low in SUBJECT_PRONOUNS:
        return "pronoun"
    if low in RELATIVE_PRONOUNS:
        return "relative"
    return "noun"


class _Units:
    """Sentence index of a character position within one paragraph."""

    def __init__(self, text: str, ps: int, pe: int, contents: list[tuple[int, int]]):
        spans = sentences(text, ps, pe) or [(ps, pe)]
        merged: list[tuple[int, int]] = []
        for s, e in spans:
            # a content piece across a sentence boundary keeps the two sentences together
            if merged and any(cs < s < ce or cs < merged[-1][1] < ce for cs, ce in contents):
                merged[-1] = (merged[-1][0], e)
            else:
                merged.append((s, e))
        self.starts = [s for s, _ in merged]

    def of(self, position: int) -> int:
        return max(0, bisect.bisect_right(self.starts, position) - 1)


def _between(a: tuple[int, int], b: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """Whether any of ``spans`` (other than a and b) lies entirely between a and b."""
    lo, hi = (a[1], b[0]) if a[0] <= b[0] else (b[1], a[0])
    return any(lo <= s and e <= hi and (s, e) != a and (s, e) != b for s, e in spans)


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    if a[1] <= b[0]:
        return b[0] - a[1]
    if b[1] <= a[0]:
        return a[0] - b[1]
    return 0


# What may lie between two tagged pieces of one role for them to be one span: a word piece tagged O
# inside a name ("Mr" "." "Trump") or a comma inside a content.
JOIN_GAPS = {
    "source": re.compile(r"[\s'’-]*|\.\s*"),  # a period only after an abbreviation (see _joined)
    "cue": re.compile(r"\s*"),
    "content": re.compile(r"\s*,?\s*"),
}


def _joined(text: str, spans: list[tuple[int, int]], role: str) -> list[tuple[int, int]]:
    result: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if result and s >= result[-1][1] and JOIN_GAPS[role].fullmatch(text, result[-1][1], s) is not None and (
            role != "source" or "." not in text[result[-1][1] : s] or _abbreviation_before(text, result[-1][1])
        ):
            result[-1] = (result[-1][0], e)
        else:
            result.append((s, e))
    return result


def _abbreviation_before(text: str, end: int) -> bool:
    word = re.search(r"(\w+)$", text[max(0, end - 12) : end])
    return bool(word) and (word.group(1).lower() in ABBREVIATIONS or len(word.group(1)) == 1)


def decode_paragraph(text: str, ps: int, pe: int, found: dict[str, list[tuple[int, int]]],
                     previous: DecodedQuote | None = None) -> list[DecodedQuote]:
    """Quotes of the paragraph text[ps:pe] from its tagged ``found`` spans (``source``, ``cue``,
    ``content``: lists of character spans). ``previous`` is the last quote of the paragraph before,
    which a quotation opening this paragraph with no cue of its own continues."""
    spans = {role: _joined(text, list(found.get(role, ())), role) for role in ("source", "cue", "content")}
    contents = sorted(t for t in (_trim(text, s, e) for s, e in spans["content"]) if t[0] < t[1])
    cues = sorted(t for t in (_trim(text, s, e) for s, e in spans["cue"]) if t[0] < t[1])
    sources = sorted(t for t in (_trim(text, s, e) for s, e in spans["source"]) if t[0] < t[1])
    if not contents:
        return []
    units = _Units(text, ps, pe, contents)

    # 1. content -> cue
    cue_of: dict[tuple[int, int], tuple[int, int] | None] = {}
    for c in contents:
        best, best_key = None, None
        for cue in cues:
            if _between(c, cue, contents):
                continue
            key = (units.of(cue[0]) != units.of(c[0]), _gap(c, cue), cue[0] > c[0])
            if best_key is None or key < best_key:
                best, best_key = cue, key
        cue_of[c] = best

    # 2. pieces -> quotes (in text order of their first piece)
    groups: list[list[tuple[int, int]]] = []
    group_cue: list[tuple[int, int] | None] = []
    by_cue: dict[tuple[int, int], int] = {}
    for c in contents:
        cue = cue_of[c]
        if cue is not None and cue in by_cue:
            groups[by_cue[cue]].append(c)
        elif cue is None and groups:
            groups[-1].append(c)  # continues the quote before it
        else:
            if cue is not None:
                by_cue[cue] = len(groups)
            groups.append([c])
            group_cue.append(cue)

    # 3. cue -> source
    def source_for(cue: tuple[int, int]) -> tuple[int, int] | None:
        best, best_key = None, None
        for src in sources:
            if src[0] < cue[1] and cue[0] < src[1] or units.of(src[0]) != units.of(cue[0]):
                continue
            key = (units.of(src[0]) != units.of(cue[0]), _between(src, cue, cues), _gap(src, cue))
            if best_key is None or key < best_key:
                best, best_key = src, key
        return best

    quotes: list[DecodedQuote] = []
    for pieces, cue in zip(groups, group_cue):
        spans = tuple(sorted(pieces))
        kind = quote_kind(text, spans)
        if cue is None:
            if previous is not None and spans[0][0] == ps and kind == "direct":
                quotes.append(DecodedQuote(spans, kind, previous.cue, previous.source, previous.source_kind, previous.via))
            else:
                quotes.append(DecodedQuote(spans, kind, None, None, None))
            continue
        src = source_for(cue)
        quotes.append(DecodedQuote(spans, kind, cue, src, source_kind(text, src) if src else None))

    # 4. channels: a cue with no content, before a quote's own source in the same sentence
    used = {q.cue for q in quotes if q.cue}
    orphans = [c for c in cues if c not in used]
    if orphans:
        result = []
        for q in quotes:
            via = q.via
            if q.source is not None and q.cue is not None and via is None:
                for cue in orphans:
                    if cue[1] <= q.source[0] and units.of(cue[0]) == units.of(q.source[0]) and not _between(cue, q.source, contents):
                        channel = source_for(cue)
                        if channel is not None and channel[1] <= q.source[0] and channel != q.source:
                            via = channel
            result.append(DecodedQuote(q.spans, q.kind, q.cue, q.source, q.source_kind, via) if via != q.via else q)
        quotes = result
    return quotes


def decode(text: str, paras: list[tuple[int, int]], found: list[dict[str, list[tuple[int, int]]]]) -> list[DecodedQuote]:
    """Quotes of a whole text from the tagged spans of each of its paragraphs, in text order."""
    quotes: list[DecodedQuote] = []
    previous: DecodedQuote | None = None
    for (ps, pe), spans in zip(paras, found):
        got = decode_paragraph(text, ps, pe, spans, previous)
        quotes.extend(got)
        previous = got[-1] if got and got[-1].kind != "indirect" else None
    quotes.sort(key=lambda q: q.spans[0])
    return quotes
