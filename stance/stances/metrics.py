"""How well stance labels were predicted: per-label precision/recall/F1, macro-F1, confusion, calibration.

Pure Python (no torch, no numpy), so that ``stance evaluate`` can score a predictions file without
loading a model. Used by :mod:`stance.stances.train` for the dev sets and by
:func:`evaluate_stance_file` for a gold file against ``stance classify`` output.

Conventions:
- labels are the strings of :data:`stance.stances.labels.LABELS`, in that order everywhere;
- the confusion matrix is ``matrix[gold][predicted]`` (rows gold, columns predicted);
- macro-F1 averages over the labels that occur in gold or predictions (scikit-learn's default),
  so a dev set without, say, "commitment" is not scored on a label it cannot test unless the
  model predicts it; reports also give ``macro_f1_gold_labels``, the mean over gold labels only;
- expected calibration error (Guo et al. 2017, "On Calibration of Modern Neural Networks") bins the
  top-label confidence into ``bins`` equal-width bins and averages |accuracy - confidence|
  weighted by bin size.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from stance.stances.data import read_jsonl_rows
from stance.stances.labels import LABELS


def confusion_matrix(gold: Sequence[str], predicted: Sequence[str],
                     labels: Sequence[str] = LABELS) -> list[list[int]]:
    """``matrix[i][j]`` = how many items of gold label ``labels[i]`` were predicted ``labels[j]``."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, predicted):
        for name, value in (("gold", g), ("predicted", p)):
            if value not in index:
                raise ValueError(f"unknown {name} label {value!r}; expected one of {list(labels)}")
        matrix[index[g]][index[p]] += 1
    return matrix


