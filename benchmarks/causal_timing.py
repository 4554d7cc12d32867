"""Seconds per causal-learn algorithm at n = 1,000 and 10,000 rows (7-variable linear-Gaussian SCM
and the nonlinear one), with recovery alongside; KCI at 100-400 rows shows why it is capped.

    python benchmarks/causal_timing.py [--sizes 1000 10000] > timing.json   (one JSON object)
"""
from __future__ import annotations

import argparse
import json
import os
import platform

from causal.algorithms import ALGORITHMS, Settings, discover
from causal.metrics import recovery
from causal.synthetic import CASES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--cases", nargs="+", default=["linear_gaussian", "nonlinear"])
    parser.add_argument("--kci-sizes", type=int, nargs="+", default=[100, 200, 300, 400])
    args = parser.parse_args()
    settings = Settings()
    timings = []
    for name in args.cases:
        for n in args.sizes:
            case = CASES[name](n, 0)
            for algorithm in ALGORITHMS:
                found = discover(algorithm, case.data, list(case.names), settings=settings)
                r = recovery(case.truth, found.graph)
                timings.append({"case": name, "algorithm": algorithm, "n": n, "n_used": found.n_used,
                                "seconds": round(found.seconds, 3), "shd": r.shd, "skeleton_f1": round(r.f1, 3)})
    kci = []
    case = CASES["nonlinear"](max(args.kci_sizes), 0)
    for n in args.kci_sizes:
        found = discover("pc-kci", case.data[:n], list(case.names), settings=Settings(kci_max_n=n))
        kci.append({"n": n, "seconds": round(found.seconds, 2),
                    "skeleton_f1": round(recovery(case.truth, found.graph).f1, 3)})
    print(json.dumps({"benchmark": "causal_timing", "cpu_count": os.cpu_count(), "python": platform.python_version(),
                      "kci_max_n": settings.kci_max_n, "timings": timings, "kci_scaling": kci}, indent=1))


if __name__ == "__main__":
    main()
