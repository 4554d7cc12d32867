"""Build the default relation model from the public corpora on a CPU (`mattermine nlp build-default`).

Training data: SOFC-Exp train, SC-CoMIcs train part (seeded split, nlp.relations.gold), MeasEval
train, and NERRE doping-train for the dopant-host scorer. Calibration and the keep threshold are
fit on dev data only: SOFC-Exp dev and the SC-CoMIcs dev part. Test splits are never read here.
"""
from __future__ import annotations

import random
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from nlp.registry import Tagger
from nlp.relations.examples import Examples, fact_examples
from nlp.relations.features import MATERIAL_FEATURES, PROPERTY_FEATURES
from nlp.relations.gold import (SC_SPLIT_SEED, GoldDoc, measeval_docs, sc_comics_docs, sc_comics_items, sc_comics_split,
                                sofc_docs)
from nlp.relations.linker import FactModel, LearnedLinker, decode, score_document
from nlp.relations.scorer import Platt, fit_platt, fit_scorer

# (stage, done, total): the CLI draws it as a progress line on a terminal.
Progress = Callable[[str, int, int], None]
T = TypeVar("T")
MIN_PRECISION = 0.8  # the keep threshold is the lowest that holds this precision off test (goal: 0.75 on test)


@dataclass(frozen=True)
class CorpusPaths:
    sofc: Path
    sc_comics: Path
    measeval: Path | None = None
    nerre: Path | None = None

    @classmethod
    def default(cls) -> CorpusPaths:
        from mattermine.corpora import corpus_path

        return cls(corpus_path("sofc-exp"), corpus_path("matsci-nlp", "sc_comics.json"),
                   corpus_path("measeval"), corpus_path("nerre", "doping-train.json"))


def _quiet(stage: str, done: int, total: int) -> None:
    pass


def _counted(items: list[T], stage: str, progress: Progress) -> Iterator[T]:
    for i, it in enumerate(items):
        progress(stage, i, len(items))
        yield it
    progress(stage, len(items), len(items))


def training_docs(paths: CorpusPaths, tagger: Tagger, progress: Progress = _quiet) -> list[GoldDoc]:
    """The gold documents the fact scorers learn from, run through the pipeline."""
    docs = list(sofc_docs(paths.sofc, "train", tagger))
    split = sc_comics_split(len(sc_comics_items(paths.sc_comics)))
    docs += list(sc_comics_docs(paths.sc_comics, list(_counted(split["train"], "reading SC-CoMIcs train", progress)),
                                tagger))
    if paths.measeval is not None:
        docs += list(measeval_docs(paths.measeval, "train", tagger))
    return docs


@dataclass
class Training:
    """The documents, their labelled examples and the sentence classifiers used to make them."""

    docs: list[GoldDoc]
    folds: list[set[str]]  # SOFC-Exp train document names per fold
    classifier: Any  # SentenceClassifier on all of SOFC-Exp train: the one the model ships with
    per_doc: dict[str, tuple[Examples, Examples]]  # document name -> (property, material) examples

    def examples(self, leave_out: Collection[str] = ()) -> tuple[Examples, Examples]:
        props, mats = Examples(), Examples()
        for d in self.docs:
            if d.name not in leave_out:
                props.extend(self.per_doc[d.name][0])
                mats.extend(self.per_doc[d.name][1])
        return props, mats


def examples(docs: Iterable[GoldDoc], classifier: Any = None) -> tuple[Examples, Examples]:
    """Labelled examples of `docs`, with sentence-classifier features from `classifier` (or none)."""
    props, mats = Examples(), Examples()
    for doc in docs:
        p, m = fact_examples(doc, classifier)
        props.extend(p)
        mats.extend(m)
    return props, mats


