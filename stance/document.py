"""The data model: a document's result, its quotes, their cues, speakers and stances.

Offsets are the truth. Every span is a pair of Python string indices into the original text (end
exclusive), and every ``text`` field is derived from them with ``text[start:end]``; the constructors
below are the only way spans are made, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

QUOTE_KINDS = ("direct", "mixed", "indirect")


@dataclass(frozen=True)
class Span:
    """A stretch of the document: ``source[start:end] == text``."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, source: str, start: int, end: int) -> "Span":
        if not 0 <= start <= end <= len(source):
            raise ValueError(f"span [{start}, {end}) lies outside a text of length {len(source)}")
        return cls(start, end, source[start:end])

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Speaker:
    """Who said a quote: the words in the text (``mention``) and the entity they refer to (``name``).

    ``name`` is the fullest named form of that entity in the document ("Mohammed Shia Al-Sudani" for
    a mention "He"); it is None when the mention refers to nobody named (``"a source said"``).

    ``via`` is the channel of a nested attribution: in "A statement from the office confirmed that
    the prime minister reaffirmed '...'" the speaker is the prime minister (the words are his) and
    ``via`` is "A statement from the office"; None when the words reached us directly.
    """

    name: str | None
    mention: Span
    via: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "mention": self.mention.to_dict(), "via": self.via.to_dict() if self.via else None}


@dataclass(frozen=True)
class Stance:
    """One (quote, target) row: every label's probability and the highest one."""

    target: str
    scores: dict[str, float]

    @property
    def label(self) -> str:
        return max(self.scores, key=self.scores.__getitem__)

    @property
    def score(self) -> float:
        return self.scores[self.label]

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "label": self.label,
            "score": round(self.score, 4),
            "scores": {label: round(p, 4) for label, p in self.scores.items()},
        }


@dataclass(frozen=True)
class Quote:
    """Reported speech: its content span(s), how it was reported, its cue and its speaker.

    ``spans`` holds the pieces of the content, several when a cue interrupts it
    (``"...," he said, "..."``); ``start``/``end`` and ``text`` cover all of them.
    """

    spans: tuple[tuple[int, int], ...]
    text: str
    kind: str
    cue: Span | None = None
    speaker: Speaker | None = None
    stances: tuple[Stance, ...] = ()
    pieces: tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def of(
        cls,
        source: str,
        spans: list[tuple[int, int]] | tuple[tuple[int, int], ...],
        kind: str,
        cue: Span | None = None,
        speaker: Speaker | None = None,
        stances: tuple[Stance, ...] = (),
    ) -> "Quote":
        if kind not in QUOTE_KINDS:
            raise ValueError(f"quote kind must be one of {QUOTE_KINDS}, not {kind!r}")
        spans = tuple(sorted((int(s), int(e)) for s, e in spans))
        if not spans:
            raise ValueError("a quote needs at least one span")
        for s, e in spans:
            Span.of(source, s, e)  # validates the bounds
        start, end = spans[0][0], spans[-1][1]
        pieces = tuple(source[s:e] for s, e in spans)
        return cls(spans, source[start:end], kind, cue, speaker, stances, pieces)

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]

    @property
    def content(self) -> str:
        """The quoted words without the interruptions between pieces."""
        return " ".join(self.pieces)

    @property
    def stance(self) -> Stance | None:
        """The primary stance: the (target, label) row with the highest score."""
        return max(self.stances, key=lambda s: s.score, default=None)

    def with_stances(self, stances: tuple[Stance, ...]) -> "Quote":
        return Quote(self.spans, self.text, self.kind, self.cue, self.speaker, tuple(stances), self.pieces)

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "spans": [list(s) for s in self.spans],
            "text": self.text,
            "kind": self.kind,
            "cue": self.cue.to_dict() if self.cue else None,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "stances": [s.to_dict() for s in self.stances],
        }


@dataclass(frozen=True)
class Document:
    """The result of analysing one text: its quotes, in text order, or the error that stopped it.

    ``fields``: the input record's fields kept for the output (``keep_fields``: a date, an outlet),
    written between ``id`` and ``quotes``.
    """

    text: str
    quotes: tuple[Quote, ...] = ()
    id: str | None = None
    error: str | None = None
    fields: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        # error stays last: a resumed JSON-lines run reads it from the end of each line
        return {"id": self.id, **self.fields, "quotes": [q.to_dict() for q in self.quotes], "error": self.error}

    @property
    def speakers(self) -> list[str]:
        """Canonical speaker names in order of first quote."""
        names = (q.speaker.name for q in self.quotes if q.speaker and q.speaker.name)
        return list(dict.fromkeys(names))

    def __str__(self) -> str:
        head = f"Document {self.id!r}: " if self.id is not None else "Document: "
        lines = [head + (f"error: {self.error}" if self.error else f"{len(self.quotes)} quotes")]
        for q in self.quotes:
            who = q.speaker.name or q.speaker.mention.text if q.speaker else "(no speaker)"
            cue = q.cue.text if q.cue else "-"
            stance = f"  [{q.stance.label} -> {q.stance.target}]" if q.stance else ""
            snippet = q.content if len(q.content) <= 90 else q.content[:87] + "..."
            lines.append(f"  {q.kind:<8} {who} ({cue}): {snippet}{stance}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from stance.render import to_html

        return to_html(self)
