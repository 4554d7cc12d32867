"""The rule-based tagger "ner.rules.v1": lexicon phrases, formulas and material names.

Longest match wins; among equally long candidates, case-sensitive abbreviations beat
formulas, which beat case-insensitive phrases. Deterministic and dependency-light, it is the
baseline that learned taggers are measured against.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from nlp.context import abbreviation_candidates, helium_candidates, ratio_candidates, structure_type_candidates
from nlp.lexicon import case_sensitive, entries, plural
from nlp.materials import (
    Candidate,
    anion_candidates,
    compound_name_candidates,
    formula_candidates,
    steel_grade_candidates,
    system_candidates,
)
from nlp.names import AMBIGUOUS_ELEMENT_NAMES, REAGENTS, abbreviation_keys, material_names
from nlp.phrases import phrase_candidates, space_group_candidates
from nlp.pieces import Piece, split_pieces
from nlp.records import Mention
from nlp.registry import register

_END = "\0"  # trie key that holds the (type, key, confidence) of a phrase ending at this node
Trie = dict[str, Any]


@dataclass
class _Tries:
    folded: Trie = field(default_factory=dict)  # case-insensitive phrases, keyed by Piece.fold
    exact: Trie = field(default_factory=dict)  # abbreviations, keyed by Piece.text


def _phrase_keys(phrase: str, exact: bool) -> list[str]:
    return [p.text if exact else p.fold for p in split_pieces(phrase)]


def _insert(trie: Trie, keys: list[str], value: tuple[str, str, float]) -> None:
    node = trie
    for k in keys:
        node = node.setdefault(k, {})
    node.setdefault(_END, value)  # the first phrase written for a key sequence wins


def _build_tries() -> _Tries:
    tries = _Tries()
    rows: list[tuple[str, str, str, float]] = [(t, p, k, 0.8) for t, p, k in entries()]
    names = {**material_names(), **abbreviation_keys()}
    rows += [("MAT", n, k, 0.5 if n in REAGENTS else 0.85) for n, k in names.items() if n not in AMBIGUOUS_ELEMENT_NAMES]
    generated: list[tuple[Trie, list[str], tuple[str, str, float]]] = []
    for etype, phrase, key, conf in rows:
        exact = case_sensitive(phrase)
        keys = _phrase_keys(phrase, exact)
        if not keys:
            continue
        trie = tries.exact if exact else tries.folded
        _insert(trie, keys, (etype, key, conf))
        generated.append((trie, keys[:-1] + [keys[-1] + "s" if exact else plural(keys[-1])], (etype, key, conf)))
    for trie, keys, value in generated:  # plurals never displace a phrase written out
        _insert(trie, keys, value)
    return tries


def _trie_candidates(pieces: list[Piece], trie: Trie, exact: bool, priority: int) -> list[Candidate]:
    out = []
    for i in range(len(pieces)):
        node = trie
        for j in range(i, len(pieces)):
            nxt = node.get(pieces[j].text if exact else pieces[j].fold)
            if nxt is None:
                break
            node = nxt
            if _END in node:
                etype, key, conf = node[_END]
                out.append(Candidate(i, j, etype, key, priority, conf))
    return out


def _resolve(pieces: list[Piece], cands: list[Candidate]) -> list[Candidate]:
    """Longest span first (in characters), then priority, then leftmost; no overlaps."""
    def length(c: Candidate) -> int:
        return pieces[c.last].end - pieces[c.first].start

    chosen: list[Candidate] = []
    taken = [False] * len(pieces)
    for c in sorted(cands, key=lambda c: (-length(c), -c.priority, c.first)):
        if any(taken[c.first : c.last + 1]):
            continue
        for k in range(c.first, c.last + 1):
            taken[k] = True
        chosen.append(c)
    return sorted(chosen, key=lambda c: c.first)


def _uncrossed(phrases: list[Candidate], lexical: list[Candidate]) -> list[Candidate]:
    """Compositional phrases that do not cut through a listed phrase: "rock salt structure" is
    "rock salt" + "structure", never "rock" + "salt structure"."""
    starts_before = [(c.first, c.last) for c in lexical if c.last > c.first]
    return [p for p in phrases if not any(f < p.first <= l < p.last for f, l in starts_before)]


def _merge_descriptors(chosen: list[Candidate]) -> list[Candidate]:
    """Adjacent descriptors form one: "porous" + "nanorods" -> "porous nanorods"."""
    out: list[Candidate] = []
    for c in chosen:
        prev = out[-1] if out else None
        if prev and prev.type == c.type == "DSC" and prev.last + 1 == c.first:
            conf = min(prev.confidence, c.confidence)
            out[-1] = Candidate(prev.first, c.last, "DSC", f"{prev.key} {c.key}", prev.priority, conf)
        else:
            out.append(c)
    return out


class RuleTagger:
    """Tags the seven MatScholar entity types with phrase lists and formula rules."""

    name = "ner.rules.v1"

    def __init__(self) -> None:
        self._tries: _Tries | None = None  # built on the first call to tag()

    def _get_tries(self) -> _Tries:
        if self._tries is None:
            self._tries = _build_tries()
        return self._tries

    def tag(self, sentences: Sequence[str]) -> list[list[Mention]]:
        return [self.tag_one(s) for s in sentences]

    def tag_one(self, sentence: str) -> list[Mention]:
        tries = self._get_tries()
        pieces = split_pieces(sentence)
        cands = _trie_candidates(pieces, tries.exact, True, 3)
        cands += _trie_candidates(pieces, tries.folded, False, 1)
        cands += formula_candidates(pieces)
        cands += compound_name_candidates(pieces)
        cands += system_candidates(pieces)
        cands += anion_candidates(pieces)
        cands += steel_grade_candidates(pieces)
        cands += ratio_candidates(pieces)
        cands += helium_candidates(pieces)
        cands += _uncrossed(phrase_candidates(pieces), cands)
        cands += space_group_candidates(sentence, pieces)
        chosen = _resolve(pieces, cands)
        extra = abbreviation_candidates(pieces, chosen) + structure_type_candidates(pieces, chosen)
        if extra:
            chosen = _resolve(pieces, extra + chosen)
        chosen = _merge_descriptors(chosen)
        out = []
        for c in chosen:
            start, end = pieces[c.first].start, pieces[c.last].end
            out.append(Mention(c.type, sentence[start:end], start, end, c.key, self.name, c.confidence))
        return out


@register("ner.rules.v1")
def make_rule_tagger() -> RuleTagger:
    return RuleTagger()

