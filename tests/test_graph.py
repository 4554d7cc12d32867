"""Graph stores against real servers: the local FalkorDB always, Neo4j where NEO4J_URI is set."""
from __future__ import annotations

import csv
import os
import stat

import pytest

from graph import cypher
from graph.batch import build_batch
from graph.export import export_csv
from graph.store import QueryError, ReadOnlyViolation
from ingest.records import Metadata, ParsedDocument
from nlp.records import AnnotatedDocument, Measurement, Mention, Quantity, Sentence


def _doc(key: str, title: str) -> ParsedDocument:
    return ParsedDocument(source_path=f"/papers/{key}.txt", content_hash=key, format="text",
                          reader="text.v1", metadata=Metadata(title=title, doi=f"10.1000/{key}"))


def _annotated(key: str) -> AnnotatedDocument:
    """'Anatase TiO2 has a band gap of 3.2 eV.' + 'TiO2 films are used in photocatalysis.'"""
    s1 = "Anatase TiO2 has a band gap of 3.2 eV."
    tio2 = Mention("MAT", "TiO2", 8, 12, "O2Ti")
    gap = Mention("PRO", "band gap", 19, 27, "band gap")
    q = Quantity("3.2 eV", 31, 37, 3.2, "eV")
    s2 = "TiO2 films are used in photocatalysis."
    sentences = (
        Sentence(s1, 0, len(s1), 0, None,
                 (Mention("SPL", "Anatase", 0, 7, "anatase"), tio2, gap), (q,)),
        Sentence(s2, 0, len(s2), 1, None,
                 (Mention("MAT", "TiO2", 0, 4, "O2Ti"), Mention("DSC", "films", 5, 10, "film"),
                  Mention("APL", "photocatalysis", 23, 37, "photocatalysis")), ()),
    )
    return AnnotatedDocument(key, sentences, (Measurement(0, tio2, gap, q, "facts.rules.v1", 0.9),))


def _counts(store: object) -> tuple[int, int]:
    n = store.read(cypher.COUNT_NODES).rows[0][0]  # type: ignore[attr-defined]
    r = store.read(cypher.COUNT_RELATIONSHIPS).rows[0][0]  # type: ignore[attr-defined]
    return n, r


def test_write_builds_the_expected_graph(store):
    store.write(build_batch([(_doc("d1", "Titania"), _annotated("d1"))]))
    # 1 Document, 2 Sentences, 5 entities (TiO2, anatase, band gap, film, photocatalysis),
    # 2 Elements (O, Ti), 1 Measurement.
    assert _counts(store)[0] == 11
    rows = store.read(
        "MATCH (m:Material {key: $key})-[:HAS_MEASUREMENT]->(x:Measurement)-[:OF]->(p:Property), "
        "(x)-[:STATED_IN]->(s:Sentence)<-[:HAS_SENTENCE]-(d:Document) "
        "RETURN x.value, x.unit, p.key, s.text, d.doi", {"key": "O2Ti"}).rows
    assert rows == [[3.2, "eV", "band gap", "Anatase TiO2 has a band gap of 3.2 eV.", "10.1000/d1"]]
    elements = store.read("MATCH (:Material {key: 'O2Ti'})-[:CONTAINS]->(e:Element) "
                          "RETURN e.symbol ORDER BY e.symbol").rows
    assert elements == [["O"], ["Ti"]]
    mention = store.read("MATCH (s:Sentence)-[m:MENTIONS]->(:Application) RETURN m.start, m.end, m.text").rows
    assert mention == [[23, 37, "photocatalysis"]]


def test_writing_twice_changes_nothing(store):
    pairs = [(_doc("d1", "Titania"), _annotated("d1")), (_doc("d2", "Titania again"), _annotated("d2"))]
    store.write(build_batch(pairs))
    first = _counts(store)
    comention = store.read("MATCH (:Material {key: 'O2Ti'})-[c:CO_MENTIONED]-(:Application) "
                           "RETURN c.documents, c.sentences").rows
    again = store.write(build_batch(pairs))
    assert _counts(store) == first
    assert again.nodes_created == 0 and again.relationships_created == 0
    # Co-mention counts are added once per document, however often it is written.
    assert store.read("MATCH (:Material {key: 'O2Ti'})-[c:CO_MENTIONED]-(:Application) "
                      "RETURN c.documents, c.sentences").rows == comention == [[2, 2]]


def test_aliases_accumulate_without_duplicates(store):
    store.write(build_batch([(_doc("d1", "a"), _annotated("d1"))]))
    other = AnnotatedDocument("d3", (Sentence("Titania is white.", 0, 17, 0, None,
                                              (Mention("MAT", "Titania", 0, 7, "O2Ti"),)),))
    store.write(build_batch([(_doc("d3", "b"), other)]))
    store.write(build_batch([(_doc("d3", "b"), other)]))
    aliases = store.read("MATCH (m:Material {key: 'O2Ti'}) RETURN m.aliases").rows[0][0]
    assert sorted(aliases) == ["TiO2", "Titania"]


