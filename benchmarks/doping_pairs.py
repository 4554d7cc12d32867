"""Dopant-host pairs on NERRE doping-train.json (a development set): precision and recall; prints JSON.

    python benchmarks/doping_pairs.py

The scoring rule is written out in nlp/evaluation/doping.py (module docstring).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mattermine.corpora import corpus_path  # noqa: E402
from nlp.evaluation.doping import evaluate  # noqa: E402
from nlp.registry import create  # noqa: E402


def main() -> None:
    tagger = create("ner.rules.v1")
    result = evaluate(corpus_path("nerre", "doping-train.json"), tagger)
    print(json.dumps({"tagger": tagger.name, "corpus": "nerre/doping-train.json", "rule": "nlp/evaluation/doping.py",
                      **result}))


if __name__ == "__main__":
    main()
