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

# A fact a curator corrected (extracted_material set) keeps its corrected material and property
# when its document is extracted again (--force): only new or uncorrected facts get these edges.
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
MERGE (ms)-[:STATED_IN]->(s)
MERGE (ms)-[:REPORTED_IN]->(d)
WITH mat, p, ms
WHERE ms.extracted_material IS NULL
MERGE (mat)-[:HAS_MEASUREMENT]->(ms)
MERGE (ms)-[:OF]->(p)
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
# Curators' decisions are honoured: a rejected fact is left out, a corrected one shows its corrected
# value, unit, material and property (a correction rewrites the fact in place, see CORRECT_FACT).
LIST_FACTS = """
MATCH (m:Material)-[:HAS_MEASUREMENT]->(x:Measurement)-[:OF]->(p:Property),
      (x)-[:STATED_IN]->(s:Sentence), (x)-[:REPORTED_IN]->(d:Document)
WHERE ($property IS NULL OR p.key = $property) AND ($material IS NULL OR m.key = $material)
  AND coalesce(x.review, '') <> 'rejected'
RETURN d.path AS path, d.doi AS doi, x.material_text AS material, m.key AS material_key,
       p.key AS property, x.value AS value, x.unit AS unit, x.si_value AS si_value, x.si_unit AS si_unit,
       x.phase AS phase, x.method AS method, x.confidence AS confidence, s.text AS sentence,
       x.review AS review, x.reviewed_by AS reviewer, x.reviewed_at AS reviewed_at, x.id AS id
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
# answer to "extracted". Facts a curator rejected are left out.
CAUSAL_PROPERTY_VALUES = """
MATCH (m:Material)-[:HAS_MEASUREMENT]->(x:Measurement)-[:OF]->(p:Property {key: $property})
WHERE ($source IS NULL OR coalesce(x.source, 'extracted') = $source) AND coalesce(x.review, '') <> 'rejected'
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

