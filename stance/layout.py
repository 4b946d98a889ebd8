"""The furniture of a news article that is not one of its sentences: the headline and the dateline.

A headline ("Clinton camp: Trump's rhetoric threatens national security.") reads like an attribution
but restates the story in telegraphic style; the lead that follows says the same thing properly, so
a quote found in the headline is a second copy of one found below, often with another speaker. A
dateline ("WASHINGTON, Dec. 8 (UPI) — ") opens the lead with a place in capitals that is not its
subject. Both are read here off the layout, no model:

- the headline is the first paragraph of a text of several paragraphs when it is short (at most
  ``HEADLINE_MAX_WORDS`` words), one sentence, not itself a quotation, and looks like a headline:
  no final full stop, or Title Case, or a "Speaker: ..." label, or a dateline opening the paragraph
  after it. A short lead sentence ("Prime Minister X said on Tuesday that ...") is none of these.
  On PolNeAR train this finds 594 of the 840 headlines (the others are sentence case with a period
  added by the corpus' conversion);
- a dateline is a run of capitalised words (a place, then perhaps a date and an agency in
  parentheses) ending in a dash or colon at the start of the first body paragraph (AP and Reuters
  style, Associated Press Stylebook "datelines").
"""

from __future__ import annotations

import re

from stance.segment import sentences

# PolNeAR's 840 training headlines: 96% have at most 15 words and all at most 25; of its body
# paragraphs, 17% have at most 15 words (most of them short quotations, which are excluded below).
HEADLINE_MAX_WORDS = 20

_DATELINE = re.compile(
    r"(?:[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+)*)"  # PLACE IN CAPITALS
    r"(?:,\s+[A-Z][A-Za-z.]*(?:\s+[A-Z][a-z.]*)*(?:\s+\d{1,2})?)*"  # , State, Month Day
    r"(?:\s*\([A-Za-z .&-]+\))?"  # (Agency)
    r"\s*[—–-]{1,2}\s+"
)
_WORD = re.compile(r"[A-Za-z][\w’'-]*")
TITLE_CASE_SHARE = 0.7
_OPENING_MARKS = "\"“‘'«„"


def headline(text: str, paras: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The headline paragraph of ``text`` (given its paragraphs), or None."""
    if len(paras) < 2:
        return None
    s, e = paras[0]
    first = text[s:e]
    if len(first.split()) > HEADLINE_MAX_WORDS or first.startswith(tuple(_OPENING_MARKS)):
        return None
    if len(sentences(text, s, e)) > 1:
        return None
    looks = (
        not first.rstrip("\"”’'").endswith((".", "!", "?"))
        or _title_case(first)
        or _speaker_label(first)
        or dateline_end(text, *paras[1]) > paras[1][0]
    )
    return (s, e) if looks else None


def _speaker_label(line: str) -> bool:
    """A headline's "Graham: ..." or "Clinton camp: ...": a few words, none of them a cue, then a colon."""
    from stance.quotes.cues import CUE_FORMS

    head = line[: max(line.find(":"), 0)].split()
    return 0 < len(head) <= 4 and head[0][:1].isupper() and not any(w.lower() in CUE_FORMS for w in head)


def _title_case(line: str) -> bool:
    """Most words of four letters or more, after the first, capitalised ("Bellwether County Says ...")."""
    words = [w for w in _WORD.findall(line)[1:] if len(w) >= 4]
    return bool(words) and sum(w[0].isupper() for w in words) >= TITLE_CASE_SHARE * len(words)


def dateline_end(text: str, start: int, end: int) -> int:
    """Where the body of the paragraph text[start:end] begins after its dateline (``start`` if none)."""
    m = _DATELINE.match(text, start, end)
    if not m or m.end() >= end:
        return start
    return m.end()


def body(text: str, paras: list[tuple[int, int]]) -> tuple[tuple[int, int] | None, list[tuple[int, int]]]:
    """(headline, the other paragraphs with the first one's dateline cut off)."""
    head = headline(text, paras)
    rest = [p for p in paras if p != head]
    if rest:
        s, e = rest[0]
        rest[0] = (dateline_end(text, s, e), e)
    return head, rest
