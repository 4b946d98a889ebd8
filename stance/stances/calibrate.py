"""Temperature scaling (Guo et al. 2017, "On Calibration of Modern Neural Networks").

One scalar T divides the logits before the softmax; it is fitted by minimising the negative
log-likelihood of the gold labels on a held-out set (here the news dev set). It never changes which
label wins, only how confident the scores are. The fitted T is stored in the model folder's
``config.json`` as ``stance_temperature`` and :class:`~stance.stances.model.StanceModel` applies it.

    stance calibrate models/stance-minilm          # fit on the news dev set, write config.json
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

from stance.stances.labels import LABELS
from stance.stances.metrics import expected_calibration_error


def nll(logits: torch.Tensor, gold: torch.Tensor, temperature: float) -> float:
    """Mean negative log-likelihood of ``gold`` (label indices) under softmax(logits / T)."""
    return float(torch.nn.functional.cross_entropy(logits / temperature, gold))


def fit_temperature(logits: torch.Tensor, gold: torch.Tensor, max_iter: int = 200) -> float:
    """The T > 0 that minimises the NLL of ``gold`` under softmax(logits / T) (L-BFGS on log T)."""
    if len(logits) == 0:
        raise ValueError("no rows to fit a temperature on")
    logits, gold = logits.detach().float(), gold.long()
    log_t = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.LBFGS([log_t], lr=0.1, max_iter=max_iter, line_search_fn="strong_wolfe")

    def closure():
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(logits / log_t.exp(), gold)
        loss.backward()
        return loss

    optimizer.step(closure)
    return float(log_t.detach().exp())


def ece_at(logits: torch.Tensor, gold: torch.Tensor, temperature: float, bins: int = 10) -> float:
    """Expected calibration error of softmax(logits / T) against ``gold``."""
    probs = torch.softmax(logits / temperature, dim=-1)
    confidence, predicted = probs.max(dim=-1)
    return expected_calibration_error(confidence.tolist(), (predicted == gold).tolist(), bins)


def cross_fitted_ece(logits: torch.Tensor, gold: torch.Tensor, folds: int = 2, seed: int = 13,
                     bins: int = 10) -> float:
    """ECE when T is fitted on the other folds only: an honest figure for a set T was fitted on."""
    order = list(range(len(gold)))
    random.Random(seed).shuffle(order)
    confidences: list[float] = []
    correct: list[bool] = []
    for k in range(folds):
        held = order[k::folds]
        held_set = set(held)
        fit = [i for i in order if i not in held_set]
        t = fit_temperature(logits[fit], gold[fit])
        probs = torch.softmax(logits[held] / t, dim=-1)
        confidence, predicted = probs.max(dim=-1)
        confidences += confidence.tolist()
        correct += (predicted == gold[held]).tolist()
    return expected_calibration_error(confidences, correct, bins)


def reliability_svg(logits: torch.Tensor, gold: torch.Tensor, temperatures: dict[str, float],
                    bins: int = 10, size: int = 320) -> str:
    """A reliability diagram (accuracy against confidence per bin), one line per named temperature."""
    pad, colours = 40, ["#c0392b", "#2471a3", "#1e8449"]
    inner = size - 2 * pad
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size + 20 * len(temperatures)}" '
             'font-family="sans-serif" font-size="11">',
             f'<rect x="{pad}" y="{pad}" width="{inner}" height="{inner}" fill="none" stroke="#888"/>',
             f'<line x1="{pad}" y1="{pad + inner}" x2="{pad + inner}" y2="{pad}" stroke="#bbb" stroke-dasharray="4"/>',
             f'<text x="{size / 2}" y="{size - 8}" text-anchor="middle">confidence</text>',
             f'<text x="12" y="{size / 2}" transform="rotate(-90 12 {size / 2})" text-anchor="middle">accuracy</text>']
    for k, (name, t) in enumerate(temperatures.items()):
        probs = torch.softmax(logits / t, dim=-1)
        confidence, predicted = probs.max(dim=-1)
        points = []
        for b in range(bins):
            lo, hi = b / bins, (b + 1) / bins
            mask = (confidence > lo) & (confidence <= hi) if b else (confidence >= lo) & (confidence <= hi)
            if mask.sum() == 0:
                continue
            acc = float((predicted[mask] == gold[mask]).float().mean())
            conf = float(confidence[mask].mean())
            points.append(f"{pad + conf * inner:.1f},{pad + (1 - acc) * inner:.1f}")
        colour = colours[k % len(colours)]
        parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2"/>')
        ece = ece_at(logits, gold, t, bins)
        parts.append(f'<text x="{pad}" y="{size + 14 + 20 * k}" fill="{colour}">{name} (T={t:.2f}, ECE {ece:.3f})</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def calibrate_model(model_dir: str | Path, dev_pairs: Sequence[tuple[str, str]], dev_labels: Sequence[str],
                    bins: int = 10, speakers: Sequence[str | None] | None = None) -> dict[str, Any]:
    """Fit T on (pairs, gold labels), store it in ``model_dir/config.json``, draw reliability.svg.

    Returns ``{"temperature", "n", "nll_before", "nll_after", "ece_before", "ece_after",
    "ece_cross_fitted"}``; the same dict is added to metrics.json under ``calibration``.
    """
    from stance.stances.model import StanceModel

    model_dir = Path(model_dir)
    model = StanceModel.load(model_dir, device="cpu")
    logits = model.logits(list(dev_pairs), speakers=speakers)
    gold = torch.tensor([LABELS.index(label) for label in dev_labels])
    t = fit_temperature(logits, gold)
    result = {"temperature": round(t, 4), "n": len(gold),
              "nll_before": round(nll(logits, gold, 1.0), 4), "nll_after": round(nll(logits, gold, t), 4),
              "ece_before": round(ece_at(logits, gold, 1.0, bins), 4),
              "ece_after": round(ece_at(logits, gold, t, bins), 4),
              "ece_cross_fitted": round(cross_fitted_ece(logits, gold, bins=bins), 4)}
    config_path = model_dir / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["stance_temperature"] = round(t, 4)
    config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    (model_dir / "reliability.svg").write_text(
        reliability_svg(logits, gold, {"before": 1.0, "after": t}, bins), encoding="utf-8")
    metrics_path = model_dir / "metrics.json"
    if metrics_path.is_file():
        metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
        metrics["calibration"] = result
        metrics_path.write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    return result
