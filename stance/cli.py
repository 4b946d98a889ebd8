"""The ``stance`` command line: a thin layer over the Python API.

    stance analyze INPUT -o OUTPUT      quotes, speakers and stances for a .txt file or JSON lines
    stance evaluate GOLD PRED           score predicted quotes (or stances) against gold
    stance train / stance classify      the stance model (see ``stance.stances.commands``)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from stance.corpus.read import read_records
from stance.evaluate import evaluate_quotes, format_report, read_jsonl


def run_analyze(args: argparse.Namespace) -> int:
    from stance.pipeline import Pipeline

    model = None if args.no_stances else (args.model or "default")
    pipeline = Pipeline(model=model, targets=args.target, device=args.device, batch_size=args.batch_size)
    failed = 0
    count = 0
    with open(args.output, "w", encoding="utf-8") as out:
        for doc in pipeline.analyze_many(read_records(args.input)):
            out.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")
            count += 1
            failed += doc.error is not None
    print(f"stance analyze: {count} documents, {failed} with errors -> {args.output}", file=sys.stderr)
    return 1 if failed else 0


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

    a = sub.add_parser("analyze", help="find quotes, speakers and stances in articles")
    a.add_argument("input", help="a .txt file (one article) or a JSON-lines file of {\"id\", \"text\"} records")
    a.add_argument("-o", "--output", required=True, help="JSON-lines file to write, one record per input document")
    a.add_argument("--model", help="stance model folder (default: models/stance-minilm)")
    a.add_argument("--no-stances", action="store_true", help="quotes and speakers only, no model")
    a.add_argument("--target", action="append", help="a target of interest (repeat for several)")
    a.add_argument("--device", help="cpu, cuda ... (default: cuda when available)")
    a.add_argument("--batch-size", type=int, default=64, help="(quote, target) pairs per forward pass")
    a.set_defaults(func=run_analyze)

    e = sub.add_parser("evaluate", help="score predictions against gold")
    e.add_argument("gold", help="gold JSON lines: PolNeAR-style documents, or labelled stance sentences")
    e.add_argument("pred", help="predictions: `stance analyze` or `stance classify` output")
    e.add_argument("--by-kind", action="store_true", help="split quote scores into direct, mixed and indirect")
    e.add_argument("--json", action="store_true", help="print the report as JSON")
    e.set_defaults(func=run_evaluate)

    from stance.stances.commands import add_commands

    add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (FileNotFoundError, ValueError) as error:
        print(f"stance {args.command}: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
