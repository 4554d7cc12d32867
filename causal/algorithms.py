"""The causal-learn algorithms behind one call, with background knowledge and the bootstrap.

    discover("pc-fisherz", data, names, background) -> Discovery(graph, seconds, n_used, notes)

Columns are standardised first: Fisher-z, BIC and LiNGAM are scale-free, but KCI's kernel width
and LiNGAM's pruning threshold are not, and variables in SI units span 20 orders of magnitude.
"""
from __future__ import annotations

import contextlib
import io
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from causal import CausalError
from causal.graphs import CausalGraph, Edge, from_adjacency, from_causallearn

ALGORITHMS: dict[str, str] = {
    "pc-fisherz": "PC with Fisher-z partial-correlation tests (linear-Gaussian dependence)",
    "pc-kci": "PC with the kernel conditional independence test (any smooth dependence; O(n^3))",
    "fci": "FCI with Fisher-z tests: allows latent confounders, marks them <-> or leaves o-ends",
    "ges": "GES with the linear-Gaussian BIC score",
    "lingam": "DirectLiNGAM: linear, non-Gaussian noise, no latent confounders; a full DAG",
}
ASSUMPTIONS: dict[str, str] = {
    "pc-fisherz": "causal sufficiency (no unmeasured common causes), faithfulness, linear relations "
                  "with Gaussian-like noise, i.i.d. rows",
    "pc-kci": "causal sufficiency, faithfulness, i.i.d. rows; no functional form assumed, but run on a "
              "subsample (KCI is cubic in n)",
    "fci": "faithfulness, linear-Gaussian tests, i.i.d. rows; latent confounders allowed (no selection "
           "bias modelled here)",
    "ges": "causal sufficiency, faithfulness, linear-Gaussian model (BIC), i.i.d. rows; background "
           "knowledge not enforced by causal-learn's GES, violations are listed",
    "lingam": "causal sufficiency, acyclicity, linear relations, non-Gaussian independent noise",
}


@dataclass(frozen=True)
class Background:
    """What the spec states before looking at the data. A variable in tier t can cause variables
    in tiers >= t, never one in a lower tier; forbidden/required are direct edges (a, b): a -> b."""

    tiers: dict[str, int] = field(default_factory=dict)
    forbidden: tuple[tuple[str, str], ...] = ()
    required: tuple[tuple[str, str], ...] = ()

    def allows(self, a: str, b: str) -> bool:
        """Whether a -> b is consistent with the tiers and forbidden edges."""
        if (a, b) in self.forbidden:
            return False
        ta, tb = self.tiers.get(a), self.tiers.get(b)
        return ta is None or tb is None or ta <= tb

    def violations(self, graph: CausalGraph) -> list[Edge]:
        bad = [e for e in graph.edges if e.mark == "-->" and not self.allows(e.a, e.b)]
        present = {(e.a, e.b) for e in graph.edges if e.mark == "-->"}
        return bad + [Edge(a, b, "-->") for a, b in self.required if (a, b) not in present]

    def empty(self) -> bool:
        return not (self.tiers or self.forbidden or self.required)


@dataclass(frozen=True)
class Settings:
    alpha: float = 0.05
    # KCI builds n x n kernel matrices for every test: cubic time. 300 rows keep a 7-variable PC
    # run to about 10 s on one shared CPU core (200 rows: 2-4 s; 400 rows: 20-75 s, measured on
    # the synthetic cases, see benchmarks/causal_timing.py).
    kci_max_n: int = 300
    lingam_threshold: float = 0.05  # |coefficient| on standardised data below which an edge is noise
    seed: int = 0


@dataclass(frozen=True)
class Discovery:
    algorithm: str
    graph: CausalGraph
    seconds: float
    n_used: int
    notes: tuple[str, ...] = ()


def standardise(data: np.ndarray) -> np.ndarray:
    data = np.asarray(data, dtype=float)
    sd = data.std(axis=0)
    if np.any(sd == 0):
        raise CausalError("a variable is constant in the data: drop it from the spec")
    return (data - data.mean(axis=0)) / sd


def _knowledge(background: Background, names: list[str]) -> Any:
    from causallearn.graph.GraphNode import GraphNode
    from causallearn.utils.PCUtils.BackgroundKnowledge import BackgroundKnowledge

    bk = BackgroundKnowledge()
    for name, tier in background.tiers.items():
        if name in names:
            bk.add_node_to_tier(GraphNode(name), tier)
    for a, b in background.forbidden:
        bk.add_forbidden_by_pattern(f"^{re.escape(a)}$", f"^{re.escape(b)}$")
    for a, b in background.required:
        bk.add_required_by_pattern(f"^{re.escape(a)}$", f"^{re.escape(b)}$")
    return bk


def _pc(data: np.ndarray, names: list[str], bk: Background, s: Settings, test: str) -> CausalGraph:
    from causallearn.search.ConstraintBased.PC import pc

    cg = pc(data, s.alpha, test, stable=True, background_knowledge=None if bk.empty() else _knowledge(bk, names),
            verbose=False, show_progress=False, node_names=names)
    return from_causallearn(cg.G, names)


