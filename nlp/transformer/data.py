"""Word-level IOB2 data for the transformer tagger: reading CoNLL, MatScholar-style normalisation,
first-subword label alignment and overlapping windows for sentences longer than the model."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp.conll import Sentence, read_conll
from nlp.formula import canonical_key, parse_formula

_TAG = re.compile(r"^(O|[BI]-\S+)$")
_NUMBER = re.compile(r"^[+\-−]?(\d+([.,]\d+)*|\.\d+)([eE][+\-−]?\d+)?$")
NUM_TOKEN = "<nUm>"


def read_iob(path: str | Path) -> list[Sentence]:
    """read_conll, cleaned of the corpus' quirks: a token with no tag ("C ") is tagged O, and a
    token holding spaces ("MPam 1/2  O") keeps them, without the padding around them."""
    out: list[Sentence] = []
    for tokens, tags in read_conll(path):
        toks: list[str] = []
        clean: list[str] = []
        for tok, tag in zip(tokens, tags):
            if not _TAG.match(tag):  # the last field was part of the token, or empty
                tok, tag = (tok + " " + tag if tag else tok), "O"
            tok = tok.strip()
            if tok:
                toks.append(tok)
                clean.append(tag)
        if toks:
            out.append((toks, clean))
    return out


def data_sha256(path: str | Path | None, sentences: Sequence[Sentence]) -> str:
    """The training file's sha256, or that of the sentences written as CoNLL when there is no file."""
    if path is not None:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    h = hashlib.sha256()
    for toks, tags in sentences:
        h.update("".join(f"{t} {g}\n" for t, g in zip(toks, tags)).encode() + b"\n")
    return h.hexdigest()


def detect_normalisation(sentences: Sequence[Sentence]) -> str:
    """"matscholar" when the data look like the MatScholar corpus (numbers as <nUm>), else "none"."""
    return "matscholar" if any(NUM_TOKEN in toks for toks, _ in sentences) else "none"


def normalise_word(word: str, scheme: str) -> str:
    """A word as the training data wrote it. MatScholar: numbers become <nUm>, formulas their
    canonical element order (TiO2 -> O2Ti), title-case and lower-case words are lower-cased;
    acronyms and units with inner capitals (XRD, GPa) are kept."""
    if scheme != "matscholar" or word == NUM_TOKEN:
        return word
    if _NUMBER.match(word):
        return NUM_TOKEN
    if any(c.isdigit() for c in word) and word[:1].isupper():
        formula = parse_formula(word)
        if formula is not None and not formula.symbolic and not formula.mixed_sites:
            return canonical_key(formula)
    if word[:1].isupper() and word[1:].islower():
        return word.lower()
    return word


def word_pieces(tokenizer: Any, sentences: Sequence[Sequence[str]]) -> list[list[list[int]]]:
    """Sub-word ids of every word of every sentence; a word the tokenizer drops gets [unk], so
    every word keeps a slot. An empty sentence gives []."""
    out: list[list[list[int]]] = [[] for _ in sentences]
    todo = [i for i, s in enumerate(sentences) if s]
    if not todo:
        return out
    enc = tokenizer([list(sentences[i]) for i in todo], is_split_into_words=True, add_special_tokens=False)
    unk = tokenizer.unk_token_id or 0
    for row, i in enumerate(todo):
        per: list[list[int]] = [[] for _ in sentences[i]]
        for tid, wid in zip(enc["input_ids"][row], enc.word_ids(row)):
            if wid is not None:
                per[wid].append(tid)
        out[i] = [piece or [unk] for piece in per]
    return out


@dataclass(frozen=True)
class Window:
    """A slice of one sentence that fits the model: words [first, last) and their sub-word ids."""

    sentence: int
    first: int
    last: int
    ids: tuple[int, ...]  # without special tokens
    heads: tuple[int, ...]  # position in `ids` of each word's first sub-word, words first..last-1


def windows(sentence: int, pieces: Sequence[Sequence[int]], max_pieces: int, overlap: int) -> list[Window]:
    """Cut a sentence (sub-word ids per word) into windows of at most max_pieces sub-words that
    overlap by about `overlap` sub-words, so no word is dropped and each sees context both sides.
    A word longer than a window alone is cut to its first max_pieces sub-words."""
    pieces = [list(p[:max_pieces]) or [0] for p in pieces]
    out: list[Window] = []
    first = 0
    while True:
        size, last = 0, first
        while last < len(pieces) and size + len(pieces[last]) <= max_pieces:
            size += len(pieces[last])
            last += 1
        ids: list[int] = []
        heads: list[int] = []
        for p in pieces[first:last]:
            heads.append(len(ids))
            ids.extend(p)
        out.append(Window(sentence, first, last, tuple(ids), tuple(heads)))
        if last >= len(pieces):
            return out
        # step back over words worth `overlap` sub-words, always moving forward by at least one
        back, nxt = 0, last
        while nxt - 1 > first + 1 and back + len(pieces[nxt - 1]) <= overlap:
            nxt -= 1
            back += len(pieces[nxt])
        first = nxt


def owner(windows_of_sentence: Sequence[Window], n_words: int) -> list[tuple[int, int]]:
    """For each word, (window index, word position in it) of the window where the word is farthest
    from an edge: predictions there have the most context. Ties go to the earlier window."""
    best: list[tuple[int, int, int]] = [(-1, -1, -1)] * n_words
    for wi, w in enumerate(windows_of_sentence):
        for k in range(w.last - w.first):
            # a sentence edge is not a window edge: nothing is missing beyond it
            left = n_words if w.first == 0 else k
            right = n_words if w.last == n_words else w.last - w.first - 1 - k
            margin = min(left, right)
            if margin > best[w.first + k][0]:
                best[w.first + k] = (margin, wi, k)
    return [(wi, k) for _, wi, k in best]