# -- curator's workbench (issue 15): `mattermine serve` pages and review decisions ----------------
# Search by what a curator types: $key/$property are the normalised keys (nlp.keys), $text the
# lower-cased text for names and aliases.
SEARCH_MATERIALS = """
MATCH (m:Material)
WHERE m.key = $key OR toLower(m.key) CONTAINS $text
   OR any(a IN coalesce(m.aliases, []) WHERE toLower(a) CONTAINS $text)
OPTIONAL MATCH (m)-[:HAS_MEASUREMENT]->(x:Measurement)
WITH m, count(x) AS facts
RETURN m.key AS key, m.formula AS formula, m.aliases AS aliases, facts,
       CASE WHEN m.key = $key THEN 0 ELSE 1 END AS exact
ORDER BY exact, facts DESC, key LIMIT $limit
"""
SEARCH_PROPERTIES = """
MATCH (p:Property)
WHERE p.key = $property OR toLower(p.key) CONTAINS $text
   OR any(a IN coalesce(p.aliases, []) WHERE toLower(a) CONTAINS $text)
OPTIONAL MATCH (x:Measurement)-[:OF]->(p)
WITH p, count(x) AS facts
RETURN p.key AS key, p.aliases AS aliases, facts, CASE WHEN p.key = $property THEN 0 ELSE 1 END AS exact
ORDER BY exact, facts DESC, key LIMIT $limit
"""
SEARCH_APPLICATIONS = """
MATCH (a:Application)
WHERE toLower(a.key) CONTAINS $text OR any(x IN coalesce(a.aliases, []) WHERE toLower(x) CONTAINS $text)
OPTIONAL MATCH (a)-[c:CO_MENTIONED]-(:Material)
WITH a, count(c) AS materials
RETURN a.key AS key, materials ORDER BY materials DESC, key LIMIT $limit
"""
MATERIAL = """
MATCH (m:Material {key: $key})
OPTIONAL MATCH (m)-[:CONTAINS]->(el:Element)
RETURN m.key AS key, m.formula AS formula, m.aliases AS aliases, collect(el.symbol) AS elements
"""
# Facts with everything a page or a training export shows; rejected ones too (marked). Null
# filters match everything.
FACT_DETAILS = """
MATCH (m:Material)-[:HAS_MEASUREMENT]->(x:Measurement)-[:OF]->(p:Property)
WHERE ($id IS NULL OR x.id = $id) AND ($material IS NULL OR m.key = $material)
  AND ($property IS NULL OR p.key = $property) AND (NOT $reviewed OR x.review IS NOT NULL)
OPTIONAL MATCH (x)-[:STATED_IN]->(s:Sentence)
OPTIONAL MATCH (x)-[:REPORTED_IN]->(d:Document)
RETURN x.id AS id, m.key AS material_key, x.material_text AS material, p.key AS property,
       x.value AS value, x.unit AS unit, x.text AS text, x.si_value AS si_value, x.si_unit AS si_unit,
       x.phase AS phase, x.method AS method, x.confidence AS confidence, x.source AS source,
       x.review AS review, x.reviewed_by AS reviewer, x.reviewed_at AS reviewed_at,
       x.extracted_material AS extracted_material, x.extracted_material_text AS extracted_material_text,
       x.extracted_property AS extracted_property, x.extracted_value AS extracted_value,
       x.extracted_unit AS extracted_unit,
       s.id AS sentence_id, s.text AS sentence, d.id AS doc, d.title AS title, d.doi AS doi,
       d.path AS path, d.year AS year
ORDER BY property, material_key, value, id LIMIT $limit
"""
SENTENCE_MENTIONS = """
UNWIND $ids AS sid
MATCH (s:Sentence {id: sid})-[r:MENTIONS]->(e:Entity)
RETURN s.id AS sentence, e.uid AS uid, r.start AS start, r.end AS end
ORDER BY sentence, start
"""
MATERIAL_SYNTHESES = """
MATCH (m:Material {key: $key})-[r:SYNTHESIZED_BY]->(sy:Synthesis)
OPTIONAL MATCH (sy)-[:REPORTED_IN]->(d:Document)
RETURN sy.id AS id, sy.method AS method, sy.source AS source, sy.doi AS source_doi, r.text AS text,
       d.title AS title, d.doi AS doi, d.path AS path
ORDER BY id LIMIT $limit
"""
MATERIAL_APPLICATIONS = """
MATCH (m:Material {key: $key})-[c:CO_MENTIONED]-(a:Application)
RETURN a.key AS application, c.documents AS documents, c.sentences AS sentences
ORDER BY documents DESC, sentences DESC, application LIMIT $limit
"""
MATERIAL_PREDICTIONS = """
MATCH (m:Material {key: $key})-[p:PREDICTED_FOR]->(a:Application)
RETURN a.key AS application, p.model AS model, p.score AS score, p.rank AS rank
ORDER BY model, rank
"""
# The neighbourhood drawing: entities most co-mentioned with the material, then the properties it
# has facts for.
MATERIAL_CO_MENTIONS = """
MATCH (m:Material {key: $key})-[c:CO_MENTIONED]-(e:Entity)
RETURN e.key AS key, labels(e) AS labels, e.aliases AS aliases, c.documents AS documents,
       c.sentences AS sentences
ORDER BY documents DESC, sentences DESC, key LIMIT $limit
"""
MATERIAL_PROPERTIES = """
MATCH (m:Material {key: $key})-[:HAS_MEASUREMENT]->(x:Measurement)-[:OF]->(p:Property)
WHERE coalesce(x.review, '') <> 'rejected'
RETURN p.key AS key, count(x) AS facts ORDER BY facts DESC, key
"""
APPLICATION_MATERIALS = """
MATCH (m:Material)-[c:CO_MENTIONED]-(a:Application {key: $key})
RETURN m.key AS key, m.formula AS formula, c.documents AS documents, c.sentences AS sentences
ORDER BY documents DESC, sentences DESC, key LIMIT $limit
"""
APPLICATION_PREDICTIONS = """
MATCH (m:Material)-[p:PREDICTED_FOR]->(a:Application {key: $key})
RETURN m.key AS key, m.formula AS formula, p.model AS model, p.score AS score, p.rank AS rank
ORDER BY model, rank LIMIT $limit
"""
CAUSAL_ANALYSES_WITH_SPECS = """
MATCH (c:CausalAnalysis)
RETURN c.id AS id, c.name AS name, c.algorithm AS algorithm, c.n AS n, c.spec AS spec
ORDER BY name, algorithm
"""
# Whether a material is a row of an analysis: it has a value of the property (from the source)...
MATERIAL_PROPERTY_COUNT = """
MATCH (m:Material {key: $key})-[:HAS_MEASUREMENT]->(x:Measurement)-[:OF]->(:Property {key: $property})
WHERE ($source IS NULL OR coalesce(x.source, 'extracted') = $source) AND coalesce(x.review, '') <> 'rejected'
RETURN count(x) AS n
"""
# ... or, for a recipe analysis, is the target of a recipe from its source.
MATERIAL_RECIPE_COUNT = """
MATCH (m:Material {key: $key})-[:SYNTHESIZED_BY]->(sy:Synthesis)
WHERE $source IS NULL OR sy.source = $source
RETURN count(sy) AS n
"""

