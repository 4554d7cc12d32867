"""Unit tests for the NLP stage, on small hand-made inputs."""
from __future__ import annotations

import pytest

from ingest.records import Paragraph, ParsedDocument
from nlp.conll import entity_f1, read_conll, spans, tag_tokens
from nlp.facts import link_measurements
from nlp.formula import canonical_key, elements, looks_like_formula, parse_formula
from nlp.names import material_names
from nlp.pipeline import annotate, annotate_text
from nlp.quantities import find_quantities
from nlp.records import Mention, Quantity, Sentence
from nlp.registry import available, create
from nlp.sentences import split_sentences
from nlp.tokenizer import tokenize


@pytest.fixture(scope="module")
def tagger():
    return create("ner.rules.v1")


def key(s: str) -> str:
    f = parse_formula(s)
    assert f is not None, s
    return canonical_key(f)


# --- formulas -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, expected",
    [
        ("SiO2", "O2Si"),
        ("TiO2", "O2Ti"),
        ("Si2O4", "O2Si"),
        ("LiFePO4", "FeLiO4P"),
        ("CH3NH3PbI3", "CH6I3NPb"),
        ("O2Si", "O2Si"),  # MatScholar's normalised form parses as itself
        ("Cr2Fe10Mn17Ni10VZr20", "Cr2Fe10Mn17Ni10VZr20"),
        ("Ca10(PO4)6(OH)2", "Ca5HO13P3"),
        ("K2[PtCl6]", "Cl6K2Pt"),
        ("CuSO4·5H2O", "CuH10O9S"),
        ("La(NO3)3*6H2O", "H12LaN3O15"),
        ("SiO₂", "O2Si"),
        ("C60", "C60"),  # one element is never reduced: C60 is not graphite
    ],
)
def test_canonical_keys(written: str, expected: str) -> None:
    assert key(written) == expected


def test_non_stoichiometric_formulas_keep_their_expressions() -> None:
    f = parse_formula("Ba0.95La0.05FeO3-δ")
    assert f is not None and f.as_dict() == {"Ba": 0.95, "La": 0.05, "Fe": 1.0, "O": "3-δ"}
    assert key("Ba0.95La0.05FeO3-δ") == "Ba0.95FeLa0.05O3-δ"
    lat = parse_formula("Li1+xAlxTi2-x(PO4)3")
    assert lat is not None
    assert lat.as_dict() == {"Li": "1+x", "Al": "x", "Ti": "2-x", "P": 3.0, "O": 12.0}
    assert elements(lat) == ("Al", "Li", "O", "P", "Ti")
    assert key("LaFeAsO1-xFx") == "AsFxFeLaO1-x"
    assert key("SiOx") == "OxSi"


def test_mixed_sites_keep_the_written_form_and_the_element_set() -> None:
    f = parse_formula("(Bi,Sb)2Te3")
    assert f is not None and f.mixed_sites
    assert elements(f) == ("Bi", "Sb", "Te")
    assert canonical_key(f) == "(Bi,Sb)2Te3"


def test_charges_and_oxidation_states_are_not_part_of_the_formula() -> None:
    fe = parse_formula("Fe3+")
    assert fe is not None and fe.as_dict() == {"Fe": 1.0} and fe.charge == "3+"
    mn = parse_formula("Mn(IV)")
    assert mn is not None and mn.as_dict() == {"Mn": 1.0} and mn.charge == "IV"
    so4 = parse_formula("SO42-")
    assert so4 is not None and so4.as_dict() == {"S": 1.0, "O": 4.0} and so4.charge == "2-"


@pytest.mark.parametrize("bad", ["Xy2", "hello", "", "Zr-based", "LiMO2", "3D"])
def test_not_formulas(bad: str) -> None:
    assert parse_formula(bad) is None


@pytest.mark.parametrize("word", ["In", "As", "He", "No", "I", "Be", "At", "S", "C", "UV", "SPS", "IV", "Hz", "S1"])
def test_words_and_abbreviations_do_not_look_like_formulas(word: str) -> None:
    assert not looks_like_formula(word)


