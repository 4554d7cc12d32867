"""Training and cross-validating the dopant-host scorer on NERRE doping-train (Dunn et al. 2022).

Each abstract's annotated sentences are tagged one by one, as nlp.evaluation.doping scores them,
and given to the linker together, as the pipeline gives it a document. Labels and scoring use that
module's normalisation. Folds are whole abstracts, so no abstract is both trained and scored on.
"""
from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp.evaluation import prf
from nlp.evaluation.doping import gold_pairs, norm_dopant, norm_host
from nlp.records import Doping, Sentence
from nlp.registry import Tagger
from nlp.relations.dopants import DOPING_FEATURES, DopingModel, Pair, decode, document_rows
from nlp.relations.scorer import fit_platt, fit_scorer

THRESHOLDS = tuple(x / 100 for x in range(10, 91, 5))


@dataclass
class NerreDoc:
    sentences: list[Sentence]
    gold: list[set[tuple[str, str]]]  # per sentence: normalised (host, dopant) pairs
    rows: list[tuple[int, Pair, list[float]]]  # candidate pairs and their features, computed once
    labels: list[int]


def nerre_docs(path: Path, tagger: Tagger) -> list[NerreDoc]:
    out = []
    for doc in json.loads(path.read_text(encoding="utf-8")):
        texts = [s["sentence_text"] for s in doc["doping_sentences"]]
        tagged = tagger.tag(texts)
        sentences = [Sentence(t, 0, len(t), 0, None, tuple(m)) for t, m in zip(texts, tagged)]
        gold = [gold_pairs(s) for s in doc["doping_sentences"]]
        rows = document_rows(sentences)
        labels = [int((norm_host(p.host.text), norm_dopant(p.dopant.text)) in gold[i]) for i, p, _ in rows]
        out.append(NerreDoc(sentences, gold, rows, labels))
    return out


def normalised(d: Doping) -> tuple[str, str]:
    return norm_host(d.host.text), norm_dopant(d.dopant.text)


def rows_and_labels(docs: Sequence[NerreDoc]) -> tuple[list[list[float]], list[int]]:
    return [r for doc in docs for _, _, r in doc.rows], [y for doc in docs for y in doc.labels]


def scored(model: DopingModel, docs: Sequence[NerreDoc]) -> list[list[tuple[int, tuple[str, str], float]]]:
    """Per document, every pair the model decodes at threshold 0: (sentence, normalised pair,
    calibrated probability). Decoding is greedy by probability, so the pairs kept at a threshold t
    are exactly these with probability >= t."""
    every = DopingModel(model.scorer, model.calibration, 0.0)
    return [[(d.sentence, normalised(d), d.confidence) for d in decode(every, doc.rows)] for doc in docs]


def counts(preds: Sequence[list[tuple[int, tuple[str, str], float]]], docs: Sequence[NerreDoc],
           threshold: float) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for doc_preds, doc in zip(preds, docs):
        found: list[set[tuple[str, str]]] = [set() for _ in doc.sentences]
        for i, pair, conf in doc_preds:
            if conf >= threshold:
                found[i].add(pair)
        for pred, gold in zip(found, doc.gold):
            tp += len(pred & gold)
            fp += len(pred - gold)
            fn += len(gold - pred)
    return tp, fp, fn


def folds(n: int, k: int, seed: int) -> list[list[int]]:
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return [sorted(order[i::k]) for i in range(k)]


def fit_doping(docs: Sequence[NerreDoc], seed: int = 0, inner: int = 4) -> DopingModel:
    """A scorer on all `docs`; its calibration and threshold come from out-of-fold scores of
    `inner` folds of the same documents, so they are fit on abstracts the scorer did not see."""
    oof_scores: list[float] = []
    oof_labels: list[int] = []
    held: list[tuple[Any, list[NerreDoc]]] = []
    for part in folds(len(docs), inner, seed):
        train = [d for i, d in enumerate(docs) if i not in set(part)]
        scorer = fit_scorer(*rows_and_labels(train), DOPING_FEATURES, seed=seed)
        test = [docs[i] for i in part]
        rows, labels = rows_and_labels(test)
        oof_scores += list(scorer.scores(rows))
        oof_labels += labels
        held.append((scorer, test))
    calibration = fit_platt(oof_scores, oof_labels)
    preds = [(scored(DopingModel(scorer, calibration), test), test) for scorer, test in held]
    threshold = max(THRESHOLDS, key=lambda t: _f1([counts(p, test, t) for p, test in preds]))
    return DopingModel(fit_scorer(*rows_and_labels(docs), DOPING_FEATURES, seed=seed), calibration, threshold)


def _f1(parts: Sequence[tuple[int, int, int]]) -> float:
    tp, fp, fn = (sum(x) for x in zip(*parts))
    return prf(tp, fp, fn)["f1"]


def cross_validate(docs: Sequence[NerreDoc], k: int = 5, seed: int = 0) -> dict[str, Any]:
    """Document-level k-fold scores of the learned scorer (each fold's calibration and threshold
    fit inside its training part) and of the rules on the same sentences, plus every held-out
    decoded pair's calibrated probability and label, for calibration plots."""
    from nlp.relations.linker import RulesLinker

    learned = (0, 0, 0)
    rules = (0, 0, 0)
    probs: list[float] = []
    labels: list[int] = []
    thresholds = []
    for part in folds(len(docs), k, seed):
        train = [d for i, d in enumerate(docs) if i not in set(part)]
        model = fit_doping(train, seed)
        thresholds.append(model.threshold)
        test = [docs[i] for i in part]
        preds = scored(model, test)
        learned = tuple(a + b for a, b in zip(learned, counts(preds, test, model.threshold)))  # type: ignore[assignment]
        rule_preds = [[(d.sentence, normalised(d), 1.0) for d in RulesLinker().dopings(doc.sentences)] for doc in test]
        rules = tuple(a + b for a, b in zip(rules, counts(rule_preds, test, 0.0)))  # type: ignore[assignment]
        for doc_preds, doc in zip(preds, test):
            for i, pair, conf in doc_preds:
                probs.append(conf)
                labels.append(int(pair in doc.gold[i]))
    return {"learned": prf(*learned), "rules": prf(*rules), "folds": k, "seed": seed, "documents": len(docs),
            "thresholds": thresholds, "calibration_pairs": (probs, labels)}
