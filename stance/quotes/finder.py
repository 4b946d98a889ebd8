"""Two ways to find quotes behind one function type: texts in, quotes with speakers out.

A ``QuoteFinder`` is any callable ``(texts: Sequence[str]) -> list[list[Quote]]``; the ``Pipeline``
takes one as ``quotes=`` and both implementations here fit it:

- ``rule_quotes``: the hand-written rules (:mod:`stance.quotes.extract`), fast, no model; each text
  on its own, so the pipeline spreads them over processes.
- ``TaggerQuotes(tagger)``: the trained tagger (:mod:`stance.quotes.tagger`) decoded into quotes
  (:mod:`stance.quotes.decode`). It batches the paragraphs of all the texts it is given through the
  model, and runs the model only on paragraphs that can hold an attribution (a quotation mark or a
  cue word). Quotations the rules attribute as direct speech and the tagger left out are added, so
  that quotation marks stay a strong signal.

Both read the headline and dateline as what they are (:mod:`stance.layout`): no quote is taken from
the headline (``headlines=True`` keeps them) and neither gives speakers.
"""

from __future__ import annotations

from typing import Callable, Sequence

from stance.document import Quote, Span
from stance.layout import body
from stance.quotes.decode import DecodedQuote, decode
from stance.quotes.extract import RawQuote, extract_quotes
from stance.segment import paragraphs
from stance.speakers.resolve import SpeakerResolver

QuoteFinder = Callable[[Sequence[str]], "list[list[Quote]]"]


def _layout(text: str) -> tuple[tuple[int, int] | None, list[tuple[int, int]], list[tuple[int, int]]]:
    """(headline, body paragraphs, datelines) of a text."""
    paras = paragraphs(text)
    head, rest = body(text, paras)
    first = next((p for p in paras if p != head), None)
    datelines = [(first[0], rest[0][0])] if first and rest[0][0] > first[0] else []
    return head, rest, datelines


def _in(span: tuple[int, int] | None, spans) -> bool:
    return span is not None and any(s <= span[0] < e for s, e in spans)


def to_quotes(text: str, raws: Sequence[RawQuote | DecodedQuote], head: tuple[int, int] | None = None,
              datelines: Sequence[tuple[int, int]] = ()) -> list[Quote]:
    """``Quote`` objects with speakers for the quotes of one text, resolved in text order."""
    resolver = SpeakerResolver(text, [q.source for q in raws if q.source], headline=head, skip=list(datelines))
    quotes = []
    for raw in raws:
        cue = Span.of(text, *raw.cue) if raw.cue else None
        speaker = None
        if raw.source:
            speaker = resolver.resolve(raw.source[0], raw.source[1], raw.source_kind)
            via = getattr(raw, "via", None)
            if via:
                speaker = type(speaker)(speaker.name, speaker.mention, Span.of(text, *via))
        quotes.append(Quote.of(text, raw.spans, raw.kind, cue=cue, speaker=speaker))
    return quotes


def rules_one(text: str, headlines: bool = False) -> list[Quote]:
    """The rules' quotes and speakers of one text."""
    head, _, datelines = _layout(text)
    raws = extract_quotes(text)
    if head is not None and not headlines:
        raws = [q for q in raws if not _in(q.spans[0], [head])]
    return to_quotes(text, raws, head, datelines)


def rule_quotes(texts: Sequence[str]) -> list[list[Quote]]:
    """The rules, as a ``QuoteFinder``."""
    return [rules_one(t) for t in texts]


def _jaccard(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> float:
    inter = sum(max(0, min(e, be) - max(s, bs)) for s, e in a for bs, be in b)
    union = sum(e - s for s, e in a) + sum(e - s for s, e in b) - inter
    return inter / union if union else 0.0


def _with_rule_source(quote: DecodedQuote, rules: Sequence[RawQuote]) -> DecodedQuote:
    best = max(rules, key=lambda r: _jaccard(quote.spans, r.spans), default=None)
    if best is None or best.source is None or _jaccard(quote.spans, best.spans) < 0.5:
        return quote
    return DecodedQuote(quote.spans, quote.kind, quote.cue or best.cue, best.source, best.source_kind, quote.via)


def _overlaps(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> bool:
    return any(s < be and bs < e for s, e in a for bs, be in b)


class TaggerQuotes:
    """The trained tagger as a ``QuoteFinder``: ``TaggerQuotes(QuoteTagger.load())(texts)``.

    Args:
        tagger: a loaded :class:`~stance.quotes.tagger.QuoteTagger`.
        all_paragraphs: run the model on every paragraph, not only on those with a quotation mark or
            a cue word (slower; see the model card for what it changes).
        headlines: also take quotes from a headline.
        rules_for_direct: add the rules' direct quotes that overlap no quote of the tagger.
        rules_for_sources: a quote the tagger found no source for takes the source (and, when it has
            none, the cue) of the rules' quote over mostly the same words (character Jaccard >= 0.5).
    """

    def __init__(self, tagger, all_paragraphs: bool = False, headlines: bool = False, rules_for_direct: bool = True,
                 rules_for_sources: bool = True):
        self.tagger = tagger
        self.all_paragraphs = all_paragraphs
        self.headlines = headlines
        self.rules_for_direct = rules_for_direct
        self.rules_for_sources = rules_for_sources

    def __repr__(self) -> str:
        return f"TaggerQuotes({self.tagger!r})"

    def paragraphs_to_tag(self, text: str) -> tuple[tuple[int, int] | None, list[tuple[int, int]], list[tuple[int, int]], list[tuple[int, int]]]:
        """(headline, body paragraphs, datelines, the paragraphs the model reads)."""
        from stance.quotes.tagger import may_hold_attribution

        head, rest, datelines = _layout(text)
        paras = ([head] if head is not None and self.headlines else []) + rest
        tagged = paras if self.all_paragraphs else [p for p in paras if may_hold_attribution(text, *p)]
        return head, paras, datelines, tagged

    def __call__(self, texts: Sequence[str]) -> list[list[Quote]]:
        results = self.find(texts)
        for result in results:
            if isinstance(result, Exception):
                raise result
        return results  # type: ignore[return-value]

    def find(self, texts: Sequence[str]) -> list[list[Quote] | Exception]:
        """Like calling it, but a text that fails gives its exception in its place."""
        layouts = [self.paragraphs_to_tag(t) for t in texts]
        found = self.tagger.tag_many([(t, layout[3]) for t, layout in zip(texts, layouts)])
        results: list[list[Quote] | Exception] = []
        for text, (head, paras, datelines, tagged), spans in zip(texts, layouts, found):
            try:
                results.append(self._quotes(text, head, paras, datelines, tagged, spans))
            except Exception as error:  # one bad text must not stop the batch
                results.append(error)
        return results

    def _quotes(self, text, head, paras, datelines, tagged, spans) -> list[Quote]:
        by_para = dict(zip(tagged, spans))
        raws: list[RawQuote | DecodedQuote] = list(decode(text, paras, [by_para.get(p, {}) for p in paras]))
        rules = extract_quotes(text) if self.rules_for_direct or self.rules_for_sources else []
        if self.rules_for_sources:
            raws = [_with_rule_source(q, rules) if q.source is None else q for q in raws]
        if self.rules_for_direct:
            taken = [q.spans for q in raws]
            for q in rules:
                if q.kind != "direct" or (head is not None and not self.headlines and _in(q.spans[0], [head])):
                    continue
                if not any(_overlaps(q.spans, t) for t in taken):
                    raws.append(q)
                    taken.append(q.spans)
            raws.sort(key=lambda q: q.spans[0])
        return to_quotes(text, raws, head, datelines)
