"""Recipe targets, precursors and solvents against the synthesis-procedures gold events; prints one JSON object.

    python benchmarks/synthesis_recipes.py [--split dev|train] [--ner ner.rules.v1|auto|ner.hybrid.v1|MODEL]
        [--model MODEL] [--synthesis-head syn] [--threads 1]

The gold roles and the three matching rules (exact, overlap, material) are written in
nlp/evaluation/synthesis_recipes.py. `--ner auto` is the installed encoder beside the rules (nlp.hybrid); `--ner ner.hybrid.v1 --model M`
the same with model M; `--synthesis-head syn` lets that encoder's synthesis head choose recipe materials.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mattermine.corpora import corpus_path  # noqa: E402
from nlp.evaluation.synthesis_recipes import ROLE_MAP, evaluate  # noqa: E402
from nlp.registry import create_from_spec  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev", choices=("dev", "train"))
    ap.add_argument("--ner", default="ner.rules.v1", help="a tagger name, a model name or folder, or auto")
    ap.add_argument("--model", default=None, help="the encoder of ner.hybrid.v1 (a model name or folder)")
    ap.add_argument("--synthesis-head", default=None, help="the hybrid encoder's head for recipe materials (syn)")
    ap.add_argument("--threads", type=int, default=None, help="CPU threads for an encoder")
    args = ap.parse_args()
    config: dict[str, object] = {}
    if args.ner != "ner.rules.v1":
        config.update({k: v for k, v in (("model", args.model), ("synthesis_head", args.synthesis_head),
                                          ("threads", args.threads)) if v is not None})
    tagger = create_from_spec(args.ner, **config)
    began = time.perf_counter()
    result = evaluate(corpus_path("synthesis-procedures"), tagger, args.split)
    print(json.dumps({"tagger": tagger.name, "ner": args.ner, "model": args.model, "synthesis_head": args.synthesis_head,
                      "corpus": f"synthesis-procedures/ner-{args.split}",
                      "roles": ROLE_MAP, "seconds": round(time.perf_counter() - began, 1), **result}))


if __name__ == "__main__":
    main()
