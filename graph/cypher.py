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
ON CREATE SET s.text = row.text, s.index = row.index, s.block = row.block, s.section = row.section,
    s.table = row.table
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
    ms.method = row.method, ms.confidence = row.confidence, ms.si_value = row.si_value,
    ms.si_unit = row.si_unit, ms.phase = row.phase, ms.descriptors = row.descriptors,
    ms.characterization = row.characterization
MERGE (mat)-[:HAS_MEASUREMENT]->(ms)
MERGE (ms)-[:OF]->(p)
MERGE (ms)-[:STATED_IN]->(s)
MERGE (ms)-[:REPORTED_IN]->(d)
"""

# Synthesis recipes: (:Material)-[:SYNTHESIZED_BY]->(:Synthesis)-[:USES]->(:Material) and
# (:Synthesis)-[:HAS_STEP {order}]->(:Operation)-[:STATED_IN]->(:Sentence). Ids are the document
# key plus positions, so a re-run MERGEs onto the same nodes.
MERGE_SYNTHESES = """
UNWIND $rows AS row
MATCH (d:Document {id: row.doc})
MERGE (sy:Synthesis {id: row.id})
ON CREATE SET sy.method = row.method, sy.confidence = row.confidence
MERGE (sy)-[:REPORTED_IN]->(d)
WITH sy, row
WHERE row.target IS NOT NULL
MATCH (t:Material {key: row.target})
MERGE (t)-[r:SYNTHESIZED_BY]->(sy)
ON CREATE SET r.text = row.target_text, r.sentence = row.target_sentence
"""

MERGE_USES = """
UNWIND $rows AS row
MATCH (sy:Synthesis {id: row.synthesis})
MATCH (m:Material {key: row.material})
MERGE (sy)-[u:USES]->(m)
ON CREATE SET u.role = row.role, u.text = row.text, u.sentence = row.sentence
"""

MERGE_OPERATIONS = """
UNWIND $rows AS row
MATCH (sy:Synthesis {id: row.synthesis})
MATCH (s:Sentence {id: row.sentence})
MERGE (op:Operation {id: row.id})
ON CREATE SET op.type = row.type, op.text = row.text, op.start = row.start, op.end = row.end,
    op.temperature = row.temperature, op.temperature_text = row.temperature_text, op.time = row.time,
    op.time_text = row.time_text, op.atmosphere = row.atmosphere
MERGE (sy)-[:HAS_STEP {order: row.order}]->(op)
MERGE (op)-[:STATED_IN]->(s)
"""

# One row per (host, dopant) pair, its sentences unioned in like aliases: re-runs add nothing.
MERGE_DOPINGS = """
UNWIND $rows AS row
MATCH (h:Material {key: row.host})
MERGE (el:Element {symbol: row.dopant})
MERGE (h)-[r:DOPED_WITH]->(el)
ON CREATE SET r.sentences = []
SET r.sentences = r.sentences + [x IN row.sentences WHERE NOT x IN r.sentences]
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

# `mattermine facts`: every property fact with its document, material, value and sentence.
# Filters are parameters; a null filter matches everything.
LIST_FACTS = """
MATCH (m:Material)-[:HAS_MEASUREMENT]->(x:Measurement)-[:OF]->(p:Property),
      (x)-[:STATED_IN]->(s:Sentence), (x)-[:REPORTED_IN]->(d:Document)
WHERE ($property IS NULL OR p.key = $property) AND ($material IS NULL OR m.key = $material)
RETURN d.path AS path, d.doi AS doi, x.material_text AS material, m.key AS material_key,
       p.key AS property, x.value AS value, x.unit AS unit, x.si_value AS si_value, x.si_unit AS si_unit,
       x.phase AS phase, x.method AS method, x.confidence AS confidence, s.text AS sentence
ORDER BY property, material_key, value, path
"""

