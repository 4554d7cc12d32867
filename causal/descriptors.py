"""Composition descriptors computed from a formula with element data from mendeleev.

Amount-weighted mean and variance of Pauling electronegativity, atomic mass and atomic radius;
mean valence electrons; transition-metal (d-block) fraction; number of elements. A formula with
symbolic counts (Li1+xCoO2) or an element lacking a value gives None for that descriptor.
"""
from __future__ import annotations

from functools import lru_cache

DESCRIPTORS: dict[str, str] = {
    "n_elements": "number of distinct elements",
    "mean_electronegativity": "amount-weighted mean Pauling electronegativity",
    "var_electronegativity": "amount-weighted variance of Pauling electronegativity",
    "mean_atomic_mass": "amount-weighted mean atomic mass (u)",
    "var_atomic_mass": "amount-weighted variance of atomic mass (u^2)",
    "mean_atomic_radius": "amount-weighted mean atomic radius (pm, mendeleev's atomic_radius)",
    "var_atomic_radius": "amount-weighted variance of atomic radius (pm^2)",
    "mean_valence_electrons": "amount-weighted mean number of valence electrons",
    "transition_metal_fraction": "atomic fraction of d-block elements",
    "alkali_fraction": "atomic fraction of Li, Na, K, Rb, Cs",
    "rare_earth_fraction": "atomic fraction of Sc, Y and the lanthanides",
    "oxygen_fraction": "atomic fraction of O",
}
_ALKALI = frozenset({"Li", "Na", "K", "Rb", "Cs"})
_RARE_EARTH = frozenset({"Sc", "Y", "La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er",
                         "Tm", "Yb", "Lu"})

Table = dict[str, dict[str, float | None]]


@lru_cache(maxsize=1)
def element_table() -> Table:
    """symbol -> {electronegativity, mass, radius, valence, d_block}; mendeleev's bundled database,
    read once (about 2 s)."""
    from mendeleev.fetch import fetch_table

    df = fetch_table("elements")
    out: Table = {}
    for rec in df.to_dict("records"):
        out[str(rec["symbol"])] = {
            "electronegativity": _num(rec.get("en_pauling")),
            "mass": _num(rec.get("atomic_weight")),
            "radius": _num(rec.get("atomic_radius")),
            "valence": float(_valence(int(rec["atomic_number"]), rec.get("block"), _num(rec.get("group_id")))),
            "d_block": 1.0 if rec.get("block") == "d" else 0.0,
        }
    return out


def _num(x: object) -> float | None:
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if v != v else v  # NaN -> None


_NOBLE = (0, 2, 10, 18, 36, 54, 86, 118)


def _valence(z: int, block: object, group: float | None) -> int:
    """Valence electrons counted the way mendeleev's Element.nvalence() does (checked equal for
    Z = 1..103), without its per-element database queries (about 1 s each on a busy machine):
    s and f blocks count the electrons beyond the noble-gas core, the d block its group number,
    the p block its group minus 10."""
    core = max(n for n in _NOBLE if n < z)
    if block == "p" and group is not None:
        return int(group) - 10
    if block == "d" and group is not None:
        return int(group)
    return z - core


def describe(key: str) -> dict[str, float | None]:
    """Descriptors of a material key (a canonical formula); all None when it is not a formula."""
    from nlp.formula import parse_formula

    formula = parse_formula(key)
    out: dict[str, float | None] = dict.fromkeys(DESCRIPTORS)
    if formula is None or formula.symbolic:
        return out
    counts = {el: float(c) for el, c in formula.counts}
    total = sum(counts.values())
    table = element_table()
    if total <= 0 or any(el not in table for el in counts):
        return out
    frac = {el: c / total for el, c in counts.items()}
    out["n_elements"] = float(len(counts))
    for prop, mean_name, var_name in (("electronegativity", "mean_electronegativity", "var_electronegativity"),
                                      ("mass", "mean_atomic_mass", "var_atomic_mass"),
                                      ("radius", "mean_atomic_radius", "var_atomic_radius")):
        values = {el: table[el][prop] for el in frac}
        if any(v is None for v in values.values()):
            continue
        mean = sum(frac[el] * float(values[el] or 0.0) for el in frac)
        out[mean_name] = mean
        out[var_name] = sum(frac[el] * (float(values[el] or 0.0) - mean) ** 2 for el in frac)
    out["mean_valence_electrons"] = sum(frac[el] * float(table[el]["valence"] or 0.0) for el in frac)
    out["transition_metal_fraction"] = sum(frac[el] * float(table[el]["d_block"] or 0.0) for el in frac)
    out["alkali_fraction"] = sum(f for el, f in frac.items() if el in _ALKALI)
    out["rare_earth_fraction"] = sum(f for el, f in frac.items() if el in _RARE_EARTH)
    out["oxygen_fraction"] = frac.get("O", 0.0)
    return out
