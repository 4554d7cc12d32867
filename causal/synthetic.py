"""Structural causal models with known graphs, to check what each algorithm recovers.

Each case draws n rows from a stated SCM and gives the true graph over the *observed* columns
(a hidden confounder shows as "<->", the maximal ancestral graph's mark). Coefficients and
functions are our own choices, picked so that every edge is clearly detectable at n ~ 1,000 yet
the cases differ in exactly the assumption they break.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from causal.graphs import CausalGraph, Edge

Array = np.ndarray


@dataclass(frozen=True)
class Case:
    name: str
    description: str
    names: tuple[str, ...]
    data: Array  # n x len(names)
    truth: CausalGraph


def _dag(names: list[str], edges: list[tuple[str, str]]) -> CausalGraph:
    return CausalGraph.of(names, [Edge(a, b, "-->") for a, b in edges])


# A seven-variable DAG shared by the first three cases: two roots, a collider (c), a chain and a
# second collider at g, so PC can orient most edges from v-structures.
_DAG7 = [("a", "c"), ("b", "c"), ("c", "d"), ("d", "e"), ("b", "f"), ("e", "g"), ("f", "g")]
_NAMES7 = ["a", "b", "c", "d", "e", "f", "g"]


def _linear(n: int, rng: np.random.Generator, noise: Callable[[int], Array]) -> Array:
    weights = {edge: rng.choice([-1, 1]) * rng.uniform(0.6, 1.2) for edge in _DAG7}
    cols: dict[str, Array] = {}
    for v in _NAMES7:  # listed in topological order
        cols[v] = noise(n) + sum((w * cols[a] for (a, b), w in weights.items() if b == v), np.zeros(n))
    return np.column_stack([cols[v] for v in _NAMES7])


def linear_gaussian(n: int, seed: int = 0) -> Case:
    rng = np.random.default_rng(seed)
    data = _linear(n, rng, lambda k: rng.normal(0.0, 1.0, k))
    return Case("linear_gaussian", "linear SCM, Gaussian noise: only the CPDAG is identifiable",
                tuple(_NAMES7), data, _dag(_NAMES7, _DAG7))


def non_gaussian(n: int, seed: int = 0) -> Case:
    rng = np.random.default_rng(seed)
    # uniform noise (variance 1): LiNGAM's setting, where the full DAG is identifiable
    data = _linear(n, rng, lambda k: rng.uniform(-np.sqrt(3), np.sqrt(3), k))
    return Case("non_gaussian", "linear SCM, uniform noise: the whole DAG is identifiable (LiNGAM)",
                tuple(_NAMES7), data, _dag(_NAMES7, _DAG7))


def nonlinear(n: int, seed: int = 0) -> Case:
    rng = np.random.default_rng(seed)
    e = lambda: rng.normal(0.0, 0.5, n)  # noqa: E731
    a, b = rng.normal(0, 1, n), rng.normal(0, 1, n)
    c = np.tanh(2 * a) + b ** 2 - 1 + e()  # b -> c is nearly uncorrelated: a linear test misses it
    d = np.sin(1.5 * c) + e()
    ee = d ** 2 + e()
    f = np.abs(b) + e()
    g = np.cos(ee) + 0.5 * f + e()
    return Case("nonlinear", "nonlinear SCM (tanh, squares, sines): linear tests miss symmetric effects",
                tuple(_NAMES7), np.column_stack([a, b, c, d, ee, f, g]), _dag(_NAMES7, _DAG7))


def hidden_confounder(n: int, seed: int = 0) -> Case:
    rng = np.random.default_rng(seed)
    # a -> x <- L -> y <- b, y -> w, with L never observed. The colliders at x and y are what
    # lets FCI put arrowheads at both ends of x <-> y (the maximal ancestral graph's mark).
    latent = rng.normal(0, 1, n)
    a, b = rng.normal(0, 1, n), rng.normal(0, 1, n)
    x = 0.8 * a + 0.9 * latent + rng.normal(0, 0.5, n)
    y = 0.8 * b - 0.9 * latent + rng.normal(0, 0.5, n)
    w = 0.8 * y + rng.normal(0, 0.5, n)
    names = ["a", "x", "y", "b", "w"]
    truth = CausalGraph.of(names, [Edge("a", "x", "-->"), Edge("b", "y", "-->"), Edge("y", "w", "-->"),
                                   Edge("x", "y", "<->")])
    return Case("hidden_confounder", "a latent common cause of x and y (true mark x <-> y): causal "
                "sufficiency fails; FCI can say so, PC/GES/LiNGAM cannot", tuple(names),
                np.column_stack([a, x, y, b, w]), truth)


def simpsons_paradox(n: int, seed: int = 0) -> Case:
    rng = np.random.default_rng(seed)
    # A materials reading: a hotter anneal raises both the dopant uptake and the conductivity,
    # while the dopant itself lowers conductivity. Pooled, dopant and conductivity correlate
    # positively; adjusted for the anneal, the dopant's effect is negative.
    purity = rng.normal(0, 1, n)
    anneal = rng.normal(0, 1, n)
    dopant = 0.6 * purity + 1.2 * anneal + rng.normal(0, 0.5, n)
    conductivity = -0.8 * dopant + 2.0 * anneal + rng.normal(0, 0.5, n)
    names = ["precursor_purity", "anneal_temperature", "dopant_level", "conductivity"]
    truth = _dag(names, [("precursor_purity", "dopant_level"), ("anneal_temperature", "dopant_level"),
                         ("anneal_temperature", "conductivity"), ("dopant_level", "conductivity")])
    return Case("simpsons_paradox", "pooled dopant-conductivity slope positive, the causal one negative "
                "(confounded by anneal temperature)", tuple(names),
                np.column_stack([purity, anneal, dopant, conductivity]), truth)


def relaxor_chain(n: int, seed: int = 0) -> Case:
    rng = np.random.default_rng(seed)
    # The chain the seed papers use for relaxor ferroelectrics (e.g. PMN-PT): nominal (global)
    # composition -> local composition in polar nanoregions -> local polarization ->
    # electromechanical response; the measuring temperature also acts on the polarization.
    # Units are arbitrary; noise is uniform and the polarization saturates (tanh).
    u = lambda s: rng.uniform(-s, s, n)  # noqa: E731
    global_comp = rng.uniform(0.0, 0.4, n)  # e.g. the PT fraction
    local_comp = global_comp + 0.05 * rng.standard_t(5, n)  # clustering scatters it
    temperature = rng.uniform(-1, 1, n)
    polarization = np.tanh(6 * (local_comp - 0.2)) - 0.5 * temperature + u(0.3)
    response = 1.5 * polarization + u(0.4)
    names = ["global_composition", "local_composition", "local_polarization", "electromechanical_response",
             "temperature"]
    truth = _dag(names, [("global_composition", "local_composition"), ("local_composition", "local_polarization"),
                         ("temperature", "local_polarization"), ("local_polarization", "electromechanical_response")])
    return Case("relaxor_chain", "relaxor-ferroelectric chain global -> local composition -> local "
                "polarization -> response, temperature -> polarization", tuple(names),
                np.column_stack([global_comp, local_comp, polarization, response, temperature]), truth)


CASES: dict[str, Callable[[int, int], Case]] = {
    "linear_gaussian": linear_gaussian,
    "non_gaussian": non_gaussian,
    "nonlinear": nonlinear,
    "hidden_confounder": hidden_confounder,
    "simpsons_paradox": simpsons_paradox,
    "relaxor_chain": relaxor_chain,
}


def slopes(case: Case, cause: str, effect: str, adjust: str) -> tuple[float, float]:
    """(pooled, adjusted) least-squares slope of effect on cause: shows Simpson's reversal."""
    i, j, k = (case.names.index(v) for v in (cause, effect, adjust))
    x, y, z = case.data[:, i], case.data[:, j], case.data[:, k]
    pooled = float(np.polyfit(x, y, 1)[0])
    design = np.column_stack([x, z, np.ones_like(x)])
    adjusted = float(np.linalg.lstsq(design, y, rcond=None)[0][0])
    return pooled, adjusted
