"""A trained tagger for attributions: source, cue and content tags over word pieces.

The model is a plain Hugging Face token classifier (``AutoModelForTokenClassification``) with nine
outputs: three independent B/I/O layers, one per role (source, cue, content), so that the cue and
source of a nested attribution can sit inside the content of the outer one. Each layer is a softmax
over its three tags (``TAGS``).

What the model reads: one paragraph at a time, as ``[CLS] context [SEP] paragraph [SEP]``, where the
context is the last ``CONTEXT_TOKENS`` word pieces before the paragraph (the end of the previous one:
"He continued:" and the speaker of a quotation that goes on). A paragraph longer than the model's
window is cut into consecutive windows, each with the word pieces just before it as its context.
Only the paragraph's word pieces carry tags.

This module turns text into model inputs and model outputs into character spans per role; linking
spans into quotes is :mod:`stance.quotes.decode`, training is :mod:`stance.quotes.train`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from stance.packaged_models import default_model_dir

ROLES = ("source", "cue", "content")
TAGS = ("O", "B", "I")
LABEL_NAMES = tuple(f"{role}-{tag}" for role in ROLES for tag in TAGS)
CONTEXT_TOKENS = 32  # word pieces of left context (about 25 words)
MAX_LENGTH = 256
# The default tagger's folder: the installed wheel's copy, else the checkout's models/quotes-minilm.
DEFAULT_TAGGER = default_model_dir("quote-tagger")

# Paragraphs that cannot hold an attribution are not worth a forward pass (``may_hold_attribution``):
# those without a quotation mark and without a cue word. Measured on PolNeAR dev in
# models/quotes-minilm/README.md.
QUOTE_MARK_CHARS = "\"“”«»„‘’"


@dataclass(frozen=True)
class Window:
    """One model input: a paragraph's word pieces [lo, hi) with their context."""

    paragraph: int  # index into the paragraph list it was made from
    input_ids: list[int]
    token_type_ids: list[int]
    first: int  # position in input_ids of the first tagged word piece
    offsets: list[tuple[int, int]]  # character spans (in the document) of the tagged word pieces


class TaggerError(ValueError):
    """A tagger folder that cannot be used."""


def encode_paragraphs(tokenizer, text: str, paras: Sequence[tuple[int, int]], max_length: int = MAX_LENGTH,
                      context_tokens: int = CONTEXT_TOKENS) -> list[Window]:
    """Model windows for the paragraphs ``paras`` (character spans) of ``text``, in order.

    Word-piece offsets are the tokenizer's own (character indices into the text it was given) shifted
    by where that text starts, so they are character offsets into ``text`` for any Unicode.
    """
    if not paras:
        return []
    para_texts = [text[s:e] for s, e in paras]
    ctx_texts = [text[max(0, s - 40 * context_tokens) : s] for s, _ in paras]
    enc = tokenizer(para_texts, add_special_tokens=False, return_offsets_mapping=True)
    ctx = tokenizer(ctx_texts, add_special_tokens=False) if context_tokens else None
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    room = max_length - 3 - context_tokens
    if room < 8:
        raise ValueError(f"max_length {max_length} leaves no room for a paragraph after {context_tokens} context tokens")
    windows = []
    for p, (ps, _) in enumerate(paras):
        ids = enc["input_ids"][p]
        offsets = [(ps + a, ps + b) for a, b in enc["offset_mapping"][p]]
        before = ctx["input_ids"][p][-context_tokens:] if ctx is not None else []
        for lo in range(0, max(len(ids), 1), room):
            hi = min(len(ids), lo + room)
            if lo == 0:
                context = list(before)
            else:
                context = (list(before) + ids[:lo])[-context_tokens:]
            input_ids = [cls] + context + [sep] + ids[lo:hi] + [sep]
            types = [0] * (len(context) + 2) + [1] * (hi - lo + 1)
            windows.append(Window(p, input_ids, types, len(context) + 2, offsets[lo:hi]))
            if hi >= len(ids):
                break
    return windows


