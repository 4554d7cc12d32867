"""Sentences per second of the whole pipeline (nlp.pipeline.annotate) on one core (or --cores N); prints JSON.

    python benchmarks/pipeline_speed.py [--repeat 2] [--linker rules|learned|auto|MODEL_DIR]
                                        [--ner ner.rules.v1|auto|MODEL] [--cores 1]

Input: the 45 full texts of SOFC-Exp, one paragraph per line, as ParsedDocuments. The process
is pinned to one CPU where the OS allows it. Everything the pipeline does is timed: sentence
splitting, tagging (ner.rules.v1), quantities with SI values, abbreviations, text, component
and table facts, synthesis recipes and dopants. The tagger's lexicon is built and caches are
warmed by a first pass, reported apart as `first_pass_s`. `--linker` chooses how facts and dopants
are linked (nlp.relations; default: the rules); the learned model is loaded before timing.
`--ner` chooses the tagger as `extract --ner` does (default: the rules; `auto` is the installed
encoder beside the rule materials, nlp.hybrid), `--cores` how many CPUs the process may use.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.records import Paragraph, ParsedDocument, content_hash  # noqa: E402
from mattermine.corpora import corpus_path  # noqa: E402
from nlp.pipeline import annotate  # noqa: E402
from nlp.registry import create_from_spec  # noqa: E402
from nlp.relations.linker import load_linker  # noqa: E402


def documents() -> list[ParsedDocument]:
    out = []
    for path in sorted(corpus_path("sofc-exp", "texts").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        paragraphs = tuple(Paragraph(line) for line in text.splitlines() if line.strip())
        out.append(ParsedDocument(str(path), content_hash(text.encode()), "text", "bench", paragraphs=paragraphs))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--linker", default="rules", help="rules, learned, auto or a model folder (nlp.relations)")
    ap.add_argument("--ner", default="ner.rules.v1", help="as extract --ner: a tagger name, auto, or a model")
    ap.add_argument("--cores", type=int, default=1, help="CPUs the process may use")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[:args.cores]))
    docs = documents()
    tagger = create_from_spec(args.ner)
    linker = load_linker(None, args.linker)
    t0 = time.perf_counter()
    first = list(annotate(docs, tagger, linker=linker))
    first_s = time.perf_counter() - t0
    sentences = sum(len(a.sentences) for a in first)
    best = float("inf")
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        out = list(annotate(docs, tagger, linker=linker))
        best = min(best, time.perf_counter() - t0)
    print(json.dumps({
        "corpus": "sofc-exp/texts", "tagger": tagger.name, "linker": linker.name, "documents": len(docs), "sentences": sentences,
        "characters": sum(len(p.text) for d in docs for p in d.paragraphs),
        "facts": sum(len(a.measurements) for a in out), "syntheses": sum(len(a.syntheses) for a in out),
        "dopings": sum(len(a.dopings) for a in out), "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "first_pass_s": round(first_s, 2), "warm_s": round(best, 2),
        "sentences_per_s": round(sentences / best, 1), "documents_per_s": round(len(docs) / best, 2),
    }))


if __name__ == "__main__":
    main()