@pytest.mark.parametrize("token", ["Fe", "Si", "Au", "GaN", "CO", "O2Si", "Si(100)", "H2", "MoS2", "(Bi,Sb)2Te3"])
def test_materials_look_like_formulas(token: str) -> None:
    assert looks_like_formula(token)


def test_names_map_to_formula_keys() -> None:
    names = material_names()
    assert names["silica"] == names["silicon dioxide"] == "O2Si"
    assert names["titania"] == "O2Ti"
    assert names["magnetite"] == "Fe3O4"
    assert names["graphene"] == "graphene"
    assert names["oganesson"] == "Og"


# --- tokenizer and sentences ----------------------------------------------------------------


def test_tokenizer_keeps_formulas_ions_units_and_hyphenated_terms() -> None:
    text = "Li1+xAlxTi2-x(PO4)3, (Bi,Sb)2Te3 and Ba0.95La0.05FeO3-δ. Fe3+ and Mn(IV) by sol-gel gave 150 mA h g−1 and 25 µW cm−1 K−2."
    toks = [t for t, _, _ in tokenize(text)]
    for whole in ["Li1+xAlxTi2-x(PO4)3", "(Bi,Sb)2Te3", "Ba0.95La0.05FeO3-δ", "Fe3+", "Mn(IV)", "sol-gel", "mA h g−1", "µW cm−1 K−2"]:
        assert whole in toks
    assert toks[-1] == "." and "δ" not in toks


def test_tokenizer_offsets_and_number_ranges() -> None:
    text = "at 300–500 K with 5±0.2 nm (SiO2)"
    toks = tokenize(text)
    assert all(text[s:e] == t for t, s, e in toks)
    words = [t for t, _, _ in toks]
    assert words[:6] == ["at", "300", "–", "500", "K", "with"]
    assert "±" in words and "SiO2" in words and "(" in words


@pytest.mark.parametrize(
    "text, expected",
    [
        ("As shown in Fig. 2, the gap is 3.2 eV. The film is thin.", 2),
        ("Smith et al. reported it (Figs. 3 and 4). It works, e.g. for ZnO, i.e. a semiconductor.", 2),
        ("It was ca. 5 nm vs. 10 nm in Eq. 3, Ref. 12, Refs. 3-5, No. 5, approx. 2 nm (resp. 3 nm), cf. Table 1.", 1),
        ("LiCoO2 was proposed by J. B. Goodenough. It works at 300 K. In addition, it is fine.", 3),
        ("The band gap was 1.1 eV. The film was annealed at 500 °C. Then it cooled.", 3),
    ],
)
def test_sentence_splitter(text: str, expected: int) -> None:
    spans_ = split_sentences(text)
    assert len(spans_) == expected
    assert all(not text[a:b][0].isspace() and not text[a:b][-1].isspace() for a, b in spans_)


def test_sentence_split_points() -> None:
    text = "It works at 300 K. In addition, the gap is 3.2 eV. The end."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "It works at 300 K.",
        "In addition, the gap is 3.2 eV.",
        "The end.",
    ]


# --- quantities -----------------------------------------------------------------------------


def q1(text: str) -> Quantity:
    qs = find_quantities(text)
    assert len(qs) == 1, qs
    return qs[0]


def test_quantity_units_are_normalised() -> None:
    q = q1("a capacity of 150 mA h g−1")
    assert (q.value, q.unit, q.text) == (150.0, "mA h g-1", "150 mA h g−1")
    assert q1("170 mAh/g").unit == "mA h g-1"
    assert q1("5 S/cm").unit == "S cm-1"
    assert q1("25 µW cm−1 K−2").unit == "µW cm-1 K-2"
    assert q1("annealed at 600 degC").unit == "°C"
    assert q1("at 25 ° C").unit == "°C"
    assert q1("doped with 3 at.%").unit == "at%"


def test_quantity_errors_ranges_and_scientific_notation() -> None:
    e = q1("size 5 ± 0.2 nm")
    assert (e.value, e.error, e.unit) == (5.0, 0.2, "nm")
    r = q1("from 300–500 K")
    assert (r.low, r.high, r.value, r.unit) == (300.0, 500.0, 400.0, "K")
    assert (q1("from 300 to 500 K").low, q1("between 300 and 500 °C").high) == (300.0, 500.0)
    s = q1("σ = 1.2 × 10−4 S cm−1")
    assert s.value == pytest.approx(1.2e-4) and s.unit == "S cm-1"
    assert q1("1e-4 S/cm").value == pytest.approx(1e-4)
    assert q1("−0.5 V").value == -0.5


