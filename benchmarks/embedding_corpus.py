"""The materials text of the public corpora, read in place, as discovery.corpus documents.

Used by the embedding benchmarks. Sources: SOFC-Exp full texts, MatScholar NER train+dev
sentences (already tokenised, lower-cased, numbers as <nUm>), synthesis-procedure paragraphs,
NERRE abstracts (general materials and doping). Years, where the data gives one: SOFC-Exp's
metadata (publication date), the "© YYYY" line of NERRE abstracts, and the year inside
Elsevier-style DOIs ("10.1016/j.jpowsour.2015.01.158"), which is close to the publication year.
"""
from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from discovery.corpus import SourceDocument  # noqa: E402
from mattermine.corpora import corpus_path  # noqa: E402
from nlp.sentences import split_sentences  # noqa: E402

_COPYRIGHT = re.compile(r"©\s*((?:19|20)\d\d)[^.]*\.\s*")
_DOI_YEAR = re.compile(r"\.((?:19|20)\d\d)\.")


def _sentences(text: str) -> tuple[str, ...]:
    out = []
    for para in re.split(r"\n\s*\n", text):
        para = " ".join(para.split())
        out += [para[s:e] for s, e in split_sentences(para)]
    return tuple(s for s in out if s.strip())


def _doi_year(doi: str | None) -> int | None:
    m = _DOI_YEAR.search(doi or "")
    return int(m.group(1)) if m else None


def sofc_documents() -> Iterator[SourceDocument]:
    root = corpus_path("sofc-exp")
    years: dict[str, int] = {}
    with (root / "SOFC-Exp-Metadata.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            m = re.search(r"(?:19|20)\d\d", row.get("Publication date") or "")
            if m and row.get("name"):
                years[row["name"]] = int(m.group())
    for path in sorted((root / "texts").glob("*.txt")):
        yield SourceDocument(f"sofc-exp/{path.stem}", years.get(path.stem),
                             _sentences(path.read_text(encoding="utf-8")))


def matscholar_documents(per_document: int = 50) -> Iterator[SourceDocument]:
    """MatScholar sentences in groups of `per_document` (the file does not say which abstract)."""
    for split in ("train", "dev"):
        sentences: list[str] = []
        current: list[str] = []
        for line in corpus_path("matscholar-ner", f"{split}.txt").read_text(encoding="utf-8").splitlines():
            if line.strip():
                current.append(line.split()[0])
            elif current:
                sentences.append(" ".join(current))
                current = []
        if current:
            sentences.append(" ".join(current))
        for i in range(0, len(sentences), per_document):
            yield SourceDocument(f"matscholar/{split}/{i}", None, tuple(sentences[i:i + per_document]),
                                 tokenized=True)


def synthesis_documents() -> Iterator[SourceDocument]:
    for path in sorted(corpus_path("synthesis-procedures", "data").glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n", 1)
        doi, body = (lines[0], lines[1]) if len(lines) == 2 and lines[0].startswith("10.") else (None, lines[-1])
        yield SourceDocument(f"synthesis/{path.stem}", _doi_year(doi), _sentences(body))


def nerre_documents() -> Iterator[SourceDocument]:
    root = corpus_path("nerre")
    with (root / "general-materials-annotations.jsonl").open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            prompt = json.loads(line)["prompt"].split("\n\n###")[0]
            m = _COPYRIGHT.search(prompt)
            text = _COPYRIGHT.sub("", prompt)
            yield SourceDocument(f"nerre/general/{n}", int(m.group(1)) if m else None, _sentences(text))
    for n, rec in enumerate(json.loads((root / "doping-train.json").read_text(encoding="utf-8"))):
        text = "\n\n".join(t for t in (rec.get("title"), rec.get("text")) if t)
        yield SourceDocument(f"nerre/doping/{n}", _doi_year(rec.get("doi")), _sentences(text))


def shared_documents() -> Iterator[SourceDocument]:
    """Every source above, in a fixed order."""
    yield from sofc_documents()
    yield from matscholar_documents()
    yield from synthesis_documents()
    yield from nerre_documents()
