"""Issue 4 on small hand-made inputs: citations glued to formulas, SI values, "He", abbreviations a
document defines, the context of a fact, table facts, component facts, recipes and dopants."""
from __future__ import annotations

import pytest

from ingest.records import Paragraph, ParsedDocument, Table
from nlp.citations import split_citation
from nlp.keys import material_key, property_key
from nlp.operations import atmosphere, find_operations
from nlp.pipeline import annotate, annotate_text
from nlp.quantities import find_quantities
from nlp.registry import create
from nlp.si import to_si
from nlp.tables import header_unit
from nlp.tokenizer import tokenize


@pytest.fixture(scope="module")
def tagger():
    return create("ner.rules.v1")


def facts(text: str, tagger) -> list[tuple[str, str, str, float, str | None]]:
    return [(m.material.text, m.material.key, m.property.key, m.quantity.value, m.quantity.unit)
            for m in annotate_text(text, tagger).measurements]


# --- citation digits glued to a formula ---------------------------------------------------------


@pytest.mark.parametrize("token, expected", [
    ("HoBe2275", ("HoBe2", "275")),  # no compound has 2275 Be per Ho
    ("Fe2O312", ("Fe2O3", "12")),  # Fe2O312 cannot balance; Fe2O3 does
    ("TiO21", ("TiO2", "1")),
    ("Ba0.5Sr0.5Co0.8Fe0.2O312", ("Ba0.5Sr0.5Co0.8Fe0.2O3", "12")),
    ("ZnO15", ("ZnO", "15")),  # nobody writes ZnO1
])
def test_reference_numbers_are_split_off_formulas(token: str, expected: tuple[str, str]) -> None:
    assert split_citation(token) == expected


@pytest.mark.parametrize("token", ["Li7La3Zr2O12", "Bi2Sr2Ca2Cu3O10", "Li10GeP2S12", "Sm2Co17", "NaZn13",
                                   "C16H33", "YBa2Cu3O7", "Cu12Sb4S13", "C60", "Fe3+"])
def test_real_formulas_keep_their_digits(token: str) -> None:
    assert split_citation(token) is None


def test_the_tokenizer_and_tagger_see_the_formula_without_its_reference(tagger) -> None:
    text = "The Laves phase HoBe2275 orders magnetically."
    assert [t for t, _, _ in tokenize(text)][3:5] == ["HoBe2", "275"]
    mats = [(m.text, m.key) for m in tagger.tag([text])[0] if m.type == "MAT"]
    assert mats == [("HoBe2", "Be2Ho")]


# --- quantities in SI units ---------------------------------------------------------------------


@pytest.mark.parametrize("value, unit, si_value, si_unit", [
    (3.2, "eV", 5.1269652288e-19, "J"),
    (25, "°C", 298.15, "K"),
    (150, "mA h g-1", 540000.0, "C kg-1"),
    (1.0, "S cm-1", 100.0, "S m-1"),
    (25, "µW cm-1 K-2", 0.0025, "W m-1 K-2"),
    (5, "°C min-1", 0.0833333333333, "K s-1"),
    (1, "kOe", 79577.4715459, "A m-1"),
    (50, "emu g-1", 50.0, "A m2 kg-1"),
    (12, "%", 0.12, "1"),
    (0.15, "Ω cm2", 1.5e-05, "Ω m2"),
])
def test_units_convert_to_si(value: float, unit: str, si_value: float, si_unit: str) -> None:
    got = to_si(value, unit)
    assert got is not None and got[1] == si_unit and got[0] == pytest.approx(si_value, rel=1e-9)


def test_quantities_keep_the_written_form_beside_the_si_value() -> None:
    gap, temp, cond = find_quantities("a gap of 3.2 ± 0.1 eV at 25–30 °C and 1.2 × 10−4 S cm−1")
    assert (gap.text, gap.unit, gap.error, gap.si_unit) == ("3.2 ± 0.1 eV", "eV", 0.1, "J")
    assert (temp.low, temp.high, temp.si_value) == (25.0, 30.0, pytest.approx(300.65))
    assert cond.value == pytest.approx(1.2e-4) and cond.si_value == pytest.approx(1.2e-2)
    assert find_quantities("x = 0.1 in a.u. of 5 a.u.")[-1].si_value is None


