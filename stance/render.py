"""HTML for notebooks: the text with quotes, cues and speaker mentions highlighted."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stance.document import Document

STYLE = (
    "<style>"
    ".stance-doc{font-family:Georgia,serif;line-height:1.6;white-space:pre-wrap}"
    ".stance-q{background:#fff3bf}.stance-q.direct{background:#ffe066}.stance-q.mixed{background:#ffec99}"
    ".stance-cue{border-bottom:2px solid #1971c2;color:#1971c2}"
    ".stance-src{background:#d0ebff;border-radius:3px}"
    ".stance-tag{font:11px sans-serif;color:#495057;background:#f1f3f5;border-radius:3px;padding:0 3px;margin-left:2px}"
    "</style>"
)


def to_html(doc: "Document") -> str:
    """The document's text with each quote, cue and speaker mention wrapped in a styled span.

    Spans never cross: a quote piece that contains a cue or mention (an inserted "he said") is cut
    around it. Each quote ends with a small tag naming its speaker and primary stance.
    """
    text = doc.text
    if doc.error:
        return f"<div class='stance-doc'><b>error:</b> {html.escape(doc.error)}</div>"
    # (start, end, kind, title) marks, then a sweep over boundaries
    marks: list[tuple[int, int, str, str]] = []
    tags: dict[int, str] = {}
    for n, q in enumerate(doc.quotes):
        who = (q.speaker.name or q.speaker.mention.text) if q.speaker else "no speaker"
        title = f"quote {n + 1} ({q.kind}) by {who}"
        for s, e in q.spans:
            marks.append((s, e, f"stance-q {q.kind}", title))
        if q.cue:
            marks.append((q.cue.start, q.cue.end, "stance-cue", f"cue of quote {n + 1}"))
        if q.speaker:
            marks.append((q.speaker.mention.start, q.speaker.mention.end, "stance-src", f"{who}"))
        stance = f" · {q.stance.label} → {q.stance.target}" if q.stance else ""
        tags[q.end] = tags.get(q.end, "") + f"<span class='stance-tag'>{n + 1}: {html.escape(who)}{html.escape(stance)}</span>"
    cuts = sorted({0, len(text)} | {m[0] for m in marks} | {m[1] for m in marks} | set(tags))
    out = [STYLE, "<div class='stance-doc'>"]
    for a, b in zip(cuts, cuts[1:]):
        if a == b:
            continue
        covering = [m for m in marks if m[0] <= a and b <= m[1]]
        piece = html.escape(text[a:b])
        # the innermost mark (shortest) decides the class: cue and speaker over quote
        if covering:
            s, e, cls, title = min(covering, key=lambda m: m[1] - m[0])
            piece = f"<span class='{cls}' title='{html.escape(title, quote=True)}'>{piece}</span>"
        out.append(piece)
        if b in tags:
            out.append(tags.pop(b))
    out.append("</div>")
    return "".join(out)