# -- discovery (word embeddings, issue 6) -----------------------------------------------------
# Corpus export in pages: documents in id order (`$after` the last id seen; a null $year keeps
# undated documents too, a set one keeps only documents dated up to it), then their sentences.
DISCOVERY_DOCUMENTS = """
MATCH (d:Document) WHERE id(d) > $after AND ($year IS NULL OR d.year <= $year)
RETURN id(d) AS id, d.id AS doc, d.year AS year
ORDER BY id LIMIT $limit
"""
DISCOVERY_SENTENCES = """
UNWIND $docs AS doc
MATCH (d:Document {id: doc})-[:HAS_SENTENCE]->(s:Sentence)
RETURN d.id AS doc, s.index AS index, s.text AS text
ORDER BY doc, index
"""
DISCOVERY_DOCUMENT_YEARS = "MATCH (d:Document) RETURN d.year AS year, count(*) AS documents ORDER BY year"
DISCOVERY_MATERIALS = """
MATCH (m:Material) WHERE id(m) > $after
RETURN id(m) AS id, m.key AS key, m.aliases AS aliases
ORDER BY id LIMIT $limit
"""
# How often each material is mentioned in documents up to $year (null: all): the baseline ranking.
DISCOVERY_MENTION_COUNTS = """
MATCH (d:Document)-[:HAS_SENTENCE]->(:Sentence)-[:MENTIONS]->(m:Material)
WHERE $year IS NULL OR d.year <= $year
RETURN m.key AS key, count(*) AS mentions
"""
# Materials already co-mentioned with the application anywhere in the corpus ("known"). $uids:
# the application's entity uids under every label it may be tagged with ("thermoelectric" is a
# Property in MatScholar's scheme, "solar cell" an Application).
DISCOVERY_KNOWN = """
MATCH (a:Entity)-[c:CO_MENTIONED]-(m:Material)
WHERE a.uid IN $uids
RETURN m.key AS key, sum(c.documents) AS documents
"""
# The first year each material shares a sentence with the application (dated documents only).
DISCOVERY_FIRST_CO_MENTION = """
MATCH (d:Document)-[:HAS_SENTENCE]->(s:Sentence)-[:MENTIONS]->(a:Entity)
WHERE a.uid IN $uids AND d.year IS NOT NULL
MATCH (s)-[:MENTIONS]->(m:Material)
RETURN m.key AS key, min(d.year) AS first_year, count(DISTINCT d.id) AS documents
"""
# Applications (or properties such as "thermoelectric") most often sharing a sentence with a
# material in documents dated after $year: the targets a historical validation can be scored on.
DISCOVERY_LATER_APPLICATIONS = """
MATCH (d:Document)-[:HAS_SENTENCE]->(s:Sentence)-[:MENTIONS]->(a:Entity), (s)-[:MENTIONS]->(:Material)
WHERE d.year > $year AND any(label IN labels(a) WHERE label IN ['Application', 'Property'])
RETURN a.key AS key, count(DISTINCT d.id) AS documents ORDER BY documents DESC, key LIMIT $limit
"""
# Ranked candidates: one edge per (material, application, model); a re-run updates it in place.
WRITE_PREDICTIONS = """
MERGE (a:Application {key: $application})
ON CREATE SET a:Entity, a.uid = $uid, a.aliases = []
WITH a
UNWIND $rows AS row
MATCH (m:Material {key: row.material})
MERGE (m)-[p:PREDICTED_FOR {model: $model}]->(a)
SET p.score = row.score, p.rank = row.rank
"""
# Predictions of the same model and application that the new ranking no longer holds.
DELETE_STALE_PREDICTIONS = """
MATCH (m:Material)-[p:PREDICTED_FOR {model: $model}]->(a:Application {key: $application})
WHERE NOT m.key IN $keep
DELETE p
"""