# Reviews. A decision is a Review node (who, when, what) linked to its fact, and the newest one is
# applied to the fact itself, so every query, `facts` and `graph export` see it without a join.
# $review is a fresh id per decision: re-sending the same decision changes nothing.
REVIEW_FACT = """
MATCH (x:Measurement {id: $id})
MERGE (r:Review {id: $review})
ON CREATE SET r.measurement = $id, r.decision = $decision, r.reviewer = $reviewer, r.time = $time,
    r.note = $note
MERGE (r)-[:REVIEWS]->(x)
SET x.review = $decision, x.reviewed_by = $reviewer, x.reviewed_at = $time
RETURN x.id AS id
"""
# A correction rewrites the fact in place and moves its HAS_MEASUREMENT/OF edges to the corrected
# material and property; the first correction keeps what extraction found in extracted_*. One
# statement, so FalkorDB (no transactions) applies all of it or nothing.
CORRECT_FACT = """
MATCH (m0:Material)-[has:HAS_MEASUREMENT]->(x:Measurement {id: $id})-[of:OF]->(p0:Property)
WITH m0, has, x, of, p0, x.extracted_material IS NULL AS first
SET x.extracted_material = CASE WHEN first THEN m0.key ELSE x.extracted_material END,
    x.extracted_material_text = CASE WHEN first THEN x.material_text ELSE x.extracted_material_text END,
    x.extracted_property = CASE WHEN first THEN p0.key ELSE x.extracted_property END,
    x.extracted_value = CASE WHEN first THEN x.value ELSE x.extracted_value END,
    x.extracted_unit = CASE WHEN first THEN x.unit ELSE x.extracted_unit END
SET x.value = $value, x.unit = $unit, x.si_value = $si_value, x.si_unit = $si_unit,
    x.material_text = $material_text, x.review = 'corrected', x.reviewed_by = $reviewer,
    x.reviewed_at = $time
DELETE has, of
MERGE (m:Material {key: $material})
ON CREATE SET m:Entity, m.uid = $material_uid, m.aliases = [], m.formula = $formula
MERGE (p:Property {key: $property})
ON CREATE SET p:Entity, p.uid = $property_uid, p.aliases = []
MERGE (m)-[:HAS_MEASUREMENT]->(x)
MERGE (x)-[:OF]->(p)
MERGE (r:Review {id: $review})
ON CREATE SET r.measurement = $id, r.decision = 'corrected', r.reviewer = $reviewer, r.time = $time,
    r.note = $note, r.value = $value, r.unit = $unit, r.material = $material,
    r.material_text = $material_text, r.property = $property
MERGE (r)-[:REVIEWS]->(x)
RETURN x.id AS id
"""
REVIEW_HISTORY = """
MATCH (r:Review)-[:REVIEWS]->(x:Measurement {id: $id})
RETURN r.id AS id, r.decision AS decision, r.reviewer AS reviewer, r.time AS time, r.note AS note,
       r.value AS value, r.unit AS unit, r.material AS material, r.property AS property
ORDER BY time DESC, id
"""
RECENT_REVIEWS = """
MATCH (r:Review)-[:REVIEWS]->(x:Measurement)
OPTIONAL MATCH (m:Material)-[:HAS_MEASUREMENT]->(x)
RETURN r.id AS id, x.id AS fact, m.key AS material_key, r.decision AS decision, r.reviewer AS reviewer,
       r.time AS time, r.note AS note, r.value AS value, r.unit AS unit, r.material AS material,
       r.property AS property
ORDER BY time DESC, id LIMIT $limit
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