def test_labels_years_and_formula_digits_are_not_quantities() -> None:
    assert find_quantities("Fig. 2 and Table 3 and Eq. (4) and ref. [12] in 2019") == []
    assert find_quantities("TiO2 and Li1+xAlxTi2-x(PO4)3 by B3LYP in 3D") == []
    assert [q.value for q in find_quantities("x = 0.1")] == [0.1]


# --- tagger ---------------------------------------------------------------------------------


def test_registry_has_the_rule_tagger() -> None:
    assert "ner.rules.v1" in available()
    assert create("ner.rules.v1").name == "ner.rules.v1"


def test_tagger_offsets_and_types_on_mixed_case_text(tagger) -> None:
    s = "Al-doped ZnO thin films were grown by pulsed laser deposition and studied by X-ray diffraction (XRD) for solar cells."
    got = {(m.type, m.text) for m in tagger.tag([s])[0]}
    assert {("MAT", "Al"), ("DSC", "doped"), ("MAT", "ZnO"), ("DSC", "thin films"), ("SMT", "pulsed laser deposition"),
            ("CMT", "X-ray diffraction"), ("CMT", "XRD"), ("APL", "solar cells")} <= got
    for m in tagger.tag([s])[0]:
        assert s[m.start : m.end] == m.text


def test_tagger_keys(tagger) -> None:
    ms = {m.text: m for m in tagger.tag(["Rutile TiO2 and silica nanoparticles with a band gap measured by XRD."])[0]}
    assert ms["TiO2"].key == "O2Ti" and ms["silica"].key == "O2Si"
    assert ms["Rutile"].type == "SPL" and ms["Rutile"].key == "rutile"
    assert ms["nanoparticles"].key == "nanoparticle"
    assert ms["XRD"].key == "x-ray diffraction"


def test_tagger_handles_lower_cased_matscholar_style_input(tagger) -> None:
    s = "the O2Ti films were prepared by sol – gel and the band gap was measured by x-ray photoelectron spectroscopy"
    got = {(m.type, m.text) for m in tagger.tag([s])[0]}
    assert {("MAT", "O2Ti"), ("DSC", "films"), ("SMT", "sol – gel"), ("PRO", "band gap"),
            ("CMT", "x-ray photoelectron spectroscopy")} <= got


def test_tagger_material_systems_and_guards(tagger) -> None:
    s = "The Ti–6Al–4V and Nd–Fe–B alloys, Y2O3:Eu and α-Fe2O3 were compared; In this work, I–V curves at 25 °C."
    got = {(m.type, m.text) for m in tagger.tag([s])[0]}
    assert {("MAT", "Ti–6Al–4V"), ("MAT", "Nd–Fe–B"), ("MAT", "Y2O3:Eu"), ("MAT", "α-Fe2O3")} <= got
    texts = {t for _, t in got}
    assert "In" not in texts and "I" not in texts and "C" not in texts


def test_tagger_is_deterministic_and_batch_independent(tagger) -> None:
    a = ["ZnO nanorods by hydrothermal method.", "The Curie temperature of Fe3O4 is 858 K."]
    assert tagger.tag(a) == [tagger.tag([a[0]])[0], tagger.tag([a[1]])[0]]


# --- measurements and pipeline --------------------------------------------------------------


def test_respectively_pairs_in_order(tagger) -> None:
    doc = annotate_text("The band gaps of Si, GaAs and TiO2 are 1.1, 1.4 and 3.2 eV, respectively.", tagger)
    got = [(m.material.text, m.property.key, m.quantity.value, m.quantity.unit) for m in doc.measurements]
    assert got == [("Si", "band gap", 1.1, "eV"), ("GaAs", "band gap", 1.4, "eV"), ("TiO2", "band gap", 3.2, "eV")]