# -- causal discovery (issue 7) ----------------------------------------------------------------
# Linked data (`mattermine link`): rows of an external table land as the same Measurement shape
# the extractor writes, with `source` set and a FROM_SOURCE edge instead of a sentence; recipes
# land as Synthesis/Operation nodes. Ids are "link:<source>:<row>", so a re-run MERGEs in place.
LINK_SOURCE = """
MERGE (src:Source {id: $id})
SET src.kind = $kind, src.path = $path, src.sha256 = $sha256, src.rows = $rows
"""
LINK_MEASUREMENTS = """
UNWIND $rows AS row
MATCH (mat:Material {key: row.material})
MATCH (p:Property {key: row.property})
MATCH (src:Source {id: row.source})
MERGE (ms:Measurement {id: row.id})
SET ms.value = row.value, ms.unit = row.unit, ms.si_value = row.si_value, ms.si_unit = row.si_unit,
    ms.material_text = row.material_text, ms.text = row.text, ms.source = row.source
MERGE (mat)-[:HAS_MEASUREMENT]->(ms)
MERGE (ms)-[:OF]->(p)
MERGE (ms)-[:FROM_SOURCE]->(src)
"""
LINK_SYNTHESES = """
UNWIND $rows AS row
MATCH (src:Source {id: row.source})
MATCH (t:Material {key: row.target})
MERGE (sy:Synthesis {id: row.id})
SET sy.method = row.method, sy.source = row.source, sy.doi = row.doi, sy.reaction = row.reaction
MERGE (sy)-[:FROM_SOURCE]->(src)
MERGE (t)-[r:SYNTHESIZED_BY]->(sy)
SET r.text = row.target_text
"""
LINK_USES = """
UNWIND $rows AS row
MATCH (sy:Synthesis {id: row.synthesis})
MATCH (m:Material {key: row.material})
MERGE (sy)-[u:USES]->(m)
SET u.role = row.role, u.text = row.text
"""
LINK_OPERATIONS = """
UNWIND $rows AS row
MATCH (sy:Synthesis {id: row.synthesis})
MERGE (op:Operation {id: row.id})
SET op.type = row.type, op.text = row.text, op.temperature = row.temperature, op.time = row.time,
    op.atmosphere = row.atmosphere
MERGE (sy)-[:HAS_STEP {order: row.order}]->(op)
"""
# Dataset assembly. A null $source matches every source; extracted facts carry no source and
# answer to "extracted".
CAUSAL_PROPERTY_VALUES = """
MATCH (m:Material)-[:HAS_MEASUREMENT]->(x:Measurement)-[:OF]->(p:Property {key: $property})
WHERE $source IS NULL OR coalesce(x.source, 'extracted') = $source
RETURN m.key AS material, x.value AS value, x.unit AS unit, x.si_value AS si_value, x.si_unit AS si_unit
"""
CAUSAL_CO_MENTIONS = """
MATCH (m:Material)-[c:CO_MENTIONED]-(a:Entity)
WHERE a.uid IN $uids
RETURN m.key AS material, sum(c.documents) AS documents
"""
CAUSAL_RECIPES = """
MATCH (t:Material)-[:SYNTHESIZED_BY]->(sy:Synthesis)
WHERE id(sy) > $after AND ($source IS NULL OR sy.source = $source)
RETURN id(sy) AS id, sy.id AS synthesis, t.key AS target
ORDER BY id LIMIT $limit
"""
CAUSAL_RECIPE_PRECURSORS = """
UNWIND $ids AS sid
MATCH (sy:Synthesis {id: sid})-[u:USES]->(m:Material)
RETURN sy.id AS synthesis, m.key AS material, u.role AS role
"""
CAUSAL_RECIPE_STEPS = """
UNWIND $ids AS sid
MATCH (sy:Synthesis {id: sid})-[h:HAS_STEP]->(op:Operation)
RETURN sy.id AS synthesis, h.order AS step, op.type AS type, op.temperature AS temperature,
       op.time AS time, op.atmosphere AS atmosphere
"""
# Write-back: one CausalAnalysis per (spec, algorithm, data); its edges carry its id, so a re-run
# deletes and rewrites exactly its own edges. Parameters travel as a JSON string (FalkorDB has
# no map-valued properties).
WRITE_CAUSAL_ANALYSIS = """
MERGE (a:CausalAnalysis {id: $id})
SET a.name = $name, a.algorithm = $algorithm, a.parameters = $parameters, a.data_hash = $data_hash,
    a.n = $n, a.resamples = $resamples, a.spec = $spec
WITH a
UNWIND $variables AS v
MERGE (x:Variable {key: v.key})
SET x.kind = v.kind, x.description = v.description
MERGE (a)-[:INCLUDES]->(x)
"""
DELETE_CAUSAL_EDGES = """
MATCH (:Variable)-[e:CAUSAL_EDGE {analysis: $id}]->(:Variable)
DELETE e
"""
WRITE_CAUSAL_EDGES = """
UNWIND $rows AS row
MATCH (a:Variable {key: row.a})
MATCH (b:Variable {key: row.b})
MERGE (a)-[e:CAUSAL_EDGE {analysis: row.analysis}]->(b)
SET e.kind = row.kind, e.mark = row.mark, e.frequency = row.frequency, e.adjacency = row.adjacency,
    e.algorithm = row.algorithm
"""
READ_CAUSAL_EDGES = """
MATCH (c:CausalAnalysis {id: $id})-[:INCLUDES]->(a:Variable)-[e:CAUSAL_EDGE {analysis: $id}]->(b:Variable)
RETURN a.key AS a, e.mark AS mark, b.key AS b, e.kind AS kind, e.frequency AS frequency
ORDER BY a, b
"""
LIST_CAUSAL_ANALYSES = """
MATCH (c:CausalAnalysis)
RETURN c.id AS id, c.name AS name, c.algorithm AS algorithm, c.n AS n, c.data_hash AS data_hash
ORDER BY name, algorithm
"""

FALKORDB_INDEXES = "CALL db.indexes()"
NEO4J_DELETE_ALL = "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"


def falkordb_index(key: Key) -> str:
    return f"CREATE INDEX FOR (n:{key.label}) ON (n.{key.prop})"


def neo4j_index(key: Key) -> str:
    name = f"{key.label.lower()}_{key.prop}"
    if key.unique:
        return f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{key.label}) REQUIRE n.{key.prop} IS UNIQUE"
    return f"CREATE INDEX {name} IF NOT EXISTS FOR (n:{key.label}) ON (n.{key.prop})"
