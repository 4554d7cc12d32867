"""A small classifier over candidate features (scikit-learn's histogram gradient-boosted trees) and
Platt scaling that turns its scores into calibrated probabilities.

scikit-learn comes with the project (causal-learn needs it); it is imported only when a scorer
is trained or loaded, never at import of this module.
"""
from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

_EPS = 1e-4


@lru_cache(maxsize=1)
def _controller() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


@contextmanager
def one_thread() -> Iterator[None]:
    """OpenMP limited to one thread: these models are tiny, so thread start-up and synchronisation
    cost far more than they save (measured: 60 ms per small batch on 2 busy cores, 1.5 ms on one
    thread), and extraction already runs one process per core."""
    with _controller().limit(limits=1, user_api="openmp"):
        yield


@dataclass
class Scorer:
    """A fitted classifier and the feature names of its columns, in order."""

    names: tuple[str, ...]
    model: Any  # a fitted sklearn classifier with predict_proba

    def scores(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        """Uncalibrated probability of the positive class for each row."""
        if not len(rows):
            return np.zeros(0)
        with one_thread():
            return self.model.predict_proba(np.asarray(rows, dtype=np.float64))[:, 1]


def fit_scorer(rows: Sequence[Sequence[float]], labels: Sequence[int], names: tuple[str, ...], *,
               seed: int = 0, iterations: int = 200) -> Scorer:
    """Gradient-boosted trees, shallow and regularised: a few thousand rows, a few dozen features."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(max_iter=iterations, learning_rate=0.05, max_leaf_nodes=15,
                                           min_samples_leaf=10, l2_regularization=1.0, early_stopping=False,
                                           random_state=seed)
    with one_thread():
        model.fit(np.asarray(rows, dtype=np.float64), np.asarray(labels, dtype=np.int64))
    return Scorer(names, model)


@dataclass(frozen=True)
class Platt:
    """p = sigmoid(a * logit(score) + b), fit on held-out scores and labels."""

    a: float = 1.0
    b: float = 0.0

    def __call__(self, score: float) -> float:
        s = min(max(score, _EPS), 1 - _EPS)
        z = self.a * math.log(s / (1 - s)) + self.b
        return 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0

    def apply(self, scores: Sequence[float]) -> list[float]:
        return [self(s) for s in scores]


def fit_platt(scores: Sequence[float], labels: Sequence[int]) -> Platt:
    """Logistic regression of the labels on the scores' logit (Platt 1999), lightly regularised
    so that a small dev set cannot push it to extremes."""
    from sklearn.linear_model import LogisticRegression

    if len(set(labels)) < 2:
        return Platt()
    s = np.clip(np.asarray(scores, dtype=np.float64), _EPS, 1 - _EPS)
    x = np.log(s / (1 - s)).reshape(-1, 1)
    lr = LogisticRegression(C=10.0).fit(x, np.asarray(labels))
    return Platt(float(lr.coef_[0][0]), float(lr.intercept_[0]))
