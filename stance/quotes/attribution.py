"""Attributions in one sentence: which words are reported, who reported them, and the cue between.

Four shapes cover nearly all attributions in news (Pareti 2016, "PARC 3.0"; Newell et al. 2018,
"PolNeAR"), and each is read off the tokens here:

- preposed:   SOURCE [aux/adverbs] CUE [that|object] CONTENT      "The minister said that ..."
- postposed:  CONTENT, SOURCE CUE [trailer] / CONTENT, CUE SOURCE  "..., the minister said."
- inserted:   CONTENT, SOURCE CUE, CONTENT                         "The talks, he said, will go on."
- according:  According to SOURCE, CONTENT / CONTENT, according to SOURCE.

A participle after a comma (", adding that ...") or a verb joined by "and" reuses the source before it.
"""

from __future__ import annotations

from dataclasses import dataclass

from stance.quotes import cues
from stance.segment import Token
from stance.speakers.mentions import (
    DETERMINERS,
    NP_PREPOSITIONS,
    TIME_WORDS,
    Mention,
    noun_phrase_after,
    noun_phrase_before,
    plausible_speaker,
    skip_auxiliaries,
)

CLOSING_MARKS = {"”", '"', "''", "»", "’"}
OPENING_MARKS = {"“", '"', "''", "«", "‘", "„"}
SENTENCE_PUNCT = {".", "!", "?", "…", ";"}
BE_FORMS = {"is", "was", "were", "are", "be", "been", "being", "am", "'s", "’s", "get", "got"}
# Words that may follow a postposed cue before the sentence ends: "..., he said on Tuesday in a statement."
TRAILER_STARTS = NP_PREPOSITIONS | TIME_WORDS | {"in", "during", "after", "before", "while", "when", "as", "at", "by", "via", "last", "recently", "earlier", "later", "afterward", "afterwards", ",", "—", "–", "(", "adding", "referring", "noting", "speaking"}
WH_WORDS = {"that", "how", "why", "what", "whether", "when", "where", "who", "if"}


@dataclass(frozen=True)
class Attribution:
    """Token-level result, turned into character spans by the caller."""

    content: tuple[tuple[int, int], ...]  # character spans
    cue: tuple[int, int] | None
    source: tuple[int, int] | None
    source_kind: str | None
    set_off: bool  # content set off from the cue by punctuation, or placed before it (direct speech)


def _char_span(tokens: list[Token], first: int, last: int) -> tuple[int, int]:
    return (tokens[first].start, tokens[last].end)


def _content_end(tokens: list[Token], lo: int, hi: int) -> int:
    """Last content token in [lo, hi): final sentence punctuation is not content, closing marks are."""
    j = hi - 1
    while j >= lo and (tokens[j].text in SENTENCE_PUNCT or tokens[j].text in {",", ":", "—", "–", "-", "("}):
        j -= 1
    return j


def _strip_lead(tokens: list[Token], lo: int, hi: int) -> int:
    while lo < hi and tokens[lo].text in {",", ":", "—", "–", "-"}:
        lo += 1
    return lo


def _cue_at(tokens: list[Token], i: int) -> tuple[int, str] | None:
    """(last token of the cue, its group) if a cue starts at token i."""
    low = tokens[i].lower
    nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    if low in {"call", "calls", "called", "calling"} and nxt in {"for", "on"}:
        return i + 1, "object" if nxt == "on" else "act"
    if low in {"point", "points", "pointed", "pointing"} and nxt == "out":
        return i + 1, "say"
    if low in cues.OBJECT_FORMS:
        return i, "object"
    if low in cues.SAY_FORMS:
        return i, "say"
    if low in cues.ACT_FORMS:
        return i, "act"
    return None


def _source_before(tokens: list[Token], cue_first: int, lo: int) -> Mention | None:
    before = cue_first - 1
    if before >= lo and tokens[before].lower in BE_FORMS and not tokens[cue_first].lower.endswith("ing"):
        return None  # passive: "was told", "is expected"
    k = skip_auxiliaries(tokens, before, lo)
    if k < lo:
        return None
    if tokens[k].lower == "to":
        return None  # infinitive: "refused to say"
    mention = noun_phrase_before(tokens, k, lo)
    if mention is None and tokens[k].text == ",":
        return _apposed_before(tokens, k, lo)
    return mention


