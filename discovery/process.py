"""Sentence text -> word2vec tokens: materials-aware ("mat2vec" style) or plain whitespace.

The mat2vec processing follows the method of Tshitoyan et al. (Nature 2019): formulas written
with their elements in alphabetical order and integer counts ("Bi0.5Sb1.5Te3" -> "BiSb3Te6"),
numbers replaced by one token, units kept whole in their own case ("mA cm-2" -> "mAcm−2"),
multi-word terms of the lexicon joined ("solar_cell"), every other word lower-cased.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Protocol

from nlp.formula import ELEMENTS, Formula, canonical_key, looks_like_formula, parse_formula
from nlp.units import match_unit

NUMBER = "<nUm>"
JOIN = "_"

_ELEMENT_SET = frozenset(ELEMENTS)
# Element symbols that are also English words: lower-cased when they open a sentence.
_WORDLIKE_SYMBOLS = frozenset("In As At Be He No I".split())
_NUMBER_RE = re.compile(r"[-+−–~≈]?(?:\d+(?:[.,]\d+)*|\.\d+)(?:[eE][-+−]?\d+)?")
_HAS_WORD_CHAR = re.compile(r"\w", re.UNICODE)
_UNIT_MINUS = re.compile(r"-(?=\d)")
_NOT_NOUN_ENDINGS = ("ic", "al", "ed", "ing", "ous", "ive", "s")
_EDGE_PUNCTUATION = ".,;:!?()[]{}\"'“”‘’"
# Formula counts are scaled to integers over at most this denominator, as in the
# thermoelectric benchmark's keys ("Bi2Te2.85Se0.15" -> "Bi40Se3Te57").
_MAX_DENOMINATOR = 1000


class Processor(Protocol):
    """Turns text into the tokens a word2vec model sees; `name` is stored with every model."""

    name: str

    def __call__(self, text: str) -> list[str]: ...

    def tokens(self, tokens: Sequence[str]) -> list[str]:
        """The same processing for text that is already tokenised (one string per token)."""
        ...


def formula_token(f: Formula) -> str:
    """A formula the mat2vec way: elements alphabetically, counts scaled to coprime integers.

    Ions keep their written form ("Fe3+"); formulas with symbolic counts or shared sites keep
    the graph's canonical key ("Li1+xO..." with elements sorted, "(Bi,Sb)2Te3" as written)."""
    if f.charge is not None:
        return f.written
    counts = dict(f.counts)
    if f.mixed_sites or any(isinstance(c, str) for c in counts.values()):
        return canonical_key(f)
    numeric = {el: float(c) for el, c in counts.items()}
    if len(numeric) == 1 or any(c <= 0 for c in numeric.values()):
        return canonical_key(f)
    fractions = {el: Fraction(c).limit_denominator(_MAX_DENOMINATOR) for el, c in numeric.items()}
    scale = math.lcm(*(fr.denominator for fr in fractions.values()))
    ints = {el: int(fr * scale) for el, fr in fractions.items()}
    divisor = math.gcd(*ints.values()) or 1
    return "".join(el + (str(n // divisor) if n // divisor != 1 else "") for el, n in sorted(ints.items()))


@lru_cache(maxsize=200_000)
def normalized_formula(text: str) -> str | None:
    """`text` as a mat2vec formula token, or None when it is not a formula."""
    f = parse_formula(text)
    return None if f is None else formula_token(f)


def unit_token(unit: str) -> str:
    """A normalised unit ("mA cm-2") as one token: factors run together, minus as U+2212."""
    return _UNIT_MINUS.sub("−", unit.replace(" ", ""))


@lru_cache(maxsize=200_000)
def _whole_unit(token: str) -> str | None:
    hit = match_unit(token, 0)
    return unit_token(hit[1]) if hit is not None and hit[0] == len(token) else None


@lru_cache(maxsize=200_000)
def _context_free(token: str) -> tuple[str, str]:
    """(kind, form) of a token seen alone: number, formula, element, unit, drop or word."""
    if _NUMBER_RE.fullmatch(token):
        return "number", NUMBER
    if token in _ELEMENT_SET:
        return "element", token
    unit = _whole_unit(token)
    if not _HAS_WORD_CHAR.search(token):
        return ("unit", unit) if unit else ("drop", "")
    if looks_like_formula(token):
        return "formula", normalized_formula(token) or token
    # Mixed-case units such as GPa, MHz, eV keep their case anywhere; lower-case ones (nm, h)
    # and single capitals ("A", the article) read as words unless a number precedes them.
    if unit and len(unit) > 1 and unit != unit.lower():
        return "unit", unit
    return "word", token.lower()


@dataclass(frozen=True)
class Mat2VecProcessor:
    """Materials-aware processing on top of mattermine's tokenizer (see the module docstring)."""

    name: str = "mat2vec"
    phrases: bool = True  # join the lexicon's multi-word terms

    def __call__(self, text: str) -> list[str]:
        from nlp.tokenizer import tokenize

        return self.tokens([t for t, _, _ in tokenize(text)])

    def tokens(self, tokens: Sequence[str]) -> list[str]:
        out: list[str] = []
        after_number = False
        for i, token in enumerate(tokens):
            form = self._token(token, first=i == 0, after_number=after_number)
            after_number = form == NUMBER
            if form:
                out.append(form)
        return join_phrases(out) if self.phrases else out

    @staticmethod
    def _token(token: str, *, first: bool, after_number: bool) -> str:
        if token == NUMBER:
            return NUMBER
        if after_number or " " in token:  # the tokenizer keeps "mA cm-2" whole after a number
            unit = _whole_unit(token)
            if unit:
                return unit
        kind, form = _context_free(token)
        if kind == "element" and first and token in _WORDLIKE_SYMBOLS:
            return token.lower()
        return form


@dataclass(frozen=True)
class PlainProcessor:
    """The baseline: split on whitespace, strip punctuation at the ends, keep the case."""

    name: str = "plain"

    def __call__(self, text: str) -> list[str]:
        return self.tokens(text.split())

    def tokens(self, tokens: Sequence[str]) -> list[str]:
        out = (t.strip(_EDGE_PUNCTUATION) for t in tokens)
        return [t for t in out if t]


PROCESSORS = {"mat2vec": Mat2VecProcessor, "plain": PlainProcessor}


class UnknownProcessing(ValueError):
    pass


def processor(name: str) -> Processor:
    """A processor by the name stored with corpora and models ("mat2vec" or "plain")."""
    try:
        return PROCESSORS[name]()
    except KeyError:
        raise UnknownProcessing(f"unknown processing {name!r}; choose one of {', '.join(PROCESSORS)}") from None


@lru_cache(maxsize=1)
def _lexicon_phrases() -> tuple[dict[tuple[str, ...], str], int]:
    """Multi-word lexicon terms (and their plurals) as processed token tuples -> joined token."""
    from nlp.lexicon import entries, plural

    plain = Mat2VecProcessor(phrases=False)
    table: dict[tuple[str, ...], str] = {}
    for etype, phrase, _ in entries():
        words = phrase.split()
        # Phase names ("hexagonal wurtzite") stay apart: the single words carry the meaning.
        if len(words) < 2 or etype == "SPL":
            continue
        variants = [phrase]
        if not words[-1].endswith(_NOT_NOUN_ENDINGS):
            variants.append(" ".join([*words[:-1], plural(words[-1])]))
        for variant in variants:
            toks = tuple(plain(variant))
            if len(toks) >= 2 and NUMBER not in toks:
                table.setdefault(toks, JOIN.join(toks))
    return table, max((len(k) for k in table), default=0)


def join_phrases(tokens: list[str]) -> list[str]:
    """Join the longest lexicon term starting at each position ("solid oxide fuel cell")."""
    table, longest = _lexicon_phrases()
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for n in range(min(longest, len(tokens) - i), 1, -1):
            joined = table.get(tuple(tokens[i:i + n]))
            if joined is not None:
                out.append(joined)
                i += n
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def process_all(texts: Iterable[str], proc: Processor) -> list[list[str]]:
    """Each text processed; empty results are dropped."""
    return [toks for toks in map(proc, texts) if toks]
