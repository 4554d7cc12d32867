"""Property facts from whole sentences: lists, phases, structure types, names, units and subjects."""
from __future__ import annotations

import pytest

from nlp.formula import canonical_key, parse_formula
from nlp.names import binary_name_formula
from nlp.pipeline import annotate_text
from nlp.quantities import find_quantities
from nlp.registry import create


@pytest.fixture(scope="module")
def tagger():
    return create("ner.rules.v1")


def facts(text: str, tagger) -> list[tuple[str, str, str, float, str | None]]:
    doc = annotate_text(text, tagger)
    return [(m.material.text, m.material.key, m.property.key, round(m.quantity.value, 6), m.quantity.unit)
            for m in doc.measurements]


def key(formula: str) -> str:
    parsed = parse_formula(formula)
    assert parsed is not None
    return canonical_key(parsed)


# --- 1. lists of values that share the last unit ------------------------------------------------


def test_numbers_in_a_list_share_the_final_unit() -> None:
    qs = find_quantities("are about 3.7, 2.7 and 2.3 eV, and 1.1 or 0.7 eV")
    assert [(q.value, q.unit) for q in qs] == [(3.7, "eV"), (2.7, "eV"), (2.3, "eV"), (1.1, "eV"), (0.7, "eV")]


def test_respectively_pairs_three_materials_when_only_the_last_value_has_a_unit(tagger) -> None:
    text = ("Doping also changes the colour: the band gaps of ZnS, ZnSe and ZnTe are about 3.7, 2.7 and "
            "2.3 eV, respectively, compared with 0.67 eV for Ge.")
    assert facts(text, tagger) == [
        ("ZnS", "SZn", "band gap", 3.7, "eV"), ("ZnSe", "SeZn", "band gap", 2.7, "eV"),
        ("ZnTe", "TeZn", "band gap", 2.3, "eV"), ("Ge", "Ge", "band gap", 0.67, "eV"),
    ]


def test_a_list_that_pairs_with_nothing_gives_no_fact(tagger) -> None:
    text = "Along the a, b and c axes the Bi2Te3 crystals reach ZT values of 0.6, 0.9 and 1.1, respectively."
    assert facts(text, tagger) == []


# --- 2. phases stand for their material; class words are never the material -----------------------


def test_phases_in_a_respectively_list_belong_to_the_material_before(tagger) -> None:
    text = ("ZrO2 films were deposited by sputtering. The band gaps of monoclinic and tetragonal are "
            "ca. 5.8 and 5.9 eV, respectively, so both oxides are good insulators.")
    got = facts(text, tagger)
    assert got == [("monoclinic", "O2Zr", "band gap", 5.8, "eV"), ("tetragonal", "O2Zr", "band gap", 5.9, "eV")]


def test_generic_class_words_are_not_materials_of_facts(tagger) -> None:
    assert facts("These oxides have a band gap of 3.1 eV.", tagger) == []
    assert facts("The alloy has a hardness of 5 GPa.", tagger) == []


# --- 3. minerals named as structure types -----------------------------------------------------


def test_diamond_structure_is_a_structure_type_not_the_material(tagger) -> None:
    mentions = tagger.tag(["Germanium adopts the diamond structure.", "CVD diamond films were grown."])
    assert [(m.type, m.text) for m in mentions[0]] == [("MAT", "Germanium"), ("SPL", "diamond")]
    assert ("MAT", "diamond") in [(m.type, m.text) for m in mentions[1]]
    text = "Germanium crystallizes in the cubic diamond structure with a lattice parameter of 5.66 Å and a band gap of 0.67 eV."
    assert facts(text, tagger) == [
        ("Germanium", "Ge", "lattice parameter", 5.66, "Å"), ("Germanium", "Ge", "band gap", 0.67, "eV"),
    ]


def test_an_anvil_cell_is_not_the_material(tagger) -> None:
    text = "Phosphorus compressed in a diamond anvil cell becomes superconducting at 10 K near 30 GPa."
    assert facts(text, tagger) == [("Phosphorus", "P", "critical temperature", 10.0, "K")]


# --- 4. names and abbreviations with formula keys ---------------------------------------------------


@pytest.mark.parametrize("name, formula", [
    ("tin selenide", "SnSe"), ("barium fluoride", "BaF2"), ("lithium hydride", "LiH"),
    ("niobium nitride", "NbN"), ("aluminium carbide", "Al4C3"), ("germanium dioxide", "GeO2"),
    ("iron(III) oxide", "Fe2O3"), ("tantalum pentoxide", "Ta2O5"), ("hydrogen sulfide", "H2S"),
    ("trisilicon tetranitride", "Si3N4"), ("bismuth telluride", "Bi2Te3"),
])
def test_binary_compound_names_give_formulas(name: str, formula: str) -> None:
    assert binary_name_formula(name) == formula