def _apposed_before(tokens: list[Token], comma: int, lo: int) -> Mention | None:
    """'David Wasserman, House editor for the Cook Political Report, said' and 'Trump, who ..., said'."""
    for c in range(comma - 1, max(lo, comma - 16) - 1, -1):
        if tokens[c].text != ",":
            continue
        inner = tokens[c + 1]
        head = noun_phrase_before(tokens, c - 1, lo)
        if head is None:
            return None
        if head.kind == "description" and inner.text[0].isupper() and plausible_speaker(tokens, head):
            # "The coalition's spokesman, Colonel David Wright, welcomed ..."
            inner_name = noun_phrase_after(tokens, c + 1, comma)
            if inner_name is not None and inner_name.end == comma - 1:
                return Mention(head.start, comma - 1, "name")
        if head.kind not in ("name", "pronoun"):
            return None
        if inner.lower in {"who", "which"}:
            return head
        if (inner.lower in DETERMINERS or inner.text[0].isupper()) and noun_phrase_after(tokens, c + 1, comma):
            # "Douglas Brinkley, a historian who attended the session, recalled"
            return Mention(head.start, comma - 1, head.kind)
        return None
    return None


def _content_start(tokens: list[Token], after: int, hi: int, group: str) -> int:
    """First content token after a cue ending at token ``after``."""
    j = after + 1
    if j < hi and tokens[j].text in {",", ":"}:
        return j + 1
    if tokens[after].lower in _ADDRESSEE_CUES:
        # "told African-Americans this weekend he would ...": skip the addressee and time words
        addressee = noun_phrase_after(tokens, j, hi)
        if addressee is not None:
            k = addressee.end + 1
            while k < hi and (tokens[k].lower in TIME_WORDS or tokens[k].lower in {"on", "last", "this"} and k + 1 < hi and tokens[k + 1].lower in TIME_WORDS):
                k += 1
            if k < hi and tokens[k].lower not in {"to", "that"} and tokens[k].text not in {",", "."}:
                return k
    window = tokens[j : min(hi, j + 9)]
    for offset, tok in enumerate(window):
        if tok.lower in WH_WORDS and offset > 0:
            between = window[:offset]
            if group == "say" and not all(t.lower in TIME_WORDS or t.lower in NP_PREPOSITIONS or t.lower in DETERMINERS or t.text[0].isupper() or t.text == "," for t in between):
                break
            return j + offset
        if tok.lower == "to" and group == "object" and offset > 0:
            return j + offset
        if tok.text in {".", ";", "“", '"'}:
            break
    return j


@dataclass(frozen=True)
class _Tail:
    separator: int  # token index of the comma or closing mark before the source and cue
    resume: int  # token index where the sentence goes on after the attribution (hi if it does not)
    source: Mention
    attribution: Attribution


def _postposed(tokens: list[Token], lo: int, hi: int, inside_quote: set[int]) -> _Tail | None:
    """A cue and source after the content, set off by a comma or a closing quotation mark."""
    end = hi
    while end > lo and tokens[end - 1].text in SENTENCE_PUNCT:
        end -= 1
    for sep in range(end - 2, lo, -1):
        tok = tokens[sep]
        if sep in inside_quote:
            continue
        if tok.text == ",":
            first = sep + 1
        elif tok.text in CLOSING_MARKS and sep - 1 in inside_quote:
            first = sep + 1
            if first < end and tokens[first].text == ",":
                first += 1
        else:
            continue
        found = _parse_tail(tokens, first, end)
        if found is None:
            continue
        cue, source, trailer = found
        if tok.text == "," and trailer + 1 < end and tokens[trailer].text in {",", ":"} and tokens[trailer + 1].text in OPENING_MARKS:
            # 'Asked about the device, O'Neill said, "Not going to go into that."': the words before
            # the comma are a fronted clause, and the quotation after the cue is the content
            continue
        content_last = sep if tok.text != "," else _content_end(tokens, lo, sep + 1)
        if content_last < lo:
            return None
        pieces = [_char_span(tokens, lo, content_last)]
        resume = trailer
        if trailer < end and tokens[trailer].text == "," and trailer + 1 < end and _resumes_content(tokens[trailer + 1]):
            # inserted: "The talks, he said, will go on." The content goes on after the cue.
            last = _content_end(tokens, trailer + 1, hi)
            if tokens[hi - 1].text in CLOSING_MARKS:
                last = hi - 1
            if last > trailer:
                pieces.append(_char_span(tokens, trailer + 1, last))
                resume = hi
        attribution = Attribution(
            content=tuple(pieces),
            cue=_char_span(tokens, *cue),
            source=_char_span(tokens, source.start, source.end),
            source_kind=source.kind,
            set_off=True,
        )
        return _Tail(sep, resume, source, attribution)
    return None


