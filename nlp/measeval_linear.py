"""A multinomial logistic regression over string features, trained with scipy's L-BFGS, and Viterbi over its
per-token probabilities with BIO constraints. Saved as JSON (feature names, labels) plus a NumPy array.

Small and dependency-free on purpose (numpy and scipy are already required): MeasEval's training set has
about 40,000 tokens, which this fits in seconds on one core.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass
class LinearModel:
    features: dict[str, int]
    labels: list[str]
    weights: np.ndarray  # (len(features) + 1, len(labels)); the last row is the bias

    def _matrix(self, rows: Sequence[Sequence[str]]):  # noqa: ANN202 - scipy.sparse has no stable type
        from scipy.sparse import csr_matrix
        idx: list[int] = []
        ptr = [0]
        bias = len(self.features)
        for feats in rows:
            idx.extend({self.features[f] for f in feats if f in self.features})
            idx.append(bias)
            ptr.append(len(idx))
        data = np.ones(len(idx), dtype=np.float64)
        return csr_matrix((data, np.asarray(idx, dtype=np.int64), np.asarray(ptr)), shape=(len(rows), bias + 1))

    def log_proba(self, rows: Sequence[Sequence[str]]) -> np.ndarray:
        """Log-probabilities, one row per instance, one column per label."""
        if not rows:
            return np.zeros((0, len(self.labels)))
        z = self._matrix(rows) @ self.weights
        z -= z.max(axis=1, keepdims=True)
        return z - np.log(np.exp(z).sum(axis=1, keepdims=True))

    def save(self, path: Path, name: str) -> None:
        (path / f"{name}.json").write_text(json.dumps({"labels": self.labels, "features": list(self.features)}),
                                           encoding="utf-8")
        np.save(path / f"{name}.npy", self.weights.astype(np.float32))

    @classmethod
    def load(cls, path: Path, name: str) -> LinearModel:
        meta = json.loads((path / f"{name}.json").read_text(encoding="utf-8"))
        weights = np.load(path / f"{name}.npy", allow_pickle=False).astype(np.float64)
        return cls({f: i for i, f in enumerate(meta["features"])}, meta["labels"], weights)


def fit_linear(rows: Sequence[Sequence[str]], labels: Sequence[str], *, l2: float = 1.0, min_count: int = 1,
               max_iter: int = 200) -> LinearModel:
    """Fit by minimising summed cross-entropy + l2/2 * |W|^2 (bias not penalised)."""
    from scipy.optimize import minimize

    counts = Counter(f for feats in rows for f in set(feats))
    features = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= min_count))}
    classes = sorted(set(labels))
    model = LinearModel(features, classes, np.zeros((len(features) + 1, len(classes))))
    x = model._matrix(rows)
    y = np.zeros((len(rows), len(classes)))
    y[np.arange(len(rows)), [classes.index(lab) for lab in labels]] = 1.0
    shape = model.weights.shape
    penalty = np.ones(shape)
    penalty[-1] = 0.0

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        w = w.reshape(shape)
        z = x @ w
        z -= z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        value = -(y * logp).sum() + 0.5 * l2 * (penalty * w * w).sum()
        grad = x.T @ (np.exp(logp) - y) + l2 * penalty * w
        return float(value), np.asarray(grad).ravel()

    res = minimize(loss, model.weights.ravel(), jac=True, method="L-BFGS-B", options={"maxiter": max_iter})
    model.weights = res.x.reshape(shape)
    return model


def viterbi(log_proba: np.ndarray, labels: Sequence[str]) -> list[str]:
    """The best BIO label sequence: an I-X only after B-X or I-X."""
    n, k = log_proba.shape
    if n == 0:
        return []
    allowed = np.zeros((k, k))
    for j, lab in enumerate(labels):
        if lab.startswith("I"):
            kind = lab[1:]
            for i, prev in enumerate(labels):
                if prev[1:] != kind or prev == "O":
                    allowed[i, j] = -np.inf
    start = np.array([-np.inf if lab.startswith("I") else 0.0 for lab in labels])
    score = start + log_proba[0]
    back = np.zeros((n, k), dtype=np.int64)
    for t in range(1, n):
        cand = score[:, None] + allowed
        back[t] = cand.argmax(axis=0)
        score = cand.max(axis=0) + log_proba[t]
    path = [int(score.argmax())]
    for t in range(n - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return [labels[j] for j in reversed(path)]


def spans(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """(kind, first, last + 1) token spans of a BIO sequence; labels are "O", "B<kind>", "I<kind>"."""
    out: list[tuple[str, int, int]] = []
    for i, t in enumerate(tags):
        if t.startswith("B"):
            out.append((t[1:], i, i + 1))
        elif t.startswith("I") and out and out[-1][0] == t[1:] and out[-1][2] == i:
            out[-1] = (t[1:], out[-1][1], i + 1)
    return out
