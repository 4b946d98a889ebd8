"""The whole pipeline: text -> quotes -> speakers -> targets -> stances.

``Pipeline`` holds what is expensive (the stance model, loaded once) and the user's settings;
``analyze`` and ``analyze_many`` return ``Document`` results, ``analyze_corpus`` the kind it was given
(see ``stance.corpus``). The text stages are plain functions of one text (run in a process pool with
``workers``); the model stage batches (quote, target) pairs across documents, sorted by length.
"""

from __future__ import annotations

import functools
import os
import warnings
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from stance.corpus.parallel import MAX_CHARS, TextStage
from stance.corpus.read import Record, batched, is_dataframe, is_dataset, read_records, record_of
from stance.document import Document, Quote, Stance
from stance.quotes.finder import rules_one

DEFAULT = "default"
# What ``quotes="default"`` means: ``$STANCE_QUOTES`` if set (rules, tagger or a tagger folder), else
# the tagger, which measures better than the rules on PolNeAR dev (quotes F1 0.718 against 0.606 at
# Jaccard 0.5, models/quotes-minilm/README.md) but runs about 20 times slower; without
# models/quotes-minilm the rules run, with a warning.
DEFAULT_QUOTES = "tagger"


def find_quotes(text: str) -> list[Quote]:
    """Quotes and speakers of one text by the rules, without stances (no model involved)."""
    return rules_one(text)


# A cue further than this before its content is not read with it (characters).
CUE_REACH = 60


def stance_text(text: str, quote: Quote) -> str:
    """What the stance model reads for a quote: the reported words, with the cue and its object
    when they come first ("condemned the drone strike", "called on all parties to exercise
    restraint"): in reported speech the stance is often in the cue, not in the content."""
    if quote.kind != "direct" and quote.cue and quote.cue.end <= quote.start and quote.start - quote.cue.end <= CUE_REACH:
        return text[quote.cue.start : quote.end]
    return quote.content


