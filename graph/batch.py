"""AnnotatedDocument -> GraphBatch: the rows each Cypher statement of graph.cypher consumes."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from graph import cypher
from graph.schema import ENTITY_LABELS, entity_uid
from ingest.records import ParsedDocument
from nlp.formula import ELEMENTS, elements, parse_formula
from nlp.records import AnnotatedDocument, Operation, Quantity
from nlp.synthesis import is_solvent

Row = dict[str, Any]
_ELEMENTS = frozenset(ELEMENTS)
_MATERIAL_UID = entity_uid("Material", "")


@dataclass(frozen=True)
class GraphBatch:
    """Rows for each statement, in the order they must run (nodes before the edges that use them)."""

    documents: tuple[Row, ...] = ()
    sentences: tuple[Row, ...] = ()
    entities: tuple[tuple[str, tuple[Row, ...]], ...] = ()  # (label, rows) per entity label
    mentions: tuple[Row, ...] = ()
    contains: tuple[Row, ...] = ()
    measurements: tuple[Row, ...] = ()
    syntheses: tuple[Row, ...] = ()  # one row per recipe, with its target when named
    uses: tuple[Row, ...] = ()  # (synthesis, precursor or solvent) pairs
    operations: tuple[Row, ...] = ()  # recipe steps, in order
    dopings: tuple[Row, ...] = ()  # one row per (host, dopant element) with every sentence saying so
    completions: tuple[Row, ...] = ()  # one row per document: {"id"}
    pairs: tuple[Row, ...] = ()  # one row per entity pair: {"a", "b", "docs": [{"id", "sentences"}]}
    counts: dict[str, int] = field(default_factory=dict)  # entities/facts found, for job summaries

    def statements(self) -> Iterator[tuple[str, tuple[Row, ...]]]:
        yield cypher.MERGE_DOCUMENTS, self.documents
        yield cypher.MERGE_SENTENCES, self.sentences
        for label, rows in self.entities:
            yield cypher.merge_entities(label), rows
        yield cypher.MERGE_MENTIONS, self.mentions
        yield cypher.MERGE_CONTAINS, self.contains
        yield cypher.MERGE_MEASUREMENTS, self.measurements
        yield cypher.MERGE_SYNTHESES, self.syntheses
        yield cypher.MERGE_USES, self.uses
        yield cypher.MERGE_OPERATIONS, self.operations
        yield cypher.MERGE_DOPINGS, self.dopings

    def completion(self) -> dict[str, list[Row]]:
        """Parameters of cypher.COMPLETE_DOCUMENTS: run once per batch, after statements(), unchunked."""
        return {"rows": list(self.completions), "pairs": list(self.pairs)}

    @property
    def rows(self) -> int:
        return sum(len(rows) for _, rows in self.statements()) + len(self.completions) + len(self.pairs)


def _document_row(doc: ParsedDocument, ann: AnnotatedDocument) -> Row:
    meta = doc.metadata
    return {
        "id": doc.key,
        "doi": meta.doi.lower() if meta.doi else None,
        "title": meta.title,
        "path": doc.source_path,
        "format": doc.format,
        "reader": doc.reader,
        "year": meta.year,
        "journal": meta.journal,
        "authors": list(meta.authors),
        "pipeline": ann.pipeline,
    }


def _is_element(symbol: str) -> bool:
    return symbol in _ELEMENTS


def _condition(q: Quantity | None) -> tuple[float | None, str | None]:
    """A step's temperature or time: the SI value (K, s) and the text as written."""
    if q is None:
        return None, None
    return (q.si_value if q.si_value is not None else q.value), q.text


def _operation_row(synthesis: str, order: int, sid: str, op: Operation) -> Row:
    temperature, temperature_text = _condition(op.temperature)
    time, time_text = _condition(op.time)
    return {"id": f"{synthesis}:{order}", "synthesis": synthesis, "order": order, "sentence": sid,
            "type": op.type, "text": op.text, "start": op.start, "end": op.end,
            "temperature": temperature, "temperature_text": temperature_text, "time": time,
            "time_text": time_text, "atmosphere": op.atmosphere}


