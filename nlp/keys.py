"""Normalised keys for what a user types: "TiO2", "titania" or "O2Ti" all find the material O2Ti.

The graph stores materials and properties under the keys the tagger gives them; a curator's
filter goes through the same normalisation so that it matches whatever spelling was written.
"""
from __future__ import annotations

from functools import lru_cache

from nlp.formula import canonical_key, parse_formula
from nlp.lexicon import entries, normalize_key
from nlp.names import abbreviation_keys, material_names


def material_key(text: str) -> str:
    """Key of a material as written: a formula's canonical key, a known name's or abbreviation's
    key, else the text lower-cased (the key of a name with no formula, such as "graphene")."""
    text = text.strip()
    if text in abbreviation_keys():
        return abbreviation_keys()[text]
    named = material_names().get(text.lower())
    if named is not None:
        return named
    f = parse_formula(text)
    if f is not None and f.charge is None:
        return canonical_key(f)
    return text.lower()


@lru_cache(maxsize=1)
def _property_phrases() -> dict[str, str]:
    out: dict[str, str] = {}
    for etype, phrase, key in entries():
        if etype == "PRO":
            out.setdefault(phrase, key)
            out.setdefault(phrase.lower(), key)
    return out


def property_key(text: str) -> str:
    """Key of a property as written: "Band gaps" -> "band gap", "Tc" -> the lexicon's key for it."""
    phrases = _property_phrases()
    text = text.strip()
    return phrases.get(text) or phrases.get(text.lower()) or normalize_key(text)
