"""Historical validation on the dated documents of the public corpora; prints one JSON object.

    python benchmarks/embedding_history.py [--year 2014] [--application "fuel cell" ...] [--epochs 15]

The dated documents (SOFC-Exp, NERRE abstracts with a copyright year or an Elsevier DOI, and
synthesis paragraphs with an Elsevier DOI; see benchmarks/embedding_corpus.py) go through the
normal pipeline (rule tagger, graph batches) into a throwaway local graph. For each application
discovery.history.validate trains on the documents up to --year and counts how many of its top
candidates are first co-mentioned with the application later, against ranking by mention count.
With no --application, the three entities most often co-mentioned with materials after the
year are used. A few hundred documents: expect noise, not evidence.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from embedding_corpus import nerre_documents, sofc_documents, synthesis_documents  # noqa: E402

from discovery.history import validate  # noqa: E402
from discovery.train import TrainSettings  # noqa: E402
from graph import cypher  # noqa: E402
from graph.batch import build_batch  # noqa: E402
from graph.falkordb_store import FalkorDBStore  # noqa: E402
from graph.local_server import LocalServer  # noqa: E402
from ingest.records import Metadata, Paragraph, ParsedDocument  # noqa: E402
from nlp.pipeline import annotate  # noqa: E402
from nlp.registry import create  # noqa: E402



def dated_documents() -> Iterator[ParsedDocument]:
    for src in (*sofc_documents(), *synthesis_documents(), *nerre_documents()):
        if src.year is None:
            continue
        text = " ".join(src.sentences)
        yield ParsedDocument(source_path=src.id, content_hash=hashlib.sha256(text.encode()).hexdigest(),
                             format="text", reader="benchmark", metadata=Metadata(year=src.year),
                             paragraphs=(Paragraph(text),))


def build_graph(store: FalkorDBStore, batch_docs: int = 64) -> dict[str, float]:
    start = time.perf_counter()
    docs = list(dated_documents())
    batch = []
    for ann in zip(docs, annotate(docs, create("ner.rules.v1"))):
        batch.append(ann)
        if len(batch) == batch_docs:
            store.write(build_batch(batch))
            batch = []
    if batch:
        store.write(build_batch(batch))
    return {"documents": len(docs), "seconds": round(time.perf_counter() - start, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--year", type=int, default=2014)
    ap.add_argument("--application", action="append", default=[])
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--min-count", type=int, default=3)
    args = ap.parse_args()
    settings = TrainSettings(epochs=args.epochs, alpha=0.025, min_count=args.min_count,
                             workers=os.cpu_count() or 1)
    with tempfile.TemporaryDirectory() as tmp:
        server = LocalServer(Path(tmp) / "graph")
        status, _ = server.start()
        try:
            store = FalkorDBStore(status.socket, "history")
            store.ensure_schema()
            built = build_graph(store)
            apps = args.application or [k for k, _ in store.read(cypher.DISCOVERY_LATER_APPLICATIONS,
                                                                 {"year": args.year, "limit": 3}).rows]
            results = []
            for app in apps:
                res = validate(store, Path(tmp), [app], args.year, top=args.top, settings=settings)
                out = res.to_json()
                out["embedding_top"] = [r["material"] for r in res.embedding_top[:10]]
                out["baseline_top"] = [r["material"] for r in res.baseline_top[:10]]
                results.append(out)
            store.close()
        finally:
            server.stop()
    print(json.dumps({"graph": built, "year": args.year, "settings": {"epochs": settings.epochs,
                      "min_count": settings.min_count}, "results": results}, ensure_ascii=False))


if __name__ == "__main__":
    main()
