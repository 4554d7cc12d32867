"""Recovery of the synthetic SCMs' known graphs per case and algorithm (`mattermine causal validate`)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from causal.algorithms import ALGORITHMS, Settings, discover
from causal.metrics import recovery
from causal.synthetic import CASES, slopes


def validate(n: int = 1000, seed: int = 0, cases: Iterable[str] | None = None,
             algorithms: Iterable[str] | None = None, settings: Settings | None = None) -> list[dict[str, Any]]:
    """One row per (case, algorithm): SHD (against the true graph and against its equivalence
    class), skeleton precision/recall/F1, rows used and seconds."""
    s = settings or Settings(seed=seed)
    out = []
    for name in cases or CASES:
        case = CASES[name](n, seed)
        extra: dict[str, Any] = {}
        if name == "simpsons_paradox":
            pooled, adjusted = slopes(case, "dopant_level", "conductivity", "anneal_temperature")
            extra = {"pooled_slope": round(pooled, 3), "adjusted_slope": round(adjusted, 3)}
        for algorithm in algorithms or ALGORITHMS:
            found = discover(algorithm, case.data, list(case.names), settings=s)
            row: dict[str, Any] = {"case": name, "algorithm": algorithm, "n": n, "n_used": found.n_used}
            row.update(recovery(case.truth, found.graph).as_dict())
            row["seconds"] = round(found.seconds, 3)
            row["edges"] = [str(e) for e in found.graph.edges]
            row.update(extra)
            out.append(row)
    return out