def build_batch(annotated: Iterable[tuple[ParsedDocument, AnnotatedDocument]]) -> GraphBatch:
    documents: list[Row] = []
    sentences: list[Row] = []
    aliases: dict[tuple[str, str], set[str]] = defaultdict(set)
    mentions: list[Row] = []
    contains: set[tuple[str, str]] = set()
    measurements: list[Row] = []
    syntheses: list[Row] = []
    uses: list[Row] = []
    operations: list[Row] = []
    dopings: dict[tuple[str, str], set[str]] = defaultdict(set)
    completions: list[Row] = []
    pairs: dict[tuple[str, str], list[Row]] = defaultdict(list)

    for doc, ann in annotated:
        documents.append(_document_row(doc, ann))
        pair_sentences: dict[tuple[str, str], int] = defaultdict(int)
        for i, sent in enumerate(ann.sentences):
            sid = f"{doc.key}:{i}"
            sentences.append({"doc": doc.key, "id": sid, "text": sent.text, "index": i,
                              "block": sent.block, "section": sent.section, "table": sent.table})
            uids: set[str] = set()
            for m in sent.mentions:
                label = ENTITY_LABELS[m.type]
                uid = entity_uid(label, m.key)
                aliases[(label, m.key)].add(m.text)
                uids.add(uid)
                mentions.append({"sentence": sid, "uid": uid, "start": m.start, "end": m.end,
                                 "text": m.text, "method": m.method, "confidence": m.confidence})
                if label == "Material":
                    formula = parse_formula(m.key)
                    if formula is not None:
                        contains.update((m.key, el) for el in elements(formula))
            # Co-mentions are material-centred (a material with a property, an application, a
            # method, another material...): pairs of two non-materials add edges nobody mines.
            for a, b in combinations(sorted(uids), 2):
                if a.startswith(_MATERIAL_UID) or b.startswith(_MATERIAL_UID):
                    pair_sentences[(a, b)] += 1
        for ms in ann.measurements:
            sid = f"{doc.key}:{ms.sentence}"
            q = ms.quantity
            # a fact's material and property exist as nodes even when the fact's stage made them
            # up ("its" for Bi2Te3, a power density implied by mW cm-2): key only, no alias
            aliases[("Material", ms.material.key)]  # noqa: B018 - creates the entry
            aliases[("Property", ms.property.key)]  # noqa: B018
            measurements.append({
                "id": f"{sid}:{ms.material.key}:{ms.property.key}:{q.start}",
                "doc": doc.key, "sentence": sid, "material": ms.material.key,
                "material_text": ms.material.text, "property": ms.property.key,
                "value": q.value, "unit": q.unit, "text": q.text, "low": q.low, "high": q.high,
                "error": q.error, "method": ms.method, "confidence": ms.confidence,
                "si_value": q.si_value, "si_unit": q.si_unit, "phase": ms.phase,
                "descriptors": list(ms.descriptors), "characterization": ms.characterization,
            })
        for n, syn in enumerate(ann.syntheses):
            syn_id = f"{doc.key}:synthesis:{n}"
            target = syn.target
            syntheses.append({"id": syn_id, "doc": doc.key, "method": syn.method, "confidence": syn.confidence,
                              "target": target.key if target else None, "target_text": target.text if target else None,
                              "target_sentence": f"{doc.key}:{syn.target_sentence}" if target else None})
            for i, m in syn.precursors:
                uses.append({"synthesis": syn_id, "material": m.key, "text": m.text, "sentence": f"{doc.key}:{i}",
                             "role": "solvent" if is_solvent(m) else "precursor"})
            for order, op in enumerate(syn.operations):
                operations.append(_operation_row(syn_id, order, f"{doc.key}:{op.sentence}", op))
        for dp in ann.dopings:
            aliases[("Material", dp.host.key)].add(dp.host.text)
            host_formula = parse_formula(dp.host.key)
            if host_formula is not None:
                contains.update((dp.host.key, el) for el in elements(host_formula))
            dopings[(dp.host.key, dp.dopant.key)].add(f"{doc.key}:{dp.sentence}")
        completions.append({"id": doc.key})
        for pair, n in pair_sentences.items():
            pairs[pair].append({"id": doc.key, "sentences": n})

    by_label: dict[str, list[Row]] = defaultdict(list)
    for (label, key), written in sorted(aliases.items()):
        row: Row = {"key": key, "uid": entity_uid(label, key), "aliases": sorted(written)}
        if label == "Material":  # the canonical formula when the key is one (not for "graphene")
            row["formula"] = key if parse_formula(key) is not None else None
        by_label[label].append(row)
    return GraphBatch(
        documents=tuple(documents),
        sentences=tuple(sentences),
        entities=tuple((label, tuple(rows)) for label, rows in sorted(by_label.items())),
        mentions=tuple(mentions),
        contains=tuple({"material": m, "element": e} for m, e in sorted(contains)),
        measurements=tuple(measurements),
        syntheses=tuple(syntheses),
        uses=tuple(uses),
        operations=tuple(operations),
        # one row per pair: FalkorDB applies a MERGE once per pattern in a statement
        dopings=tuple({"host": h, "dopant": d, "sentences": sorted(sids)}
                      for (h, d), sids in sorted(dopings.items()) if _is_element(d)),
        completions=tuple(completions),
        pairs=tuple({"a": a, "b": b, "docs": docs} for (a, b), docs in sorted(pairs.items())),
        counts={"documents": len(documents), "sentences": len(sentences), "mentions": len(mentions),
                "entities": len(aliases), "facts": len(measurements), "syntheses": len(syntheses),
                "dopings": len(dopings)},
    )
