"""Linkers: what turns a document's tagged sentences into property facts and dopant-host pairs.

`RulesLinker` runs the hand-written rules (nlp.facts, nlp.components, nlp.doping). `LearnedLinker`
scores every candidate link (nlp.relations.candidates) with trained classifiers, keeps those whose
calibrated probability reaches the threshold chosen on dev data, and puts that probability in each
fact's `confidence`. `load_linker` finds the installed model in the data directory and falls back
to the rules when there is none.
"""
from __future__ import annotations

import json
import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from nlp.components import METHOD as COMPONENTS_METHOD
from nlp.components import component_measurements
from nlp.doping import METHOD as DOPING_METHOD
from nlp.doping import find_dopings
from nlp.facts import METHOD as FACTS_METHOD
from nlp.facts import link_measurements
from nlp.formula import elements, parse_formula
from nlp.records import Doping, Measurement, Sentence
from nlp.relations.candidates import METHOD, PropertyCandidate, material_candidates, property_candidates
from nlp.relations.context import DocumentView, document_view
from nlp.relations.features import MATERIAL_FEATURES, PROPERTY_FEATURES, material_features, property_features, vector
from nlp.relations.scorer import Platt, Scorer

DOPING_LINKER_METHOD = "doping.linker.v1"
LINKER_DIR = ("models", "relations", "default")  # under the data directory
FORMAT = 1
MAX_MATERIALS_PER_VALUE = 3  # a cell's value may belong to its anode, cathode and electrolyte, rarely more


class RelationModelError(RuntimeError):
    """An installed relation model that cannot be used; the message says how to rebuild it."""


class Linker(Protocol):
    name: str
    facts_method: str  # how facts are linked, as the pipeline's name records it
    doping_method: str
    learned: bool

    def facts(self, sentences: Sequence[Sentence]) -> list[Measurement]: ...

    def dopings(self, sentences: Sequence[Sentence]) -> list[Doping]: ...


class RulesLinker:
    """The hand-written rules: no model, nothing to load. `reason` says why they run."""

    def __init__(self, reason: str = "chosen") -> None:
        self.reason = reason

    facts_method = f"{FACTS_METHOD}+{COMPONENTS_METHOD}"
    doping_method = DOPING_METHOD
    name = f"{facts_method}+{doping_method}"
    learned = False

    def facts(self, sentences: Sequence[Sentence]) -> list[Measurement]:
        linked = link_measurements(sentences)
        return linked + component_measurements(sentences, linked)

    def dopings(self, sentences: Sequence[Sentence]) -> list[Doping]:
        return find_dopings(sentences)


@dataclass
class FactModel:
    """The two scorers of a fact and how their product becomes a calibrated probability."""

    properties: Scorer  # P(value is a value of this property)
    materials: Scorer  # P(material is the value's material | the value is one of the chosen property)
    calibration: Platt = field(default_factory=Platt)  # on prop x material score, fit on dev facts
    threshold: float = 0.5  # calibrated probability a fact needs to be kept
    sentences: Any = None  # nlp.relations.experiment.SentenceClassifier: is a sentence's value the paper's own?


@dataclass
class Candidates:
    """One document's scored candidates, before a threshold is applied (also used in training)."""

    view: DocumentView
    props: list[list[PropertyCandidate]]  # per value: its property candidates
    prop_scores: list[list[float]]
    mats: list[list[Any]]  # per value: its MaterialCandidates with the chosen property
    mat_scores: list[list[float]]


