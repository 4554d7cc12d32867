"""Entity F1 per type on the synthesis-procedures corpus (dev split by default); prints one JSON object.

    python benchmarks/synthesis_f1.py [--split dev|train]

The mapping of gold BRAT types onto the pipeline's output is written in nlp/evaluation/synthesis.py.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mattermine.corpora import corpus_path  # noqa: E402
from nlp.evaluation.synthesis import TYPE_MAP, evaluate  # noqa: E402
from nlp.registry import create  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev", choices=("dev", "train"))
    args = ap.parse_args()
    tagger = create("ner.rules.v1")
    result = evaluate(corpus_path("synthesis-procedures"), tagger, args.split)
    print(json.dumps({"tagger": tagger.name, "corpus": f"synthesis-procedures/ner-{args.split}",
                      "type_map": TYPE_MAP, "match": "exact character span and type", **result}))


if __name__ == "__main__":
    main()
