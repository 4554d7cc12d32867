"""Calibration of predicted probabilities: expected calibration error and reliability diagrams.

ECE (Naeini et al. 2015): predictions are put in `bins` equal-width probability bins; ECE is the
count-weighted mean of |mean predicted probability - fraction correct| over the bins.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def reliability(probs: Sequence[float], labels: Sequence[int], bins: int = 10) -> list[dict[str, float]]:
    """Per non-empty bin: its range, how many predictions, their mean probability, fraction correct."""
    out = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(p, y) for p, y in zip(probs, labels) if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        if inside:
            out.append({"low": lo, "high": hi, "count": len(inside),
                        "mean_probability": round(sum(p for p, _ in inside) / len(inside), 4),
                        "fraction_correct": round(sum(y for _, y in inside) / len(inside), 4)})
    return out


def ece(probs: Sequence[float], labels: Sequence[int], bins: int = 10) -> float:
    n = len(probs)
    if not n:
        return 0.0
    return round(sum(b["count"] * abs(b["mean_probability"] - b["fraction_correct"])
                     for b in reliability(probs, labels, bins)) / n, 4)


def plot(path: Path, curves: dict[str, tuple[Sequence[float], Sequence[int]]], bins: int = 10,
         title: str = "Reliability") -> None:
    """A reliability diagram (fraction correct against mean probability per bin), one line per curve."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], linestyle=":", color="grey", label="perfectly calibrated")
    for name, (probs, labels) in curves.items():
        rel = reliability(probs, labels, bins)
        ax.plot([b["mean_probability"] for b in rel], [b["fraction_correct"] for b in rel], marker="o",
                label=f"{name} (n={len(probs)}, ECE={ece(probs, labels, bins):.3f})")
    ax.set_xlabel("predicted probability")
    ax.set_ylabel("fraction correct")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize=8)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