def test_units_must_fit_the_property() -> None:
    text = "The Tc of MgB2 is 39 K after 5 h."
    mat = Mention("MAT", "MgB2", 10, 14, "B2Mg")
    prop = Mention("PRO", "Tc", 4, 6, "critical temperature")
    sent = Sentence(text, 0, len(text), 0, None, (prop, mat), tuple(find_quantities(text)))
    ms = link_measurements([sent])
    assert [(m.quantity.unit, m.method) for m in ms] == [("K", "facts.rules.v2")]


def test_annotate_batches_across_documents_and_keeps_order() -> None:
    calls: list[int] = []

    class Recording:
        name = "ner.test.v0"

        def tag(self, sentences):
            calls.append(len(sentences))
            return [[] for _ in sentences]

    docs = [
        ParsedDocument(f"d{i}", f"hash{i}", "text", "test", paragraphs=(Paragraph("One. Two. Three."),))
        for i in range(5)
    ]
    out = list(annotate(docs, Recording(), batch_sentences=4))
    assert [d.doc_key for d in out] == [f"hash{i}" for i in range(5)]
    assert calls == [4, 4, 4, 3]
    assert all(len(d.sentences) == 3 for d in out)
    assert out[0].pipeline == ("sentences.rules.v1+ner.test.v0+quantities.v3+abbreviations.v1+facts.rules.v2+"
                               "facts.components.v1+"
                               "facts.table.v1+synthesis.rules.v1+doping.rules.v1")


def test_annotate_keeps_empty_documents_in_order(tagger) -> None:
    docs = [
        ParsedDocument("a", "h1", "text", "test"),
        ParsedDocument("b", "h2", "text", "test", paragraphs=(Paragraph("ZnO films."),)),
        ParsedDocument("c", "h3", "text", "test"),
    ]
    out = list(annotate(docs, tagger, batch_sentences=1))
    assert [(d.doc_key, len(d.sentences)) for d in out] == [("h1", 0), ("h2", 1), ("h3", 0)]


def test_reagents_are_tagged_with_lower_confidence(tagger) -> None:
    ms = {m.text: m for m in tagger.tag(["ZnO was dispersed in ethanol."])[0]}
    assert ms["ethanol"].type == "MAT" and ms["ethanol"].confidence < ms["ZnO"].confidence


def test_annotate_text_attaches_everything(tagger) -> None:
    doc = annotate_text("Title-less. LiFePO4 cathodes deliver a specific capacity of 160 mA h g−1.", tagger)
    s = doc.sentences[1]
    assert s.block == 0 and doc.sentences[0].text == "Title-less."
    assert [q.unit for q in s.quantities] == ["mA h g-1"]
    assert [(m.material.text, m.property.key) for m in doc.measurements] == [("LiFePO4", "capacity")]


# --- CoNLL and F1 ---------------------------------------------------------------------------


def test_read_conll_and_tag_tokens(tmp_path, tagger) -> None:
    p = tmp_path / "tiny.txt"
    p.write_text("ZnO B-MAT\nthin B-DSC\nfilms I-DSC\n\nthe O\nO2Ti B-MAT\n\n", encoding="utf-8")
    data = read_conll(p)
    assert data == [(["ZnO", "thin", "films"], ["B-MAT", "B-DSC", "I-DSC"]), (["the", "O2Ti"], ["O", "B-MAT"])]
    assert tag_tokens(data[0][0], tagger) == ["B-MAT", "B-DSC", "I-DSC"]


def test_entity_f1_counts_exact_spans_and_types() -> None:
    gold = [["B-MAT", "O", "B-PRO", "I-PRO"], ["B-DSC", "O"]]
    pred = [["B-MAT", "O", "B-PRO", "O"], ["B-MAT", "O"]]
    res = entity_f1(gold, pred)
    micro = res["micro"]
    assert isinstance(micro, dict)
    assert micro["precision"] == pytest.approx(1 / 3) and micro["recall"] == pytest.approx(1 / 3)
    per = res["per_type"]
    assert isinstance(per, dict)
    assert per["MAT"]["precision"] == 0.5 and per["MAT"]["recall"] == 1.0
    assert per["PRO"]["f1"] == 0.0 and per["DSC"]["support"] == 1
    assert spans(["I-MAT", "I-MAT", "O"]) == {(0, 2, "MAT")}
