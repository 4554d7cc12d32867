"""Issue 4 facts in a real graph: SI values and context on measurements, table rows, recipes and
dopants, each written with idempotent MERGEs (the local FalkorDB always, Neo4j where configured)."""
from __future__ import annotations

import pytest

from graph import cypher
from graph.batch import build_batch
from ingest.records import Metadata, Paragraph, ParsedDocument, Table
from nlp.pipeline import annotate
from nlp.registry import create

TEXT = (
    "Anatase TiO2 films have a band gap of 3.2 eV, as measured by UV-vis spectroscopy. "
    "Al-doped ZnO is a transparent conductor. Al-doped ZnO films are cheap."
)
RECIPE = (
    "Stoichiometric amounts of La2O3, SrCO3 and MnO2 were mixed in ethanol and ball milled for 12 h. "
    "The dried powder was calcined at 1000 °C for 6 h in air and pressed into pellets, which were "
    "sintered at 1300 °C to obtain La0.8Sr0.2MnO3."
)
TABLE = Table("Table 1. Critical temperatures.", (("Compound", "Tc (K)"), ("MgB2", "39"), ("Nb3Sn", "18")), 1)


@pytest.fixture(scope="module")
def doc_pair():
    doc = ParsedDocument("/papers/facts.html", "factsdoc", "html", "test", Metadata(title="Facts", doi="10.1000/F"),
                         paragraphs=(Paragraph(TEXT), Paragraph(RECIPE, "Experimental")), tables=(TABLE,))
    return doc, next(annotate([doc], create("ner.rules.v1")))


def _counts(store) -> tuple[int, int]:
    return store.read(cypher.COUNT_NODES).rows[0][0], store.read(cypher.COUNT_RELATIONSHIPS).rows[0][0]


def test_measurements_carry_si_values_and_their_context(store, doc_pair):
    store.write(build_batch([doc_pair]))
    rows = store.read(
        "MATCH (m:Material {key: 'O2Ti'})-[:HAS_MEASUREMENT]->(x:Measurement)-[:OF]->(:Property {key: 'band gap'}) "
        "RETURN x.value, x.unit, x.si_unit, x.phase, x.descriptors, x.characterization").rows
    assert len(rows) == 1
    value, unit, si_unit, phase, descriptors, characterization = rows[0]
    assert (value, unit, si_unit, phase, descriptors) == (3.2, "eV", "J", "anatase", ["film"])
    assert characterization == "uv-vis spectroscopy"


def test_table_rows_are_sentences_with_facts(store, doc_pair):
    store.write(build_batch([doc_pair]))
    rows = store.read(
        "MATCH (m:Material)-[:HAS_MEASUREMENT]->(x:Measurement {method: 'facts.table.v1'})-[:STATED_IN]->(s:Sentence) "
        "RETURN m.key, x.value, x.si_unit, s.table, s.section ORDER BY x.value").rows
    assert rows == [["Nb3Sn", 18.0, "K", 0, "Table 1. Critical temperatures."],
                    ["B2Mg", 39.0, "K", 0, "Table 1. Critical temperatures."]]


def test_recipes_become_synthesis_nodes_with_ordered_steps(store, doc_pair):
    store.write(build_batch([doc_pair]))
    target = store.read("MATCH (t:Material)-[:SYNTHESIZED_BY]->(s:Synthesis)-[:REPORTED_IN]->(d:Document) "
                        "RETURN t.key, d.doi").rows
    assert target == [["La0.8MnO3Sr0.2", "10.1000/f"]]
    uses = store.read("MATCH (:Synthesis)-[u:USES]->(m:Material) RETURN m.key, u.role ORDER BY m.key").rows
    assert ["MnO2", "precursor"] in uses and ["La2O3", "precursor"] in uses
    steps = store.read("MATCH (:Synthesis)-[h:HAS_STEP]->(o:Operation)-[:STATED_IN]->(:Sentence) "
                       "RETURN h.order, o.type, o.temperature, o.time, o.atmosphere ORDER BY h.order").rows
    assert [r[1] for r in steps] == ["mixing", "grinding", "drying", "calcination", "pressing", "sintering"]
    calcination = steps[3]
    assert calcination[2] == pytest.approx(1273.15) and calcination[3] == pytest.approx(21600.0)
    assert calcination[4] == "air"


def test_dopants_are_one_edge_per_pair_with_every_sentence(store, doc_pair):
    store.write(build_batch([doc_pair]))
    rows = store.read("MATCH (h:Material)-[r:DOPED_WITH]->(e:Element) RETURN h.key, e.symbol, r.sentences").rows
    assert len(rows) == 1
    host, dopant, sentences = rows[0]
    assert (host, dopant, sorted(sentences)) == ("OZn", "Al", ["factsdoc:2", "factsdoc:3"])  # title is 0


def test_writing_the_facts_twice_changes_nothing(store, doc_pair):
    store.write(build_batch([doc_pair]))
    before = _counts(store)
    again = store.write(build_batch([doc_pair]))
    assert again.nodes_created == 0 and again.relationships_created == 0
    assert _counts(store) == before
    sentences = store.read("MATCH ()-[r:DOPED_WITH]->() RETURN r.sentences").rows
    assert [sorted(r[0]) for r in sentences] == [["factsdoc:2", "factsdoc:3"]]


def test_the_facts_listing_query_filters_by_keys(store, doc_pair):
    store.write(build_batch([doc_pair]))
    rows = store.read(cypher.LIST_FACTS, {"property": "critical temperature", "material": None}).rows
    assert [(r[3], r[5]) for r in rows] == [("B2Mg", 39.0), ("Nb3Sn", 18.0)]
    rows = store.read(cypher.LIST_FACTS, {"property": None, "material": "O2Ti"}).rows
    assert [(r[0], r[1], r[2], r[4]) for r in rows] == [("/papers/facts.html", "10.1000/f", "TiO2", "band gap")]
