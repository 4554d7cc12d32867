"""Issue 15, the curator's workbench without a browser: review decisions in a real graph (the
local FalkorDB always, Neo4j where configured), how `facts`, `graph export` and the training export
honour them, and the web app through Starlette's TestClient on a graph the CLI extracted."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import cypher
from graph.batch import build_batch
from graph.curation import fact_spans, load_facts
from graph.export import export_csv
from graph.facts import list_facts
from graph.review import Decision, ReviewError, parse_correction, record
from graph.training import CONLL_NAME, JSONL_NAME, export_training
from ingest.records import Metadata, Paragraph, ParsedDocument
from mattermine.cli import main
from nlp.conll import read_conll
from nlp.pipeline import annotate
from nlp.registry import create
from tests.conftest import run_cli

MARKUP_TITLE = 'Oxide films <script>alert("title")</script> and <b>bold</b> claims'
TEXT = ("Anatase TiO2 films have a band gap of 3.2 eV, as measured by UV-vis spectroscopy. "
        "GaN has a band gap of 3.4 eV <script>alert(1)</script> at room temperature.")


# -- decisions in the graph, on each store ----------------------------------------------------
@pytest.fixture(scope="module")
def doc_pair():
    doc = ParsedDocument("/papers/review.html", "reviewdoc", "html", "test",
                         Metadata(title=MARKUP_TITLE, doi="10.1000/REV"), paragraphs=(Paragraph(TEXT),))
    return doc, next(annotate([doc], create("ner.rules.v1")))


def _fact(store, material: str):
    facts = [f for f in load_facts(store) if f.material_key == material and f.property == "band gap"]
    assert len(facts) == 1, facts
    return facts[0]


def test_accept_then_reject_keeps_every_decision_and_applies_the_newest(store, doc_pair):
    store.write(build_batch([doc_pair]))
    tio2 = _fact(store, "O2Ti")
    record(store, Decision(tio2.id, "accepted", "ann"), time="2026-01-01T10:00:00.000Z")
    assert [f["review"] for f in list_facts(store, "band gap", "TiO2")] == ["accepted"]
    record(store, Decision(tio2.id, "rejected", "bob", "wrong phase"), time="2026-01-01T11:00:00.000Z")
    assert list_facts(store, "band gap", "TiO2") == []  # `facts` leaves rejected facts out
    again = _fact(store, "O2Ti")
    assert (again.review, again.reviewer, again.reviewed_at) == ("rejected", "bob", "2026-01-01T11:00:00.000Z")
    history = store.read(cypher.REVIEW_HISTORY, {"id": tio2.id}).rows
    assert [(h[1], h[2], h[4]) for h in history] == [("rejected", "bob", "wrong phase"), ("accepted", "ann", None)]


def test_a_correction_moves_the_fact_and_keeps_what_extraction_found(store, doc_pair):
    store.write(build_batch([doc_pair]))
    gan = _fact(store, "GaN")
    record(store, Decision(gan.id, "corrected", "ann", correction=parse_correction("3.39", "eV", "ZnO", "Eg")))
    listed = list_facts(store, None, "ZnO")
    assert [(f["material_key"], f["property"], f["value"], f["unit"], f["review"], f["reviewer"]) for f in listed] == \
        [("OZn", "band gap", 3.39, "eV", "corrected", "ann")]
    assert listed[0]["si_value"] == pytest.approx(3.39 * 1.602176634e-19)
    assert list_facts(store, None, "GaN") == []
    fixed = _fact(store, "OZn")
    assert (fixed.extracted_material, fixed.extracted_value, fixed.extracted_unit) == ("GaN", 3.4, "eV")
    # a second correction keeps the first extraction, not the first correction
    record(store, Decision(gan.id, "corrected", "bob", correction=parse_correction("3.4", "eV", "GaN", "band gap")))
    again = _fact(store, "GaN")
    assert (again.extracted_material, again.extracted_value, again.reviewer) == ("GaN", 3.4, "bob")


def test_extracting_the_document_again_keeps_the_correction(store, doc_pair):
    store.write(build_batch([doc_pair]))
    gan = _fact(store, "GaN")
    record(store, Decision(gan.id, "corrected", "ann", correction=parse_correction("3.39", "eV", "ZnO", "band gap")))
    store.write(build_batch([doc_pair]))  # what `extract --force` runs
    owners = store.read("MATCH (m:Material)-[:HAS_MEASUREMENT]->(x:Measurement {id: $id}) RETURN m.key",
                        {"id": gan.id}).rows
    assert owners == [["OZn"]]
    assert _fact(store, "OZn").value == 3.39


def test_bad_decisions_change_nothing(store, doc_pair):
    store.write(build_batch([doc_pair]))
    tio2 = _fact(store, "O2Ti")
    with pytest.raises(ReviewError, match="no fact"):
        record(store, Decision("no-such-fact", "accepted", "ann"))
    with pytest.raises(ReviewError, match="reviewer"):
        record(store, Decision(tio2.id, "accepted", "  "))
    with pytest.raises(ReviewError, match="decision"):
        record(store, Decision(tio2.id, "approved", "ann"))
    with pytest.raises(ReviewError, match="not a number"):
        parse_correction("3.2 eV", "eV", "TiO2", "band gap")
    assert store.read("MATCH (r:Review) RETURN count(r)").rows == [[0]]
    assert _fact(store, "O2Ti").review is None


def test_graph_export_carries_the_decisions(store, doc_pair, tmp_path):
    store.write(build_batch([doc_pair]))
    gan = _fact(store, "GaN")
    record(store, Decision(gan.id, "corrected", "ann", correction=parse_correction("3.39", "eV", "GaN", "band gap")))
    record(store, Decision(_fact(store, "O2Ti").id, "rejected", "ann"))
    counts = export_csv(store, tmp_path)
    assert counts["nodes"]["nodes_Review.csv"] == 2 and counts["relationships"]["rels_REVIEWS.csv"] == 2
    with (tmp_path / "nodes_Measurement.csv").open() as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    assert rows[gan.id]["review"] == "corrected" and rows[gan.id]["value:double"] == "3.39"
    assert rows[gan.id]["extracted_value:double"] == "3.4"
    assert {r["review"] for r in rows.values()} == {"corrected", "rejected"}


def test_training_export_writes_jsonl_and_conll(store, doc_pair, tmp_path):
    store.write(build_batch([doc_pair]))
    tio2, gan = _fact(store, "O2Ti"), _fact(store, "GaN")
    record(store, Decision(tio2.id, "accepted", "ann"))
    record(store, Decision(gan.id, "rejected", "ann"))
    assert export_training(store, tmp_path) == {"facts": 2, "rejected": 1, "sentences": 1}
    records = {r["material"]["key"]: r for r in map(json.loads, (tmp_path / JSONL_NAME).read_text().splitlines())}
    good = records["O2Ti"]
    assert (good["decision"], good["label"], good["reviewer"]) == ("accepted", True, "ann")
    s = good["sentence"]
    assert s[slice(*good["value"]["span"])] == "3.2 eV" and s[slice(*good["material"]["span"])] == "TiO2"
    assert s[slice(*good["property"]["span"])] == "band gap"
    assert records["GaN"]["label"] is False
    [(tokens, tags)] = read_conll(tmp_path / CONLL_NAME)  # only the accepted fact's sentence
    tagged = {tok: tag for tok, tag in zip(tokens, tags)}
    assert tagged["TiO2"] == "B-MAT" and (tagged["band"], tagged["gap"]) == ("B-PRO", "I-PRO")


def test_highlight_spans_find_the_parts_of_a_fact(store, doc_pair):
    store.write(build_batch([doc_pair]))
    fact = _fact(store, "O2Ti")
    spans = fact_spans(fact)
    assert {k: fact.sentence[a:b] for k, (a, b) in spans.items()} == \
        {"value": "3.2 eV", "material": "TiO2", "property": "band gap"}


# -- the web app on a graph the CLI extracted -------------------------------------------------
@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("serve-home")
    papers = path / "papers"
    papers.mkdir()
    (papers / "markup.txt").write_text(f"{MARKUP_TITLE}\n\n{TEXT}\n", encoding="utf-8")
    run_cli(path, "extract", str(papers))
    yield path
    CliRunner().invoke(main, ["graph", "stop", "--data-dir", str(path)])


@pytest.fixture(scope="module")
def graph_store(home: Path):
    from graph.connect import GraphConfig, open_store

    store, _ = open_store(GraphConfig(data_dir=home))
    store.ensure_schema()
    yield store
    store.close()


def _client(store, review: bool):
    from starlette.testclient import TestClient

    from web.app import create_app

    app = create_app(store, review=review, reviewer="tester", graph="test graph")
    return TestClient(app, base_url="http://127.0.0.1"), app.state.workbench.csrf_token


def _decision_form(token: str, fact_id: str, decision: str = "accepted") -> dict[str, str]:
    return {"csrf": token, "id": fact_id, "decision": decision, "reviewer": "tester", "next": "/reviews"}


def test_search_takes_a_formula_in_any_order_a_name_or_a_property(graph_store):
    client, _ = _client(graph_store, review=False)
    for q in ("TiO2", "O2Ti", "titania", "Titanium dioxide"):
        page = client.get("/search", params={"q": q}).text
        assert 'href="/material?key=O2Ti"' in page, q
    page = client.get("/search", params={"q": "Band gaps"}).text
    assert 'href="/property?key=band+gap"' in page


def test_material_page_highlights_the_fact_in_its_sentence(graph_store):
    client, _ = _client(graph_store, review=False)
    page = client.get("/material", params={"key": "O2Ti"})
    assert page.status_code == 200
    assert re.search(r'<mark class="hl-value"[^>]*>3\.2 eV</mark>', page.text)
    assert re.search(r'<mark class="hl-material"[^>]*>TiO2</mark>', page.text)
    assert re.search(r'<mark class="hl-property"[^>]*>band gap</mark>', page.text)
    assert "TiO<sub>2</sub>" in page.text
    assert client.get("/material", params={"key": "unobtainium"}).status_code == 404


def test_markup_from_documents_is_escaped(graph_store):
    client, _ = _client(graph_store, review=False)
    for url, params in (("/material", {"key": "GaN"}), ("/property", {"key": "band gap"})):
        page = client.get(url, params=params)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        assert "<script" not in page.text.lower()
        assert "script-src" not in page.headers["content-security-policy"]  # and none may run


def test_read_only_workbench_refuses_a_decision(graph_store):
    client, token = _client(graph_store, review=False)
    fact = _fact(graph_store, "GaN")
    reply = client.post("/review", data=_decision_form(token, fact.id), follow_redirects=False)
    assert reply.status_code == 403 and "read-only" in reply.text
    assert "Accept</button>" not in client.get("/material", params={"key": "GaN"}).text
    assert _fact(graph_store, "GaN").review is None


def test_a_decision_needs_this_servers_token_and_origin(graph_store):
    client, token = _client(graph_store, review=True)
    fact = _fact(graph_store, "GaN")
    assert client.post("/review", data={**_decision_form(token, fact.id), "csrf": ""}).status_code == 403
    assert client.post("/review", data={**_decision_form(token, fact.id), "csrf": "guess"}).status_code == 403
    cross = client.post("/review", data=_decision_form(token, fact.id), headers={"Origin": "http://evil.example"})
    assert cross.status_code == 403
    site = client.post("/review", data=_decision_form(token, fact.id), headers={"Sec-Fetch-Site": "cross-site"})
    assert site.status_code == 403
    assert _fact(graph_store, "GaN").review is None


def test_accepting_a_fact_shows_in_the_pages_and_in_facts(graph_store, home):
    client, token = _client(graph_store, review=True)
    fact = _fact(graph_store, "O2Ti")
    reply = client.post("/review", data=_decision_form(token, fact.id), follow_redirects=False,
                        headers={"Origin": "http://127.0.0.1", "Sec-Fetch-Site": "same-origin"})
    assert reply.status_code == 303 and reply.headers["location"] == "/reviews"
    assert "status-accepted" in client.get("/fact", params={"id": fact.id}).text
    assert "tester" in client.get("/reviews").text
    listed = [json.loads(line) for line in run_cli(home, "facts", "--material", "titania", "--format", "jsonl")
              .stdout.splitlines()]  # type: ignore[attr-defined]
    assert [(f["review"], f["reviewer"]) for f in listed] == [("accepted", "tester")]


def test_a_correction_with_a_bad_value_is_refused_with_a_message(graph_store):
    client, token = _client(graph_store, review=True)
    fact = _fact(graph_store, "GaN")
    form = {**_decision_form(token, fact.id, "corrected"), "value": "about 3", "unit": "eV", "material": "GaN",
            "property": "band gap"}
    reply = client.post("/review", data=form)
    assert reply.status_code == 400 and "not a number" in reply.text


def test_cypher_console_shows_a_table_and_refuses_writes(graph_store):
    client, _ = _client(graph_store, review=True)
    page = client.get("/cypher", params={"q": "MATCH (p:Property {key: $p}) RETURN p.key AS key", "params": "p=band gap"})
    assert "<th>key</th>" in page.text and "<td>band gap</td>" in page.text
    before = graph_store.read(cypher.COUNT_NODES).rows
    page = client.get("/cypher", params={"q": "CREATE (:Material {key: 'x'})"})
    assert "refused" in page.text and "read-only" in page.text
    assert graph_store.read(cypher.COUNT_NODES).rows == before


def test_only_local_host_names_are_answered(graph_store):
    client, _ = _client(graph_store, review=False)
    assert client.get("/", headers={"Host": "rebound.example"}).status_code == 400  # DNS rebinding
    assert client.get("/", headers={"Host": "localhost:8765"}).status_code == 200


def test_review_export_command_writes_training_files(graph_store, home, tmp_path):
    record(graph_store, Decision(_fact(graph_store, "O2Ti").id, "accepted", "cli"))
    out = run_cli(home, "review", "export", str(tmp_path)).stdout  # type: ignore[attr-defined]
    assert "reviewed facts" in out
    assert (tmp_path / JSONL_NAME).read_text().strip() and read_conll(tmp_path / CONLL_NAME)


def test_serve_and_review_have_help():
    for args, words in ((["serve", "--help"], "read-only"), (["review", "export", "--help"], "training data")):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0 and words in " ".join(result.output.split())