def _fci(data: np.ndarray, names: list[str], bk: Background, s: Settings) -> CausalGraph:
    from causallearn.search.ConstraintBased.FCI import fci

    # causal-learn's FCI prints each orientation rule it applies whatever `verbose` says; a JSON
    # consumer of our stdout must not see that
    with contextlib.redirect_stdout(io.StringIO()):
        g, _ = fci(data, "fisherz", s.alpha, verbose=False, show_progress=False, node_names=names,
                   background_knowledge=None if bk.empty() else _knowledge(bk, names))
    return from_causallearn(g, names)


def _ges(data: np.ndarray, names: list[str], bk: Background, s: Settings) -> CausalGraph:
    from causallearn.search.ScoreBased.GES import ges

    record = ges(data, score_func="local_score_BIC", node_names=names)
    return from_causallearn(record["G"], names)


def _lingam(data: np.ndarray, names: list[str], bk: Background, s: Settings) -> CausalGraph:
    from causallearn.search.FCMBased.lingam import DirectLiNGAM

    prior = None
    if bk.tiers:
        # LiNGAM's prior knowledge is about paths: prior[i, j] = 0 says x_j is not an ancestor of
        # x_i, which is what a tier means (nothing in a later tier acts on an earlier one).
        prior = -np.ones((len(names), len(names)), dtype=int)
        for i, a in enumerate(names):
            for j, b in enumerate(names):
                if i != j and a in bk.tiers and b in bk.tiers and bk.tiers[b] > bk.tiers[a]:
                    prior[i, j] = 0
    model = DirectLiNGAM(random_state=s.seed, prior_knowledge=prior)
    model.fit(data)
    weights = np.array(model.adjacency_matrix_, dtype=float)
    for a, b in bk.forbidden:  # direct edges only: pruned after the fit
        if a in names and b in names:
            weights[names.index(b), names.index(a)] = 0.0
    return from_adjacency(weights, names, s.lingam_threshold)


_RUNNERS: dict[str, Callable[[np.ndarray, list[str], Background, Settings], CausalGraph]] = {
    "pc-fisherz": lambda d, n, b, s: _pc(d, n, b, s, "fisherz"),
    "pc-kci": lambda d, n, b, s: _pc(d, n, b, s, "kci"),
    "fci": _fci,
    "ges": _ges,
    "lingam": _lingam,
}


def _load(algorithm: str) -> None:
    import causallearn.search.ConstraintBased.FCI  # noqa: F401
    import causallearn.search.ConstraintBased.PC  # noqa: F401
    import causallearn.search.FCMBased.lingam  # noqa: F401
    import causallearn.search.ScoreBased.GES  # noqa: F401
    import causallearn.utils.cit  # noqa: F401


def discover(algorithm: str, data: np.ndarray, names: list[str], background: Background | None = None,
             settings: Settings | None = None) -> Discovery:
    if algorithm not in _RUNNERS:
        raise CausalError(f"unknown algorithm {algorithm!r}; choose from {', '.join(ALGORITHMS)}")
    s = settings or Settings()
    bk = background or Background()
    data = np.asarray(data, dtype=float)
    notes: list[str] = []
    if algorithm == "pc-kci" and len(data) > s.kci_max_n:
        rows = np.random.default_rng(s.seed).choice(len(data), s.kci_max_n, replace=False)
        data = data[rows]
        notes.append(f"KCI run on a random subsample of {s.kci_max_n} rows (its tests are cubic in n)")
    if algorithm == "ges" and not bk.empty():
        notes.append("causal-learn's GES takes no background knowledge: violations are listed, not prevented")
    if algorithm == "lingam" and bk.required:
        notes.append("DirectLiNGAM cannot require a direct edge: required edges are only checked")
    _load(algorithm)  # imports outside the timed region: seconds measure the search alone
    start = time.perf_counter()
    graph = _RUNNERS[algorithm](standardise(data), list(names), bk, s)
    seconds = time.perf_counter() - start
    return Discovery(algorithm, graph, seconds, len(data), tuple(notes))


@dataclass(frozen=True)
class EdgeFrequency:
    edge: Edge
    frequency: float  # share of resamples with exactly this edge (same marks, same direction)
    adjacency: float  # share of resamples with any edge between the two variables


def bootstrap(algorithm: str, data: np.ndarray, names: list[str], background: Background | None = None,
              settings: Settings | None = None, resamples: int = 50) -> dict[frozenset[str], list[EdgeFrequency]]:
    """Edge frequencies over `resamples` row resamples (with replacement; KCI: subsamples), keyed
    by variable pair."""
    s = settings or Settings()
    rng = np.random.default_rng(s.seed + 1)
    exact: Counter[Edge] = Counter()
    adjacent: Counter[frozenset[str]] = Counter()
    for _ in range(resamples):
        if algorithm == "pc-kci":
            # KCI runs on a subsample anyway: draw a fresh one of distinct rows each time. Repeated
            # rows would make its kernel matrices singular (and its tests slow and unreliable).
            rows = rng.choice(len(data), min(len(data), s.kci_max_n), replace=False)
        else:
            rows = rng.choice(len(data), len(data), replace=True)
        graph = discover(algorithm, data[rows], names, background, s).graph
        exact.update(graph.edges)
        adjacent.update(graph.skeleton())
    out: dict[frozenset[str], list[EdgeFrequency]] = {}
    for edge, count in sorted(exact.items()):
        out.setdefault(edge.pair, []).append(
            EdgeFrequency(edge, count / resamples, adjacent[edge.pair] / resamples))
    for pair in out:
        out[pair].sort(key=lambda f: -f.frequency)
    return out