def test_glued_and_dotted_compound_units() -> None:
    got = [(q.unit, q.si_unit) for q in find_quantities("0.15 Wcm−2, 160 Scm−1, 104 S∙cm−1 and 0.4 Ohm cm2")]
    assert got == [("W cm-2", "W m-2"), ("S cm-1", "S m-1"), ("S cm-1", "S m-1"), ("Ω cm2", "Ω m2")]


def test_dois_hold_no_quantities() -> None:
    assert [q.text for q in find_quantities("doi 10.1016/j.matlet.2012.10.091 and 5 nm")] == ["5 nm"]
    assert find_quantities("see 10.1039/c5ta01234a") == []


# --- "He": helium or a person ---------------------------------------------------------------------


@pytest.mark.parametrize("text, helium", [
    ("He et al. measured the gap.", 0),
    ("He found that the film cracks.", 0),
    ("The samples were cooled in liquid He.", 1),
    ("Annealing under He gas flow removed the water.", 1),
    ("He ions were implanted into tungsten.", 1),
    ("The chamber was purged with Ar and He before growth.", 1),
])
def test_he_is_helium_only_where_the_context_says_so(tagger, text: str, helium: int) -> None:
    assert sum(m.key == "He" for m in tagger.tag([text])[0]) == helium


# --- abbreviations a document defines -------------------------------------------------------------


def test_a_formula_abbreviation_holds_for_the_whole_document(tagger) -> None:
    text = ("LSCF gave the lowest resistance. La0.6Sr0.4Co0.2Fe0.8O3-δ (LSCF) was used as the cathode. "
            "The LSCF cathode showed an area-specific resistance of 0.15 Ω cm2 at 700 °C.")
    doc = annotate_text(text, tagger)
    lscf = {(i, m.key) for i, s in enumerate(doc.sentences) for m in s.mentions if m.text == "LSCF"}
    assert lscf == {(0, material_key("La0.6Sr0.4Co0.2Fe0.8O3-δ")), (1, material_key("La0.6Sr0.4Co0.2Fe0.8O3-δ")),
                    (2, material_key("La0.6Sr0.4Co0.2Fe0.8O3-δ"))}
    assert [(m.material.text, m.property.key, m.quantity.si_unit) for m in doc.measurements] == [
        ("LSCF", "area-specific resistance", "Ω m2")]


def test_a_named_abbreviation_is_resolved_in_later_sentences(tagger) -> None:
    text = "Lithium manganese iron phosphate (LMFP) is a cathode. LMFP delivers a capacity of 150 mA h g-1."
    assert facts(text, tagger) == [("LMFP", "lithium manganese iron phosphate", "capacity", 150.0, "mA h g-1")]


# --- what a fact is about: phase, sample form, method ---------------------------------------------


def test_phase_descriptor_and_method_are_attached_to_the_fact(tagger) -> None:
    doc = annotate_text("Anatase TiO2 films have a band gap of 3.2 eV, as measured by UV-vis spectroscopy.", tagger)
    (m,) = doc.measurements
    assert (m.material.key, m.phase, m.descriptors, m.characterization) == (
        "O2Ti", "anatase", ("film",), "uv-vis spectroscopy")
    assert m.quantity.si_unit == "J"


def test_a_phase_written_into_the_name_is_the_fact_s_phase(tagger) -> None:
    doc = annotate_text("β-Ga2O3 has a band gap of about 4.8 eV.", tagger)
    assert [(m.material.key, m.phase) for m in doc.measurements] == [("Ga2O3", "β")]


