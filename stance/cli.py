"""The ``stance`` command line: a thin layer over the Python API.

    stance analyze INPUT -o OUTPUT      quotes, speakers and stances for a corpus (see stance.corpus)
    stance evaluate GOLD PRED           score predicted quotes (or stances) against gold
    stance train / stance classify      the stance model (see ``stance.stances.commands``)
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path

from stance.corpus.job import ENGINES
from stance.corpus.parallel import MAX_CHARS
from stance.corpus.stop import RunInterrupted
from stance.corpus.write import FORMATS, PART_SIZE
from stance.evaluate import evaluate_quotes, format_report, read_jsonl


def run_analyze(args: argparse.Namespace) -> int:
    from stance.corpus.job import run
    from stance.pipeline import Pipeline

    model = None if args.no_stances else (args.model or "default")
    # oneDNN (torch on CPU) caches a compiled kernel per input shape; batches padded to their own
    # longest pair have ever new shapes, so the cache only grew (peak RSS 782 MB over 84 articles,
    # 1,042 MB over the same articles three times; 754 MB without it, no slower)
    os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "0")
    if args.threads:  # the stance model and the quote tagger both run on torch
        import torch

        torch.set_num_threads(args.threads)
    targets = list(args.target or [])
    if args.targets_file:
        from stance.targets.groups import read_target_file

        targets += read_target_file(args.targets_file)
    settings = {"model": model, "targets": targets or None, "device": args.device, "batch_size": args.batch_size,
                "quantize": args.quantize, "max_chars": args.max_chars or None, "quotes": args.quotes}
    pipeline = settings if args.engine == "ray" else Pipeline(**settings)  # Ray builds one per actor
    options = {"address": args.ray_address} if args.engine == "ray" and args.ray_address else {}
    try:
        summary = run(args.input, args.output, pipeline, format=args.format, text_field=args.text_field,
                      id_field=args.id_field, batch_size=args.docs_per_batch, workers=args.workers,
                      resume=args.resume, overwrite=args.overwrite, progress=False if args.quiet else None,
                      engine=args.engine, part_size=args.part_size, keep_fields=args.keep_fields, **options)
    except ImportError as error:  # --engine ray without Ray installed
        print(f"stance analyze: error: {error}", file=sys.stderr)
        return 2
    except RunInterrupted as stop:
        held = f"{args.output} holds {stop.written:,} documents; " if stop.written is not None else ""
        print(f"stance analyze: stopped by {signal.Signals(stop.signum).name}; {held}run the same command with "
              "--resume to continue", file=sys.stderr)
        return stop.exit_status
    if not args.quiet:
        print(f"stance analyze: {summary}", file=sys.stderr)
    return 1 if summary.failed else 0


def run_evaluate(args: argparse.Namespace) -> int:
    gold = read_jsonl(args.gold)
    pred = read_jsonl(args.pred)
    if gold and "label" in gold[0] and "quotes" not in gold[0]:
        from stance.stances.metrics import evaluate_stance_file

        report = evaluate_stance_file(args.gold, args.pred)
        print(json.dumps(report, indent=2) if args.json else _format_stance(report))
        return 0
    report = evaluate_quotes(gold, pred, by_kind=args.by_kind)
    print(json.dumps(report, indent=2) if args.json else format_report(report))
    return 0


def _format_stance(report: dict) -> str:
    lines = [f"stance macro-F1 {report['macro_f1']:.3f} on {report.get('n', '?')} sentences"]
    for label, m in report.get("per_label", {}).items():
        lines.append(f"  {label:<14} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}")
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stance", description="Quotes, speakers and stances in news articles.")
    sub = parser.add_subparsers(dest="command", required=True)

    a = sub.add_parser("analyze", help="find quotes, speakers and stances in articles",
                       description="One output record per input record, in input order; a bad record keeps its "
                                   "place with an error. Exit status 1 when any record failed.")
    a.add_argument("input", help="JSON lines, CSV, Parquet, a .txt file, a folder of .txt or .parquet files, "
                                 "or a dataset saved with save_to_disk")
    a.add_argument("-o", "--output", required=True,
                   help="JSON-lines file (one record per input document), or a folder with --format quotes-parquet")
    a.add_argument("--format", choices=FORMATS, default="jsonl",
                   help="jsonl (default), or quotes-parquet: Parquet part files, one row per quote")
    a.add_argument("--text-field", default="text", help="the text's key or column (default: text)")
    a.add_argument("--id-field", default="id", help="the id's key or column (default: id; else the line or row number)")
    a.add_argument("--keep-fields", help="input fields to copy into each output record, comma-separated "
                                         "(e.g. date,outlet); a record without one gets null")
    a.add_argument("--model", help="stance model folder (default: models/stance-minilm)")
    a.add_argument("--no-stances", action="store_true", help="quotes and speakers only, no stance model")
    a.add_argument("--quotes", default="default",
                   help="how quotes are found: rules (fast, no model), tagger (the trained tagger in models/), "
                        "a tagger folder, or default")
    a.add_argument("--target", action="append",
                   help='a target of interest (repeat for several), with aliases: "Israel=Israel,Israeli,IDF"')
    a.add_argument("--targets-file", help="a CSV file of targets: alias,canonical rows")
    a.add_argument("--device", help="cpu, cuda, cuda:1 ... for the model (default: cuda when available)")
    a.add_argument("--quantize", action="store_true", help="int8 dynamic quantization of the model (CPU only)")
    a.add_argument("--threads", type=int, help="torch threads for the model (default: torch's; 1 is faster when "
                                               "other work keeps the other cores busy)")
    a.add_argument("--batch-size", type=int, default=64, help="(quote, target) pairs per forward pass (default: 64)")
    a.add_argument("--docs-per-batch", type=int, default=32,
                   help="documents read, analysed and written together (default: 32); memory grows with it")
    a.add_argument("--workers", type=int,
                   help="processes for the text stages (local engine; default: 1), or model actors (ray engine; default: "
                        "one per CPU of the cluster)")
    a.add_argument("--resume", action="store_true",
                   help="continue an interrupted run: keep the documents OUTPUT holds (checked against the input) "
                        "and go on after them")
    a.add_argument("--overwrite", action="store_true",
                   help="replace an OUTPUT that already holds results (without it, or --resume, such an OUTPUT is refused)")
    a.add_argument("--max-chars", type=int, default=MAX_CHARS,
                   help=f"a longer text gets an error instead of quotes (default: {MAX_CHARS:,}; 0: no limit)")
    a.add_argument("--part-size", type=int, default=PART_SIZE,
                   help=f"documents per Parquet part file with --format quotes-parquet (default: {PART_SIZE})")
    a.add_argument("--engine", choices=ENGINES, default="local", help="local (default) or ray (Ray Data)")
    a.add_argument("--ray-address", help="Ray cluster to join (default: $RAY_ADDRESS, else a local Ray)")
    a.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary line")
    a.set_defaults(func=run_analyze)

    e = sub.add_parser("evaluate", help="score predictions against gold")
    e.add_argument("gold", help="gold JSON lines: PolNeAR-style documents, or labelled stance sentences")
    e.add_argument("pred", help="predictions: `stance analyze` or `stance classify` output")
    e.add_argument("--by-kind", action="store_true", help="split quote scores into direct, mixed and indirect")
    e.add_argument("--json", action="store_true", help="print the report as JSON")
    e.set_defaults(func=run_evaluate)

    from stance.stances.commands import add_commands

    add_commands(sub)
    from stance.quotes.train import add_command as add_train_quotes

    add_train_quotes(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (FileNotFoundError, ValueError) as error:
        print(f"stance {args.command}: error: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # an output in a read-only place, a full disk: one line, no traceback
        where = f"{error.filename}: " if error.filename else ""
        print(f"stance {args.command}: error: {where}{error.strerror or error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