def score_document(model: FactModel, sentences: Sequence[Sentence]) -> Candidates:
    """Every value's property and material candidates with their uncalibrated scores."""
    view = document_view(sentences, model.sentences)
    groups: list[tuple[Any, list[PropertyCandidate]]] = []
    rows: list[list[float]] = []
    for sv in view.sentences:
        if sv is None:
            continue
        for q in sv.values:
            cands = property_candidates(sv, q)
            if cands:
                groups.append((sv, cands))
                rows += [vector(f, PROPERTY_FEATURES) for f in property_features(sv, view, cands)]
    flat = list(model.properties.scores(rows))
    prop_scores, at = [], 0
    for _, cands in groups:
        prop_scores.append(flat[at:at + len(cands)])
        at += len(cands)
    mats: list[list[Any]] = []
    mrows: list[list[float]] = []
    for (sv, cands), scores in zip(groups, prop_scores):
        best = cands[max(range(len(cands)), key=scores.__getitem__)]
        mc = material_candidates(sv, view, best.quantity)
        mats.append(mc)
        mrows += [vector(f, MATERIAL_FEATURES) for f in material_features(sv, view, mc, best)]
    mflat = list(model.materials.scores(mrows))
    mat_scores, at = [], 0
    for mc in mats:
        mat_scores.append(mflat[at:at + len(mc)])
        at += len(mc)
    return Candidates(view, [c for _, c in groups], prop_scores, mats, mat_scores)


def decode(model: FactModel, cands: Candidates, threshold: float | None = None) -> list[Measurement]:
    """Facts whose calibrated probability reaches the threshold: for each value its best property and
    up to MAX_MATERIALS_PER_VALUE materials, one fact per material key."""
    cut = model.threshold if threshold is None else threshold
    out: list[Measurement] = []
    for props, pscores, mats, mscores in zip(cands.props, cands.prop_scores, cands.mats, cands.mat_scores):
        best = max(range(len(props)), key=pscores.__getitem__)
        prop = props[best]
        view = cands.view.sentences[prop.sentence]
        aligned = respectively_aligned(view, prop.quantity, mats) if view is not None else None
        kept: dict[str, tuple[float, Any]] = {}
        for mc, ms in zip(mats, mscores):
            if aligned is not None and mc is not aligned:
                continue
            conf = model.calibration(pscores[best] * ms)
            if conf >= cut and conf > kept.get(mc.material.key, (-1.0, None))[0]:
                kept[mc.material.key] = (conf, mc)
        ranked = _without_constituents(sorted(kept.values(), key=lambda t: -t[0]))[:MAX_MATERIALS_PER_VALUE]
        for conf, mc in ranked:
            out.append(Measurement(prop.sentence, mc.material, prop.property, prop.quantity, METHOD, round(conf, 3)))
    return out


def _without_constituents(ranked: list[tuple[float, Any]]) -> list[tuple[float, Any]]:
    """The value's materials less any element kept beside a compound that contains it: the
    element is named as that compound's part ("Cu2S ... its mixed Cu ionic conductivity" gives
    the band gap to Cu2S alone). Of the 52 facts judged on unseen full texts, both such facts
    were wrong (docs/relations/fulltext-judged-hybrid.jsonl)."""
    found = [(conf, mc, _elements(mc.material.key)) for conf, mc in ranked]
    compounds = [parts for _, _, parts in found if len(parts) > 1]
    return [(conf, mc) for conf, mc, parts in found
            if not (len(parts) == 1 and any(parts <= compound for compound in compounds))]


def _elements(key: str) -> frozenset[str]:
    formula = parse_formula(key)
    return frozenset(elements(formula)) if formula is not None else frozenset()


def respectively_aligned(view: Any, q: Any, mats: list[Any]) -> Any:
    """In "the gaps of A, B and C are 1, 2 and 3 eV, respectively" the k-th value is the k-th
    material's: the candidate at the value's place in a material list as long as the value list,
    the nearest such list before the values (else after). None where no such list is written."""
    pos, n = view.value_runs.get(q, (0, 1))
    if n < 2 or view.respectively < q.end:
        return None
    aligned = [mc for mc in mats if mc.material.end > mc.material.start
               and view.material_runs.get(mc.material) == (pos, n)]
    before = [mc for mc in aligned if mc.material.end <= q.start]
    if before:
        return max(before, key=lambda mc: mc.material.start)
    return min(aligned, key=lambda mc: mc.material.start) if aligned else None


