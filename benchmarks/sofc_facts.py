"""Material-property-value facts on SOFC-Exp (test split by default): precision and recall; prints JSON.

    python benchmarks/sofc_facts.py [--split test|dev|train] [--linker rules|learned|MODEL_DIR] [--ner auto|MODEL]

The scoring rule is written out in nlp/evaluation/sofc.py (module docstring).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mattermine.corpora import corpus_path  # noqa: E402
from nlp.evaluation.sofc import SLOTS, evaluate  # noqa: E402
from nlp.registry import create_from_spec  # noqa: E402
from nlp.relations.linker import load_linker  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="test", choices=("test", "dev", "train"))
    ap.add_argument("--linker", default="rules", help="rules, learned (the installed model) or a model folder; "
                    "benchmarks/relations.py puts both side by side")
    ap.add_argument("--ner", default="ner.rules.v1", help="as extract --ner (auto: the installed encoder beside the "
                    "rule materials)")
    args = ap.parse_args()
    tagger = create_from_spec(args.ner)
    linker = load_linker(None, args.linker)
    result = evaluate(corpus_path("sofc-exp"), tagger, args.split, linker)
    print(json.dumps({"tagger": tagger.name, "linker": linker.name, "corpus": f"sofc-exp/{args.split}", "slots": list(SLOTS),
                      "rule": "nlp/evaluation/sofc.py", **result}))


if __name__ == "__main__":
    main()
