"""The annotated corpora behind the multi-head tagger, each read as sentences of one task ("head").

A head is one corpus' label set: MatScholar's seven types (`mat`), the synthesis-procedures BRAT
types (`syn`), MeasEval's quantity, measured entity and property (`meas`), SOFC-Exp's entity
types (`sofc`). Corpora annotated on characters are split into sentences and words by the same
splitter and tokenizer the engine uses on new text (nlp.sentences, nlp.tokenizer), so training
sees words exactly as inference will; a word overlapping a gold span is inside it. The files are
read in place (mattermine.corpora.corpus_path), never copied.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from pathlib import Path

from nlp.conll import Sentence

CharSpan = tuple[int, int, str]  # start, end (exclusive), type: offsets into a Passage's text
HEADS = ("mat", "syn", "meas", "sofc")
SPLITS = {  # the split names of each corpus for train / dev / test
    "mat": {"train": "train", "dev": "dev"},
    "syn": {"train": "train", "dev": "dev"},  # ner-test-fnames.txt is not in the shared copy
    "meas": {"train": "train", "dev": "trial", "test": "eval"},
    "sofc": {"train": "train", "dev": "dev", "test": "test"},
}
MEASEVAL_TYPES = ("Quantity", "MeasuredEntity", "MeasuredProperty")
MEASEVAL_TEXT = {"train": "text", "trial": "txt", "eval": "text"}


@dataclass(frozen=True)
class Passage:
    """One sentence of text with its gold spans (one head's types), as found in its corpus."""

    source: str  # file or document name
    offset: int  # where `text` starts in that file's text
    text: str
    spans: tuple[CharSpan, ...]


@dataclass(frozen=True)
class Words:
    """A passage cut into the engine's words, with the IOB2 tag of each word."""

    words: tuple[str, ...]
    tags: tuple[str, ...]
    offsets: tuple[tuple[int, int], ...]  # each word's characters in the passage text


def root(head: str) -> Path:
    from mattermine.corpora import corpus_path

    return corpus_path({"mat": "matscholar-ner", "syn": "synthesis-procedures", "meas": "measeval",
                        "sofc": "sofc-exp"}[head])


# -- character spans -> words ----------------------------------------------------------------
def sentences_of(source: str, text: str, spans: Iterable[CharSpan]) -> list[Passage]:
    """Split a document's text into sentences (nlp.sentences) and give each the gold spans that
    lie inside it, re-based to the sentence; a span crossing a sentence boundary is dropped."""
    from nlp.sentences import split_sentences

    todo = sorted(set(spans))
    out = []
    for a, b in split_sentences(text):
        inside = tuple((s - a, e - a, t) for s, e, t in todo if a <= s and e <= b)
        out.append(Passage(source, a, text[a:b], inside))
    return out


def resolve_overlaps(spans: Iterable[CharSpan]) -> list[CharSpan]:
    """Non-overlapping spans for IOB2: longer spans first, then earlier; a span that overlaps one
    already kept is left out."""
    kept: list[CharSpan] = []
    for s in sorted(set(spans), key=lambda x: (-(x[1] - x[0]), x[0], x[2])):
        if all(s[1] <= k[0] or k[1] <= s[0] for k in kept):
            kept.append(s)
    return sorted(kept)


def to_words(passage: Passage) -> Words:
    """The passage's words (nlp.tokenizer, as the engine cuts text) tagged IOB2 from its spans: a
    word is inside a span when they share a character."""
    from nlp.tokenizer import tokenize

    toks = [t for t in tokenize(passage.text) if t[0].strip()]
    tags = ["O"] * len(toks)
    for s, e, etype in resolve_overlaps(passage.spans):
        inside = [i for i, (_, a, b) in enumerate(toks) if a < e and s < b]
        for k, i in enumerate(inside):
            tags[i] = ("B-" if k == 0 else "I-") + etype
    return Words(tuple(t[0] for t in toks), tuple(tags), tuple((a, b) for _, a, b in toks))


def as_sentences(passages: Iterable[Passage]) -> list[Sentence]:
    out: list[Sentence] = []
    for p in passages:
        w = to_words(p)
        if w.words:
            out.append((list(w.words), list(w.tags)))
    return out


# -- the corpora ------------------------------------------------------------------------------
def synthesis(split: str) -> list[Passage]:
    """synthesis-procedures (Mysore et al. 2019): every text-bound BRAT type; discontinuous spans
    are skipped. Files as listed in ner-<split>-fnames.txt."""
    base = root("syn")
    out: list[Passage] = []
    for name in (base / f"ner-{split}-fnames.txt").read_text(encoding="utf-8").split():
        text = (base / "data" / f"{name}.txt").read_text(encoding="utf-8")
        spans = []
        for line in (base / "data" / f"{name}.ann").read_text(encoding="utf-8").splitlines():
            if not line.startswith("T"):
                continue
            etype, _, offsets = line.split("\t")[1].partition(" ")
            if ";" not in offsets:
                a, b = offsets.split()
                spans.append((int(a), int(b), etype))
        out.extend(sentences_of(name, text, spans))
    return out


def measeval(split: str) -> list[Passage]:
    """MeasEval (SemEval-2021 Task 8) paragraphs: Quantity, MeasuredEntity and MeasuredProperty
    spans from the official TSVs; paragraphs without a TSV have no quantity."""
    base = root("meas")
    out: list[Passage] = []
    for txt in sorted((base / split / MEASEVAL_TEXT[split]).glob("*.txt")):
        tsv = base / split / "tsv" / f"{txt.stem}.tsv"
        spans = []
        if tsv.is_file():
            with tsv.open(encoding="utf-8", newline="") as fh:
                for row in list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]:
                    if len(row) > 4 and row[2] in MEASEVAL_TYPES:
                        spans.append((int(row[3]), int(row[4]), row[2]))
        out.extend(sentences_of(txt.stem, txt.read_text(encoding="utf-8"), spans))
    return out


