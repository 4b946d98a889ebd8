"""Quote extraction: every direct, mixed and indirect quote in a text, with its cue and source mention.

The steps: pair the quotation marks (``marks``), split paragraphs into sentences without breaking
inside a quotation, find the attributions of each sentence (``attribution``), then decide each
quote's kind and give the quotations no sentence attributed their place:

- a quotation right after an attributed one, in the same paragraph, continues it ("A," he said. "B.");
- a quotation opening the paragraph after "He continued:" belongs to that cue;
- any other quotation of at least ``MIN_SPEECH_WORDS`` words that fills its paragraph is speech
  with no recoverable speaker; shorter unattributed ones are titles or scare quotes and are skipped.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from stance.quotes.attribution import Attribution, find_attributions, starts_with_tail
from stance.quotes.marks import Quotation, find_quotations
from stance.segment import Token, paragraphs, sentences, tokenize

# Unattributed quotations shorter than this are titles or scare quotes, not speech. PolNeAR's
# unattributed direct quotes are whole sentences; "so-called 'experts'" is two words.
MIN_SPEECH_WORDS = 6
# A quoted fragment inside reported speech makes it "mixed" only when it is the speaker's words,
# not a scare quote: "so-called 'experts'" stays indirect.
MIXED_MIN_WORDS = 3


# Attributions are looked for in stretches of at most this many tokens: a "sentence" longer than
# that (a text without full stops) is cut into such stretches. Each cue's content may run to the end
# of its sentence, so without a bound a long sentence dense with cues costs (and outputs) a quadratic
# amount. The longest sentence in PolNeAR train and dev has 329 tokens.
MAX_SENTENCE_TOKENS = 500

# A quotation signed with a dash and a name to the end of its paragraph: “...” ― Jane Doe
_DASH_SIGNATURE = re.compile(r"\s*([―—–])\s*([A-Z][^\n]{0,80}?)\s*$")


@dataclass(frozen=True)
class RawQuote:
    """A quote before speaker resolution: character spans only."""

    spans: tuple[tuple[int, int], ...]
    kind: str
    cue: tuple[int, int] | None
    source: tuple[int, int] | None
    source_kind: str | None


def _sentences(text: str, ps: int, pe: int, quotations: list[tuple[int, int]], tokens: list[Token], starts: list[int]) -> list[tuple[int, int]]:
    """Sentences of a paragraph, joined where a boundary falls inside a quotation, or where a
    quotation ending in ? or ! is followed by its attribution ('"Why now?" Trump asked.')."""
    result: list[tuple[int, int]] = []
    # Linear sweeps instead of a scan of all quotations per sentence (quadratic in a long paragraph):
    # a boundary falls inside a quotation when some quotation starting before it ends after it
    # (``reach``: the furthest end of those that start before ``s``; sentences come in order).
    ordered = sorted(quotations)
    ends = {qe for _, qe in quotations}
    reach, j = -1, 0
    for s, e in sentences(text, ps, pe):
        while j < len(ordered) and ordered[j][0] < s:
            reach = max(reach, ordered[j][1])
            j += 1
        if result and reach > s:
            result[-1] = (result[-1][0], e)
        elif result and text[result[-1][1] - 2] in "?!" and result[-1][1] in ends and starts_with_tail(
            tokens, bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
        ):
            result[-1] = (result[-1][0], e)
        else:
            result.append((s, e))
    return result


def _word_count(text: str, spans) -> int:
    return sum(len(text[s:e].split()) for s, e in spans)


def _trim(text: str, span: tuple[int, int]) -> tuple[int, int]:
    s, e = span
    while s < e and (text[s].isspace() or text[s] in ",;:—–"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:—–"):
        e -= 1
    return (s, e)


def extract_quotes(text: str) -> list[RawQuote]:
    """All quotes in ``text``, in order of their first character."""
    paras = paragraphs(text)
    quotations = find_quotations(text, paras)
    pieces = sorted(p for q in quotations for p in q.pieces)
    piece_starts = [p[0] for p in pieces]
    by_piece = {p: q for q in quotations for p in q.pieces}

    quotes: list[RawQuote] = []
    claimed: set[Quotation] = set()
    colon_cue: dict[int, Attribution] = {}  # paragraph index -> "He continued:" at its end
    last_direct: dict[int, int] = {}  # paragraph index -> index in quotes of its last quoted (direct or mixed) quote

    # the pieces overlapping each paragraph, in order (one pass, not one scan of all pieces per paragraph)
    para_ends = [pe for _, pe in paras]
    pieces_of: dict[int, list[tuple[int, int]]] = {}
    for piece in pieces:
        k = bisect.bisect_right(para_ends, piece[0])
        while k < len(paras) and paras[k][0] < piece[1]:
            pieces_of.setdefault(k, []).append(piece)
            k += 1

    for p_index, (ps, pe) in enumerate(paras):
        tokens = tokenize(text, ps, pe)
        if not tokens:
            continue
        starts = [t.start for t in tokens]
        para_pieces = pieces_of.get(p_index, [])
        inside = _quoted_tokens(tokens, para_pieces)
        for ss, se in _sentences(text, ps, pe, para_pieces, tokens, starts):
            lo = bisect.bisect_left(starts, ss)
            hi = bisect.bisect_left(starts, se)
            for attribution in _attributions(tokens, lo, hi, inside):
                if not attribution.content:
                    colon_cue[p_index] = attribution
                    continue
                quote = _classify(text, attribution, by_piece, piece_starts, pieces, claimed)
                if quote is not None:
                    quotes.append(quote)
                    if quote.kind != "indirect":
                        last_direct[p_index] = len(quotes) - 1

    # quotations that no sentence attributed
    para_starts = [p[0] for p in paras]
    for q in quotations:
        if q in claimed:
            continue
        p_index = bisect.bisect_right(para_starts, q.start) - 1
        ps, pe = paras[p_index]
        previous = last_direct.get(p_index)
        if previous is not None and _continues(text, quotes[previous], q):
            old = quotes[previous]
            quotes[previous] = RawQuote(old.spans + q.pieces, old.kind, old.cue, old.source, old.source_kind)
            claimed.add(q)
            continue
        signed = _DASH_SIGNATURE.match(text, q.end, pe)
        if signed:
            # a vox-pop line: “...” ― Jane Doe
            cue = signed.span(1)
            source = _trim(text, signed.span(2))
            quotes.append(RawQuote(q.pieces, "direct", cue, source, "name"))
            claimed.add(q)
            continue
        cue = colon_cue.get(p_index - 1) if q.start == ps else None
        if cue is not None:
            quotes.append(RawQuote(q.pieces, "direct", cue.cue, cue.source, cue.source_kind))
            claimed.add(q)
            last_direct[p_index] = len(quotes) - 1
            continue
        last_para_end = paras[bisect.bisect_right(para_starts, q.end - 1) - 1][1]
        fills_paragraph = q.start == ps and not text[q.end : last_para_end].strip(" .,;:")
        if fills_paragraph and _word_count(text, q.pieces) >= MIN_SPEECH_WORDS:
            quotes.append(RawQuote(q.pieces, "direct", None, None, None))
            claimed.add(q)
            last_direct[p_index] = len(quotes) - 1
    quotes.sort(key=lambda r: r.spans[0])
    return _drop_duplicates(quotes)


def _attributions(tokens: list[Token], lo: int, hi: int, inside: set[int]) -> list[Attribution]:
    """``find_attributions`` over the sentence tokens[lo:hi], in stretches of ``MAX_SENTENCE_TOKENS``."""
    if hi - lo <= MAX_SENTENCE_TOKENS:
        return find_attributions(tokens, lo, hi, inside)
    return [a for start in range(lo, hi, MAX_SENTENCE_TOKENS)
            for a in find_attributions(tokens, start, min(hi, start + MAX_SENTENCE_TOKENS), inside)]


def _quoted_tokens(tokens: list[Token], para_pieces: list[tuple[int, int]]) -> set[int]:
    """Indices of the tokens strictly inside a piece: some piece starting before the token ends
    after it. One sweep over both, in order (a scan of all pieces per token was quadratic)."""
    inside = set()
    ordered = sorted(para_pieces)
    reach, j = -1, 0
    for i, t in enumerate(tokens):
        while j < len(ordered) and ordered[j][0] < t.start:
            reach = max(reach, ordered[j][1])
            j += 1
        if t.end < reach:
            inside.add(i)
    return inside


def _continues(text: str, previous: RawQuote, q: Quotation) -> bool:
    """Whether quotation q follows the attributed quote ``previous`` with nothing but its attribution between."""
    ends = [previous.spans[-1][1]]
    if previous.cue:
        ends.append(previous.cue[1])
    if previous.source:
        ends.append(previous.source[1])
    end = max(ends)
    if end > q.start:
        return False
    gap = text[end : q.start].strip()
    # nothing between but the rest of the attribution's sentence: ' on Tuesday.', ', referring to ...'
    if not gap:
        return True
    return (
        gap[-1] in ",.:;!?"
        and len(gap.split()) <= 25
        and not any(m in gap[:-1] for m in ".!?")
        and not any(m in gap for m in "\"“”«»")
    )


def _classify(
    text: str,
    attribution: Attribution,
    by_piece: dict[tuple[int, int], Quotation],
    piece_starts: list[int],
    pieces: list[tuple[int, int]],
    claimed: set[Quotation],
) -> RawQuote | None:
    spans = tuple(_trim(text, s) for s in attribution.content)
    spans = tuple(s for s in spans if s[0] < s[1])
    if not spans:
        return None
    overlapping = []
    for s, e in spans:
        i = bisect.bisect_left(piece_starts, s)
        for j in range(max(0, i - 1), len(pieces)):
            ps, pe = pieces[j]
            if ps >= e:
                break
            if pe > s:
                overlapping.append((ps, pe))
    kind = "indirect"
    if overlapping:
        quotations = list(dict.fromkeys(by_piece[p] for p in overlapping))
        claimed.update(quotations)
        covered = all(any(ps <= s and e <= pe + 1 for ps, pe in overlapping) for s, e in spans)
        whole = len(spans) == 1 and len(quotations) == 1 and _trim(text, (spans[0][0], quotations[0].pieces[0][0]))[0] >= quotations[0].pieces[0][0] and spans[0][1] >= quotations[0].end - 1
        if (covered or whole) and attribution.set_off:
            kind = "direct"
            if len(quotations) == 1:
                spans = quotations[0].pieces  # a quotation that began in an earlier paragraph
        elif sum(_word_count(text, q.pieces) for q in quotations) >= MIXED_MIN_WORDS:
            kind = "mixed"
    return RawQuote(spans, kind, attribution.cue, attribution.source, attribution.source_kind)


def _drop_duplicates(quotes: list[RawQuote]) -> list[RawQuote]:
    """Two attributions of the same words (a postposed and a preposed reading): keep the first."""
    kept: list[RawQuote] = []
    for q in quotes:
        if kept and kept[-1].spans[0] == q.spans[0]:
            if kept[-1].cue == q.cue or _length(q) <= _length(kept[-1]):
                continue
            kept[-1] = q
            continue
        kept.append(q)
    return kept


def _length(q: RawQuote) -> int:
    return sum(e - s for s, e in q.spans)
