"""Candidate dopant-host pairs of the learned linker (nlp.relations.dopants, nlp.relations.phrases):
class and compound dopants, hosts named by words and "A:B" forms reach the scorer as candidates."""
from __future__ import annotations

import pytest

from nlp.doping import dopant_key
from nlp.records import Sentence
from nlp.relations.dopants import pairs
from nlp.relations.phrases import colon_parts


def _pairs(text: str) -> set[tuple[str, str]]:
    s = Sentence(text, 0, len(text), 0, None, ())
    return {(p.host.text, p.dopant.text) for p in pairs(s, [])}


@pytest.mark.parametrize("text, pair", [
    ("TL, OSL and RL emission spectra of RE-doped LiMgPO4 crystals.", ("LiMgPO4", "RE")),
    ("The alkaline-earth-doped LaErO3 is mainly a protonic conductor.", ("LaErO3", "alkaline-earth")),
    ("Effect of organic dopants on ZTS single crystals.", ("ZTS", "organic")),
    ("We report silica planar waveguides doped with Er3+, and co-doped with GeO2 and Al2O3.", ("silica", "Al2O3")),
    ("Domain reversal in the lithium niobate doped with MgO.", ("lithium niobate", "MgO")),
    ("Sm3+ improves the cell by doping Sm3+ ions into perovskite halide.", ("perovskite halide", "Sm3+")),
    ("It was found that doping of lanthanum in LDH structures led to poor crystallinity.", ("LDH structures", "lanthanum")),
    ("Phosphor thermometry applying Dy:YAG and Dy:Er:YAG particles.", ("YAG", "Dy")),
    ("Domain structures of highly doped LiNbO3:Mg,Fe single crystals.", ("LiNbO3", "Mg,Fe")),
    ("Fabrication of Highly Oriented ZnO : Eu Films by Sol-Gel Process.", ("ZnO", "Eu")),
    ("The simultaneous doping of nitrogen, boron, and fluorine in TiO2 by a microwave route.", ("TiO2", "fluorine")),
    ("Manganese-doped ZnAl2O4 (gahnite) samples were prepared.", ("gahnite", "Manganese")),
])
def test_the_written_pair_is_a_candidate(text: str, pair: tuple[str, str]) -> None:
    assert pair in _pairs(text)


def test_dysprosium_is_an_element_and_erx_is_erbium() -> None:
    assert (dopant_key("Dy"), dopant_key("Y"), dopant_key("Erx"), dopant_key("Dyx")) == ("Dy", "Y", "Er", "Dy")


def test_a_ratio_or_a_time_is_no_colon_form() -> None:
    text = "Cells were cycled 10:30 h and Dy:YAG glowed."
    assert [text[a:b] for a, b in colon_parts(text)] == ["Dy", "YAG"]
