"""The learned relation linker (nlp.relations): a tiny model trained in seconds on slices of the real
corpora links values to materials and dopants to hosts, with probabilities, and survives a save and
load; without a model the rules run."""
from __future__ import annotations

import json
from itertools import islice
from pathlib import Path

import pytest

from nlp.evaluation.calibration import ece, reliability
from nlp.pipeline import annotate_text
from nlp.registry import create
from nlp.relations import build
from nlp.relations.gold import sc_comics_docs, sc_comics_split, sofc_docs
from nlp.relations.linker import (FactModel, LearnedLinker, RelationModelError, RulesLinker, describe_linker,
                                  load_learned, load_linker)
from nlp.relations.nerre import fit_doping, nerre_docs
from nlp.relations.scorer import Platt
from tests.conftest import need_corpus

THRESHOLD = 0.3  # the tiny model is not calibrated; low enough to see what it links


@pytest.fixture(scope="module")
def tagger():
    return create("ner.rules.v1")


@pytest.fixture(scope="module")
def tiny(tagger) -> LearnedLinker:
    """8 SOFC-Exp train documents, 80 SC-CoMIcs abstracts, 50 NERRE abstracts: about ten seconds."""
    docs = list(islice(sofc_docs(need_corpus("sofc-exp"), "train", tagger), 8))
    docs += list(sc_comics_docs(need_corpus("matsci-nlp", "sc_comics.json"), sc_comics_split(1000)["train"][:80], tagger))
    props, mats = build.examples(docs)
    raw = build.train_facts(props, mats)
    doping = fit_doping(nerre_docs(need_corpus("nerre", "doping-train.json"), tagger)[:50], inner=2)
    return LearnedLinker(FactModel(raw.properties, raw.materials, Platt(), THRESHOLD), doping)


def facts(text: str, tagger, linker) -> list[tuple[str, str, str]]:
    doc = annotate_text(text, tagger, linker)
    return [(m.material.text, m.property.key, m.quantity.text) for m in doc.measurements]


def test_a_value_is_linked_to_the_material_it_is_stated_for(tagger, tiny) -> None:
    got = facts("LSCF shows an electrical conductivity of 300 S cm-1 at 800 °C.", tagger, tiny)
    assert got == [("LSCF", "electrical conductivity", "300 S cm-1")]


def test_a_unit_names_its_property_when_no_word_does(tagger, tiny) -> None:
    got = facts("The cell with a GDC electrolyte reached 1.2 W cm-2 at 650 °C.", tagger, tiny)
    assert got == [("GDC", "power density", "1.2 W cm-2")]


def test_respectively_pairs_each_value_with_the_material_in_its_place(tagger, tiny) -> None:
    got = facts("The band gaps of ZnS, ZnSe and ZnTe are 3.7, 2.7 and 2.3 eV, respectively.", tagger, tiny)
    assert got == [("ZnS", "band gap", "3.7"), ("ZnSe", "band gap", "2.7"), ("ZnTe", "band gap", "2.3 eV")]


def test_a_dopant_is_paired_with_its_host(tagger, tiny) -> None:
    doc = annotate_text("Eu-doped Y2O3 nanoparticles were prepared by a sol-gel route.", tagger, tiny)
    assert [(d.host.text, d.dopant.key, d.method) for d in doc.dopings] == [("Y2O3", "Eu", "doping.linker.v1")]


def test_confidences_are_probabilities_and_the_pipeline_names_the_linker(tagger, tiny) -> None:
    doc = annotate_text("LSCF and LSM reach 300 and 120 S cm-1, respectively, and the cell gives 0.9 W cm-2; "
                        "Tb-doped CeO2 was also tested.", tagger, tiny)
    assert doc.measurements and doc.dopings
    assert all(0.0 <= x.confidence <= 1.0 for x in [*doc.measurements, *doc.dopings])
    assert "facts.linker.v1" in doc.pipeline and "doping.linker.v1" in doc.pipeline


def test_save_and_load_give_the_same_facts(tagger, tiny, tmp_path: Path) -> None:
    tiny.save(tmp_path / "m")
    loaded = load_linker(None, str(tmp_path / "m"))
    text = "The band gaps of ZnS and ZnSe are 3.7 and 2.7 eV, respectively; Eu-doped Y2O3 glows red."
    a, b = annotate_text(text, tagger, tiny), annotate_text(text, tagger, loaded)
    assert a.measurements == b.measurements and a.dopings == b.dopings
    assert json.loads((tmp_path / "m" / "meta.json").read_text())["threshold"] == THRESHOLD


def test_a_model_from_another_scikit_learn_is_refused_with_a_way_out(tiny, tmp_path: Path) -> None:
    tiny.save(tmp_path)
    meta = json.loads((tmp_path / "meta.json").read_text())
    (tmp_path / "meta.json").write_text(json.dumps({**meta, "sklearn": "0.0.1"}))
    with pytest.raises(RelationModelError, match="build-default"):
        load_learned(tmp_path)


def test_without_a_model_the_rules_run_and_say_so(tagger, tmp_path: Path) -> None:
    linker = load_linker(tmp_path, "auto")
    assert isinstance(linker, RulesLinker)
    assert "build-default" in describe_linker(linker)
    text = "The band gaps of ZnS, ZnSe and ZnTe are 3.7, 2.7 and 2.3 eV, respectively."
    assert annotate_text(text, tagger, linker).measurements == annotate_text(text, tagger).measurements
    with pytest.raises(RelationModelError, match="build-default"):
        load_linker(tmp_path, "learned")


def test_the_sc_comics_split_is_seeded_and_disjoint() -> None:
    a, b = sc_comics_split(1000), sc_comics_split(1000)
    assert a == b and [len(a[k]) for k in ("train", "dev", "test")] == [700, 150, 150]
    assert not set(a["train"]) & set(a["test"]) and not set(a["dev"]) & set(a["test"])


def test_expected_calibration_error_on_hand_made_probabilities() -> None:
    assert ece([0.9] * 10, [1] * 9 + [0]) == 0.0
    assert ece([0.8] * 4, [0] * 4) == 0.8
    assert reliability([0.05, 0.95], [0, 1], bins=10) == [
        {"low": 0.0, "high": 0.1, "count": 1, "mean_probability": 0.05, "fraction_correct": 0.0},
        {"low": 0.9, "high": 1.0, "count": 1, "mean_probability": 0.95, "fraction_correct": 1.0},
    ]


def test_an_element_kept_beside_a_compound_that_contains_it_is_dropped() -> None:
    from types import SimpleNamespace

    from nlp.relations.linker import _without_constituents

    def cand(key: str) -> SimpleNamespace:
        return SimpleNamespace(material=SimpleNamespace(key=key))

    cu2s, cu, zns, ni, bzcyn, lsm = cand("Cu2S"), cand("Cu"), cand("SZn"), cand("Ni"), cand("BaCe0.7Ni0.1Y0.1Zr0.1O3"), cand("LSM")
    assert [mc for _, mc in _without_constituents([(0.9, cu2s), (0.8, cu), (0.7, zns)])] == [cu2s, zns]
    assert [mc for _, mc in _without_constituents([(0.9, ni), (0.8, bzcyn)])] == [bzcyn]
    # An element alone, or beside compounds without it or names without a formula, stays.
    assert [mc for _, mc in _without_constituents([(0.9, cu), (0.8, zns), (0.7, lsm)])] == [cu, zns, lsm]
