"""The trained quote tagger: decoding tagged spans into quotes, offsets, and the tagger path end to end.

The decoder is specified on hand-written tags: a sentence is written with its spans marked
``[S source]``, ``[C cue]`` and ``[Q content]``, the marks are taken out, and what the decoder makes of
the spans is checked against the words.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stance.quotes.decode import decode, decode_paragraph, quote_kind
from stance.quotes.tagger import encode_paragraphs, may_hold_attribution, spans_from_tags, tags_from_spans
from stance.quotes.train import role_spans
from stance.segment import paragraphs

ROOT = Path(__file__).resolve().parents[1]
ROLE_OF = {"S": "source", "C": "cue", "Q": "content"}


def tagged(marked: str) -> tuple[str, dict[str, list[tuple[int, int]]]]:
    """Text and spans per role from '[S He] [C said] [Q the talks would resume].'"""
    text, spans = "", {role: [] for role in ROLE_OF.values()}
    pos = 0
    for m in re.finditer(r"\[([SCQ]) ([^\]]*)\]", marked):
        text += marked[pos : m.start()]
        start = len(text)
        text += m.group(2)
        spans[ROLE_OF[m.group(1)]].append((start, len(text)))
        pos = m.end()
    text += marked[pos:]
    return text, spans


def quotes_of(marked: str):
    text, spans = tagged(marked)
    found = decode_paragraph(text, 0, len(text), spans)
    return text, found


def words(text, span):
    return text[span[0] : span[1]] if span else None


def test_interrupted_quotation_is_one_quote_with_two_pieces():
    text, (q,) = quotes_of('[Q "The talks will resume,"] [S he] [C said], [Q "but not before Monday."]')
    assert [words(text, s) for s in q.spans] == ['"The talks will resume,"', '"but not before Monday."']
    assert words(text, q.cue) == "said" and words(text, q.source) == "he" and q.kind == "direct"
    assert q.source_kind == "pronoun"


def test_one_source_serves_two_contents():
    text, quotes = quotes_of("[S The minister] [C said] [Q the talks would resume] and [C added] that "
                             "[Q a deal was close].")
    assert [(words(text, q.spans[0]), words(text, q.cue), words(text, q.source)) for q in quotes] == [
        ("the talks would resume", "said", "The minister"),
        ("a deal was close", "added", "The minister"),
    ]
    assert {q.kind for q in quotes} == {"indirect"}


def test_cue_inside_the_quotation_marks_links_to_its_source():
    text, (q,) = quotes_of('In turn, [S the minister] "[C reviewed] [Q ongoing efforts to end the war and '
                           'reiterated support for the talks."]')
    assert words(text, q.cue) == "reviewed" and words(text, q.source) == "the minister"
    assert q.kind == "mixed"


def test_nested_attribution_speaks_for_the_holder_of_the_words_and_keeps_the_channel():
    text, (q,) = quotes_of("[S A statement from the office] [C confirmed] that [S the prime minister], during the "
                           "call, [C reaffirmed] [Q \"Iraq's principled stance on the war\"].")
    assert words(text, q.source) == "the prime minister"
    assert words(text, q.via) == "A statement from the office"
    assert words(text, q.cue) == "reaffirmed" and q.kind == "direct"


def test_each_quotation_takes_the_cue_of_its_own_sentence():
    text, quotes = quotes_of('[Q "We are ready,"] [S he] [C said]. [Q "We are not,"] [S she] [C replied].')
    assert [(words(text, q.spans[0]), words(text, q.source)) for q in quotes] == [
        ('"We are ready,"', "he"), ('"We are not,"', "she")]


def test_quotation_after_the_attribution_continues_the_quote():
    text, (q,) = quotes_of('[Q "Safety,"] [C said] [S Grimm], a supporter. [Q "Safety for the whole country."]')
    assert len(q.spans) == 2 and words(text, q.source) == "Grimm"


def test_paragraph_opening_quotation_continues_the_last_quote_of_the_paragraph_before():
    first, spans1 = tagged('[S Kerr] [C said]: [Q "We will stay."]')
    second, spans2 = tagged('[Q "And we will build."]')
    text = first + "\n\n" + second
    shift = len(first) + 2
    spans2 = {role: [(s + shift, e + shift) for s, e in v] for role, v in spans2.items()}
    quotes = decode(text, paragraphs(text), [spans1, spans2])
    assert [words(text, q.source) for q in quotes] == ["Kerr", "Kerr"]
    assert words(text, quotes[1].spans[0]) == '"And we will build."'


def test_quote_kind_from_quotation_marks():
    text = 'He said "we will not allow anyone to turn Iraq into a battlefield" today, and "so-called" experts agree.'
    assert quote_kind(text, [(8, 66)]) == "direct"
    assert quote_kind(text, [(3, 75)]) == "mixed"
    assert quote_kind(text, [(76, 103)]) == "indirect"  # a scare-quoted word is not the speaker's words


def test_bio_tags_round_trip_to_spans():
    offsets = [(0, 2), (3, 7), (8, 11), (12, 17), (18, 22)]
    spans = [(3, 11), (18, 22)]
    tags = tags_from_spans(spans, offsets)
    assert tags == [0, 1, 2, 0, 1]
    assert spans_from_tags(tags, offsets) == spans
    assert spans_from_tags([0, 2, 2, 1, 2], offsets) == [(3, 11), (12, 22)]  # an I after an O starts a span


def test_training_targets_drop_the_outer_content_of_a_nested_attribution():
    text = "A statement confirmed that the minister reaffirmed the pledge."
    doc = {"text": text, "quotes": [
        {"source": [[0, 11]], "cue": [[12, 21]], "content": [[22, 61]]},
        {"source": [[27, 39]], "cue": [[40, 50]], "content": [[51, 61]]},
    ]}
    spans = role_spans(doc)
    assert [text[s:e] for s, e in spans["content"]] == ["the pledge"]
    assert [text[s:e] for s, e in spans["cue"]] == ["confirmed", "reaffirmed"]


def test_paragraph_filter_keeps_quotations_and_cue_words_only():
    text = "The weather was fine.\nShe said it was not.\nHe wrote “fine”.\nAccording to them, no."
    paras = paragraphs(text)
    assert [may_hold_attribution(text, *p) for p in paras] == [False, True, True, True]


# ------------------------------------------------------------------------------------- with a model

SYNTHETIC = [
    ('"{a}," {s} said.', "direct"),
    ('{s} said that {a}.', "indirect"),
    ('"{a}," said {s}.', "direct"),
]
SPEAKERS = ["Anna Berg", "the minister", "He", "Mr. Kerr", "The ministry", "She", "Omar Saleh", "the envoy"]
CONTENTS = ["the talks will resume on Monday", "we will not allow it", "the border stays open",
            "the deal is close", "nobody was hurt in the attack", "the budget will pass"]


def _synthetic_docs(n: int) -> list[dict]:
    docs = []
    for i in range(n):
        paras, quotes, text = [], [], ""
        for j in range(3):
            pattern, _ = SYNTHETIC[(i + j) % len(SYNTHETIC)]
            s, a = SPEAKERS[(i * 3 + j) % len(SPEAKERS)], CONTENTS[(i + 2 * j) % len(CONTENTS)]
            sentence = pattern.format(s=s, a=a)
            base = len(text)
            a_at = sentence.index(a)
            content = (a_at - 1, a_at + len(a) + 2) if pattern.startswith('"') else (a_at, a_at + len(a))
            quotes.append({"source": [[base + sentence.index(s), base + sentence.index(s) + len(s)]],
                           "cue": [[base + sentence.index("said"), base + sentence.index("said") + 4]],
                           "content": [[base + content[0], base + content[1]]]})
            text += sentence + "\n\nThe weather was mild in the capital.\n\n"
            paras.append(sentence)
        docs.append({"id": f"doc-{i}", "text": text, "quotes": quotes})
    return docs


@pytest.fixture(scope="session")
def tiny_tagger_dir(tmp_path_factory) -> Path:
    """A one-layer tagger trained for a few dozen steps on synthetic sentences, saved like a real one."""
    from stance.quotes.train import train_tagger

    out = tmp_path_factory.mktemp("tiny-quote-tagger")
    train_tagger(_synthetic_docs(24), _synthetic_docs(4), out, num_layers=1, epochs=30, max_steps=60, batch_size=8,
                 lr=1e-3, eval_every=0, empty_fraction=1.0, num_threads=1, device="cpu", keep_checkpoints=False,
                 log=lambda line: None)
    return out


@pytest.mark.slow
def test_tiny_tagger_saves_fp16_and_finds_the_quotes_it_was_taught(tiny_tagger_dir):
    from safetensors import safe_open

    from stance.pipeline import Pipeline

    with safe_open(tiny_tagger_dir / "model.safetensors", framework="pt") as f:
        assert {str(f.get_tensor(k).dtype) for k in f.keys()} == {"torch.float16"}
    metrics = json.loads((tiny_tagger_dir / "metrics.json").read_text())
    assert metrics["steps"] == 60 and metrics["args"]["num_layers"] == 1

    text = 'The weather was mild.\n\n"The border stays open," Omar Saleh said.\n\nThe minister said that the deal is close.'
    doc = Pipeline(model=None, quotes=str(tiny_tagger_dir)).analyze(text)
    found = [(q.text, q.kind, q.speaker.mention.text if q.speaker else None) for q in doc.quotes]
    assert ('"The border stays open,"', "direct", "Omar Saleh") in found
    # a tagger trained for 60 steps may take the full stop or leave out "The": the words and roles hold
    assert any(text.startswith("the deal is close") and kind == "indirect" and mention and "minister" in mention
               for text, kind, mention in found)


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_tagger_spans_are_exact_offsets_for_any_unicode(tiny_tagger_dir, text):
    from stance.quotes.finder import TaggerQuotes
    from stance.quotes.tagger import QuoteTagger

    finder = _tagger_finder(tiny_tagger_dir)
    (quotes,) = finder([text + ' "Ça va, très bien," dit-il, 😀 said Zoë.'])
    full = text + ' "Ça va, très bien," dit-il, 😀 said Zoë.'
    for q in quotes:
        for s, e in q.spans:
            assert 0 <= s < e <= len(full)
        assert q.text == full[q.start : q.end]
        if q.speaker:
            assert q.speaker.mention.text == full[q.speaker.mention.start : q.speaker.mention.end]
    assert isinstance(finder, TaggerQuotes) and isinstance(finder.tagger, QuoteTagger)


_FINDERS: dict = {}


def _tagger_finder(folder):
    from stance.quotes.finder import TaggerQuotes
    from stance.quotes.tagger import QuoteTagger

    if folder not in _FINDERS:
        _FINDERS[folder] = TaggerQuotes(QuoteTagger.load(folder, device="cpu"), all_paragraphs=True)
    return _FINDERS[folder]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_word_piece_offsets_are_character_offsets_for_any_unicode(text):
    from stance.stances.train import default_base

    tokenizer = _tokenizer(default_base())
    paras = paragraphs(text)
    for w in encode_paragraphs(tokenizer, text, paras, max_length=48, context_tokens=8):
        assert len(w.input_ids) <= 48
        s0, e0 = paras[w.paragraph]
        for s, e in w.offsets:
            assert s0 <= s <= e <= e0


_TOKENIZERS: dict = {}


def _tokenizer(path):
    from transformers import AutoTokenizer

    if path not in _TOKENIZERS:
        _TOKENIZERS[path] = AutoTokenizer.from_pretrained(path)
    return _TOKENIZERS[path]


@pytest.mark.slow
def test_both_quote_modes_from_the_command_line(tiny_tagger_dir, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a", "text": '"The border stays open," Omar Saleh said.'}) + "\n"
                      + json.dumps({"id": "b", "text": 7}) + "\n")
    outputs = {}
    for mode in ("rules", str(tiny_tagger_dir)):
        out = tmp_path / f"out-{len(outputs)}.jsonl"
        done = subprocess.run([sys.executable, "-m", "stance.cli", "analyze", str(source), "-o", str(out),
                               "--no-stances", "--quotes", mode, "-q"], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 1, done.stderr  # record b has no text: it fails, record a does not
        records = [json.loads(line) for line in out.read_text().splitlines()]
        assert [r["id"] for r in records] == ["a", "b"] and "is a int, not a string" in records[1]["error"]
        outputs[mode] = records[0]
    for record in outputs.values():
        (quote,) = record["quotes"]
        assert quote["text"] == '"The border stays open,"' and quote["speaker"]["mention"]["text"] == "Omar Saleh"
        assert quote["speaker"]["via"] is None
