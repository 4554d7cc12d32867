"""Graph write throughput: batched `UNWIND $rows ... MERGE` against one MERGE statement per row,
same rows, same server, same run. Prints one JSON object.

The rows are real: MatScholar training sentences (../shared/corpora, via MATTERMINE_CORPORA)
tagged by the rule tagger, grouped into pseudo-documents of --sentences-per-doc sentences.

    python benchmarks/graph_write.py [--sentences 3000] [--uri bolt://... for Neo4j]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph import cypher  # noqa: E402
from graph.batch import GraphBatch, build_batch  # noqa: E402
from graph.connect import GraphConfig, open_store  # noqa: E402
from ingest.records import Metadata, ParsedDocument, Paragraph  # noqa: E402
from mattermine.corpora import corpus_path  # noqa: E402
from nlp import registry  # noqa: E402
from nlp.conll import read_conll  # noqa: E402
from nlp.pipeline import annotate  # noqa: E402


def real_batch(n_sentences: int, per_doc: int) -> GraphBatch:
    sentences = [" ".join(tokens) for tokens, _ in read_conll(corpus_path("matscholar-ner", "train.txt"))]
    sentences = sentences[:n_sentences]
    docs = []
    for i in range(0, len(sentences), per_doc):
        text = " ".join(sentences[i:i + per_doc])
        docs.append(ParsedDocument(source_path=f"matscholar-train#{i}", content_hash=f"bench{i:06d}",
                                   format="text", reader="bench", metadata=Metadata(title=None),
                                   paragraphs=(Paragraph(text),)))
    tagger = registry.create("ner.rules.v1")
    return build_batch(list(zip(docs, annotate(docs, tagger))))


def timed_write(store: object, batch: GraphBatch, chunk_rows: int) -> dict[str, float]:
    # The MERGE statements only: the co-mention completion is one statement per batch by design
    # (it must be atomic), so it is timed on its own below.
    merges = replace(batch, completions=(), pairs=())
    t0 = time.perf_counter()
    stats = store.write(merges, chunk_rows=chunk_rows)  # type: ignore[attr-defined]
    seconds = time.perf_counter() - t0
    t1 = time.perf_counter()
    store.run(cypher.COMPLETE_DOCUMENTS, batch.completion())  # type: ignore[attr-defined]
    completion = time.perf_counter() - t1
    nodes = store.read(cypher.COUNT_NODES).rows[0][0]  # type: ignore[attr-defined]
    rels = store.read(cypher.COUNT_RELATIONSHIPS).rows[0][0]  # type: ignore[attr-defined]
    return {"seconds": round(seconds, 3), "rows": stats.rows, "statements": stats.statements,
            "rows_per_s": round(stats.rows / seconds, 1), "nodes": nodes, "relationships": rels,
            "completion_seconds": round(completion, 3), "completion_pairs": len(batch.pairs)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=3000)
    ap.add_argument("--sentences-per-doc", type=int, default=10)
    ap.add_argument("--chunk-rows", type=int, default=1000)
    ap.add_argument("--uri", default=None, help="Neo4j URI (default: a temporary local server)")
    args = ap.parse_args()

    t0 = time.perf_counter()
    batch = real_batch(args.sentences, args.sentences_per_doc)
    prep = time.perf_counter() - t0
    results: dict[str, object] = {"benchmark": "graph_write", "sentences": args.sentences,
                                  "documents": len(batch.documents), "rows": batch.rows,
                                  "prepare_seconds": round(prep, 2)}
    with tempfile.TemporaryDirectory(prefix="mm-bench-") as tmp:
        for mode, chunk in (("batched_unwind", args.chunk_rows), ("one_merge_per_row", 1)):
            config = GraphConfig.from_env(data_dir=tmp, graph=f"bench-{mode}", neo4j_uri=args.uri)
            store, _ = open_store(config)
            store.delete_graph()  # type: ignore[attr-defined]
            store.ensure_schema()
            results[mode] = timed_write(store, batch, chunk)
            results["store"] = store.name
            store.delete_graph()  # type: ignore[attr-defined]
            store.close()
        if not args.uri:
            from graph.local_server import LocalServer

            LocalServer(Path(tmp) / "graph").stop()
    a, b = results["batched_unwind"], results["one_merge_per_row"]
    results["same_graph"] = (a["nodes"], a["relationships"]) == (b["nodes"], b["relationships"])  # type: ignore[index]
    results["speedup"] = round(b["seconds"] / a["seconds"], 1)  # type: ignore[index]
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