@pytest.mark.parametrize("name", ["iron oxide", "copper sulfide", "indium selenide", "lanthanum hydride",
                                  "calcium carbide", "magnesium boride", "lithium cobalt oxide"])
def test_names_that_do_not_fix_the_stoichiometry_give_none(name: str) -> None:
    assert binary_name_formula(name) is None


def test_compound_names_and_abbreviations_get_formula_keys(tagger) -> None:
    text = "Tin telluride, barium fluoride, iron oxide, YBCO, LFP, LLZO, STO, BSCF and YSZ were compared."
    got = {m.text: m.key for m in tagger.tag([text])[0] if m.type == "MAT"}
    assert got["Tin telluride"] == "SnTe" and got["barium fluoride"] == "BaF2"
    assert got["iron oxide"] == "iron oxide"
    assert got["YBCO"] == key("YBa2Cu3O7") and got["LFP"] == key("LiFePO4")
    assert got["LLZO"] == key("Li7La3Zr2O12") and got["STO"] == key("SrTiO3")
    assert got["BSCF"] == key("Ba0.5Sr0.5Co0.8Fe0.2O3-δ") and got["YSZ"] == "ysz"


# --- 5. only measurable properties take values, in units that fit ----------------------------------


def test_decades_are_not_quantities() -> None:
    assert find_quantities("studied since the 1960s and in the 1990's") == []


def test_words_that_take_no_value_give_no_facts(tagger) -> None:
    assert facts("Bi2Te3 has been a standard thermoelectric since the 1960s.", tagger) == []
    assert facts("ZnO becomes p-type after annealing at 650 °C.", tagger) == []
    assert facts("In SnTe the grain boundaries were imaged at 77 K.", tagger) == []
    assert facts("CdSe is a semiconductor even near 0 K.", tagger) == []


def test_superconducting_at_a_temperature_is_the_critical_temperature(tagger) -> None:
    assert facts("Nb3Sn becomes superconducting at 18 K.", tagger) == [("Nb3Sn", "Nb3Sn", "critical temperature", 18.0, "K")]
    assert facts("Superconductivity at 9 K in niobium", tagger) == [("niobium", "Nb", "critical temperature", 9.0, "K")]
    # a shift is not a critical temperature
    assert facts("With heavier isotopes Nb3Sn is superconducting about 1 K lower than before.", tagger) == []


def test_units_must_match_the_property(tagger) -> None:
    assert facts("GaAs has a band gap of 1.42 eV at 300 K.", tagger) == [("GaAs", "AsGa", "band gap", 1.42, "eV")]


# --- 6. conditions and the subject of the sentence -------------------------------------------------


def test_a_condition_is_not_the_value_and_the_subject_is_the_material(tagger) -> None:
    text = ("Li3PS4 glass shows a total ionic conductivity of about 10-4 S cm-1 at 25 °C, far below that of "
            "the thiophosphates Li10MP2S12 (M = Ge, Sn).")
    assert facts(text, tagger) == [("Li3PS4", "Li3PS4", "ionic conductivity", 0.0001, "S cm-1")]


def test_a_lost_superscript_minus_still_gives_a_power_of_ten() -> None:
    assert [(q.value, q.unit) for q in find_quantities("about 10-4 S cm-1, and 10-20 K")] == [
        (pytest.approx(1e-4), "S cm-1"), (15.0, "K")]
    assert find_quantities("ranges of 600-700 °C")[0].low == 600.0


def test_its_refers_to_the_subject_of_the_sentence_before(tagger) -> None:
    text = "GaSb crystallizes in the zinc blende structure. Its band gap is 0.73 eV at 300 K and 0.81 eV near 0 K."
    assert facts(text, tagger) == [("Its", "GaSb", "band gap", 0.73, "eV")]
    assert facts("The compound LaFeO3 has a band gap of 2.1 eV.", tagger) == [("LaFeO3", "FeLaO3", "band gap", 2.1, "eV")]
    assert facts("Its band gap is 2.0 eV.", tagger) == []


def test_a_value_written_for_another_material_goes_to_it(tagger) -> None:
    text = "CdS has an exciton binding energy of about 28 meV, larger than that of GaAs (ca. 4 meV)."
    assert facts(text, tagger) == [
        ("CdS", "CdS", "exciton binding energy", 28.0, "meV"), ("GaAs", "AsGa", "exciton binding energy", 4.0, "meV"),
    ]


def test_materials_that_only_modify_a_noun_are_not_the_subject(tagger) -> None:
    text = "Removing the lithium ions gives a theoretical capacity of about 280 mA h g-1."
    assert facts(text, tagger) == []
    text = "Mg-doped GaN shows a hole mobility of 10 cm2 V-1 s-1."
    assert [f[0] for f in facts(text, tagger)] == ["GaN"]