def _resumes_content(tok: Token) -> bool:
    """Whether the word after "..., he said," takes up the content again (an inserted attribution)
    rather than adding to the attribution (", adding that ...", ", but ...", ", when asked ...")."""
    low = tok.lower
    return not (low in TRAILER_STARTS or low in _ADJUNCT_STARTS or low.endswith("ing") and tok.text[0].islower())


_ADJUNCT_STARTS = {"but", "and", "as", "when", "while", "until", "then", "though", "although", "because", "not", "who", "which", "whose", "where", "so"}


def starts_with_tail(tokens: list[Token], lo: int, hi: int) -> bool:
    """Whether tokens[lo:hi] is a source and cue reporting what came before ("Trump asked.")."""
    end = hi
    while end > lo and tokens[end - 1].text in SENTENCE_PUNCT:
        end -= 1
    found = _parse_tail(tokens, lo, end)
    return found is not None and not any(t.text in OPENING_MARKS for t in tokens[found[2] : end])


def _parse_tail(tokens: list[Token], first: int, end: int) -> tuple[tuple[int, int], Mention, int] | None:
    """'SOURCE [aux] CUE [trailer]' or 'CUE SOURCE [, apposition] [trailer]' over [first, end).

    Returns the cue's token range, the source and the index where the trailer starts.
    """
    if first >= end:
        return None
    # SOURCE CUE
    for c in range(first + 1, min(end, first + 16)):
        if tokens[c].lower not in cues.POSTPOSED_FORMS:
            continue
        k = skip_auxiliaries(tokens, c - 1, first)
        if k < first:
            break
        mention = noun_phrase_before(tokens, k, first)
        if mention is None or mention.start != first:
            continue
        if _trailer_ok(tokens, c + 1, end):
            return (c, c), mention, c + 1
        if tokens[c].lower in _ADDRESSEE_CUES:
            # "..., he told reporters." / "..., he told the host, '...'"
            comma = next((j for j in range(c + 1, min(end, c + 10)) if tokens[j].text == ","), end)
            if comma - c <= 9 and _trailer_ok(tokens, comma, end):
                return (c, c), mention, comma
    # CUE SOURCE
    c = first
    if tokens[c].lower in {"also", "then"}:
        c += 1
    if c < end and tokens[c].lower in cues.POSTPOSED_FORMS and not tokens[c].lower.endswith("ing"):
        mention = noun_phrase_after(tokens, c + 1, end)
        if mention is not None and (mention.end - mention.start > 9 or not plausible_speaker(tokens, mention)):
            mention = None  # "..., said the event brought back memories": a clause, not a source
        if mention is not None:
            after = mention.end + 1
            if after + 1 < end and tokens[after].text == "," and (
                tokens[after + 1].lower in {"who", "which", "whose"} or noun_phrase_after(tokens, after + 1, end)
            ):
                # apposition: ", said Jane Doe, a spokeswoman for the ministry." It runs to the end
                # of the sentence or to a following quotation.
                stop = next((j for j in range(after + 1, end) if tokens[j].text in OPENING_MARKS | {";"}), end)
                if stop - after <= 45:
                    last = _content_end(tokens, after + 1, stop)
                    return (c, c), Mention(mention.start, last, mention.kind), stop
            if _trailer_ok(tokens, after, end):
                return (c, c), mention, after
    return None


_ADDRESSEE_CUES = {"told", "tells", "tell", "telling", "asked", "asks", "assured", "reminded", "warned"}


def _trailer_ok(tokens: list[Token], first: int, end: int) -> bool:
    if first >= end:
        return True
    if tokens[first].text == ",":
        return True  # the content may go on after the cue (inserted)
    low = tokens[first].lower
    if low in TRAILER_STARTS:
        return True  # "... in an interview on Saturday night at the gala in Washington, where ..."
    if low.endswith("ly") and (first + 1 == end or tokens[first + 1].text == "," or tokens[first + 1].lower in TRAILER_STARTS):
        return True  # "..., Gowdy said sarcastically."
    return tokens[first].text[0].isupper() and end - first <= 3


def _according_to(tokens: list[Token], lo: int, hi: int) -> list[Attribution]:
    found = []
    for i in range(lo, hi - 2):
        if tokens[i].lower != "according" or tokens[i + 1].lower != "to":
            continue
        end = hi
        while end > lo and tokens[end - 1].text in SENTENCE_PUNCT:
            end -= 1
        stop = next((j for j in range(i + 2, end) if tokens[j].text in {",", ";", "—", "("}), end)
        source = noun_phrase_after(tokens, i + 2, stop)
        if source is None:
            continue
        source_span = _char_span(tokens, source.start, source.end)
        cue = _char_span(tokens, i, i + 1)
        if i == lo or tokens[i - 1].text not in {",", "(", "—"}:
            first = _strip_lead(tokens, stop, end)
            if first < end:
                found.append(Attribution(((tokens[first].start, tokens[_content_end(tokens, first, end)].end),), cue, source_span, source.kind, False))
        else:
            last = _content_end(tokens, lo, i)
            if last >= lo:
                pieces = [_char_span(tokens, lo, last)]
                rest = _strip_lead(tokens, stop, end)
                if rest < end:
                    pieces.append((tokens[rest].start, tokens[_content_end(tokens, rest, end)].end))
                found.append(Attribution(tuple(pieces), cue, source_span, source.kind, False))
    return found


