"""The graph's schema in one place: labels, keys, relationship types, indexes and constraints.

Labels and relationship types that reach Cypher text come only from the constants here, never
from user strings; every value travels as a parameter.

    (:Document {id, doi, title, path, format, reader, year, journal, authors, pipeline, complete})
      -[:HAS_SENTENCE]->(:Sentence {id, text, index, block, section})
        -[:MENTIONS {start, end, text, method, confidence}]->(:Entity)
    (:Material {key, formula, aliases})-[:CONTAINS]->(:Element {symbol})
    (:Material)-[:HAS_MEASUREMENT]->(:Measurement {id, value, unit, ...})-[:OF]->(:Property)
    (:Measurement)-[:STATED_IN]->(:Sentence), (:Measurement)-[:REPORTED_IN]->(:Document)
    (:Entity)-[:CO_MENTIONED {sentences, documents}]->(:Entity)   (a.uid < b.uid, one a Material)
    (:Measurement {si_value, si_unit, phase, descriptors, characterization})   (context of a fact)
    (:Material)-[:SYNTHESIZED_BY {text, sentence}]->(:Synthesis {id, method, confidence})
      -[:USES {role, text, sentence}]->(:Material)          (role: precursor | solvent)
    (:Synthesis)-[:HAS_STEP {order}]->(:Operation {id, type, text, temperature, time, atmosphere})
      -[:STATED_IN]->(:Sentence);  (:Synthesis)-[:REPORTED_IN]->(:Document)
    (:Material)-[:DOPED_WITH {sentences}]->(:Element)
    (:Material)-[:PREDICTED_FOR {score, model, rank}]->(:Application)   (discovery: word embeddings)
    (:Measurement {source})-[:FROM_SOURCE]->(:Source {id, kind, path, sha256, rows})   (causal: linked data)
    (:Synthesis {source, doi})-[:FROM_SOURCE]->(:Source)                 (causal: text-mined recipes)
    (:CausalAnalysis {id, algorithm, ...})-[:INCLUDES]->(:Variable {key})
      -[:CAUSAL_EDGE {analysis, kind, mark, frequency}]->(:Variable)    (causal: discovered edges)
    (:Review {id, decision, reviewer, time, note, value, unit, material, property})
      -[:REVIEWS]->(:Measurement {review, reviewed_by, reviewed_at, extracted_*})   (curation)

Every entity node carries its own label plus `:Entity`, with `uid` = "<Label>:<key>", so that
relationships between entities of any type are written with one label-free query.
"""
from __future__ import annotations

from dataclasses import dataclass

# MatScholar entity type -> node label.
ENTITY_LABELS: dict[str, str] = {
    "MAT": "Material",
    "SPL": "Phase",
    "DSC": "Descriptor",
    "PRO": "Property",
    "APL": "Application",
    "SMT": "SynthesisMethod",
    "CMT": "CharacterizationMethod",
}

DOCUMENT = "Document"
SENTENCE = "Sentence"
ELEMENT = "Element"
MEASUREMENT = "Measurement"
ENTITY = "Entity"
SYNTHESIS = "Synthesis"
OPERATION = "Operation"

# -- causal discovery (issue 7): linked-data sources and written-back analyses ---------------
SOURCE = "Source"  # an external table or dataset linked into the graph (`mattermine link`)
CAUSAL_ANALYSIS = "CausalAnalysis"
VARIABLE = "Variable"  # a column of a causal dataset, shared by every analysis that uses it
# -- curation (issue 15): one node per curator decision on a fact, newest applied to the fact -----
REVIEW = "Review"

NODE_LABELS: tuple[str, ...] = (DOCUMENT, SENTENCE, ELEMENT, MEASUREMENT, ENTITY, *ENTITY_LABELS.values(),
                                SYNTHESIS, OPERATION, SOURCE, CAUSAL_ANALYSIS, VARIABLE, REVIEW)

REL_TYPES: tuple[str, ...] = (
    "HAS_SENTENCE",
    "MENTIONS",
    "CONTAINS",
    "HAS_MEASUREMENT",
    "OF",
    "STATED_IN",
    "REPORTED_IN",
    "CO_MENTIONED",
    "SYNTHESIZED_BY",
    "USES",
    "HAS_STEP",
    "DOPED_WITH",
    "PREDICTED_FOR",
    "FROM_SOURCE",  # causal: a linked measurement or recipe -> its Source
    "INCLUDES",  # causal: CausalAnalysis -> Variable
    "CAUSAL_EDGE",  # causal: Variable -> Variable, one per analysis
    "REVIEWS",  # curation: Review -> Measurement
)


@dataclass(frozen=True)
class Key:
    """A node key: unique where the server supports constraints, indexed everywhere."""

    label: str
    prop: str
    unique: bool = True


KEYS: tuple[Key, ...] = (
    Key(DOCUMENT, "id"),
    Key(SENTENCE, "id"),
    Key(ELEMENT, "symbol"),
    Key(MEASUREMENT, "id"),
    Key(ENTITY, "uid"),
    *(Key(label, "key") for label in ENTITY_LABELS.values()),
    Key(DOCUMENT, "doi", unique=False),
    Key(SYNTHESIS, "id"),
    Key(OPERATION, "id"),
    Key(SOURCE, "id"),
    Key(CAUSAL_ANALYSIS, "id"),
    Key(VARIABLE, "key"),
    Key(REVIEW, "id"),
)


def entity_uid(label: str, key: str) -> str:
    return f"{label}:{key}"
