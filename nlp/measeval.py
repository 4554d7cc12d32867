"""MeasEval systems: paragraphs in, MeasEval annotations out (quantities, measured entities and properties).

Two systems share one output step (`to_annotations`):

* "rules": mattermine's pipeline as it stands, with MeasEval's span conventions (nlp.measeval_rules).
* "learned": linear taggers trained on MeasEval train (nlp.measeval_model): quantity spans, their
  modifiers, and, conditioned on each quantity, its measured entity, property and qualifier.

`train_measeval` builds the learned model from the public corpus, `load` reads one back, and
`predict_with_heads` runs it with a multi-head tagger's MeasEval head as extra evidence (nlp.measeval_heads).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.records import Paragraph, ParsedDocument, content_hash
from nlp.evaluation.measeval import Annotation, MeasEvalParagraph, load_split
from nlp.measeval_rules import QuantitySpan, rule_links, rule_quantities
from nlp.pipeline import annotate
from nlp.registry import Tagger

if TYPE_CHECKING:
    from nlp.measeval_model import MeasEvalModel

Span = tuple[int, int]


@dataclass(frozen=True)
class Measured:
    """One quantity and what it measures, offsets into the paragraph."""

    quantity: QuantitySpan
    entity: Span | None = None
    property: Span | None = None
    qualifier: Span | None = None
    qualifies: str = "MeasuredProperty"  # which annotation the qualifier qualifies, when there is one


def to_annotations(doc: str, text: str, measured: Sequence[Measured]) -> list[Annotation]:
    """MeasEval rows, one annotation set per quantity; ids pass the official validator (T<k>-<set>)."""
    out: list[Annotation] = []
    for n, m in enumerate(measured, 1):
        q = m.quantity
        qid, eid, pid, lid = (f"T{k}-{n}" for k in (1, 2, 3, 4))
        out.append(Annotation(doc, n, "Quantity", q.start, q.end, qid, text[q.start:q.end], q.unit,
                              q.mods or None))
        if m.property:
            out.append(Annotation(doc, n, "MeasuredProperty", *m.property, pid, text[slice(*m.property)],
                                  relation=("HasQuantity", qid)))
        if m.entity:
            rel = ("HasProperty", pid) if m.property else ("HasQuantity", qid)
            out.append(Annotation(doc, n, "MeasuredEntity", *m.entity, eid, text[slice(*m.entity)], relation=rel))
        if m.qualifier:
            target = {"MeasuredProperty": pid if m.property else None, "MeasuredEntity": eid if m.entity else None,
                      "Quantity": qid}.get(m.qualifies) or qid
            out.append(Annotation(doc, n, "Qualifier", *m.qualifier, lid, text[slice(*m.qualifier)],
                                  relation=("Qualifies", target)))
    return out


def _parsed(p: MeasEvalParagraph) -> ParsedDocument:
    return ParsedDocument(source_path=p.doc, content_hash=content_hash(p.text.encode("utf-8")), format="text",
                          reader="measeval", paragraphs=(Paragraph(p.text),))


def predict_rules(paragraphs: Iterable[MeasEvalParagraph], tagger: Tagger) -> list[Annotation]:
    """The rule baseline: MeasEval-style quantity spans linked by mattermine's facts and mentions."""
    paragraphs = list(paragraphs)
    out: list[Annotation] = []
    for p, doc in zip(paragraphs, annotate((_parsed(p) for p in paragraphs), tagger)):
        spans = rule_quantities(p.text)
        links = rule_links(doc, spans)
        out += to_annotations(p.doc, p.text, [Measured(q, e, pr) for q, (e, pr) in zip(spans, links)])
    return out


def train_measeval(corpus: Path | None = None, out_dir: Path | None = None, *, max_paragraphs: int | None = None,
                   l2: float = 1.0, max_iter: int = 200, encoder_epochs: int = 0, encoder: Path | None = None,
                   threads: int | None = None, log: Callable[[str], None] | None = None) -> MeasEvalModel:
    """Train the learned MeasEval model on MeasEval train (never trial or eval); save it when `out_dir` is given.

    `corpus` is the MeasEval folder (default: mattermine.corpora.corpus_path("measeval")).
    The linear parts take about a minute on two CPU cores; `encoder_epochs` > 0 also fine-tunes the
    offline MiniLM context tagger (needs the transformer extra; minutes per epoch on a CPU).
    `encoder` reuses the encoder folder of a model saved earlier instead of fine-tuning one.
    `threads` caps torch's threads for the encoder (default: one per core this process may use; on a
    busy machine 1 can be several times faster). `max_paragraphs` trains on the first N paragraphs only;
    `log` receives progress lines.
    """
    from nlp.measeval_model import fit

    if corpus is None:
        from mattermine.corpora import corpus_path
        corpus = corpus_path("measeval")
    paragraphs = load_split(corpus, "train")[:max_paragraphs]
    model = fit(paragraphs, l2=l2, max_iter=max_iter, encoder_epochs=0 if encoder else encoder_epochs,
                threads=threads, log=log)
    if encoder is not None:
        from nlp.measeval_encoder import ContextEncoder
        model.encoder = ContextEncoder.load(encoder)
    if out_dir is not None:
        model.save(out_dir)
    return model


def load(path: Path) -> MeasEvalModel:
    """A model saved by `train_measeval(..., out_dir=path)`; raises FileNotFoundError saying how to build one."""
    from nlp.measeval_model import MeasEvalModel
    return MeasEvalModel.load(path)


def predict_with_heads(model: MeasEvalModel, paragraphs: Sequence[MeasEvalParagraph], heads: Path | Any, *,
                       threads: int | None = None, weight: float | None = None,
                       floors: dict[str, float] | None = None) -> list[Annotation]:
    """The learned model's annotations with the "meas" head of a multi-head tagger mixed in (nlp.measeval_heads).

    `heads` is the tagger's folder (a model written by nlp.transformer.multitask.train_multi with a "meas"
    head) or a loaded nlp.transformer.engine.TransformerTagger; `threads` caps its CPU threads. `weight`
    and `floors` override the defaults chosen on trial (HeadedModel)."""
    from nlp.measeval_heads import HeadedModel, head_scores

    if isinstance(heads, (str, Path)):
        from nlp.transformer.engine import TransformerTagger
        heads = TransformerTagger(str(heads), threads=threads)
    headed = HeadedModel(model)
    if weight is not None:
        headed.weight = weight
    if floors is not None:
        headed.floors = floors
    return headed.predict(paragraphs, head_scores(heads, [p.text for p in paragraphs]))
