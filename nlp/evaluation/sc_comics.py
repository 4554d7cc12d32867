"""Value -> material links scored against SC-CoMIcs (Yamaguchi et al., LREC 2020), as packaged in
MatSci-NLP (`matsci-nlp/sc_comics.json`).

Scoring rule:

* Documents: the abstracts of one part of the seeded document-level split
  (nlp.relations.gold.sc_comics_split: 70/15/15, seed 13); each abstract is one paragraph.
* A gold link is a Value entity with a `Target` relation to a material (Element, Main or
  Material entity).
* A predicted fact is judged when its value overlaps a gold Value that has a Target: "hit" when
  its material overlaps one of the targets or has the same normalised key (nlp.keys.material_key),
  else "wrong". Facts on other values are not judged (the corpus links only some values).
  The property is not judged: the corpus names it only for some values.
* precision = hits / judged facts; recall = gold links hit at least once / gold links.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.records import Paragraph, ParsedDocument, content_hash
from nlp.evaluation import prf
from nlp.keys import material_key
from nlp.pipeline import annotate
from nlp.records import Measurement
from nlp.registry import Tagger
from nlp.relations.gold import sc_comics_gold, sc_comics_items
from nlp.relations.linker import Linker


@dataclass
class Judged:
    predictions: list[tuple[Measurement, str, tuple[tuple[int, int], ...]]] = field(default_factory=list)
    gold_links: int = 0
    documents: int = 0


def judge(path: Path, indices: Sequence[int], tagger: Tagger, linker: Linker | None = None) -> Judged:
    items = sc_comics_items(path)
    out = Judged()
    for i in indices:
        item = items[i]
        doc = ParsedDocument(source_path=f"sc-comics/{i}", content_hash=content_hash(str(i).encode()),
                             format="text", reader="sc-comics", paragraphs=(Paragraph(item["text"]),))
        ann = next(annotate([doc], tagger, linker=linker))
        gold = [g for g in sc_comics_gold(item) if g.materials]
        out.gold_links += len(gold)
        out.documents += 1
        for m in ann.measurements:
            s = ann.sentences[m.sentence]
            if s.table is not None:
                continue
            qa, qb = s.start + m.quantity.start, s.start + m.quantity.end
            judged = [(g_i, g) for g_i, g in enumerate(gold) if qa < g.value.end and g.value.start < qb]
            if not judged:
                continue
            ma, mb = s.start + m.material.start, s.start + m.material.end
            hits = tuple((i, g_i) for g_i, g in judged
                         if any((mb > ma and ma < t.end and t.start < mb) or material_key(t.text) == m.material.key
                                for t in g.materials))
            out.predictions.append((m, "hit" if hits else "wrong", hits))
    return out


def score(judged: Judged, min_confidence: float = 0.0) -> dict[str, object]:
    kept = [(v, hits) for m, v, hits in judged.predictions if m.confidence >= min_confidence]
    correct = sum(v == "hit" for v, _ in kept)
    hit = {h for _, hits in kept for h in hits}
    out = prf(correct, len(kept) - correct, 0)
    out["recall"] = round(len(hit) / judged.gold_links, 4) if judged.gold_links else 0.0
    p, r = out["precision"], out["recall"]
    out["f1"] = round(2 * p * r / (p + r), 4) if p + r else 0.0
    out["support"] = judged.gold_links
    return {"value_material": out, "judged_predictions": len(kept), "documents": judged.documents}
