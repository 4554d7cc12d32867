"""A spaCy tokenizer for materials text: formulas, ions, hyphenated terms and compound units stay whole.

spaCy's English rules split "(Bi,Sb)2Te3", "Fe3+", "Ba0.95La0.05FeO3-δ" and "sol-gel" into
pieces and keep "eV." together; the changes below undo that. A reference number glued to a
formula ("HoBe2275") is split off (nlp.citations). The tokenizer is built on first use and
cached per process (no spaCy work at import).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from nlp.citations import split_citation
from nlp.formula import parse_formula
from nlp.units import match_unit

if TYPE_CHECKING:
    from spacy.language import Language

# A candidate must look chemical before the (slower) parser is asked: an upper-case start or
# an opening bracket, and something a plain word lacks (digit, bracket, charge, second capital).
_FORMULA_SHAPE = re.compile(r"[(\[]?[A-Z][A-Za-z0-9().,\[\]+\-−–·•∙⋅*δ^⁺⁻¹²³⁴⁵⁶⁷⁸⁹]*")
# "copper(II)", "Iron(III)": an element name with its oxidation state is one word.
_NAMED_OXIDATION_STATE = re.compile(r"[A-Za-z]+\((?:I|II|III|IV|V|VI|VII|VIII)\)")
_CHEMICAL_HINT = re.compile(r"[\d()\[\]+\-−·•∙⋅*δ⁺⁻]|[A-Z].*[A-Z]")


def _wrapped(text: str) -> bool:
    """Whether the whole string sits inside one pair of brackets, as in "(SiO2)"."""
    if text[:1] not in "([" or text[-1:] not in ")]":
        return False
    depth = 0
    for i, ch in enumerate(text):
        depth += ch in "(["
        depth -= ch in ")]"
        if depth == 0:
            return i == len(text) - 1
    return False


def _is_protected_formula(text: str) -> bool:
    if not _FORMULA_SHAPE.fullmatch(text) or not _CHEMICAL_HINT.search(text) or _wrapped(text):
        return False  # a lone "Fe" or "In" needs no protection; "(SiO2)" is SiO2 in brackets
    f = parse_formula(text)
    return f is not None and (len(f.counts) > 1 or f.charge is not None or any(ch.isdigit() for ch in text))


@lru_cache(maxsize=1)
def tokenizer_nlp() -> Language:
    """The customised blank English pipeline (tokenizer only), built once per process."""
    import spacy
    from spacy.lang.char_classes import (
        ALPHA,
        ALPHA_LOWER,
        ALPHA_UPPER,
        CONCAT_QUOTES,
        LIST_ELLIPSES,
        LIST_ICONS,
    )
    from spacy.util import compile_infix_regex, compile_suffix_regex

    nlp = spacy.blank("en")
    tok: Any = nlp.tokenizer  # spaCy's Cython Tokenizer ships no type stubs
    # spaCy's English infixes minus the hyphen-between-letters rule, so "sol-gel", "X-ray" and
    # "as-prepared" stay one token (the tagger looks inside them); ranges and ± are split.
    infixes = [
        *LIST_ELLIPSES,
        *LIST_ICONS,
        r"(?<=[0-9])[+\-\*^](?=[0-9-])",
        rf"(?<=[{ALPHA_LOWER}{CONCAT_QUOTES}])\.(?=[{ALPHA_UPPER}{CONCAT_QUOTES}])",
        rf"(?<=[{ALPHA}]),(?=[{ALPHA}])",
        rf"(?<=[{ALPHA}0-9])[:<>=/](?=[{ALPHA}])",
        r"(?<=[0-9])[–—~](?=[0-9])",
        r"±",
        r"(?<=[0-9])×(?=[0-9])",
    ]
    tok.infix_finditer = compile_infix_regex(infixes).finditer
    # A full stop after any letter ends a token ("eV.", "K."), not only after lower case.
    suffixes = list(nlp.Defaults.suffixes or []) + [r"(?<=[A-Za-z0-9δ%)\]])\."]
    tok.suffix_search = compile_suffix_regex(suffixes).search
    default_prefix = tok.prefix_search

    def prefix_search(text: str) -> re.Match[str] | None:
        # Keep the "(" of "(Bi,Sb)2Te3," and "(NH4)2SO4." even when punctuation trails.
        if text[:1] in "([" and _is_protected_formula(text.rstrip(".,;:")):
            return None
        return default_prefix(text)

    tok.prefix_search = prefix_search
    default_match = tok.token_match

    def token_match(text: str) -> bool:
        return (
            _is_protected_formula(text)
            or bool(_NAMED_OXIDATION_STATE.fullmatch(text))
            or bool(default_match and default_match(text))
        )

    tok.token_match = token_match
    # MatScholar's corpus replaces every number by this placeholder; keep it one token.
    tok.add_special_case("<nUm>", [{"ORTH": "<nUm>"}])
    return nlp


def _unit_spans(text: str, toks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Multi-token compound units after a number ("mA h g-1", "S cm−1", "° C"), on token bounds."""
    ends = {e for _, e in toks}
    spans: list[tuple[int, int]] = []
    for i in range(1, len(toks)):
        start = toks[i][0]
        if not text[toks[i - 1][1] - 1].isdigit() or (spans and start < spans[-1][1]):
            continue
        hit = match_unit(text, start)
        if hit is not None and hit[0] in ends and hit[0] > toks[i][1]:
            spans.append((start, hit[0]))
    return spans


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Tokens of `text` as (text, start, end); compound units after a number are single tokens."""
    doc = tokenizer_nlp().make_doc(text)
    toks = [(t.idx, t.idx + len(t.text)) for t in doc]
    units = _unit_spans(text, toks) if any(c.isdigit() for c in text) else []
    out: list[tuple[str, int, int]] = []
    ui = 0
    for s, e in toks:
        while ui < len(units) and units[ui][1] <= s:
            ui += 1
        if ui < len(units) and units[ui][0] <= s < units[ui][1]:
            if s == units[ui][0]:
                us, ue = units[ui]
                out.append((text[us:ue], us, ue))
            continue
        cited = split_citation(text[s:e]) if text[e - 1].isdigit() else None
        if cited is not None:
            mid = s + len(cited[0])
            out += [(text[s:mid], s, mid), (text[mid:e], mid, e)]
        else:
            out.append((text[s:e], s, e))
    return out
