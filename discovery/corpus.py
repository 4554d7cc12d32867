"""Training corpora for word embeddings: documents streamed from the graph or from text files,
processed sentence by sentence and written one sentence per line (the format gensim streams).

Documents are read and processed in pages, so a corpus of millions of abstracts never sits in
memory; processing fans out over worker processes when asked.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from dataclasses import asdict, dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from discovery.process import processor as get_processor
from graph import cypher
from graph.store import GraphStore


@dataclass(frozen=True)
class SourceDocument:
    """One document's sentences. `tokenized`: each sentence is its tokens joined by spaces."""

    id: str
    year: int | None
    sentences: tuple[str, ...]
    tokenized: bool = False


@dataclass(frozen=True)
class CorpusInfo:
    """What a corpus file holds and how it was made; stored beside it as JSON."""

    path: str
    processing: str
    year: int | None  # only documents dated up to this year, or None for all
    documents: int
    sentences: int
    tokens: int
    sha256: str
    seconds: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


Progress = Callable[[int, int], None]  # (documents, tokens) so far


def graph_documents(store: GraphStore, *, year: int | None = None, page: int = 500) -> Iterator[SourceDocument]:
    """Documents of the graph in id order, `page` at a time; with `year`, only those dated <= year."""
    after = -1
    while True:
        docs = store.read(cypher.DISCOVERY_DOCUMENTS, {"after": after, "year": year, "limit": page}).rows
        if not docs:
            return
        after = docs[-1][0]
        texts: dict[str, list[str]] = {d[1]: [] for d in docs}
        for doc, _, text in store.read(cypher.DISCOVERY_SENTENCES, {"docs": list(texts)}).rows:
            if text:
                texts[doc].append(text)
        for _, doc, doc_year in docs:
            yield SourceDocument(doc, doc_year, tuple(texts[doc]))


def text_documents(paths: Iterable[Path], *, year: int | None = None) -> Iterator[SourceDocument]:
    """Plain-text files, one document each: paragraphs split at blank lines, then into sentences."""
    from nlp.sentences import split_sentences

    for path in paths:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        sentences = [para[s:e] for para in text.split("\n\n") for s, e in split_sentences(para)]
        yield SourceDocument(str(path), year, tuple(s.replace("\n", " ") for s in sentences if s.strip()))


def _process_document(args: tuple[str, SourceDocument]) -> list[str]:
    name, doc = args
    proc = get_processor(name)
    lines = []
    for sentence in doc.sentences:
        toks = proc.tokens(sentence.split()) if doc.tokenized else proc(sentence)
        if toks:
            lines.append(" ".join(toks))
    return lines


def processed_lines(docs: Iterable[SourceDocument], processing: str, *, workers: int = 1,
                    chunksize: int = 8) -> Iterator[tuple[SourceDocument, list[str]]]:
    """(document, its processed sentences as space-joined tokens), in input order, lazily.
    `workers` processes (0: one per core; 1: in this process)."""
    get_processor(processing)  # fail early on an unknown name
    workers = workers or os.cpu_count() or 1
    if workers <= 1:
        for doc in docs:
            yield doc, _process_document((processing, doc))
        return
    # Pool.imap would drain the input as fast as it can; windows of a few chunks per worker
    # keep memory bounded however large the corpus is.
    window = workers * chunksize * 4
    it = iter(docs)
    batch = list(islice(it, window))
    if len(batch) < window:  # a corpus this small is done before the workers would have started
        for doc in batch:
            yield doc, _process_document((processing, doc))
        return
    with get_context("spawn").Pool(workers) as pool:
        while batch:
            results = pool.map(_process_document, [(processing, d) for d in batch], chunksize=chunksize)
            yield from zip(batch, results)
            batch = list(islice(it, window))


def write_corpus(docs: Iterable[SourceDocument], out: Path, processing: str = "mat2vec", *,
                 year: int | None = None, workers: int = 1, progress: Progress | None = None) -> CorpusInfo:
    """Process `docs` into `out` (one sentence per line) and write `out`.json describing it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    n_docs = n_sent = n_tok = 0
    digest = hashlib.sha256()
    tmp = out.with_name(out.name + ".part")
    with tmp.open("w", encoding="utf-8") as fh:
        for _, lines in processed_lines(docs, processing, workers=workers):
            n_docs += 1
            for line in lines:
                data = line + "\n"
                fh.write(data)
                digest.update(data.encode("utf-8"))
                n_sent += 1
                n_tok += line.count(" ") + 1
            if progress is not None:
                progress(n_docs, n_tok)
    os.replace(tmp, out)
    info = CorpusInfo(str(out), processing, year, n_docs, n_sent, n_tok, digest.hexdigest(),
                      round(time.monotonic() - start, 3))
    sidecar(out).write_text(json.dumps(info.to_json(), indent=2) + "\n", encoding="utf-8")
    return info


def sidecar(corpus: Path) -> Path:
    return corpus.with_name(corpus.name + ".json")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def corpus_info(path: Path) -> CorpusInfo:
    """The description of a corpus file: its sidecar when present, else counted from the file
    (processing "unknown": a corpus made elsewhere, already tokenised one sentence per line)."""
    meta = sidecar(path)
    if meta.exists():
        info = CorpusInfo(**json.loads(meta.read_text(encoding="utf-8")))
        if info.sha256 == file_sha256(path):
            return info
    sentences = tokens = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            sentences += 1
            tokens += len(line.split())
    return CorpusInfo(str(path), "unknown", None, 0, sentences, tokens, file_sha256(path), 0.0)