def prepare(docs: list[GoldDoc], sofc_root: Path, seed: int = 0, k: int = 4) -> Training:
    """Examples of every document. The sentence-classifier feature of a SOFC-Exp train document comes
    from a classifier trained on the other folds, so the scorers learn how much to trust it on
    unseen text; the other corpora's come from the classifier on all of SOFC-Exp train."""
    from nlp.relations.experiment import fit_sentence_classifier, sofc_sentences

    names = sorted(d.name for d in docs if d.corpus == "sofc")
    random.Random(seed).shuffle(names)
    folds = [set(names[i::k]) for i in range(k)]
    full = fit_sentence_classifier(*sofc_sentences(sofc_root, names))
    by_fold = [fit_sentence_classifier(*sofc_sentences(sofc_root, [n for n in names if n not in f])) for f in folds]
    per_doc = {}
    for d in docs:
        fold = next((i for i, f in enumerate(folds) if d.name in f), None)
        per_doc[d.name] = fact_examples(d, full if fold is None else by_fold[fold])
    return Training(docs, folds, full, per_doc)


def train_facts(props: Examples, mats: Examples, seed: int = 0, classifier: Any = None) -> FactModel:
    """The two scorers, uncalibrated (identity calibration, keep everything)."""
    return FactModel(fit_scorer(props.rows, props.labels, PROPERTY_FEATURES, seed=seed),
                     fit_scorer(mats.rows, mats.labels, MATERIAL_FEATURES, seed=seed), Platt(), 0.0, classifier)


def out_of_fold_sofc(training: Training, sofc_root: Path, seed: int = 0) -> Any:
    """SOFC-Exp train predictions (raw scores) of models that did not see their document, fold by
    fold; the other corpora are in every fold's training data."""
    from nlp.evaluation import sofc
    from nlp.records import AnnotatedDocument
    from nlp.relations.experiment import fit_sentence_classifier, sofc_sentences

    names = sorted(n for f in training.folds for n in f)
    out = sofc.Judged()
    for fold in training.folds:
        classifier = fit_sentence_classifier(*sofc_sentences(sofc_root, [n for n in names if n not in fold]))
        model = train_facts(*training.examples(fold), seed, classifier)
        for d in training.docs:
            if d.name in fold:
                gold, ids = d.source
                facts = decode(model, score_document(model, d.sentences))
                sofc.add_document(out, gold, AnnotatedDocument(d.name, tuple(d.sentences), tuple(facts)), ids)
    return out


def dev_predictions(model: FactModel, paths: CorpusPaths, tagger: Tagger) -> dict[str, Any]:
    """Every dev prediction of the uncalibrated model (its confidence is the raw score product),
    judged by the SOFC-Exp and SC-CoMIcs scoring rules."""
    from nlp.evaluation import sc_comics, sofc

    raw = LearnedLinker(replace(model, calibration=Platt(), threshold=0.0))
    split = sc_comics_split(len(sc_comics_items(paths.sc_comics)))
    return {"sofc": sofc.judge(paths.sofc, tagger, "dev", raw),
            "sc": sc_comics.judge(paths.sc_comics, split["dev"], tagger, raw)}


def labelled_scores(*judged: Any) -> tuple[list[float], list[int]]:
    """(score, right or wrong) of every judged prediction; unverifiable ones left out."""
    scores, labels = [], []
    for j in judged:
        for m, verdict, *_ in j.predictions:
            if verdict != "unverifiable":
                scores.append(m.confidence)
                labels.append(int(verdict == "hit"))
    return scores, labels


def recalibrated(judged: Any, calibration: Platt) -> Any:
    """The same judged predictions with calibrated confidences."""
    from dataclasses import replace

    return replace(judged, predictions=[(replace(m, confidence=calibration(m.confidence)), *rest)
                                        for m, *rest in judged.predictions])


def choose_threshold(judged_sofc: Any, min_precision: float = MIN_PRECISION) -> float:
    """The lowest probability at which the (calibrated) SOFC-Exp predictions reach `min_precision`."""
    from nlp.evaluation import sofc

    for t in [x / 100 for x in range(5, 96)]:
        if sofc.score(judged_sofc, t)["facts"]["precision"] >= min_precision:  # type: ignore[index]
            return t
    return 0.95


