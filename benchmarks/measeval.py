"""MeasEval (SemEval-2021 Task 8) official scores of the rule baseline and the learned system; prints JSON.

    python benchmarks/measeval.py [--split trial|eval] [--model DIR | --encoder-epochs N] [--save DIR]
                                  [--submission DIR] [--heads MULTIHEAD_DIR]

trial is the development split (tune on it); eval is the official test set with gold labels: report it
once. The learned model is trained on MeasEval train in the same run unless --model gives a saved one.
Scores follow the official script (nlp/evaluation/measeval.py): per type and overall, "exact" and
"overlap" are the official mean scores (overall overlap is the leaderboard number), with
precision/recall/f1 over matched rows beside them. --heads adds "learned_heads": the same learned model
with the MeasEval ("meas") head of a multi-head tagger mixed in (nlp.measeval.predict_with_heads); its
submission is then the one written.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mattermine.corpora import corpus_path  # noqa: E402
from nlp.evaluation.measeval import CLASSES, load_split, score, write_tsv  # noqa: E402
from nlp.measeval import load, predict_rules, predict_with_heads, train_measeval  # noqa: E402
from nlp.registry import create  # noqa: E402


def _table(result: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    return {k: {m: result[k][m] for m in ("exact", "overlap", "precision", "recall", "f1")}
            for k in ("overall", *CLASSES)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="trial", choices=("trial", "eval"))
    ap.add_argument("--model", type=Path, help="a model saved by train_measeval; default: train one now")
    ap.add_argument("--encoder-epochs", type=int, default=0, help="also fine-tune the MiniLM context tagger")
    ap.add_argument("--save", type=Path, help="save the model trained in this run here")
    ap.add_argument("--threads", type=int, help="torch threads for the encoder (1 is fastest on a busy 2-core box)")
    ap.add_argument("--submission", type=Path, help="write the learned system's TSV files here (official format)")
    ap.add_argument("--heads", type=Path, help="a multi-head tagger folder with a 'meas' head to mix in")
    args = ap.parse_args()
    if args.threads:
        import torch
        torch.set_num_threads(args.threads)
    root = corpus_path("measeval")
    paragraphs = load_split(root, args.split)
    gold = [a for p in paragraphs for a in p.annotations]
    t0 = time.time()
    rules = predict_rules(paragraphs, create("ner.rules.v1"))
    t_rules = time.time() - t0
    t0 = time.time()
    model = load(args.model) if args.model else train_measeval(root, args.save, encoder_epochs=args.encoder_epochs,
                                                               threads=args.threads,
                                                               log=lambda s: print(s, file=sys.stderr))
    t_train = time.time() - t0
    t0 = time.time()
    learned = model.predict(paragraphs)
    t_pred = time.time() - t0
    tables = {"rules": _table(score(rules, gold)), "learned": _table(score(learned, gold))}
    if model.encoder is not None:  # the same model without its encoder: what the MiniLM part adds
        encoder, model.encoder = model.encoder, None
        tables["learned_linear_only"] = _table(score(model.predict(paragraphs), gold))
        model.encoder = encoder
    seconds = {"rules": round(t_rules, 1), "train": round(t_train, 1), "learned_predict": round(t_pred, 1)}
    if args.heads:
        t0 = time.time()
        learned = predict_with_heads(model, paragraphs, args.heads, threads=args.threads)
        seconds["learned_heads_predict"] = round(time.time() - t0, 1)
        tables["learned_heads"] = _table(score(learned, gold))
    if args.submission:
        args.submission.mkdir(parents=True, exist_ok=True)
        for p in paragraphs:
            rows = [a for a in learned if a.doc == p.doc]
            if rows:
                write_tsv(args.submission / f"{p.doc}.tsv", rows)
    print(json.dumps({
        "corpus": f"measeval/{args.split}", "paragraphs": len(paragraphs),
        "scorer": "nlp/evaluation/measeval.py (official harperco/MeasEval eval/measeval-eval.py logic)",
        "learned_model": str(args.model) if args.model else f"trained on measeval/train in this run "
                                                            f"(encoder_epochs={args.encoder_epochs})",
        "encoder": model.encoder is not None, "heads": str(args.heads) if args.heads else None,
        "seconds": seconds,
        **tables,
    }, indent=1))


if __name__ == "__main__":
    main()