def per_label_scores(gold: Sequence[str], predicted: Sequence[str],
                     labels: Sequence[str] = LABELS) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and support (gold count) of every label; 0.0 where undefined."""
    matrix = confusion_matrix(gold, predicted, labels)
    scores = {}
    for i, label in enumerate(labels):
        true_pos = matrix[i][i]
        gold_count = sum(matrix[i])
        predicted_count = sum(row[i] for row in matrix)
        precision = true_pos / predicted_count if predicted_count else 0.0
        recall = true_pos / gold_count if gold_count else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[label] = {"precision": precision, "recall": recall, "f1": f1,
                         "support": gold_count, "predicted": predicted_count}
    return scores


def macro_f1(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] = LABELS) -> float:
    """Unweighted mean F1 over the labels that occur in ``gold`` or ``predicted``."""
    scores = per_label_scores(gold, predicted, labels)
    present = [s["f1"] for s in scores.values() if s["support"] or s["predicted"]]
    return sum(present) / len(present) if present else 0.0


def _macro_over(scores: Mapping[str, Mapping[str, float]], wanted: set[str]) -> float:
    values = [s["f1"] for label, s in scores.items() if label in wanted]
    return sum(values) / len(values) if values else 0.0


def expected_calibration_error(confidences: Sequence[float], correct: Sequence[bool],
                               bins: int = 10) -> float:
    """ECE of top-label confidences: sum over bins of (bin size / n) * |accuracy - mean confidence|.

    Bins are equal-width on [0, 1]; a confidence of exactly 1.0 falls in the last bin.
    """
    if len(confidences) != len(correct):
        raise ValueError(f"{len(confidences)} confidences but {len(correct)} correctness flags")
    if not confidences:
        return 0.0
    totals = [[0, 0.0, 0] for _ in range(bins)]  # count, sum of confidence, count correct
    for confidence, ok in zip(confidences, correct):
        b = min(int(confidence * bins), bins - 1)
        totals[b][0] += 1
        totals[b][1] += confidence
        totals[b][2] += bool(ok)
    n = len(confidences)
    return sum(count / n * abs(hits / count - conf_sum / count)
               for count, conf_sum, hits in totals if count)


def stance_report(gold: Sequence[str], scores: Sequence[Mapping[str, float]],
                  labels: Sequence[str] = LABELS, bins: int = 10,
                  predicted: Sequence[str] | None = None) -> dict[str, Any]:
    """Everything we report about one set of predictions.

    ``scores`` holds one ``{label: probability}`` per item. The predicted label is ``predicted[i]``
    when given, else the argmax of the scores (ties go to the earlier label in ``labels``); the
    confidence used for calibration is the predicted label's probability.
    """
    if len(gold) != len(scores):
        raise ValueError(f"{len(gold)} gold labels but {len(scores)} score rows")
    if predicted is None:
        predicted = [max(labels, key=lambda label: row.get(label, 0.0)) for row in scores]
    elif len(predicted) != len(gold):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predicted labels")
    confidences = [float(row.get(p, 0.0)) for row, p in zip(scores, predicted)]
    correct = [g == p for g, p in zip(gold, predicted)]
    return {
        "n": len(gold),
        "accuracy": sum(correct) / len(correct) if correct else 0.0,
        "macro_f1": macro_f1(gold, predicted, labels),
        # over the gold labels only: a dev set without "commitment" is not dragged down by a 0
        # for every stray commitment prediction (those still cost the true label's recall)
        "macro_f1_gold_labels": _macro_over(per_label_scores(gold, predicted, labels), set(gold)),
        "per_label": per_label_scores(gold, predicted, labels),
        "confusion": {"labels": list(labels), "rows": "gold", "columns": "predicted",
                      "matrix": confusion_matrix(gold, predicted, labels)},
        "ece": expected_calibration_error(confidences, correct, bins),
        "ece_bins": bins,
    }


def evaluate_stance_file(gold_path: str | Path, pred_path: str | Path,
                         labels: Sequence[str] = LABELS) -> dict[str, Any]:
    """Score ``stance classify`` output against a gold file of labelled sentences, aligned by line.

    Gold lines carry ``"label"``; prediction lines carry ``"label"`` and ``"scores"`` (or
    ``"error"``). Both files must have the same number of non-blank lines. A prediction line with
    an error, or a gold line without a known label, is left out and counted in ``skipped`` with
    its reason, so one bad line does not hide the rest.
    """
    gold_rows = list(read_jsonl_rows(gold_path))
    pred_rows = list(read_jsonl_rows(pred_path))
    if len(gold_rows) != len(pred_rows):
        raise ValueError(f"{gold_path} has {len(gold_rows)} lines but {pred_path} has "
                         f"{len(pred_rows)}; predictions must be aligned with gold line by line")
    gold, scores, predicted, skipped = [], [], [], []
    for (g_line, g, g_problem), (p_line, p, p_problem) in zip(gold_rows, pred_rows):
        if g_problem or g.get("label") not in labels:
            why = g_problem or f"label {g.get('label')!r} is not one of {list(labels)}"
            skipped.append(f"gold line {g_line}: {why}")
            continue
        if p_problem or p.get("error") or not isinstance(p.get("scores"), dict):
            why = p_problem or p.get("error") or "no scores"
            skipped.append(f"prediction line {p_line}: {why}")
            continue
        row = {label: float(p["scores"].get(label, 0.0)) for label in labels}
        gold.append(g["label"])
        scores.append(row)
        predicted.append(p["label"] if p.get("label") in labels
                         else max(labels, key=row.__getitem__))
    report = stance_report(gold, scores, labels, predicted=predicted)
    report["skipped"] = skipped
    report["gold"] = str(gold_path)
    report["predictions"] = str(pred_path)
    return report


def confusion_svg(reports: Mapping[str, Mapping[str, Any]], cell: int = 72) -> str:
    """An SVG picture of one or more confusion matrices, side by side, one panel per report.

    ``reports`` maps a name ("corpus", "unscon", "all") to a :func:`stance_report` result. Cells
    show counts; their shade is the share of the gold row (so recall reads along the diagonal).
    """
    from html import escape

    names = list(reports)
    labels = reports[names[0]]["confusion"]["labels"] if names else list(LABELS)
    k = len(labels)
    left, top, gap = 110, 70, 40
    panel_w = left + k * cell
    width = gap + len(names) * (panel_w + gap)
    height = top + k * cell + 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" font-size="12">',
             f'<rect width="{width}" height="{height}" fill="white"/>']
    for p, name in enumerate(names):
        report = reports[name]
        matrix = report["confusion"]["matrix"]
        x0 = gap + p * (panel_w + gap)
        parts.append(f'<text x="{x0 + left + k * cell / 2}" y="20" text-anchor="middle" '
                     f'font-size="14" font-weight="bold">{escape(name)} (n={report["n"]}, '
                     f'macro-F1 {report["macro_f1"]:.3f})</text>')
        parts.append(f'<text x="{x0 + left + k * cell / 2}" y="{top - 32}" text-anchor="middle" '
                     f'fill="#555">predicted</text>')
        for j, label in enumerate(labels):
            parts.append(f'<text x="{x0 + left + j * cell + cell / 2}" y="{top - 8}" '
                         f'text-anchor="middle" font-size="10">{escape(label)}</text>')
        for i, label in enumerate(labels):
            y = top + i * cell
            parts.append(f'<text x="{x0 + left - 6}" y="{y + cell / 2 + 4}" text-anchor="end">'
                         f'{escape(label)}</text>')
            row_total = sum(matrix[i]) or 1
            for j in range(k):
                share = matrix[i][j] / row_total
                shade = round(255 - 200 * share)
                fill = f"rgb({shade},{round(255 - 120 * share)},255)"
                ink = "white" if share > 0.6 else "black"
                x = x0 + left + j * cell
                parts.append(f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{fill}" '
                             f'stroke="#999"/>')
                parts.append(f'<text x="{x + cell / 2}" y="{y + cell / 2 + 4}" text-anchor="middle" '
                             f'fill="{ink}">{matrix[i][j]}</text>')
        parts.append(f'<text x="{x0 + 12}" y="{top + k * cell / 2}" text-anchor="middle" fill="#555" '
                     f'transform="rotate(-90 {x0 + 12} {top + k * cell / 2})">gold</text>')
        parts.append(f'<text x="{x0 + left}" y="{top + k * cell + 22}" fill="#555" font-size="11">'
                     f'ECE {report["ece"]:.3f}, accuracy {report["accuracy"]:.3f}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
