"""All of mattermine's Cypher. Both stores run these statements; dialect differences sit in the
two small functions at the bottom (index/constraint DDL). Every value is a parameter."""
from __future__ import annotations

from graph.schema import ENTITY, Key

MERGE_DOCUMENTS = """
UNWIND $rows AS row
MERGE (d:Document {id: row.id})
SET d.doi = row.doi, d.title = row.title, d.path = row.path, d.format = row.format,
    d.reader = row.reader, d.year = row.year, d.journal = row.journal,
    d.authors = row.authors, d.pipeline = row.pipeline
"""

MERGE_SENTENCES = """
UNWIND $rows AS row
MATCH (d:Document {id: row.doc})
MERGE (s:Sentence {id: row.id})
ON CREATE SET s.text = row.text, s.index = row.index, s.block = row.block, s.section = row.section
MERGE (d)-[:HAS_SENTENCE]->(s)
"""


def merge_entities(label: str) -> str:
    """Entities of one label; `label` comes from graph.schema.ENTITY_LABELS, never from input."""
    formula = ", e.formula = row.formula" if label == "Material" else ""
    return f"""
UNWIND $rows AS row
MERGE (e:{label} {{key: row.key}})
ON CREATE SET e:{ENTITY}, e.uid = row.uid, e.aliases = []{formula}
SET e.aliases = coalesce(e.aliases, []) + [a IN row.aliases WHERE NOT a IN coalesce(e.aliases, [])]
"""


MERGE_MENTIONS = """
UNWIND $rows AS row
MATCH (s:Sentence {id: row.sentence})
MATCH (e:Entity {uid: row.uid})
MERGE (s)-[m:MENTIONS {start: row.start, end: row.end}]->(e)
ON CREATE SET m.text = row.text, m.method = row.method, m.confidence = row.confidence
"""

MERGE_CONTAINS = """
UNWIND $rows AS row
MATCH (m:Material {key: row.material})
MERGE (el:Element {symbol: row.element})
MERGE (m)-[:CONTAINS]->(el)
"""

MERGE_MEASUREMENTS = """
UNWIND $rows AS row
MATCH (mat:Material {key: row.material})
MATCH (p:Property {key: row.property})
MATCH (s:Sentence {id: row.sentence})
MATCH (d:Document {id: row.doc})
MERGE (ms:Measurement {id: row.id})
ON CREATE SET ms.value = row.value, ms.unit = row.unit, ms.text = row.text, ms.low = row.low,
    ms.high = row.high, ms.error = row.error, ms.material_text = row.material_text,
    ms.method = row.method, ms.confidence = row.confidence
MERGE (mat)-[:HAS_MEASUREMENT]->(ms)
MERGE (ms)-[:OF]->(p)
MERGE (ms)-[:STATED_IN]->(s)
MERGE (ms)-[:REPORTED_IN]->(d)
"""

# The one statement that is not idempotent by MERGE alone: co-mention counts grow per document.
# It runs last for a batch and flips `complete` on its documents in the same statement, so a
# document's counts are added exactly once however often (or however interrupted) the job runs.
# $pairs holds each entity pair once, with the documents (and sentence counts) it came from:
# FalkorDB applies one MERGE per distinct pattern in a statement, so a pair repeated over rows
# would be incremented only once.
COMPLETE_DOCUMENTS = """
UNWIND $rows AS row
OPTIONAL MATCH (d:Document {id: row.id})
WHERE d.complete IS NULL
SET d.complete = true
WITH collect(d.id) AS fresh
UNWIND $pairs AS p
WITH p, [x IN p.docs WHERE x.id IN fresh] AS mine
WHERE size(mine) > 0
MATCH (a:Entity {uid: p.a})
MATCH (b:Entity {uid: p.b})
MERGE (a)-[c:CO_MENTIONED]->(b)
ON CREATE SET c.sentences = 0, c.documents = 0
SET c.documents = c.documents + size(mine),
    c.sentences = c.sentences + reduce(n = 0, x IN mine | n + x.sentences)
"""

COMPLETED_DOCUMENTS = """
UNWIND $ids AS id
MATCH (d:Document {id: id})
WHERE d.complete = true
RETURN d.id AS id
"""

COUNT_NODES = "MATCH (n) RETURN count(n) AS n"
COUNT_RELATIONSHIPS = "MATCH ()-[r]->() RETURN count(r) AS n"
COUNT_BY_LABEL = "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n ORDER BY label"
COUNT_BY_TYPE = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type"

# Paged reads for export: nodes and relationships in id order, `$after` the last id seen.
EXPORT_NODES = """
MATCH (n) WHERE id(n) > $after
RETURN id(n) AS id, labels(n) AS labels, properties(n) AS props
ORDER BY id LIMIT $limit
"""
EXPORT_RELATIONSHIPS = """
MATCH (a)-[r]->(b) WHERE id(r) > $after
RETURN id(r) AS id, id(a) AS start, id(b) AS end, type(r) AS type, properties(r) AS props
ORDER BY id LIMIT $limit
"""


# Shown by `mattermine demo`: what a user can ask of the graph.
DEMO_QUERIES = [
    ("Materials with the most property facts",
     "MATCH (m:Material)-[:HAS_MEASUREMENT]->(x) RETURN m.key AS material, count(x) AS facts "
     "ORDER BY facts DESC, material LIMIT 5"),
    ("Band gaps stated in the corpus (material as written, its normalised key, the value)",
     "MATCH (m:Material)-[:HAS_MEASUREMENT]->(x:Measurement)-[:OF]->(p:Property {key: $property}), "
     "(x)-[:REPORTED_IN]->(d:Document) "
     "RETURN x.material_text AS material, m.key AS key, x.value AS value, x.unit AS unit, "
     "d.title AS document ORDER BY key, value LIMIT 12"),
    ("Applications most co-mentioned with materials",
     "MATCH (m:Material)-[c:CO_MENTIONED]-(a:Application) RETURN a.key AS application, "
     "sum(c.documents) AS documents ORDER BY documents DESC, application LIMIT 5"),
]

FALKORDB_INDEXES = "CALL db.indexes()"
NEO4J_DELETE_ALL = "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"


def falkordb_index(key: Key) -> str:
    return f"CREATE INDEX FOR (n:{key.label}) ON (n.{key.prop})"


def neo4j_index(key: Key) -> str:
    name = f"{key.label.lower()}_{key.prop}"
    if key.unique:
        return f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{key.label}) REQUIRE n.{key.prop} IS UNIQUE"
    return f"CREATE INDEX {name} IF NOT EXISTS FOR (n:{key.label}) ON (n.{key.prop})"
