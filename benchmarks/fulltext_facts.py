"""Facts per 1,000 sentences on real full texts that no model here was trained or tuned on (the
shared PDFs and publisher articles), rules and learned linker side by side; prints JSON.

    python benchmarks/fulltext_facts.py [--linker DIR] [--ner MODEL] [--sample 50 --sample-out FILE]

Three systems: rule entities and rule links; rule entities and the learned linker; and, when an
encoder is installed (`--ner auto`) or named, rule materials with the encoder's other entities
(nlp.hybrid) and the learned linker. `--sample N` draws N of the last system's facts (seed 0) and
writes them as JSONL with their sentences, for judging by hand; judged files are kept in
docs/relations/.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest import ReadError, read_document  # noqa: E402
from mattermine.corpora import corpus_path  # noqa: E402
from nlp.pipeline import annotate  # noqa: E402
from nlp.registry import create, create_from_spec  # noqa: E402
from nlp.relations.linker import load_linker  # noqa: E402


def documents() -> list:  # type: ignore[type-arg]
    paths = sorted(corpus_path("pdfs").glob("*.pdf")) + sorted(
        p for p in corpus_path("publisher-articles").iterdir() if p.suffix in (".html", ".xml"))
    docs = []
    for path in paths:
        try:
            docs.append(read_document(path))
        except ReadError as exc:
            print(f"skipped {path.name}: {exc}", file=sys.stderr)
    return docs


def facts(annotated: list, names: dict[str, str]) -> list[dict[str, object]]:  # type: ignore[type-arg]
    rows = []
    for doc in annotated:
        for m in doc.measurements:
            sentence = doc.sentences[m.sentence].text
            rows.append({"document": names[doc.doc_key], "material": m.material.text,
                         "property": m.property.text, "value": m.quantity.text,
                         "confidence": round(m.confidence, 3), "sentence": sentence})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--linker", default="learned", help="learned (the installed model), auto or a model folder")
    ap.add_argument("--ner", default="auto", help="the encoder for the third system: auto (the installed one) "
                    "or a model name or folder; ner.rules.v1 leaves the third system out")
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--sample-out", type=Path, default=Path("fulltext-facts-sample.jsonl"))
    args = ap.parse_args()
    docs = documents()
    rules = create("ner.rules.v1")
    result: dict[str, object] = {"corpus": "pdfs + publisher-articles (not used in training or tuning)",
                                 "documents": len(docs)}
    systems = [("rules", rules, "rules"), ("learned", rules, args.linker)]
    encoder = create_from_spec(args.ner)
    if encoder.name != rules.name:
        systems.append(("learned+encoder", encoder, args.linker))
    last: list[dict[str, object]] = []
    for name, tagger, spec in systems:
        linker = load_linker(None, spec)
        annotated = list(annotate(docs, tagger, linker=linker))
        sentences = sum(len(d.sentences) for d in annotated)
        last = facts(annotated, {d.key: Path(d.source_path).name for d in docs})
        result[name] = {"tagger": tagger.name, "linker": linker.name, "sentences": sentences, "facts": len(last),
                        "facts_per_1000_sentences": round(1000 * len(last) / max(1, sentences), 2)}
    if args.sample:
        sample = random.Random(0).sample(last, min(args.sample, len(last)))
        args.sample_out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in sample))
        result["sample"] = {"file": str(args.sample_out), "n": len(sample)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