def test_values_listed_against_conditions_belong_to_one_material(tagger) -> None:
    text = "The ionic conductivity of GDC is 0.01, 0.03 and 0.05 S cm−1 at 500, 600 and 700 °C, respectively."
    assert [(m[0], m[2], m[3]) for m in facts(text, tagger)] == [
        ("GDC", "ionic conductivity", 0.01), ("GDC", "ionic conductivity", 0.03), ("GDC", "ionic conductivity", 0.05)]


def test_a_gas_after_in_is_the_atmosphere_not_the_material(tagger) -> None:
    assert facts("The anode polarization resistance is 0.06 Ω cm2 in H2.", tagger) == []


# --- a cell's values go to its components ---------------------------------------------------------


def test_a_cell_s_power_density_belongs_to_its_named_components(tagger) -> None:
    text = "A fuel cell with a thin YSZ electrolyte reached a peak power density of 1.2 W cm−2 at 800 °C."
    assert facts(text, tagger) == [("YSZ", "ysz", "power density", 1.2, "W cm-2")]


def test_each_value_goes_to_the_component_written_before_it(tagger) -> None:
    text = ("The cell with a YSZ blocking layer reached 35 mW cm−2, while the GDC-based cell reached "
            "only 0.01 mW cm−2.")
    assert [(m[0], m[3]) for m in facts(text, tagger)] == [("YSZ", 35.0), ("GDC", 0.01)]


# --- tables ---------------------------------------------------------------------------------------


def _table_doc(table: Table) -> ParsedDocument:
    return ParsedDocument("t.html", "tablehash", "html", "test", paragraphs=(Paragraph("Some text."),),
                          tables=(table,))


def test_a_table_with_a_material_column_gives_facts(tagger) -> None:
    table = Table("Table 1. Band gaps.", (
        ("Material", "Crystal structure", "Band gap (eV)", "Tc / K"),
        ("GaN", "wurtzite", "3.39", "n/a"),
        ("4H-SiC", "hexagonal", "3.26 ± 0.02", "-"),
        ("MgB2", "hexagonal", "0", "39"),
    ), header_rows=1)
    doc = next(annotate([_table_doc(table)], tagger))
    got = [(m.material.text, m.property.key, m.quantity.value, m.quantity.unit, m.phase, m.method)
           for m in doc.measurements]
    assert got == [
        ("GaN", "band gap", 3.39, "eV", "wurtzite", "facts.table.v1"),
        ("4H-SiC", "band gap", 3.26, "eV", "4H", "facts.table.v1"),
        ("MgB2", "band gap", 0.0, "eV", "hexagonal", "facts.table.v1"),
        ("MgB2", "critical temperature", 39.0, "K", "hexagonal", "facts.table.v1"),
    ]
    row = doc.sentences[doc.measurements[0].sentence]
    assert row.table == 0 and row.section == "Table 1. Band gaps." and row.text.startswith("Material: GaN | ")
    assert doc.measurements[1].quantity.error == 0.02


def test_a_table_without_materials_gives_no_facts(tagger) -> None:
    table = Table(None, (("Temperature (K)", "Band gap (eV)"), ("300", "1.12"), ("77", "1.16")), header_rows=1)
    assert next(annotate([_table_doc(table)], tagger)).measurements == ()


@pytest.mark.parametrize("header, expected", [
    ("Band gap (eV)", ("Band gap", "eV")), ("Tc / K", ("Tc", "K")), ("σ [S cm-1]", ("σ", "S cm-1")),
    ("Capacity, mA h g-1", ("Capacity", "mA h g-1")), ("Structure at 300 K", ("Structure at 300 K", None)),
])
def test_header_units(header: str, expected: tuple[str, str | None]) -> None:
    assert header_unit(header) == expected


# --- synthesis recipes ----------------------------------------------------------------------------


def test_operations_and_atmospheres() -> None:
    text = "The gel was ball milled, heat-treated, calcined in flowing 5% H2/Ar and freeze-dried."
    assert [t for _, _, t in find_operations(text)] == ["grinding", "annealing", "calcination", "drying"]
    assert atmosphere("in flowing 5% H2/Ar") == "H2/Ar" and atmosphere("under vacuum") == "vacuum"