class LearnedLinker:
    """Facts (and, when trained, dopant-host pairs) from the learned scorers."""

    learned = True

    def __init__(self, facts: FactModel, doping: Any = None, meta: dict[str, Any] | None = None) -> None:
        self.fact_model = facts
        self.doping_model = doping  # nlp.relations.dopants.DopingModel or None (then the rules)
        self.meta = meta or {}
        self.facts_method = METHOD
        self.doping_method = DOPING_LINKER_METHOD if doping is not None else DOPING_METHOD
        self.name = f"{self.facts_method}+{self.doping_method}"

    def facts(self, sentences: Sequence[Sentence]) -> list[Measurement]:
        return decode(self.fact_model, score_document(self.fact_model, sentences))

    def dopings(self, sentences: Sequence[Sentence]) -> list[Doping]:
        if self.doping_model is None:
            return find_dopings(sentences)
        from nlp.relations.dopants import link_dopings

        return link_dopings(self.doping_model, sentences)

    def save(self, folder: Path, extra: dict[str, Any] | None = None) -> None:
        """Write model.pkl and meta.json into `folder` (replaced atomically, file by file)."""
        import sklearn

        folder.mkdir(parents=True, exist_ok=True)
        meta = {"format": FORMAT, "method": METHOD, "sklearn": sklearn.__version__,
                "threshold": self.fact_model.threshold,
                "calibration": {"a": self.fact_model.calibration.a, "b": self.fact_model.calibration.b},
                "property_features": list(self.fact_model.properties.names),
                "material_features": list(self.fact_model.materials.names), **self.meta, **(extra or {})}
        _write_atomic(folder / "model.pkl", pickle.dumps({"facts": self.fact_model, "doping": self.doping_model}))
        _write_atomic(folder / "meta.json", json.dumps(meta, indent=2).encode())
        self.meta = meta


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def load_learned(folder: Path) -> LearnedLinker:
    """A saved linker; refuses one built by another scikit-learn or with other feature columns."""
    import sklearn

    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RelationModelError(f"{folder}: no readable meta.json ({exc}); rebuild with "
                                 "`mattermine nlp build-default`") from exc
    if meta.get("format") != FORMAT or meta.get("sklearn") != sklearn.__version__ \
            or tuple(meta.get("property_features", ())) != PROPERTY_FEATURES \
            or tuple(meta.get("material_features", ())) != MATERIAL_FEATURES:
        raise RelationModelError(f"{folder} was built by another version (scikit-learn {meta.get('sklearn')}, "
                                 f"this is {sklearn.__version__}; or other features): rebuild it with "
                                 "`mattermine nlp build-default`")
    # The pickle is one this installation wrote into the user's own data directory.
    blob = pickle.loads((folder / "model.pkl").read_bytes())  # noqa: S301
    from nlp.relations.dopants import DOPING_FEATURES

    doping = blob.get("doping")
    if doping is not None and tuple(doping.scorer.names) != DOPING_FEATURES:
        raise RelationModelError(f"{folder} has a dopant-host scorer with other features: rebuild it with "
                                 "`mattermine nlp build-default`")
    return LearnedLinker(blob["facts"], doping, meta)


def linker_dir(data_dir: Path | None) -> Path:
    from graph.connect import default_data_dir

    return (data_dir or default_data_dir()).joinpath(*LINKER_DIR)


def load_linker(data_dir: Path | None = None, spec: str = "auto") -> Linker:
    """The linker `extract` should use: "rules", "learned" (the installed model, required), a
    model folder, or "auto" (the installed model when there is one, else the rules)."""
    if spec == "rules":
        return RulesLinker()
    folder = Path(spec) if spec not in ("auto", "learned") else linker_dir(data_dir)
    if not (folder / "model.pkl").exists():
        if spec == "auto":
            return RulesLinker(f"no learned model in {folder}; `mattermine nlp build-default` builds one")
        raise RelationModelError(f"no relation model in {folder}: build one with `mattermine nlp build-default`")
    return load_learned(folder)


def describe_linker(linker: Linker) -> str:
    """One line for a job summary: what linked the facts."""
    if isinstance(linker, LearnedLinker):
        return f"learned ({linker.name}; facts kept at probability >= {linker.fact_model.threshold:g})"
    return f"rules ({getattr(linker, 'reason', 'chosen')})"