def sofc(split: str) -> list[Passage]:
    """SOFC-Exp (Friedrich et al. 2020): the sentences annotated with entities (those marked as
    describing an experiment), MATERIAL, VALUE, DEVICE and EXPERIMENT spans from the token tags.
    Documents whose `set` in SOFC-Exp-Metadata.csv is the split."""
    base = root("sofc")
    with (base / "SOFC-Exp-Metadata.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    head = rows[0]
    names = sorted(r[head.index("name")] for r in rows[1:] if len(r) > head.index("set") and r[head.index("set")] == split)
    out: list[Passage] = []
    for name in names:
        text = (base / "texts" / f"{name}.txt").read_text(encoding="utf-8")
        where = {int(r[0]): (int(r[2]), int(r[3])) for r in _tsv(base / "annotations" / "sentences" / f"{name}.csv")}
        spans: dict[int, list[CharSpan]] = {}
        open_: dict[int, list[int | str]] = {}
        for r in _tsv(base / "annotations" / "entity_types_and_slots" / f"{name}.csv"):
            sid, a, b, tag = int(r[0]), int(r[2]), int(r[3]), r[4]
            spans.setdefault(sid, [])
            cur = open_.get(sid)
            if tag.startswith("I-") and cur is not None and cur[2] == tag[2:]:
                cur[1] = b
                continue
            if cur is not None:
                spans[sid].append((int(cur[0]), int(cur[1]), str(cur[2])))
                open_.pop(sid)
            if tag != "O":
                open_[sid] = [a, b, tag[2:]]
        for sid, cur in open_.items():
            spans[sid].append((int(cur[0]), int(cur[1]), str(cur[2])))
        for sid in sorted(spans):
            a, b = where[sid]
            out.append(Passage(name, a, text[a:b], tuple(sorted(spans[sid]))))
    return out


def _tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as fh:
        return [line.rstrip("\n").split("\t") for line in fh if line.strip()]


def passages(head: str, split: str) -> list[Passage]:
    """Gold passages of a character-annotated head ("syn", "meas", "sofc") for a split name of
    this module ("train", "dev", "test"), mapped onto the corpus' own split names."""
    name = SPLITS[head][split]
    reader = {"syn": synthesis, "meas": measeval, "sofc": sofc}[head]
    return reader(name)


def task_sentences(head: str, split: str) -> list[Sentence]:
    """Word-level IOB2 sentences of a head's split: MatScholar's CoNLL as written, the others cut
    into words by the engine's tokenizer."""
    if head == "mat":
        from nlp.transformer.data import read_iob

        return read_iob(root("mat") / f"{SPLITS['mat'][split]}.txt")
    return as_sentences(passages(head, split))


def alignment(passages_: Sequence[Passage]) -> dict[str, float]:
    """How many gold spans start and end on word boundaries: the ceiling of exact-span recall
    for a tagger of words."""
    total = aligned = 0
    for p in passages_:
        w = to_words(p)
        starts = {a for a, _ in w.offsets}
        ends = {b for _, b in w.offsets}
        for s, e, _ in p.spans:
            total += 1
            aligned += s in starts and e in ends
    return {"spans": total, "word_aligned": aligned, "fraction": round(aligned / total, 4) if total else 0.0}


def describe(heads: Sequence[str] = HEADS, split: str = "train") -> str:
    """One JSON line per head: sentences, words and spans of a split (for logs)."""
    lines = []
    for head in heads:
        sents = task_sentences(head, split)
        n_spans = sum(t.startswith("B-") for _, tags in sents for t in tags)
        lines.append(json.dumps({"head": head, "split": split, "sentences": len(sents),
                                 "words": sum(len(w) for w, _ in sents), "spans": n_spans}))
    return "\n".join(lines)


def public_tasks(heads: Sequence[str] = HEADS) -> dict[str, Any]:
    """The training tasks of `heads` from the public corpora: each head's train split, and its dev
    split for scoring (never a test split)."""
    from nlp.transformer.multitask import Task

    out: dict[str, Any] = {}
    for head in heads:
        folder = root(head)
        out[head] = Task(train=task_sentences(head, "train"), dev=task_sentences(head, "dev"), normalised=head == "mat",
                         source=f"{folder.name} {SPLITS[head]['train']}/{SPLITS[head]['dev']}",
                         info={"corpus": folder.name, "train_split": SPLITS[head]["train"], "dev_split": SPLITS[head]["dev"]})
    return out