@pytest.mark.parametrize("query", [
    "CREATE (n:Material {key: 'evil'})",
    "MERGE (n:Material {key: 'evil'}) RETURN n",
    "MATCH (n:Material) SET n.key = 'evil'",
    "MATCH (n) DETACH DELETE n",
    "match (n:Material) with n limit 1 set n.flag = true return n",
])
def test_read_refuses_writes_and_changes_nothing(store, query):
    store.write(build_batch([(_doc("d1", "Titania"), _annotated("d1"))]))
    before = _counts(store)
    with pytest.raises(ReadOnlyViolation):
        store.read(query)
    assert _counts(store) == before
    assert store.read("MATCH (n:Material {key: 'evil'}) RETURN count(n)").rows == [[0]]
    assert store.read("MATCH (n) WHERE n.flag = true RETURN count(n)").rows == [[0]]


def test_read_is_judged_by_the_server_not_the_text(store):
    # A text scan would refuse this; the server sees a read.
    assert store.read("RETURN 'CREATE (n) DELETE n' AS s").rows == [["CREATE (n) DELETE n"]]


def test_parameters_are_values_not_query_text(store):
    store.write(build_batch([(_doc("d1", "Titania"), _annotated("d1"))]))
    hostile = "x'}) DETACH DELETE n //"
    assert store.read("MATCH (n:Material {key: $k}) RETURN count(n)", {"k": hostile}).rows == [[0]]
    assert _counts(store)[0] == 11


def test_failing_query_leaves_nothing_behind(store):
    before = _counts(store)
    with pytest.raises(QueryError):
        store.run("CREATE (:Material {key: 'new1'}) WITH 1 AS x RETURN x / 'not a number'")
    assert _counts(store) == before


def test_unique_keys_are_enforced(store):
    store.run("CREATE (:Document {id: 'same'})")
    with pytest.raises(QueryError):
        store.run("CREATE (:Document {id: 'same'})")
    assert store.read("MATCH (d:Document {id: 'same'}) RETURN count(d)").rows == [[1]]


def test_export_csv_for_neo4j_admin(store, tmp_path):
    store.write(build_batch([(_doc("d1", "Titania"), _annotated("d1"))]))
    nodes, rels = _counts(store)
    counts = export_csv(store, tmp_path)
    assert sum(counts["nodes"].values()) == nodes
    assert sum(counts["relationships"].values()) == rels
    with open(tmp_path / "nodes_Entity_Material.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:2] == ["nodeId:ID", ":LABEL"]
    assert "aliases:string[]" in rows[0]
    assert rows[1][1] == "Entity;Material"
    ids = {r[0] for f in tmp_path.glob("nodes_*.csv") for r in list(csv.reader(f.open()))[1:]}
    for f in tmp_path.glob("rels_*.csv"):
        data = list(csv.reader(f.open()))
        assert data[0][:3] == [":START_ID", ":END_ID", ":TYPE"]
        assert all(r[0] in ids and r[1] in ids for r in data[1:])  # no dangling endpoints
    script = (tmp_path / "import.sh").read_text()
    assert "neo4j-admin database import full" in script and "--nodes=nodes_Document.csv" in script


def test_local_server_lifecycle(tmp_path):
    from graph.falkordb_store import FalkorDBStore
    from graph.local_server import LocalServer

    server = LocalServer(tmp_path / "g")
    assert not server.status().running
    status, started = server.start()
    try:
        assert started and status.running
        assert server.start()[1] is False  # reused, not started twice
        mode = stat.S_IMODE(os.stat(server.data_dir).st_mode)
        assert mode == 0o700
        assert stat.S_IMODE(os.stat(server.socket_path).st_mode) & 0o077 == 0
        import redis

        client = redis.Redis(unix_socket_path=str(server.socket_path))
        assert client.config_get("port") == {"port": "0"}  # no TCP listener
        assert client.config_get("appendonly") == {"appendonly": "yes"}
        client.close()
        st = FalkorDBStore(str(server.socket_path), "persist")
        st.ensure_schema()
        st.write(build_batch([(_doc("d1", "Titania"), _annotated("d1"))]))
        before = _counts(st)
        st.close()
        assert server.stop()
        assert not server.status().running
        server.start()
        st = FalkorDBStore(str(server.socket_path), "persist")
        assert _counts(st) == before  # data survive a restart
        st.close()
    finally:
        server.stop()


def test_stale_pid_file_is_recovered(tmp_path):
    from graph.local_server import LocalServer

    server = LocalServer(tmp_path / "g")
    server.data_dir.mkdir(parents=True)
    server.pid_file.write_text("999999\n")  # no such process
    assert server.status().note == "stale pid file"
    status, started = server.start()
    try:
        assert started and status.running and status.pid != 999999
    finally:
        server.stop()
    assert not server.pid_file.exists()


def test_long_data_dir_gets_a_short_socket(tmp_path):
    from graph.local_server import LocalServer

    deep = tmp_path.joinpath(*(["deep-folder-name"] * 8))
    server = LocalServer(deep)
    assert len(str(server.socket_path)) <= 100
    status, _ = server.start()
    try:
        assert status.running
    finally:
        server.stop()
