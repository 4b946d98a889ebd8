"""Offsets are the truth: every span's text is text[start:end], for any input."""

from hypothesis import given, settings
from hypothesis import strategies as st

from stance import find_quotes
from stance.document import Quote, Span

# Text built from pieces that trigger the extractor (marks, cues, names, paragraph breaks) mixed
# with arbitrary Unicode, including astral characters, combining marks and right-to-left script.
PIECES = st.sampled_from([
    '"', "“", "”", "‘", "’", "«", "»", "''", ", ", ". ", "\n\n", " said ", " says ", "He", " she ",
    "according to ", "The minister", "Al-Sudani", " that ", " told reporters", ":", " — ", "é", "😀",
    "\u0301", "مرحبا", "北京", "\u200d", "Mr. ", " called on ", " to ", "!", "?",
])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join)


def check(text, span_like_pairs):
    for start, end, expected in span_like_pairs:
        assert 0 <= start <= end <= len(text)
        assert text[start:end] == expected


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_every_span_is_a_slice_of_the_text(text):
    for q in find_quotes(text):
        check(text, [(q.start, q.end, q.text)])
        check(text, [(s, e, piece) for (s, e), piece in zip(q.spans, q.pieces)])
        if q.cue:
            check(text, [(q.cue.start, q.cue.end, q.cue.text)])
        if q.speaker:
            m = q.speaker.mention
            check(text, [(m.start, m.end, m.text)])


@settings(max_examples=100, deadline=None)
@given(TEXT)
def test_to_dict_offsets_round_trip(text):
    for q in find_quotes(text):
        d = q.to_dict()
        assert text[d["start"] : d["end"]] == d["text"]
        for s, e in d["spans"]:
            assert 0 <= s <= e <= len(text)


def test_offsets_count_code_points_not_bytes_or_utf16_units():
    text = 'Flags 😀😀 everywhere. "Nous reviendrons 🇫🇷," the mayor said.'
    q = find_quotes(text)[0]
    assert text[q.start : q.end] == '"Nous reviendrons 🇫🇷,"'
    assert q.speaker.mention.text == "the mayor"


def test_span_outside_the_text_is_refused():
    import pytest

    with pytest.raises(ValueError, match="outside a text of length 3"):
        Span.of("abc", 1, 5)
    with pytest.raises(ValueError, match="kind must be one of"):
        Quote.of("abc", [(0, 1)], "paraphrase")