class Pipeline:
    """Finds quotes, their speakers, and each quote's stance toward its targets.

    Args:
        model: a stance model folder, a loaded ``StanceModel``, ``"default"`` for the model shipped in
            ``models/`` (skipped with a warning when it is not there), or None for no stances.
        targets: targets of interest; each quote is scored toward those it mentions (all of them
            when it mentions none). A target may have aliases, ``"Israel=Israel,Israeli,IDF"`` or a
            dict ``{"Israel": ["Israeli", "IDF"]}`` (see ``stance.targets.groups``). Without targets,
            they are proposed from each quote.
        device: "cpu", "cuda", ...; default: a GPU when there is one.
        batch_size: (quote, target) pairs per forward pass.
        quantize: int8 dynamic quantization of the model's linear layers (CPU only, faster).
        max_chars: a longer text gets an error instead of quotes (None: no limit).
        quotes: how quotes are found: ``"rules"`` (fast, no model; the text stages run in ``workers``
            processes), ``"tagger"`` (the trained tagger in ``models/quotes-minilm``), a tagger
            folder, any ``QuoteFinder`` (see ``stance.quotes.finder``), or ``"default"``
            (``DEFAULT_QUOTES``).
    """

    def __init__(
        self,
        model: Any = DEFAULT,
        targets: Sequence[str] | None = None,
        device: str | None = None,
        batch_size: int = 64,
        quantize: bool = False,
        max_chars: int | None = MAX_CHARS,
        quotes: Any = DEFAULT,
    ):
        from stance.targets.groups import target_specs, target_table

        self._target_table = target_table(targets)
        self.targets = target_specs(self._target_table) or None
        self.batch_size = batch_size
        self.max_chars = max_chars
        self.model = self._load(model, device, quantize)
        self.quotes = self._quote_finder(quotes, device, quantize)

    @staticmethod
    def _quote_finder(quotes: Any, device: str | None, quantize: bool):
        """None for the rules (run by the text stage), else a QuoteFinder."""
        default = quotes == DEFAULT
        if default:
            quotes = os.environ.get("STANCE_QUOTES") or DEFAULT_QUOTES
        if quotes is None or quotes == "rules":
            return None
        if callable(quotes):
            return quotes
        from stance.quotes.finder import TaggerQuotes
        from stance.quotes.tagger import QuoteTagger, TaggerError

        path = None if quotes == "tagger" else quotes
        try:
            return TaggerQuotes(QuoteTagger.load(path, device=device, quantize=quantize))
        except TaggerError as error:
            if not default:
                raise
            warnings.warn(f"no quote tagger, the rules find the quotes: {error}", stacklevel=4)
            return None

    @staticmethod
    def _load(model: Any, device: str | None, quantize: bool):
        if model is None or model is False:
            return None
        if not isinstance(model, (str, Path)):
            return model  # already loaded
        from stance.stances.model import StanceModel, StanceModelError, default_model_path

        if model == DEFAULT:
            try:
                return StanceModel.load(default_model_path(), device=device, quantize=quantize)
            except StanceModelError as error:
                warnings.warn(f"no stance model, quotes will have no stances: {error}", stacklevel=3)
                return None
        return StanceModel.load(model, device=device, quantize=quantize)

    def __repr__(self) -> str:
        quotes = "rules" if self.quotes is None else repr(self.quotes)
        return f"Pipeline(model={self.model!r}, quotes={quotes}, targets={self.targets!r}, batch_size={self.batch_size})"

    def analyze(self, text: str, id: str | None = None) -> Document:
        """Analyse one text."""
        return next(self._analyze_batch([Record(id, text)]))

    def analyze_many(self, texts: Iterable[Any], batch_size: int = 32, workers: int = 1) -> Iterator[Document]:
        """Analyse many texts lazily, in order; each item is a text, an ``(id, text)`` pair, a
        ``{"id", "text"}`` dict or a ``Record``. A bad item gives a ``Document`` with ``error`` set,
        not an exception. ``workers > 1`` runs the text stages in that many processes.
        """
        records = (record_of(item, number) for number, item in enumerate(texts))
        if self.quotes is not None:
            for batch in batched(records, batch_size):
                yield from self._with_stances(self._found(batch))
            return
        with TextStage(workers, self.max_chars) as stage:
            for documents in stage.batches(batched(records, batch_size)):
                yield from self._with_stances(documents)

    def analyze_corpus(self, source: Any, text_field: str = "text", id_field: str = "id",
                       batch_size: int = 32, workers: int = 1, keep_fields: Sequence[str] = ()) -> Any:
        """Analyse a corpus and give back the same kind of thing.

        ``source``: a pandas ``DataFrame`` -> a copy with ``quotes`` (a list of quote dicts per row,
        as in ``Document.to_dict``) and ``error`` columns added, same index; a ``datasets.Dataset``
        -> the dataset with ``quotes`` and ``error`` columns added; a path (JSON lines, CSV, Parquet,
        a folder of .txt files, a saved dataset) or an iterable -> an iterator of ``Document``.
        ``keep_fields``: input fields copied into each ``Document.fields`` (for paths and iterables).
        To write results to a file (resumable, with progress), see ``stance.corpus.run``.
        """
        records = read_records(source, text_field, id_field, keep_fields)
        documents = self.analyze_many(records, batch_size=batch_size, workers=workers)
        if is_dataframe(source) or is_dataset(source):
            from stance.corpus import tables

            add = tables.add_to_dataframe if is_dataframe(source) else tables.add_to_dataset
            return add(source, documents)
        return documents

    def _analyze_batch(self, records: list[Any]) -> Iterator[Document]:
        """One batch of ``Record`` objects or ``(id, text, error)`` triples, in this process."""
        records = [r if isinstance(r, Record) else Record(*r) for r in records]
        if self.quotes is not None:
            yield from self._with_stances(self._found(records))
            return
        yield from self._with_stances(TextStage(max_chars=self.max_chars).batch(records))

    def _found(self, records: list[Record]) -> list[Document]:
        """Documents (no stances yet) of a batch by the quote finder; a failing text keeps its error."""
        from stance.corpus.parallel import text_error

        errors = [text_error(r, self.max_chars) for r in records]
        todo = [i for i, e in enumerate(errors) if e is None]
        texts = [records[i].text for i in todo]
        find = getattr(self.quotes, "find", None)
        try:
            results = find(texts) if find else self.quotes(texts)
        except Exception:  # isolate the text that breaks the batch
            results = []
            for text in texts:
                try:
                    results.append((find or self.quotes)([text])[0])
                except Exception as error:
                    results.append(error)
        quotes: list[tuple[Quote, ...]] = [()] * len(records)
        for i, result in zip(todo, results):
            if isinstance(result, Exception):
                errors[i] = f"document {records[i].id!r}: {type(result).__name__}: {result}"
            else:
                quotes[i] = tuple(result)
        return [Document(r.text if isinstance(r.text, str) else "", q, r.id, e, r.fields or {})
                for r, q, e in zip(records, quotes, errors)]

    def _with_stances(self, documents: list[Document]) -> list[Document]:
        """Stances for a batch of documents. When the batch fails, each document is scored alone,
        so that only the one that fails gets an error (naming it) and the others keep their stances."""
        if self.model is None:
            return documents
        try:
            return self._add_stances(documents)
        except Exception as error:
            if len(documents) == 1:
                return [self._failed(documents[0], error)]
        result = []
        for doc in documents:
            try:
                result.extend(self._add_stances([doc]))
            except Exception as error:
                result.append(self._failed(doc, error))
        return result

    @staticmethod
    def _failed(doc: Document, error: Exception) -> Document:
        return Document(doc.text, (), doc.id, f"document {doc.id!r}: stances: {type(error).__name__}: {error}",
                        doc.fields)

    def _targets_for(self, text: str) -> list[str]:
        from stance.targets.groups import match_target_table
        from stance.targets.propose import propose_targets

        if self._target_table:
            return match_target_table(text, self._target_table)
        return propose_targets(text)

    def _add_stances(self, documents: list[Document]) -> list[Document]:
        pairs: list[tuple[str, str]] = []
        speakers: list[str | None] = []
        owners: list[tuple[int, int, str]] = []  # (document, quote, target) per pair
        for d, doc in enumerate(documents):
            for q, quote in enumerate(doc.quotes):
                text = stance_text(doc.text, quote)
                speaker = (quote.speaker.name or quote.speaker.mention.text) if quote.speaker else None
                for target in self._targets_for(text):
                    pairs.append((text, target))
                    speakers.append(speaker or None)
                    owners.append((d, q, target))
        if not pairs:
            return documents
        if str(getattr(self.model, "input_format", "plain")).startswith("speaker"):
            scores = self.model.score_pairs(pairs, batch_size=self.batch_size, speakers=speakers)
        else:  # a model that reads no speaker (or a stand-in with the plain score_pairs signature)
            scores = self.model.score_pairs(pairs, batch_size=self.batch_size)
        stances: dict[tuple[int, int], list[Stance]] = {}
        for (d, q, target), row in zip(owners, scores):
            stances.setdefault((d, q), []).append(Stance(target, row))
        result = []
        for d, doc in enumerate(documents):
            quotes = tuple(quote.with_stances(tuple(stances.get((d, q), ()))) for q, quote in enumerate(doc.quotes))
            result.append(Document(doc.text, quotes, doc.id, doc.error, doc.fields))
        return result


@functools.lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    """The pipeline ``stance.analyze`` uses, built on first use and kept (``cache_clear()`` drops it)."""
    return Pipeline()


def analyze(text: str, id: str | None = None, targets: Sequence[str] | None = None, model: Any = DEFAULT) -> Document:
    """Analyse one text: ``stance.analyze("...")``. With ``targets`` or ``model`` a new pipeline is built."""
    if targets is not None or model != DEFAULT:
        return Pipeline(model=model, targets=targets).analyze(text, id)
    return default_pipeline().analyze(text, id)
