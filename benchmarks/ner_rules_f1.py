"""Entity-level P/R/F1 and speed of the rule tagger ner.rules.v1 on MatScholar NER dev; prints one JSON object.

    python benchmarks/ner_rules_f1.py [--split dev|train]

Speed is measured warm (tries built and caches filled by one pass beforehand are part of
`build_s`), over the space-joined gold tokens, as the golden test tags them.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mattermine.corpora import corpus_path  # noqa: E402
from nlp.conll import entity_f1, read_conll, tag_batch  # noqa: E402
from nlp.registry import create  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev", choices=("dev", "train"))
    args = ap.parse_args()
    data = read_conll(corpus_path("matscholar-ner", f"{args.split}.txt"))
    tokens = [t for t, _ in data]
    t0 = time.perf_counter()
    tagger = create("ner.rules.v1")
    tagger.tag(["warm-up: ZnO thin films by sol-gel."])
    build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    pred = tag_batch(tokens, tagger)
    first_pass_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    tag_batch(tokens, tagger)
    warm_s = time.perf_counter() - t0
    res = entity_f1([g for _, g in data], pred)

    def rounded(d: dict) -> dict:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in d.items()}

    print(json.dumps({
        "tagger": tagger.name,
        "corpus": f"matscholar-ner/{args.split}.txt",
        "sentences": len(data),
        "tokens": sum(len(t) for t in tokens),
        "micro": rounded(res["micro"]),
        "per_type": {k: rounded(v) for k, v in res["per_type"].items()},
        "build_s": round(build_s, 3),
        "first_pass_sentences_per_s": round(len(data) / first_pass_s, 1),
        "warm_sentences_per_s": round(len(data) / warm_s, 1),
    }))


if __name__ == "__main__":
    main()