def spans_from_tags(tags: Sequence[int], offsets: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Character spans from one role's tag indices (0 O, 1 B, 2 I) over word pieces with ``offsets``.

    An I that follows an O starts a span (the usual lenient reading of BIO); a B always does. A span
    runs from its first word piece's start to its last one's end.
    """
    spans: list[tuple[int, int]] = []
    start = end = None
    for tag, (s, e) in zip(tags, offsets):
        if tag == 1 or (tag == 2 and start is None):
            if start is not None:
                spans.append((start, end))
            start, end = s, e
        elif tag == 2:
            end = max(end, e)
        else:
            if start is not None:
                spans.append((start, end))
            start = end = None
    if start is not None:
        spans.append((start, end))
    return [(s, e) for s, e in spans if s < e]


def tags_from_spans(spans: Iterable[tuple[int, int]], offsets: Sequence[tuple[int, int]]) -> list[int]:
    """One role's tags for word pieces with ``offsets``: B on the first piece overlapping a span, I on
    the rest of it, O elsewhere. Spans must not overlap each other."""
    tags = [0] * len(offsets)
    for s, e in sorted(spans):
        inside = False
        for i, (a, b) in enumerate(offsets):
            if b <= s or a >= e or a == b:
                continue
            tags[i] = 2 if inside else 1
            inside = True
    return tags


def _word_boundary_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans grown to whole words (a word piece may stop inside a word the model split)."""
    result = []
    for s, e in spans:
        while s > 0 and text[s - 1].isalnum() and text[s].isalnum():
            s -= 1
        while e < len(text) and text[e - 1].isalnum() and text[e].isalnum():
            e += 1
        result.append((s, e))
    return result


class QuoteTagger:
    """A trained attribution tagger: ``QuoteTagger.load(folder).tag(text, paragraphs)``.

    ``tag`` returns, for each role, the character spans the model marked, per paragraph.
    """

    def __init__(self, model, tokenizer, path: Path | None = None, device: str = "cpu", batch_size: int = 32,
                 max_length: int = MAX_LENGTH, context_tokens: int = CONTEXT_TOKENS):
        self.model = model
        self.tokenizer = tokenizer
        self.path = path
        self.device = device
        self.batch_size = batch_size
        self.max_length = max_length
        self.context_tokens = context_tokens

    def __repr__(self) -> str:
        return f"QuoteTagger({str(self.path) if self.path else 'in memory'!r}, device={self.device!r})"

    @classmethod
    def load(cls, path: str | Path | None = None, device: str | None = None, batch_size: int = 32,
             quantize: bool = False) -> "QuoteTagger":
        import torch
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        path = Path(path) if path is not None else DEFAULT_TAGGER
        if not (path / "config.json").is_file():
            raise TaggerError(f"no quote tagger in {path} (a folder with config.json and model.safetensors; "
                              f"train one with `stance train-quotes`)")
        model = AutoModelForTokenClassification.from_pretrained(path, local_files_only=True)
        if model.config.num_labels != len(LABEL_NAMES):
            raise TaggerError(f"{path} is not a quote tagger: {model.config.num_labels} labels, expected {len(LABEL_NAMES)}")
        tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        if device is None:
            device = "cuda" if torch.cuda.is_available() else "cpu"
        model.float().eval().to(device)
        if quantize and device == "cpu":
            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        max_length = getattr(model.config, "quotes_max_length", MAX_LENGTH)
        context = getattr(model.config, "quotes_context_tokens", CONTEXT_TOKENS)
        return cls(model, tokenizer, path, device, batch_size, max_length, context)

    def logits(self, windows: list[Window]) -> list[Any]:
        """Per window, a (tagged word pieces, 3 roles, 3 tags) tensor of log-probabilities."""
        import torch

        results: list[Any] = [None] * len(windows)
        order = sorted(range(len(windows)), key=lambda i: len(windows[i].input_ids))
        pad = self.tokenizer.pad_token_id or 0
        with torch.inference_mode():
            for b in range(0, len(order), self.batch_size):
                chunk = order[b : b + self.batch_size]
                width = max(len(windows[i].input_ids) for i in chunk)
                ids = torch.full((len(chunk), width), pad, dtype=torch.long)
                types = torch.zeros((len(chunk), width), dtype=torch.long)
                mask = torch.zeros((len(chunk), width), dtype=torch.long)
                for row, i in enumerate(chunk):
                    w = windows[i]
                    n = len(w.input_ids)
                    ids[row, :n] = torch.tensor(w.input_ids)
                    types[row, :n] = torch.tensor(w.token_type_ids)
                    mask[row, :n] = 1
                out = self.model(input_ids=ids.to(self.device), token_type_ids=types.to(self.device),
                                 attention_mask=mask.to(self.device)).logits.float()
                out = out.view(out.shape[0], out.shape[1], len(ROLES), len(TAGS)).log_softmax(-1).cpu()
                for row, i in enumerate(chunk):
                    w = windows[i]
                    results[i] = out[row, w.first : w.first + len(w.offsets)]
        return results

    def tag(self, text: str, paras: Sequence[tuple[int, int]]) -> list[dict[str, list[tuple[int, int]]]]:
        """For each paragraph, ``{role: [(start, end), ...]}`` in character offsets of ``text``."""
        return self.tag_many([(text, paras)])[0]

    def tag_many(self, items: Sequence[tuple[str, Sequence[tuple[int, int]]]]) -> list[list[dict[str, list[tuple[int, int]]]]]:
        """``tag`` for several (text, paragraphs) pairs at once: one set of batches for all of them."""
        import torch

        windows: list[Window] = []
        owners: list[int] = []
        for n, (text, paras) in enumerate(items):
            got = encode_paragraphs(self.tokenizer, text, paras, self.max_length, self.context_tokens)
            windows.extend(got)
            owners.extend([n] * len(got))
        logits = self.logits(windows)
        results = [[{r: [] for r in ROLES} for _ in paras] for _, paras in items]
        # join the windows of each paragraph, then read each role's tags
        joined: dict[tuple[int, int], tuple[list[tuple[int, int]], list[Any]]] = {}
        for n, w, lp in zip(owners, windows, logits):
            offsets, parts = joined.setdefault((n, w.paragraph), ([], []))
            offsets.extend(w.offsets)
            parts.append(lp)
        for (n, p), (offsets, parts) in joined.items():
            if not offsets:
                continue
            text = items[n][0]
            tags = torch.cat(parts).argmax(-1)  # (word pieces, roles)
            for r, role in enumerate(ROLES):
                results[n][p][role] = _word_boundary_spans(text, spans_from_tags(tags[:, r].tolist(), offsets))
        return results


@functools.lru_cache(maxsize=1)
def _cue_words() -> frozenset[str]:
    from stance.quotes import cues

    words = set(cues.CUE_FORMS) | set(cues.DOCUMENT_NOUNS) | {"according"}
    words |= {phrase.split()[0] for phrase in cues.PHRASE_CUES}
    return frozenset(words)


def may_hold_attribution(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] has a quotation mark or a word that can cue an attribution
    (:mod:`stance.quotes.cues`: reporting verbs in every form, "according", document nouns)."""
    segment = text[start:end]
    if any(c in segment for c in QUOTE_MARK_CHARS) or "''" in segment:
        return True
    words = _cue_words()
    return any(w in words for w in _WORD.findall(segment.lower()))


_WORD = re.compile(r"[a-z]+(?:-[a-z]+)?")
