"""Normalised keys for what a user types: "TiO2", "titania" or "O2Ti" all find the material O2Ti.

The graph stores materials and properties under the keys the tagger gives them; a curator's
filter goes through the same normalisation so that it matches whatever spelling was written.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

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


@lru_cache(maxsize=None)
def _phrases(etype: str) -> dict[str, str]:
    """The lexicon's phrases of one entity type, as written and lower-cased, to their keys."""
    out: dict[str, str] = {}
    for kind, phrase, key in entries():
        if kind == etype:
            out.setdefault(phrase, key)
            out.setdefault(phrase.lower(), key)
    return out


def property_key(text: str) -> str:
    """Key of a property as written: "Band gaps" -> "band gap", "Tc" -> the lexicon's key for it."""
    return lexicon_key("PRO", text)


def lexicon_key(etype: str, text: str) -> str:
    """Key of a mention of a non-material type as the rules key it: the lexicon's key for a listed
    phrase ("bandgap" -> "band gap"), else the phrase normalised ("XRD patterns" -> "xrd pattern")."""
    phrases = _phrases(etype)
    text = text.strip()
    return phrases.get(text) or phrases.get(text.lower()) or normalize_key(text)


# The seven MatScholar types, which the rules tag and key.
_RULE_TYPES = frozenset({"MAT", "PRO", "APL", "SMT", "CMT", "DSC", "SPL"})


@lru_cache(maxsize=1 << 16)
def mention_key(etype: str, text: str) -> str:
    """Key of a mention found by any tagger, so that the same thing gets one graph node whoever
    found it: a model's "bandgap" is the rules' "band gap", its "titania" the rules' O2Ti. The
    rules tag the mention's text alone, and their key is taken when they find the whole of it as
    one mention of the same type; else the lexicon's or the material key. Types the rules do not
    tag (a model's other heads) keep their text lower-cased."""
    if etype not in _RULE_TYPES:
        return text.lower()
    found = _rules().tag_one(text)
    if len(found) == 1 and found[0].type == etype and found[0].start == 0 and found[0].end == len(text):
        return found[0].key
    return material_key(text) if etype == "MAT" else lexicon_key(etype, text)


@lru_cache(maxsize=1)
def _rules() -> Any:
    from nlp.rules import RuleTagger  # nlp.rules keys its mentions with this module's helpers

    return RuleTagger()
