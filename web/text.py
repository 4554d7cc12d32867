"""Helpers the templates call: links, highlighted sentences, formulas, numbers. They return plain
text pieces; the templates (autoescape on) do all the HTML."""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlencode

from graph.curation import Fact, fact_spans

_DIGITS = re.compile(r"(\d+(?:\.\d+)?)")


def link(path: str, **params: Any) -> str:
    """A local URL with query parameters (keys may hold any character)."""
    params = {k: v for k, v in params.items() if v is not None}
    return f"{path}?{urlencode(params)}" if params else path


def doi_url(doi: str) -> str:
    return "https://doi.org/" + quote(doi, safe="/:;()._-")


def segments(fact: Fact) -> list[tuple[str, str | None]]:
    """The fact's sentence cut into (text, kind) pieces; kind is "material", "property", "value"
    for the highlighted parts, None elsewhere."""
    sentence = fact.sentence or ""
    pieces: list[tuple[str, str | None]] = []
    pos = 0
    for kind, (start, end) in sorted(fact_spans(fact).items(), key=lambda item: item[1]):
        pieces.append((sentence[pos:start], None))
        pieces.append((sentence[start:end], kind))
        pos = end
    pieces.append((sentence[pos:], None))
    return [p for p in pieces if p[0]]


def display_formula(key: str, aliases: list[str] | None) -> str:
    """How to show a material whose key is a canonical formula ("O2Ti"): the shortest way the
    corpus writes that formula ("TiO2"), else the key."""
    from nlp.formula import canonical_key, parse_formula

    for alias in sorted(aliases or [], key=len):
        parsed = parse_formula(alias)
        if parsed is not None and parsed.charge is None and canonical_key(parsed) == key:
            return alias
    return key


def formula_parts(formula: str) -> list[tuple[str, bool]]:
    """"La0.8Sr0.2MnO3" -> pieces with counts marked for subscript."""
    return [(part, bool(_DIGITS.fullmatch(part))) for part in _DIGITS.split(formula) if part]


def number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def when(stamp: str | None) -> str:
    """An ISO time as people read it, to the second, in UTC."""
    return stamp[:19].replace("T", " ") + " UTC" if stamp else ""
