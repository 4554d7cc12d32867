"""ParsedDocument -> AnnotatedDocument: sentences, mentions, quantities, facts, recipes and dopants.

Table rows are written as text lines and tagged with the sentences (nlp.tables); abbreviations
a document defines are resolved over the whole document before facts are linked.

Facts and dopants come from a linker (nlp.relations): the hand-written rules by default, or the
learned scorer that `mattermine nlp build-default` installs, which `extract` picks up by itself.

Sentences from many documents are tagged together in batches of `batch_sentences`, so a GPU
tagger sees full batches however short the documents are; documents still come out one at a
time, in input order, as soon as all their sentences are tagged.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from ingest.records import Paragraph, ParsedDocument, content_hash
from nlp.abbreviations import METHOD as ABBREVIATIONS_METHOD
from nlp.abbreviations import resolve_abbreviations
from nlp.fact_context import with_context
from nlp.hybrid import tag_with_synthesis
from nlp.quantities import find_quantities
from nlp.records import AnnotatedDocument, Measurement, Mention, Sentence
from nlp.registry import Tagger
from nlp.relations.linker import Linker, RulesLinker
from nlp.sentences import split_sentences
from nlp.synthesis import METHOD as SYNTHESIS_METHOD
from nlp.synthesis import find_syntheses
from nlp.tables import METHOD as TABLES_METHOD
from nlp.tables import Row, material_column, row_measurements, table_rows

SENTENCES_METHOD = "sentences.rules.v1"
QUANTITIES_METHOD = "quantities.v3"  # v3: SI values (nlp.si)


@dataclass
class _Pending:
    """A document whose sentences are split but not all tagged yet."""

    doc: ParsedDocument
    sentences: list[Sentence]
    mentions: list[list[Mention] | None] = field(default_factory=list)
    todo: int = 0
    rows: dict[int, Row] = field(default_factory=dict)  # sentence index -> the table row it writes out
    synthesis: dict[int, list[Mention]] = field(default_factory=dict)  # sentence index -> synthesis materials


def pipeline_name(tagger: Tagger, linker: Linker | None = None) -> str:
    linker = linker or RulesLinker()
    return "+".join((SENTENCES_METHOD, tagger.name, QUANTITIES_METHOD, ABBREVIATIONS_METHOD, linker.facts_method,
                     TABLES_METHOD, SYNTHESIS_METHOD, linker.doping_method))


def _split(doc: ParsedDocument) -> tuple[list[Sentence], dict[int, Row]]:
    """Sentences of the text blocks, then one per table row (block numbers continue after the text)."""
    out = []
    blocks = doc.text_blocks()
    for b, block in enumerate(blocks):
        for start, end in split_sentences(block.text):
            out.append(Sentence(block.text[start:end], start, end, b, block.section))
    rows: dict[int, Row] = {}
    for row in table_rows(doc.tables):
        rows[len(out)] = row
        caption = doc.tables[row.table].caption
        out.append(Sentence(row.text, 0, len(row.text), len(blocks) + row.table, caption, table=row.table))
    return out, rows


def _table_facts(sentences: list[Sentence], rows: dict[int, Row]) -> list[Measurement]:
    """Facts of every table row; each row's sentence keeps the quantities its facts use."""
    by_table: dict[int, list[int]] = {}
    for i, row in rows.items():
        by_table.setdefault(row.table, []).append(i)
    out: list[Measurement] = []
    for indexes in by_table.values():
        header = material_column([rows[i] for i in indexes], [sentences[i].mentions for i in indexes])
        for i in indexes:
            facts = row_measurements(i, sentences[i], rows[i], header)
            sentences[i] = replace(sentences[i], quantities=tuple(dict.fromkeys(m.quantity for m in facts)))
            out.extend(facts)
    return out


def _finish(p: _Pending, name: str, linker: Linker) -> AnnotatedDocument:
    tagged = [
        replace(s, mentions=tuple(m or ()), quantities=tuple(find_quantities(s.text)) if s.table is None else (),
                synthesis_materials=tuple(p.synthesis.get(i, ())))
        for i, (s, m) in enumerate(zip(p.sentences, p.mentions))
    ]
    sentences = resolve_abbreviations(tagged)
    facts = [with_context(sentences[m.sentence], m) for m in linker.facts(sentences)]
    facts += _table_facts(sentences, p.rows)
    return AnnotatedDocument(p.doc.key, tuple(sentences), tuple(facts), name,
                             tuple(find_syntheses(sentences)), tuple(linker.dopings(sentences)))


def annotate(docs: Iterable[ParsedDocument], tagger: Tagger, *, batch_sentences: int = 512,
             linker: Linker | None = None) -> Iterator[AnnotatedDocument]:
    """Annotate documents lazily; sentences are batched across documents for `tagger.tag`.
    `linker` links facts and dopants (default: the rules, nlp.relations.RulesLinker)."""
    if batch_sentences < 1:
        raise ValueError("batch_sentences must be at least 1")
    linker = linker or RulesLinker()
    name = pipeline_name(tagger, linker)
    queue: deque[_Pending] = deque()
    batch: list[tuple[_Pending, int]] = []

    def flush() -> None:
        if not batch:
            return
        tagged, materials = tag_with_synthesis(tagger, [p.sentences[i].text for p, i in batch])
        for (p, i), mentions, synthesis in zip(batch, tagged, materials):
            p.mentions[i] = mentions
            if synthesis:
                p.synthesis[i] = synthesis
            p.todo -= 1
        batch.clear()

    def ready() -> Iterator[AnnotatedDocument]:
        while queue and queue[0].todo == 0:
            yield _finish(queue.popleft(), name, linker)

    for doc in docs:
        sentences, rows = _split(doc)
        pending = _Pending(doc, sentences, [None] * len(sentences), len(sentences), rows)
        queue.append(pending)
        for i in range(len(sentences)):
            batch.append((pending, i))
            if len(batch) >= batch_sentences:
                flush()
                yield from ready()
        yield from ready()
    flush()
    yield from ready()


def annotate_text(text: str, tagger: Tagger, linker: Linker | None = None) -> AnnotatedDocument:
    """Annotate one plain-text string (treated as a single paragraph)."""
    doc = ParsedDocument(
        source_path="<text>",
        content_hash=content_hash(text.encode("utf-8")),
        format="text",
        reader="annotate_text",
        paragraphs=(Paragraph(text),),
    )
    return next(annotate([doc], tagger, linker=linker))
