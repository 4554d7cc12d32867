"""Throughput of the Ray engine against the local engine on the same inputs in the same run:
documents/s with 1 and 2 workers each, every run into a fresh graph on one local server, and
whether all the graphs are identical. Ray's start-up is timed apart from the jobs.

    python benchmarks/ray_throughput.py [--workers 1 2] [--rounds 2] [PATH ...]
(default inputs: the demo corpus and the public publisher articles). Configurations run in
turn, round after round, so a busy machine slows them alike; each reports its best round, the
time of the same job on one document (its fixed cost) and the rate beyond that cost.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.falkordb_store import FalkorDBStore  # noqa: E402
from graph.local_server import LocalServer  # noqa: E402
from mattermine.corpora import CorpusMissing, corpus_path  # noqa: E402
from mattermine.extract import ExtractOptions, run_extract  # noqa: E402
from mattermine.graphcheck import GraphDigest, digest  # noqa: E402

DEMO = Path(__file__).resolve().parent.parent / "corpora" / "demo"


def default_inputs() -> list[str]:
    paths = [str(DEMO)]
    try:
        paths.append(str(corpus_path("publisher-articles")))
    except CorpusMissing:
        pass
    return paths


def run_one(server: LocalServer, paths: list[str], options: ExtractOptions, tmp: Path,
            name: str) -> tuple[dict[str, Any], GraphDigest]:
    store = FalkorDBStore(str(server.socket_path), name)
    store.ensure_schema()
    summary = run_extract(paths, store, options, tmp / f"{name}.jsonl")
    graph = digest(store)
    store.close()
    return {"engine": options.engine, "workers": options.workers, "documents": summary.documents,
            "read": summary.read, "failed": summary.failed, "seconds": summary.seconds,
            "documents_per_s": round(summary.read / summary.seconds, 3)}, graph


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    paths = args.paths or default_inputs()
    import ray

    out: dict[str, Any] = {"benchmark": "ray_throughput", "paths": paths, "cpus": os.cpu_count(),
                           "load_average_at_start": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory(prefix="mm-ray-") as tmp:
        server = LocalServer(Path(tmp) / "graph")
        server.start()
        try:
            start = time.perf_counter()
            ray.init(num_cpus=max(args.workers), include_dashboard=False, log_to_driver=False,
                     logging_level=logging.WARNING)
            out["ray_init_seconds"] = round(time.perf_counter() - start, 2)
            runs: dict[str, list[dict[str, Any]]] = {}
            graphs = []
            for r in range(args.rounds):
                for engine in ("local", "ray"):
                    for workers in args.workers:
                        result, graph = run_one(server, paths, ExtractOptions(engine=engine, workers=workers),
                                                Path(tmp), f"{engine}-{workers}-{r}")
                        runs.setdefault(f"{engine}-{workers}", []).append(result)
                        graphs.append(graph)
            # A job's fixed cost (processes, actors, tagger start-up): the same job on one document.
            one = [str(sorted(DEMO.glob("*.txt"))[0])]
            fixed = {f"{e}-{w}": run_one(server, one, ExtractOptions(engine=e, workers=w), Path(tmp),
                                         f"one-{e}-{w}")[0]["seconds"]
                     for e in ("local", "ray") for w in args.workers}
            out["best"] = [max(rs, key=lambda x: x["documents_per_s"]) for rs in runs.values()]
            for best, key in zip(out["best"], runs):
                best["one_document_job_seconds"] = fixed[key]
                best["documents_per_s_after_fixed_cost"] = round(
                    (best["read"] - 1) / max(best["seconds"] - fixed[key], 1e-3), 3)
            out["documents_per_s_by_round"] = {k: [x["documents_per_s"] for x in rs] for k, rs in runs.items()}
            out["identical_graphs"] = all(g.differences(graphs[0]) == {} for g in graphs[1:])
            out["nodes"], out["relationships"] = graphs[0].nodes, graphs[0].relationships
        finally:
            ray.shutdown()
            server.stop()
    out["load_average_at_end"] = os.getloadavg()[0]
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
