"""The stance classifier: a fine-tuned transformer that scores (quote, target) pairs on every label.

    model = StanceModel.load()                      # the default model, or $STANCE_MODEL
    model.score_pairs([("We condemn the attack on the convoy.", "the attack on the convoy")])
    # [{'de-escalation': 0.01, 'condemnation': 0.96, 'commitment': 0.01, 'other': 0.02}]

This is the only module of the package that imports torch and transformers at import time; the rest
imports it lazily, when a model is actually needed.

Input encoding (the same in training, see :mod:`stance.stances.train`): a tokenizer *sentence
pair* with the **target first and the quote second**, ``[CLS] target [SEP] quote [SEP]``, cut to
``max_length`` tokens (128 by default) with ``truncation="longest_first"``: targets are short, so it is
the quote's tail that is cut; only a target longer than the remaining quote would lose tokens too.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Sequence
from pathlib import Path

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from stance.packaged_models import default_model_dir
from stance.stances.inputs import quote_segment
from stance.stances.labels import LABELS

# The default model's folder: the installed wheel's copy, else the checkout's models/stance-minilm.
DEFAULT_MODEL_DIR = default_model_dir("stance")
DEFAULT_MAX_LENGTH = 128

# Files that make a folder a loadable model; one of each group must be present.
_WEIGHT_FILES = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin",
                 "pytorch_model.bin.index.json")
_TOKENIZER_FILES = ("tokenizer.json", "vocab.txt", "spiece.model", "sentencepiece.bpe.model",
                    "vocab.json")


class StanceModelError(FileNotFoundError, ValueError):
    """A stance model folder is missing, incomplete, or not a stance model."""


def default_model_path() -> Path:
    """``$STANCE_MODEL`` if set, else the default model: the copy an installed wheel carries
    (``stance/models/stance-minilm``), or in a checkout ``<repo>/models/stance-minilm`` (see
    ``stance.packaged_models``). The one way code finds the default model."""
    env = os.environ.get("STANCE_MODEL")
    return Path(env) if env else DEFAULT_MODEL_DIR


def _how_to_get_one(folder: Path) -> str:
    return (f"Train one with `stance train --output {folder}` (see models/stance-minilm/README.md), "
            "or point to an existing model folder with --model / StanceModel.load(path) / the "
            "STANCE_MODEL environment variable.")


def check_model_folder(folder: str | Path) -> Path:
    """Raise :class:`StanceModelError` unless ``folder`` holds a config, weights and a tokenizer."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        raise StanceModelError(f"No stance model at {folder}: the path {what}. {_how_to_get_one(folder)}")
    missing = []
    if not (folder / "config.json").is_file():
        missing.append("config.json")
    if not any((folder / name).is_file() for name in _WEIGHT_FILES):
        missing.append("model weights (model.safetensors)")
    if not any((folder / name).is_file() for name in _TOKENIZER_FILES):
        missing.append("tokenizer files (tokenizer.json or vocab.txt)")
    if missing:
        raise StanceModelError(f"Incomplete stance model at {folder}: missing {', '.join(missing)}. "
                               f"{_how_to_get_one(folder)}")
    return folder


def _label_order(config) -> list[int]:
    """Output index of each of LABELS, checked against the model's id2label."""
    id2label = {int(i): str(name) for i, name in (config.id2label or {}).items()}
    by_name = {name: i for i, name in id2label.items()}
    missing = [label for label in LABELS if label not in by_name]
    if missing or len(id2label) != len(LABELS):
        raise StanceModelError(
            f"This model's labels {sorted(id2label.values())} are not the stance labels {list(LABELS)}"
            f" (missing {missing}); was it trained with `stance train`?")
    return [by_name[label] for label in LABELS]


