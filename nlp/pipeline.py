"""ParsedDocument -> AnnotatedDocument: sentences, mentions, quantities and measurements.

Sentences from many documents are tagged together in batches of `batch_sentences`, so a GPU
tagger sees full batches however short the documents are; documents still come out one at a
time, in input order, as soon as all their sentences are tagged.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from ingest.records import Paragraph, ParsedDocument, content_hash
from nlp.facts import METHOD as FACTS_METHOD
from nlp.facts import link_measurements
from nlp.quantities import find_quantities
from nlp.records import AnnotatedDocument, Mention, Sentence
from nlp.registry import Tagger
from nlp.sentences import split_sentences

SENTENCES_METHOD = "sentences.rules.v1"
QUANTITIES_METHOD = "quantities.v2"


@dataclass
class _Pending:
    """A document whose sentences are split but not all tagged yet."""

    doc: ParsedDocument
    sentences: list[Sentence]
    mentions: list[list[Mention] | None] = field(default_factory=list)
    todo: int = 0


def pipeline_name(tagger: Tagger) -> str:
    return "+".join((SENTENCES_METHOD, tagger.name, QUANTITIES_METHOD, FACTS_METHOD))


def _split(doc: ParsedDocument) -> list[Sentence]:
    out = []
    for b, block in enumerate(doc.text_blocks()):
        for start, end in split_sentences(block.text):
            out.append(Sentence(block.text[start:end], start, end, b, block.section))
    return out


def _finish(p: _Pending, name: str) -> AnnotatedDocument:
    sentences = tuple(
        replace(s, mentions=tuple(m or ()), quantities=tuple(find_quantities(s.text)))
        for s, m in zip(p.sentences, p.mentions)
    )
    return AnnotatedDocument(p.doc.key, sentences, tuple(link_measurements(sentences)), name)


def annotate(docs: Iterable[ParsedDocument], tagger: Tagger, *, batch_sentences: int = 512) -> Iterator[AnnotatedDocument]:
    """Annotate documents lazily; sentences are batched across documents for `tagger.tag`."""
    if batch_sentences < 1:
        raise ValueError("batch_sentences must be at least 1")
    name = pipeline_name(tagger)
    queue: deque[_Pending] = deque()
    batch: list[tuple[_Pending, int]] = []

    def flush() -> None:
        if not batch:
            return
        tagged = tagger.tag([p.sentences[i].text for p, i in batch])
        for (p, i), mentions in zip(batch, tagged):
            p.mentions[i] = mentions
            p.todo -= 1
        batch.clear()

    def ready() -> Iterator[AnnotatedDocument]:
        while queue and queue[0].todo == 0:
            yield _finish(queue.popleft(), name)

    for doc in docs:
        sentences = _split(doc)
        pending = _Pending(doc, sentences, [None] * len(sentences), len(sentences))
        queue.append(pending)
        for i in range(len(sentences)):
            batch.append((pending, i))
            if len(batch) >= batch_sentences:
                flush()
                yield from ready()
        yield from ready()
    flush()
    yield from ready()


def annotate_text(text: str, tagger: Tagger) -> AnnotatedDocument:
    """Annotate one plain-text string (treated as a single paragraph)."""
    doc = ParsedDocument(
        source_path="<text>",
        content_hash=content_hash(text.encode("utf-8")),
        format="text",
        reader="annotate_text",
        paragraphs=(Paragraph(text),),
    )
    return next(annotate([doc], tagger))
