"""Quotation marks: pair them into quoted stretches of text, recovering from the unbalanced ones.

Handles straight and curly double quotes, doubled apostrophes (''...'', as some archives print
them), low-9 and guillemet openers, and curly single quotes at the top level (British style).
Straight single quotes are left alone: they are far more often apostrophes ('90s, rock 'n' roll)
than quotation marks, and inside double quotes they need no pairing of their own.

A quotation that runs over several paragraphs opens each paragraph with a mark and closes only at
the end (the convention of the AP Stylebook and the Chicago Manual); its pieces are returned together.
A mark that never closes is closed at the end of its paragraph (``recovered``); a closing mark with
no opener is skipped. Neither raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENERS = "“„«‹"
CLOSERS = "”»›"
AMBIGUOUS = '"'  # straight double quote, and the doubled apostrophe '' treated as one mark

_MARK = re.compile(r"''|[\"“”„«»‹›]")
_SINGLE_OPEN = re.compile(r"‘")
_OPENING_CONTEXT = set(" \t\n([{—–-/:;,")


@dataclass(frozen=True)
class Quotation:
    """A stretch inside quotation marks; ``pieces`` are (start, end) spans that include the marks."""

    pieces: tuple[tuple[int, int], ...]
    recovered: bool = False  # closed by us at a paragraph end because its closing mark was missing

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


def _can_open(text: str, i: int, width: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + width] if i + width < len(text) else " "
    return (before in _OPENING_CONTEXT or before in OPENERS or before == "‘") and not after.isspace()


def _can_close(text: str, i: int) -> bool:
    return i > 0 and not text[i - 1].isspace()


def _ends_word(text: str, i: int) -> bool:
    """A straight mark followed by space or punctuation closes, even after a space: 'outreach,' " he'."""
    return i >= len(text) or text[i].isspace() or text[i] in ",.;:!?)"


def _paragraph_quotations(
    text: str, start: int, end: int, carried: bool = False
) -> tuple[list[tuple[int, int]], int | None]:
    """Pair double marks inside one paragraph. Returns the closed spans and the unclosed opener, if any.

    ``carried``: a quotation from the previous paragraph goes on here, and the paragraph's first
    mark re-opens it; the span that closes it then starts at ``start``.
    """
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    open_kind = ""
    marks = _MARK.finditer(text, start, end)
    if carried:
        first = next(marks)
        open_at, open_kind = start, first.group(0)
    for m in marks:
        i, mark = m.start(), m.group(0)
        width = len(mark)
        if mark in OPENERS:
            if open_at is not None:
                if open_kind in "«‹" and mark in "„“":
                    continue  # German and French nesting: „...“ inside «...»
                # a second opener while one is open: the first never closed
                spans.append(_recover_end(text, open_at, i))
            open_at, open_kind = i, mark
        elif mark in CLOSERS:
            if open_at is not None:
                spans.append((open_at, i + width))
                open_at = None
            # a closer with nothing open is a stray mark: skip it
        else:  # straight " or ''
            if open_at is not None and (_can_close(text, i) or _ends_word(text, i + width)):
                spans.append((open_at, i + width))
                open_at = None
            elif open_at is None and _can_open(text, i, width):
                open_at, open_kind = i, mark
    return spans, open_at


def _recover_end(text: str, open_at: int, limit: int) -> tuple[int, int]:
    """Close an unclosed quotation just before ``limit``, without trailing space."""
    cut = limit
    while cut > open_at + 1 and text[cut - 1].isspace():
        cut -= 1
    return (open_at, cut)


# Words that cannot be the noun after a plural possessive, so a ’ before them closes a quotation.
_FUNCTION_WORDS = frozenset(
    "and or but nor to in on at of for from with by as is are was were be been said says say that "
    "which who whom the a an he she they it we i you this these those than then".split()
)


def _possessive_follows(text: str, i: int) -> bool:
    m = re.match(r"[a-z]+", text[i : i + 20])
    return bool(m) and m.group(0) not in _FUNCTION_WORDS


def _single_quotations(text: str, start: int, end: int, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Curly single quotations at the top level (outside double ones): ‘...’."""
    spans = []
    for m in _SINGLE_OPEN.finditer(text, start, end):
        i = m.start()
        if any(s <= i < e for s, e in taken) or (spans and i < spans[-1][1]):
            continue
        if not _can_open(text, i, 1) or (i + 1 < end and text[i + 1].isdigit()):
            continue
        j = i + 1
        while True:
            j = text.find("’", j, end)
            if j < 0:
                break
            after = text[j + 1] if j + 1 < len(text) else " "
            before = text[j - 1]
            if before.isspace() or after.isalnum():
                j += 1
                continue  # an apostrophe inside a word (don’t) or a mark that cannot close
            if before == "s" and after == " " and _possessive_follows(text, j + 2):
                j += 1
                continue  # a plural possessive (voters’ concerns)
            spans.append((i, j + 1))
            break
    return spans


def _opens_paragraph(text: str, start: int) -> bool:
    m = _MARK.match(text, start)
    return bool(m) and (m.group(0) in OPENERS or (m.group(0) not in CLOSERS and _can_open(text, start, len(m.group(0)))))


def _recovered(pieces: list[tuple[int, int]]) -> Quotation:
    return Quotation(tuple(pieces), recovered=True)


def find_quotations(text: str, paragraphs: list[tuple[int, int]]) -> list[Quotation]:
    """Every quotation in the text, in order, multi-paragraph ones joined."""
    result: list[Quotation] = []
    pending: list[tuple[int, int]] = []  # pieces of a quotation still open at a paragraph end
    for ps, pe in paragraphs:
        carried = bool(pending) and _opens_paragraph(text, ps)
        if pending and not carried:
            result.append(_recovered(pending))  # it never closed, and this paragraph does not go on with it
            pending = []
        spans, open_at = _paragraph_quotations(text, ps, pe, carried)
        if carried:
            if spans and spans[0][0] == ps:
                pending.append(spans.pop(0))
                result.append(Quotation(tuple(pending)))
                pending = []
            else:  # open through the whole paragraph
                pending.append((ps, pe))
                continue
        result.extend(Quotation((s,)) for s in spans)
        if open_at is not None:
            pending = [(open_at, pe)]
    if pending:
        result.append(_recovered(pending))
    taken = [(q.start, q.end) for q in result]
    for ps, pe in paragraphs:
        result.extend(Quotation((s,)) for s in _single_quotations(text, ps, pe, taken))
    result.sort(key=lambda q: q.start)
    return result