@dataclass(frozen=True)
class _Preposed:
    cue_first: int
    content_first: int
    bound: int  # the content cannot run past this token (exclusive)
    closes_quote: bool  # the bound is a closing mark that belongs to the content
    before_source: int
    inherited: bool
    attribution: Attribution


_SECTION_LABELS = {"breaking", "update", "updated", "watch", "related", "note", "photo", "video", "read", "correction", "clarification", "editor", "editors", "listen", "see", "view", "source", "sources", "disclosure", "advertisement", "more", "also", "previously", "background", "context", "analysis", "opinion", "transcript", "full"}


def _opening_label(tokens: list[Token], lo: int, hi: int) -> Attribution | None:
    """'Said Ellis: ...' and 'Pat Caddell: Democrat voters are worried ...' at the start of a sentence."""
    first = lo
    cue = None
    if tokens[lo].lower in {"said", "says", "added", "asked", "wrote"} and tokens[lo].text[0].isupper():
        cue, first = (tokens[lo].start, tokens[lo].end), lo + 1
    source = noun_phrase_after(tokens, first, hi)
    if source is None or source.end + 1 >= hi or source.kind != "name" and cue is None:
        return None
    words = tokens[source.start : source.end + 1]
    if cue is None and not all(t.text[0].isupper() and not t.text.isupper() for t in words if t.text[0].isalnum()):
        return None  # "Breaking:", "UPDATE:", "View full results:" are section labels, not speakers
    if cue is None and words[0].lower in _SECTION_LABELS:
        return None
    colon = source.end + 1
    if tokens[colon].text not in ({":", ","} if cue else {":"}) or source.end - source.start > 5:
        return None
    if cue is None:
        cue = (tokens[colon].start, tokens[colon].end)
    span = _char_span(tokens, source.start, source.end)
    rest = colon + 1
    last = _content_end(tokens, rest, hi)
    if rest >= hi or last < rest:
        return Attribution((), cue, span, source.kind, True)  # the content follows in the next paragraph
    if tokens[hi - 1].text in CLOSING_MARKS:
        last = hi - 1
    if sum(1 for t in tokens[rest : last + 1] if t.text[0].isalnum()) < 3:
        return None
    return Attribution(((tokens[rest].start, tokens[last].end),), cue, span, source.kind, True)