def test_a_procedure_paragraph_becomes_a_recipe(tagger) -> None:
    text = ("Stoichiometric amounts of La2O3, SrCO3 and MnO2 were mixed in ethanol and ball milled for 12 h. "
            "The dried powder was calcined at 1000 °C for 6 h in air and pressed into pellets, which were "
            "sintered at 1300 °C to obtain La0.8Sr0.2MnO3.")
    (recipe,) = annotate_text(text, tagger).syntheses
    assert recipe.target is not None and recipe.target.text == "La0.8Sr0.2MnO3"
    assert [m.text for _, m in recipe.precursors] == ["La2O3", "SrCO3", "MnO2", "ethanol"]
    steps = [(o.type, o.temperature and o.temperature.text, o.time and o.time.text, o.atmosphere)
             for o in recipe.operations]
    assert steps == [("mixing", None, None, None), ("grinding", None, "12 h", None), ("drying", None, None, None),
                     ("calcination", "1000 °C", "6 h", "air"), ("pressing", None, None, None),
                     ("sintering", "1300 °C", None, None)]


def test_naming_methods_is_no_recipe(tagger) -> None:
    assert annotate_text("GaN was grown by MOCVD and deposited on sapphire.", tagger).syntheses == ()


# --- dopants --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, pairs", [
    ("Al-doped ZnO films are transparent.", [("OZn", "Al")]),
    ("ZnO doped with Ga and In was sputtered.", [("OZn", "Ga"), ("OZn", "In")]),
    ("Y2O3:Eu3+ phosphors emit red light.", [("O3Y2", "Eu")]),
    ("Mn doping in GaAs makes it ferromagnetic.", [("AsGa", "Mn")]),
    ("Quenching of Er3+ ions in SrLaMgTaO6 was observed.", [("LaMgO6SrTa", "Er")]),
    ("Fe- or Mo-doped ZnWO4 crystals were grown.", [("O4WZn", "Fe"), ("O4WZn", "Mo")]),
    ("Trap states in N:DLC:Ni coatings were studied.", []),
])
def test_dopant_host_pairs(tagger, text: str, pairs: list[tuple[str, str]]) -> None:
    got = [(d.host.key, d.dopant.key) for d in annotate_text(text, tagger).dopings]
    assert sorted(got) == sorted(pairs)


# --- keys a curator types -------------------------------------------------------------------------


def test_material_and_property_keys_from_what_a_user_writes() -> None:
    assert material_key("TiO2") == material_key("titania") == material_key("O2Ti") == "O2Ti"
    assert material_key("silicon dioxide") == material_key("SiO2")
    assert material_key("graphene") == "graphene"
    assert property_key("Band gaps") == property_key("band gap") == "band gap"
    assert property_key("Tc") == "critical temperature"


def test_a_models_mentions_are_keyed_as_the_rules_key_them() -> None:
    """One graph node per thing, whichever tagger found it: every mention the rules find in the
    demo corpus gets the same key from nlp.keys.mention_key, which keys a model's mentions."""
    from pathlib import Path

    from nlp.keys import mention_key
    from nlp.rules import RuleTagger

    demo = Path(__file__).resolve().parent.parent / "corpora" / "demo"
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(demo.glob("*.txt")))
    sentences = [s for s in text.replace("\n", " ").split(". ") if s.strip()]
    mentions = [m for ms in RuleTagger().tag(sentences) for m in ms]
    assert len({m.type for m in mentions}) == 7 and len(mentions) > 300
    differ = [(m.type, m.text, m.key, mention_key(m.type, m.text)) for m in mentions if mention_key(m.type, m.text) != m.key]
    assert not differ, differ[:10]
    assert mention_key("PRO", "bandgap") == "band gap" and mention_key("MAT", "titania") == "O2Ti"
    assert mention_key("Quantity", "5 K") == "5 k"  # other heads' types keep their text
