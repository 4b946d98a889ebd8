"""What the stance model reads: the quote segment of its ``[CLS] target [SEP] quote [SEP]`` input.

One function, :func:`quote_segment`, builds it the same way in training, ``stance classify`` and
``stance analyze``; the format a model was trained with is stored in its config
(``stance_input``) and read back by :class:`~stance.stances.model.StanceModel`.

Formats:

- ``plain``: the quote text as it is.
- ``speaker``: the speaker's name (or, without one, the words that name them) and a colon before
  the quote, ``"Senator Diaz: accused the governor of lying"``. The label is the speaker's stance;
  in a sentence that names several parties this says whose stance is asked for.
- ``marked``: the first mention of the target inside the quote wrapped in ``<t>`` ... ``</t>``, so
  that the model sees where the target is (PLOVER-style event sentences name both parties).
- ``speaker+marked``: both.

Which one the default model uses was measured on the news dev set (models/stance-minilm/README.md).
"""

from __future__ import annotations

import re

INPUT_FORMATS = ("plain", "speaker", "marked", "speaker+marked")


def mark_target(text: str, target: str) -> str:
    """``text`` with the first case-insensitive whole-word mention of ``target`` inside <t>...</t>."""
    target = target.strip()
    if not target:
        return text
    match = re.search(rf"(?<!\w){re.escape(target)}(?!\w)", text, flags=re.IGNORECASE)
    if match is None:
        return text
    return f"{text[:match.start()]}<t>{match.group(0)}</t>{text[match.end():]}"


def quote_segment(text: str, target: str, speaker: str | None = None, input_format: str = "plain") -> str:
    """The second segment of the model's input for one (quote, target, speaker)."""
    if input_format not in INPUT_FORMATS:
        raise ValueError(f"input format must be one of {INPUT_FORMATS}, not {input_format!r}")
    if "marked" in input_format:
        text = mark_target(text, target)
    if input_format.startswith("speaker") and speaker and speaker.strip():
        text = f"{speaker.strip()}: {text}"
    return text