def find_attributions(tokens: list[Token], lo: int, hi: int, inside_quote: set[int]) -> list[Attribution]:
    """Attributions within the sentence tokens[lo:hi]; ``inside_quote`` holds indices of quoted tokens."""
    found: list[Attribution] = list(_according_to(tokens, lo, hi))
    label = _opening_label(tokens, lo, hi)
    if label is not None:
        return found + [label]
    used_until = lo  # tokens before this index already belong to an attribution's cue or source
    tail = _postposed(tokens, lo, hi, inside_quote)
    bound = hi
    previous_source: Mention | None = None
    if tail is not None:
        bound = tail.separator
        found.append(tail.attribution)
    preposed: list[_Preposed] = []
    i = lo
    while i < hi:
        if tail is not None and i == tail.separator:
            # skip the tail's own source and cue; what follows may report more ("..., adding ...")
            i = used_until = tail.resume
            previous_source, bound = tail.source, hi
            continue
        if i in inside_quote:
            i += 1
            continue
        cue = _cue_at(tokens, i)
        if cue is None:
            i += 1
            continue
        cue_last, group = cue
        next_i = cue_last + 1
        if tokens[i].text[0].isupper() and i > lo:
            i = next_i
            continue  # a capitalised cue word mid-sentence is a name or a title ("Said", "Support Act")
        low = tokens[i].lower
        mention = _source_before(tokens, i, max(lo, used_until))
        participle = low.endswith("ing") and i > lo and tokens[i - 1].text == ","
        joined = i > lo and tokens[i - 1].lower in {"and", "but"}
        inherited = False
        if mention is None and (participle or joined) and previous_source is not None:
            mention, inherited = previous_source, True
        elif mention is None and participle and used_until == lo:
            # "Trump attacked the judge, saying ...": the participle reports for the sentence's subject
            subject = noun_phrase_after(tokens, lo, i)
            if subject is not None and subject.kind in ("name", "pronoun") and plausible_speaker(tokens, subject):
                mention, inherited = subject, True
        progressive = i > lo and tokens[i - 1].lower in BE_FORMS | {"been"}
        if mention is None or low.endswith("ing") and not (inherited or progressive) and mention.kind != "relative":
            i = next_i
            continue
        if group == "act" and (mention.kind == "relative" or not plausible_speaker(tokens, mention)):
            i = next_i
            continue
        if next_i >= bound or tokens[next_i].text in SENTENCE_PUNCT:
            i = next_i
            continue
        if tokens[next_i].lower == "to" and cues.CUE_FORMS.get(low) not in cues.INFINITIVE_CUES:
            i = next_i
            continue  # "hopes to be elected", "refused to answer": not a report
        cue_span = _char_span(tokens, i, cue_last)
        source_span = _char_span(tokens, mention.start, mention.end)
        start = _content_start(tokens, cue_last, bound, group)
        if start >= bound:
            if tokens[next_i].text == ":" and next_i + 1 >= hi:
                # "He continued:" at the end of a paragraph introduces the quotation that follows
                found.append(Attribution((), cue_span, source_span, mention.kind, True))
            i = next_i
            continue
        attribution = Attribution((), cue_span, source_span, mention.kind, tokens[next_i].text in {",", ":"})
        closes = tail is not None and bound == tail.separator and tokens[bound].text != ","
        before_source = i - 1 if inherited else mention.start - 1
        preposed.append(_Preposed(i, start, bound, closes, before_source, inherited, attribution))
        previous_source = mention
        used_until = i = next_i
    # a preposed cue's content runs to its bound, or to the start of a following attribution's
    # clause when that one is coordinated with it (", adding ...", "and he said ...")
    for n, p in enumerate(preposed):
        stop = p.bound
        closes = p.closes_quote
        if n + 1 < len(preposed) and preposed[n + 1].cue_first < p.bound:
            following = preposed[n + 1]
            cut = None
            if following.inherited:
                cut = _clause_boundary(tokens, p.content_first, following.cue_first)
            elif following.before_source >= p.content_first and (
                tokens[following.before_source].text in {",", ";", "—"} or tokens[following.before_source].lower in {"and", "but"}
            ):
                cut = following.before_source
            if cut is not None:
                stop, closes = cut, False
        if not closes:
            stop = _adjunct_cut(tokens, p.content_first, stop, inside_quote)
        last = stop if closes else _content_end(tokens, p.content_first, stop)
        if last < p.content_first:
            continue
        if sum(1 for t in tokens[p.content_first : last + 1] if t.text[0].isalnum()) < 2:
            continue
        a = p.attribution
        found.append(Attribution(((tokens[p.content_first].start, tokens[last].end),), a.cue, a.source, a.source_kind, a.set_off))
    return found


def _adjunct_cut(tokens: list[Token], start: int, stop: int, inside_quote: set[int]) -> int:
    """Reported content ends before an adjunct of the reporting clause: a participle ("urged her to
    bring it back, arguing that ...") or a clause of the reporter's ("..., as fears grew that ...")."""
    for j in range(start + 2, stop - 1):
        if tokens[j].text == "," and j not in inside_quote:
            nxt = tokens[j + 1]
            if nxt.text[0].islower() and nxt.lower.endswith("ing") and len(nxt.lower) > 5 and nxt.lower not in _NOT_PARTICIPLES:
                return j
            if nxt.lower in {"as", "while"} and j + 2 < stop and tokens[j + 2].lower not in {"well", "much", "many", "long", "soon"}:
                return j
    return stop


# -ing words that open a noun phrase or a preposition rather than a participial clause
_NOT_PARTICIPLES = {"including", "during", "according", "regarding", "concerning", "following", "notwithstanding", "something", "nothing", "anything", "everything", "building", "spending", "funding", "meeting", "hearing", "ruling", "bombing", "shooting", "killing", "rising", "morning", "evening", "training", "housing", "warning", "suffering"}


def _clause_boundary(tokens: list[Token], start: int, next_cue: int) -> int | None:
    """Where the content before a following cue ends: the comma or 'and' that starts its clause."""
    for j in range(next_cue - 1, start, -1):
        if tokens[j].text in {",", ";", "—"} or tokens[j].lower in {"and", "but"} and j < next_cue - 1:
            return j
        if tokens[j].lower in {"and", "but"} and j == next_cue - 1:
            return j
    return None