class StanceModel:
    """A loaded stance classifier. Build it with :meth:`load`; score with :meth:`score_pairs`.

    Attributes: ``path`` (the folder), ``device``, ``quantized``, ``max_length``, ``labels``,
    ``model`` and ``tokenizer`` (the underlying Hugging Face objects).
    """

    labels: tuple[str, ...] = LABELS

    def __init__(self, model, tokenizer, path: Path, device: str, quantized: bool, max_length: int):
        self.model = model
        self.tokenizer = tokenizer
        self.path = path
        self.device = device
        self.quantized = quantized
        self.max_length = max_length
        self._order = _label_order(model.config)

    def __repr__(self) -> str:
        return (f"StanceModel(path={str(self.path)!r}, device={self.device!r}, "
                f"quantized={self.quantized}, max_length={self.max_length})")

    @classmethod
    def load(cls, path: str | Path | None = None, device: str | None = None,
             quantize: bool = False) -> "StanceModel":
        """Load a stance model folder offline (``local_files_only``; nothing is downloaded).

        ``path``: a folder written by ``stance train``; None means ``$STANCE_MODEL`` or
        the default model (:func:`default_model_path`). ``device``: "cpu", "cuda", "cuda:1"...; None picks cuda
        when available. Weights are stored in fp16 and always cast back to float32 here.
        ``quantize``: int8 dynamic quantization of the Linear layers (CPU only; about 1.5x faster
        with nearly identical scores, see benchmarks/stance_speed.py).
        """
        folder = check_model_folder(default_model_path() if path is None else path)
        if device is None:
            device = "cuda" if torch.cuda.is_available() else "cpu"
        if quantize and not str(device).startswith("cpu"):
            raise ValueError(f"quantize=True needs device='cpu' (int8 dynamic quantization runs on "
                             f"CPU only); got device={device!r}")
        try:
            tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
            model = AutoModelForSequenceClassification.from_pretrained(folder, local_files_only=True)
        except (OSError, ValueError) as e:
            raise StanceModelError(f"Could not load the stance model at {folder}: {e}. "
                                   f"{_how_to_get_one(folder)}") from e
        model = model.float().eval()  # saved in fp16; transformers >= 5 would keep that dtype
        max_length = int(getattr(model.config, "stance_max_length", DEFAULT_MAX_LENGTH))
        if quantize:
            with warnings.catch_warnings():  # torch >= 2.10 announces a future replacement API
                warnings.filterwarnings("ignore", message=".*quantiz.*deprecated", category=UserWarning)
                warnings.filterwarnings("ignore", category=DeprecationWarning)
                model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        model.to(device)
        return cls(model, tokenizer, folder, str(device), quantize, max_length)

    def score_pairs(self, pairs: Sequence[tuple[str, str]], batch_size: int = 64,
                    speakers: Sequence[str | None] | None = None) -> list[dict[str, float]]:
        """Probability of every label for each ``(quote_text, target)`` pair, in input order.

        Pairs are encoded as ``[CLS] target [SEP] quote [SEP]`` (see the module docstring), sorted
        by length so that each batch is padded only to its own longest pair, and run under
        ``torch.inference_mode()``. Each result is ``{label: probability}`` in LABELS order,
        summing to 1: the softmax of the logits divided by the model's ``temperature`` (fitted on
        the news dev set by :mod:`stance.stances.calibrate`; 1.0 for an uncalibrated model).
        ``speakers`` (one per pair, or None) are read by models trained with a speaker input format
        (:mod:`stance.stances.inputs`); other models ignore them.
        """
        logits = self.logits(pairs, batch_size, speakers)
        if not len(logits):
            return []
        probs = torch.softmax(logits / self.temperature, dim=-1).tolist()
        return [dict(zip(LABELS, row)) for row in probs]

    def logits(self, pairs: Sequence[tuple[str, str]], batch_size: int = 64,
               speakers: Sequence[str | None] | None = None) -> torch.Tensor:
        """Raw logits, one row per pair in input order, columns in LABELS order (float32, CPU)."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        pairs = list(pairs)
        if not pairs:
            return torch.empty(0, len(LABELS))
        for i, pair in enumerate(pairs):
            if len(pair) != 2 or not all(isinstance(x, str) for x in pair):
                raise TypeError(f"pair {i} must be (quote_text, target) strings, got {pair!r}")
        if speakers is not None and len(speakers) != len(pairs):
            raise ValueError(f"{len(pairs)} pairs but {len(speakers)} speakers")
        speakers = speakers if speakers is not None else [None] * len(pairs)
        quotes = [quote_segment(quote, target, speaker, self.input_format)
                  for (quote, target), speaker in zip(pairs, speakers)]
        encoded = self.tokenizer([target for _, target in pairs], quotes,
                                 truncation="longest_first", max_length=self.max_length)
        features = [{key: encoded[key][i] for key in encoded.keys()} for i in range(len(pairs))]
        order = sorted(range(len(pairs)), key=lambda i: len(features[i]["input_ids"]))
        results = torch.empty(len(pairs), len(LABELS))
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                chunk = order[start:start + batch_size]
                batch = self.tokenizer.pad([features[i] for i in chunk], return_tensors="pt")
                batch = {key: value.to(self.device) for key, value in batch.items()}
                logits = self.model(**batch).logits.float()[:, self._order].cpu()
                results[torch.tensor(chunk)] = logits
        return results

    @property
    def input_format(self) -> str:
        """How the quote segment is built (:mod:`stance.stances.inputs`); "plain" for older models."""
        return str(getattr(self.model.config, "stance_input", None) or "plain")

    @property
    def temperature(self) -> float:
        """The calibration temperature stored in the model's config (1.0 when there is none)."""
        return float(getattr(self.model.config, "stance_temperature", None) or 1.0)

    def training_metrics(self) -> dict | None:
        """The ``metrics.json`` written next to the weights by ``stance train``, if there is one."""
        path = self.path / "metrics.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