def pooled(a: Any, b: Any) -> Any:
    from nlp.evaluation import sofc

    return sofc.Judged(a.predictions + b.predictions, a.gold_facts + b.gold_facts, a.gold_values + b.gold_values,
                       a.documents + b.documents)


def calibrate_facts(model: FactModel, training: Training, paths: CorpusPaths, tagger: Tagger,
                    seed: int = 0) -> tuple[FactModel, dict[str, Any]]:
    """Platt scaling fit on the dev predictions; the keep threshold from dev and out-of-fold
    SOFC-Exp train predictions pooled (283 gold facts rather than dev's 52); the numbers."""
    from nlp.evaluation import sc_comics, sofc
    from nlp.evaluation.calibration import ece

    dev = dev_predictions(model, paths, tagger)
    oof = out_of_fold_sofc(training, paths.sofc, seed)
    scores, labels = labelled_scores(dev["sofc"], dev["sc"])
    calibration = fit_platt(scores, labels)
    dev_sofc, dev_sc, oof = (recalibrated(j, calibration) for j in (dev["sofc"], dev["sc"], oof))
    threshold = choose_threshold(pooled(dev_sofc, oof))
    probs, labels = labelled_scores(dev_sofc, dev_sc)
    report = {"threshold": threshold, "min_precision": MIN_PRECISION,
              "dev_sofc": sofc.score(dev_sofc, threshold), "dev_sc_comics": sc_comics.score(dev_sc, threshold),
              "train_out_of_fold_sofc": sofc.score(oof, threshold),
              "dev_ece": ece(probs, labels), "dev_predictions": len(probs)}
    curves = {"dev": (probs, labels), "sofc_train_out_of_fold": labelled_scores(oof)}
    return replace(model, calibration=calibration, threshold=threshold), {"report": report, "curves": curves}


def build_default(folder: Path, paths: CorpusPaths, tagger: Tagger, progress: Progress = _quiet,
                  seed: int = 0) -> dict[str, Any]:
    """Train, calibrate and save the default linker into `folder`; returns what meta.json records
    (and, under "curves", the calibration data, which is not saved)."""
    from nlp.relations.nerre import fit_doping, nerre_docs

    progress("reading training corpora (SOFC-Exp train, SC-CoMIcs train, MeasEval train)", 0, 1)
    docs = training_docs(paths, tagger, progress)
    progress("training fact scorers", 0, 1)
    training = prepare(docs, paths.sofc, seed)
    props, mats = training.examples()
    raw = train_facts(props, mats, seed, training.classifier)
    progress("calibrating (SOFC-Exp dev, SC-CoMIcs dev; SOFC-Exp train out of fold)", 0, 1)
    facts, calibrated = calibrate_facts(raw, training, paths, tagger, seed)
    doping = None
    doping_meta: dict[str, Any] = {}
    if paths.nerre is not None:
        progress("training dopant-host scorer (NERRE doping-train)", 0, 1)
        nerre = nerre_docs(paths.nerre, tagger)
        doping = fit_doping(nerre, seed)
        doping_meta = {"doping_threshold": doping.threshold,
                       "doping_calibration": {"a": doping.calibration.a, "b": doping.calibration.b},
                       "doping_training": {"documents": len(nerre), "pairs": sum(len(d.rows) for d in nerre)}}
    split = sc_comics_split(len(sc_comics_items(paths.sc_comics)))
    meta = {
        "seed": seed, "tagger": tagger.name,
        "training": {
            "documents": {c: sum(d.corpus == c for d in docs) for c in ("sofc", "sc", "measeval")},
            "property_examples": len(props.labels), "property_positives": sum(props.labels),
            "material_examples": len(mats.labels), "material_positives": sum(mats.labels),
            "sc_comics_split": {"seed": SC_SPLIT_SEED, **{k: len(v) for k, v in split.items()}},
        },
        **calibrated["report"], **doping_meta,
    }
    LearnedLinker(facts, doping).save(folder, meta)
    progress("saved", 1, 1)
    return {**meta, "curves": calibrated["curves"]}
