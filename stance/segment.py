"""Paragraphs, sentences and words as character spans of the original text.

Rules only, no model: news text is edited prose, and a regular expression over it is both fast enough
for corpora (this whole module runs at several hundred thousand words a second) and predictable.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Abbreviations that end in a period without ending the sentence (news style: AP Stylebook titles,
# months, US states, and common Latin ones).
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sen rep gov gen lt col maj capt cmdr adm sgt cpl pvt st jr sr rev hon pres
    supt insp det amb atty messrs mmes fr
    jan feb mar apr jun jul aug sep sept oct nov dec
    ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn miss mo mont neb
    nev okla ore pa tenn tex va vt wash wis wyo
    no nos vol vs etc approx dept est inc corp co ltd bros univ assn ave blvd
    e.g i.e u.s u.n u.k e.u d.c""".split()
)

_PARAGRAPH = re.compile(r"[^\n]+")
# A sentence ends at . ! ? (or an ellipsis), perhaps followed by closing quotes or brackets, then space.
# It starts only where a run of end marks starts: tried inside a long run ("......"), it would fail
# again at every mark, which is quadratic in the run's length.
_SENTENCE_END = re.compile(r"""(?<![.!?…])[.!?…]+["'”’»)\]]*(?=\s+|$)""")
_NEXT_START = re.compile(r"\s+([\"'“‘«(\[]?)(\S)")


def _trimmed(text: str, spans) -> list[tuple[int, int]]:
    """The spans without leading and trailing white space; spans left empty are dropped."""
    result = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            result.append((s, e))
    return result


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-empty lines of the text, as (start, end) spans without the line breaks."""
    return _trimmed(text, (m.span() for m in _PARAGRAPH.finditer(text)))


def _is_abbreviation(text: str, end: int) -> bool:
    """Whether the period at text[end - 1] closes an abbreviation or an initial rather than a sentence."""
    # the run of non-space characters that ends at the period, read backwards from it: linear in
    # the token's length (a regular expression searched from the start of the text was quadratic)
    first = end - 1
    while first > 0 and not text[first - 1].isspace():
        first -= 1
    if first == end - 1:
        return False
    token = text[first : end - 1].lstrip("\"'“‘«([").lower()
    if token in ABBREVIATIONS:
        return True
    # initials and dotted acronyms: "J.", "U.S.", "D.C." (the final period is not part of token)
    if re.fullmatch(r"(?:\w\.)*\w", token) and len(token.replace(".", "")) <= 3 and token[:1].isalpha():
        return len(token) == 1 or "." in token
    return False


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentences of text[start:end] as (start, end) spans, with surrounding space trimmed."""
    end = len(text) if end is None else end
    spans = []
    s = start
    for m in _SENTENCE_END.finditer(text, start, end):
        e = m.end()
        punct = m.group(0)
        if punct.startswith(".") and len(punct.rstrip("\"'”’»)]")) == 1 and _is_abbreviation(text, m.start() + 1):
            continue
        nxt = _NEXT_START.match(text, e, end)
        if nxt and nxt.group(2).islower() and not nxt.group(1):
            continue  # "... said Sen. Warren." vs "e.g. the" : a lower-case start is a continuation
        spans.append((s, e))
        s = e
    if s < end:
        spans.append((s, end))
    return _trimmed(text, spans)


class Token(NamedTuple):
    start: int
    end: int
    text: str
    lower: str


# A word (with inner hyphens, apostrophes, ampersands and dotted initials: U.S., al-Sudani, AT&T,
# Clinton’s), a doubled apostrophe used as a quotation mark, or any single other non-space character.
_TOKEN = re.compile(r"''|\w+(?:[-'’.&]\w+)*|[^\w\s]", re.UNICODE)


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of text[start:end]; an abbreviation keeps its final period (Mr., Sen., U.S.)."""
    end = len(text) if end is None else end
    tokens: list[Token] = []
    for m in _TOKEN.finditer(text, start, end):
        s, e = m.span()
        word = m.group(0)
        if e < end and text[e] == "." and word[0].isalpha():
            low = word.lower()
            if low in ABBREVIATIONS or len(word) == 1 and word.isupper() or "." in word:
                e += 1
                word += "."
        tokens.append(Token(s, e, word, word.lower()))
    # the period was also matched as its own token after an abbreviation: drop that duplicate
    return [t for i, t in enumerate(tokens) if not (t.text == "." and i and tokens[i - 1].end > t.start)]
