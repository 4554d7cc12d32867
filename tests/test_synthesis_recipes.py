"""Recipe-role scoring against BRAT events, on a hand-made .ann file, and recipe finding with a
synthesis tagger's materials."""
from __future__ import annotations

from dataclasses import replace

from nlp.evaluation.synthesis_recipes import RoleSpan, counts, predicted, read_document, read_gold, score
from nlp.pipeline import annotate
from nlp.registry import create
from nlp.synthesis import find_syntheses

TEXT = ("10.1/x\nA title\n"
        "TiCl4 and titanium isopropoxide were dissolved in ethanol. The TiCl4 solution was dried at 80 degC and "
        "calcined at 500 degC for 2 h to obtain TiO2.")
ANN = "\n".join([
    "T1\tMaterial 15 20\tTiCl4",
    "T2\tMaterial 25 46\ttitanium isopropoxide",
    "T3\tMaterial 65 72\tethanol",
    "T4\tOperation 52 61\tdissolved",
    "T5\tMaterial 78 83\tTiCl4",
    "T6\tMaterial 84 92\tsolution",
    "T7\tOperation 118 126\tcalcined",
    "T8\tMaterial 157 161\tTiO2",
    "T9\tMaterial 9 10;12 14\tt le",
    "E1\tOperation:T4 Recipe_Precursor:T1 Recipe_Precursor:T2 Solvent_Material:T3",
    "E2\tOperation:T7 Recipe_Precursor:T5 Participant_Material:T6 Recipe_Target:T8 Participant_Material:T9",
    "R1\tNext_Operation Arg1:E1 Arg2:E2",
])


def test_gold_roles_come_from_events_only() -> None:
    gold = read_gold(ANN)
    assert sorted((g.start, g.text, g.role) for g in gold) == [
        (15, "TiCl4", "precursor"), (25, "titanium isopropoxide", "precursor"), (65, "ethanol", "solvent"),
        (78, "TiCl4", "precursor"), (157, "TiO2", "target")]  # participants and the discontinuous span are not scored
    assert all(TEXT[g.start:g.end] == g.text for g in gold)


def test_exact_overlap_and_material_matching() -> None:
    gold = read_gold(ANN)
    pred = {RoleSpan(157, 161, "TiO2", "target"),  # exact
            RoleSpan(15, 20, "TiCl4", "precursor"),  # exact
            RoleSpan(25, 33, "titanium", "precursor"),  # overlaps "titanium isopropoxide" only
            RoleSpan(65, 72, "ethanol", "precursor"),  # right span, wrong role
            RoleSpan(84, 92, "solution", "precursor")}
    c = counts(gold, pred)
    assert c["exact"]["target"] == (1, 0, 0) and c["exact"]["precursor"] == (1, 3, 2)
    assert c["overlap"]["precursor"] == (2, 2, 1) and c["exact"]["solvent"] == c["overlap"]["solvent"] == (0, 0, 1)
    # per material: TiCl4 is one material however often gold names it; "titanium" is not the isopropoxide
    assert c["material"]["precursor"] == (1, 3, 1)
    s = score([(gold, pred)])
    assert s["exact"]["precursor"] == {"precision": 0.25, "recall": 0.3333, "f1": 0.2857, "support": 3}
    assert s["overlap"]["all"] == {"precision": 0.6, "recall": 0.6, "f1": 0.6, "support": 5}


def test_one_prediction_matches_one_gold_span() -> None:
    gold = {RoleSpan(0, 4, "TiO2", "precursor"), RoleSpan(5, 9, "ZnO2", "precursor")}
    assert counts(gold, {RoleSpan(0, 9, "TiO2 ZnO2", "precursor")})["overlap"]["precursor"] == (1, 0, 1)


def test_pipeline_recipes_land_on_file_offsets() -> None:
    doc, offsets = read_document(TEXT, "x")
    assert [p.text for p in doc.paragraphs] == ["A title", TEXT.split("\n")[2]] and offsets == [7, 15]
    ann = next(annotate([doc], create("ner.rules.v1")))
    pred = predicted(ann, offsets, TEXT)
    assert pred and all(TEXT[p.start:p.end] == p.text for p in pred)
    assert {(p.text, p.role) for p in pred} == {("TiCl4", "precursor"), ("titanium", "precursor"),
                                                ("ethanol", "solvent"), ("TiO2", "target")}
    assert score([(read_gold(ANN), pred)])["overlap"]["all"]["f1"] == 0.8889


def test_synthesis_materials_keep_only_the_materials_they_overlap() -> None:
    doc, _ = read_document(TEXT, "x")
    sentences = next(annotate([doc], create("ner.rules.v1"))).sentences
    plain = find_syntheses(sentences)
    assert {m.text for _, m in plain[0].precursors} == {"TiCl4", "titanium", "ethanol"}
    assert find_syntheses([replace(s, synthesis_materials=()) for s in sentences]) == plain
    # a synthesis tagger that calls TiCl4 and TiO2 materials, and nothing else
    confirmed = [replace(s, synthesis_materials=tuple(m for m in s.mentions if m.text in ("TiCl4", "TiO2")))
                 for s in sentences]
    got = find_syntheses(confirmed)
    assert [m.text for _, m in got[0].precursors] == ["TiCl4"] and got[0].target is not None
    assert got[0].target.text == "TiO2"
