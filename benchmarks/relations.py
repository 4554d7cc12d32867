"""The learned relation linker against the rules, side by side in one run; prints JSON.

    python benchmarks/relations.py [--model DIR] [--test] [--plot docs/relations/reliability.png]

* SOFC-Exp facts (nlp/evaluation/sofc.py): dev; test only with --test (report it once, never tune on it).
* SC-CoMIcs value -> material (nlp/evaluation/sc_comics.py) on the seeded split's dev part; its
  held-out test part with --test.
* NERRE doping pairs (nlp/evaluation/doping.py): the learned scorer by 5-fold document-level
  cross-validation on doping-train (each fold's calibration and threshold fit inside its training
  part, nlp.relations.nerre), three fold assignments and their mean; the rules on the same file.
* Calibration: ECE and a reliability plot of the facts' probabilities on dev (every prediction
  down to probability 0, and those kept) and of the NERRE out-of-fold pairs.

The model is the installed one (`mattermine nlp build-default`) unless --model names a folder.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mattermine.corpora import corpus_path  # noqa: E402
from nlp.evaluation import sc_comics, sofc  # noqa: E402
from nlp.evaluation.calibration import ece, plot  # noqa: E402
from nlp.registry import create  # noqa: E402
from nlp.relations.gold import sc_comics_items, sc_comics_split  # noqa: E402
from nlp.relations.linker import LearnedLinker, RulesLinker, linker_dir, load_learned  # noqa: E402
from nlp.relations.nerre import cross_validate, nerre_docs  # noqa: E402


SEEDS = (0, 1, 2)  # fold assignments of the NERRE cross-validation: F1 moves by a few points between them


def _labelled(*judged: Any) -> tuple[list[float], list[int]]:
    probs, labels = [], []
    for j in judged:
        for m, verdict, *_ in j.predictions:
            if verdict != "unverifiable":
                probs.append(m.confidence)
                labels.append(int(verdict == "hit"))
    return probs, labels


def _every(linker: LearnedLinker) -> LearnedLinker:
    """The same model keeping every decoded fact, however improbable: what calibration is measured on."""
    return LearnedLinker(replace(linker.fact_model, threshold=0.0), linker.doping_model, linker.meta)


def facts_part(tagger: Any, linker: LearnedLinker, splits: list[str]) -> dict[str, Any]:
    root, sc_path = corpus_path("sofc-exp"), corpus_path("matsci-nlp", "sc_comics.json")
    split = sc_comics_split(len(sc_comics_items(sc_path)))
    out: dict[str, Any] = {}
    for name in splits:
        every_sofc = sofc.judge(root, tagger, name, _every(linker))
        every_sc = sc_comics.judge(sc_path, split[name], tagger, _every(linker))
        t = linker.fact_model.threshold
        out[name] = {
            "sofc_exp": {"rules": sofc.evaluate(root, tagger, name, RulesLinker()), "learned": sofc.score(every_sofc, t)},
            "sc_comics_value_material": {"rules": sc_comics.score(sc_comics.judge(sc_path, split[name], tagger,
                                                                                   RulesLinker())),
                                         "learned": sc_comics.score(every_sc, t)},
            "learned_at_thresholds": {str(x): {"sofc_exp": sofc.score(every_sofc, x)["facts"],
                                               "sc_comics": sc_comics.score(every_sc, x)["value_material"]}
                                      for x in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)},
            "_judged": (every_sofc, every_sc),
        }
    return out


def calibration_part(parts: dict[str, Any], threshold: float, nerre_pairs: tuple[list[float], list[int]],
                     png: Path | None) -> dict[str, Any]:
    every_sofc, every_sc = parts["dev"].pop("_judged")
    probs, labels = _labelled(every_sofc, every_sc)
    kept = [(p, y) for p, y in zip(probs, labels) if p >= threshold]
    result = {"facts_dev_all": {"ece": ece(probs, labels), "n": len(probs)},
              "facts_dev_kept": {"ece": ece([p for p, _ in kept], [y for _, y in kept]), "n": len(kept)},
              "doping_nerre_out_of_fold": {"ece": ece(*nerre_pairs), "n": len(nerre_pairs[0])}}
    if png is not None:
        plot(png, {"facts, dev (SOFC-Exp + SC-CoMIcs)": (probs, labels),
                   "dopant-host pairs, NERRE out of fold": nerre_pairs},
             title="Learned linker: reliability on held-out data")
        result["plot"] = str(png)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=None, help="model folder (default: the installed one)")
    ap.add_argument("--test", action="store_true", help="also score the test splits (report once)")
    ap.add_argument("--plot", type=Path, default=None, help="write the reliability diagram here (PNG)")
    args = ap.parse_args()
    start = time.perf_counter()
    tagger = create("ner.rules.v1")
    linker = load_learned(args.model or linker_dir(None))
    splits = ["dev", "test"] if args.test else ["dev"]
    parts = facts_part(tagger, linker, splits)
    nerre = nerre_docs(corpus_path("nerre", "doping-train.json"), tagger)
    runs = [cross_validate(nerre, seed=seed) for seed in SEEDS]
    pairs = runs[0]["calibration_pairs"]
    for run in runs:
        run.pop("calibration_pairs")
    cv = {"seeds": runs, "mean_f1": {name: round(sum(r[name]["f1"] for r in runs) / len(runs), 4)
                                     for name in ("learned", "rules")}}
    calibration = calibration_part(parts, linker.fact_model.threshold, pairs, args.plot)
    for name in splits:
        parts[name].pop("_judged", None)
    print(json.dumps({
        "model": str(args.model or linker_dir(None)), "tagger": tagger.name, "linker": linker.name,
        "threshold": linker.fact_model.threshold, "facts": parts,
        "doping_nerre_cross_validated": cv, "calibration": calibration,
        "seconds": round(time.perf_counter() - start, 1),
    }))


if __name__ == "__main__":
    main()
