"""Extraction throughput and idempotency on real papers: runs `extract` over the public PDFs and
publisher articles twice into a fresh local graph and prints one JSON object with documents/s
and the node/relationship counts after each run (they must be equal).

    python benchmarks/extract_corpus.py [--workers N] [PATH ...]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph import cypher  # noqa: E402
from graph.connect import GraphConfig, open_store  # noqa: E402
from graph.local_server import LocalServer  # noqa: E402
from mattermine.corpora import corpus_path  # noqa: E402
from mattermine.extract import ExtractOptions, run_extract  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--workers", type=int, default=0)
    args = ap.parse_args()
    paths = args.paths or [str(corpus_path("pdfs")), str(corpus_path("publisher-articles"))]
    out: dict[str, object] = {"benchmark": "extract_corpus", "paths": paths}
    with tempfile.TemporaryDirectory(prefix="mm-bench-") as tmp:
        config = GraphConfig.from_env(data_dir=tmp, neo4j_uri="")
        store, _ = open_store(config)
        try:
            for run in ("first_run", "second_run"):
                s = run_extract(paths, store, ExtractOptions(workers=args.workers),
                                Path(tmp) / f"{run}-failures.jsonl")
                nodes = store.read(cypher.COUNT_NODES).rows[0][0]
                rels = store.read(cypher.COUNT_RELATIONSHIPS).rows[0][0]
                out[run] = {"documents": s.documents, "read": s.read, "skipped": s.skipped,
                            "failed": s.failed, "sentences": s.sentences, "mentions": s.mentions,
                            "facts": s.facts, "seconds": s.seconds,
                            "documents_per_s": round(s.read / s.seconds, 3) if s.read else None,
                            "nodes": nodes, "relationships": rels}
            forced = run_extract(paths, store, ExtractOptions(workers=args.workers, force=True),
                                 Path(tmp) / "forced-failures.jsonl")
            out["forced_run"] = {"read": forced.read, "seconds": forced.seconds,
                                 "documents_per_s": round(forced.read / forced.seconds, 3),
                                 "nodes": store.read(cypher.COUNT_NODES).rows[0][0],
                                 "relationships": store.read(cypher.COUNT_RELATIONSHIPS).rows[0][0]}
        finally:
            store.close()
            LocalServer(config.server_dir).stop()
    first, second, forced_run = out["first_run"], out["second_run"], out["forced_run"]
    out["idempotent"] = all((r["nodes"], r["relationships"]) == (first["nodes"], first["relationships"])  # type: ignore[index]
                            for r in (second, forced_run))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
