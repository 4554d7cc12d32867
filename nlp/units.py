"""Units of measurement found after numbers in materials papers, and their normalised forms.

Normalised units are ASCII-ish: factors separated by one space, exponents as "-1"/"2",
"/" folded into negative exponents ("S/cm" -> "S cm-1", "mAh/g" -> "mA h g-1"). A few
non-ASCII symbols are kept because they are unambiguous and universal: "°C", "°", "µ"
(micro sign U+00B5; the Greek mu is mapped onto it), "Å" and "Ω".
"""
from __future__ import annotations

import re
from functools import lru_cache

# Written variant -> (normalised atom, dimension). Composite atoms ("mAh") expand to factors.
_ATOMS: dict[str, tuple[str, str]] = {}


def _add(dimension: str, *forms: str, norm: str | None = None) -> None:
    for f in forms:
        _ATOMS[f] = (norm or forms[0], dimension)


# energy
_add("energy", "eV"); _add("energy", "meV"); _add("energy", "keV"); _add("energy", "MeV")
_add("energy", "J"); _add("energy", "kJ"); _add("energy", "mJ"); _add("energy", "µJ")
_add("energy", "kcal"); _add("energy", "cal")
# temperature
_add("temperature", "K"); _add("temperature", "mK")
_add("temperature", "°C", "° C", "ºC", "º C", "℃", "degC", "deg C", "oC", norm="°C")
_add("temperature", "°F", norm="°F")
# pressure and stress
for u in ("Pa", "kPa", "MPa", "GPa", "bar", "mbar", "atm", "Torr", "mTorr", "psi"):
    _add("pressure", u)
_add("pressure", "torr", norm="Torr")
# length, area-like bases
for u in ("m", "cm", "mm", "µm", "nm", "pm", "km"):
    _add("length", u)
_add("length", "μm", "um", norm="µm")
_add("length", "Å", "Å", "angstrom", "angstroms", norm="Å")
# mass, amount, concentration
for u in ("g", "mg", "kg", "µg"):
    _add("mass", u)
_add("mass", "μg", norm="µg")
for u in ("mol", "mmol", "µmol"):
    _add("amount", u)
for u in ("M", "mM", "µM", "ppm", "ppb"):
    _add("concentration", u)
for u in ("L", "mL", "µL"):
    _add("volume", u)
_add("volume", "ml", norm="mL"); _add("volume", "μL", "ul", norm="µL")
_add("fraction", "%"); _add("fraction", "wt%", "wt.%", "wt %", "wt. %", norm="wt%")
_add("fraction", "at%", "at.%", "at %", "at. %", norm="at%")
_add("fraction", "vol%", "vol.%", "vol %", norm="vol%"); _add("fraction", "mol%", "mol.%", "mol %", norm="mol%")
# time
for u in ("s", "ms", "µs", "ns", "ps", "fs", "min", "h"):
    _add("time", u)
_add("time", "hr", "hrs", "hours", "hour", norm="h"); _add("time", "minutes", "minute", "mins", norm="min")
_add("time", "seconds", "second", "sec", norm="s"); _add("time", "days", "day", norm="d")
# electrical
for u in ("S", "mS", "µS", "V", "mV", "kV", "MV", "µV", "A", "mA", "µA", "nA", "kA", "MA", "F", "mF", "µF", "nF",
          "pF", "C", "mC", "µC", "nC"):
    _add("electrical", u)
_add("electrical", "Ω", "Ω", "ohm", "ohms", "Ohm", "Ohms", norm="Ω"); _add("electrical", "mΩ", norm="mΩ")
_add("electrical", "kΩ", norm="kΩ"); _add("electrical", "MΩ", norm="MΩ")
_add("electrical", "μV", norm="µV"); _add("electrical", "μA", norm="µA"); _add("electrical", "μF", norm="µF")
_add("electrical", "μC", norm="µC")
# power, frequency, magnetism, angle, misc
for u in ("W", "mW", "µW", "kW", "MW"):
    _add("power", u)
_add("power", "μW", norm="µW")
for u in ("Hz", "kHz", "MHz", "GHz", "THz"):
    _add("frequency", u)
for u in ("T", "mT", "Oe", "kOe", "emu", "µB"):
    _add("magnetic", u)
_add("magnetic", "μB", norm="µB")
_add("angle", "°", "deg", "degree", "degrees", norm="°")
_add("dose", "Gy"); _add("speed", "rpm")
_add("energy", "a.u.", norm="a.u.")  # arbitrary units: dimensionless in practice

# Composite atoms written without a space; expanded to factors when normalised.
_COMPOSITE: dict[str, tuple[str, ...]] = {
    "mAh": ("mA", "h"), "Ah": ("A", "h"), "Wh": ("W", "h"), "kWh": ("kW", "h"),
    "mWh": ("mW", "h"), "µAh": ("µA", "h"),
}
# Pairs of factors that belong together even without a negative exponent ("150 mA h").
_PAIRS = frozenset({("mA", "h"), ("A", "h"), ("W", "h"), ("kW", "h"), ("mW", "h"), ("Ω", "cm"),
                    ("Ω", "m"), ("mΩ", "cm"), ("kΩ", "cm"), ("µΩ", "cm")})

# Normalised unit -> dimension for compound units that properties are checked against.
COMPOUND_DIMENSIONS: dict[str, str] = {
    "mA h g-1": "specific_capacity", "A h g-1": "specific_capacity", "mA h cm-2": "areal_capacity",
    "mA h": "capacity", "A h": "capacity",
    "S cm-1": "conductivity", "S m-1": "conductivity", "mS cm-1": "conductivity",
    "µS cm-1": "conductivity", "Ω cm": "resistivity", "Ω m": "resistivity", "mΩ cm": "resistivity",
    "µΩ cm": "resistivity", "Ω-1 cm-1": "conductivity", "Ω cm2": "area_resistance", "mΩ cm2": "area_resistance",
    "Ω cm-2": "area_resistance",  # a common slip for Ω cm2
    "W cm-2": "power_density_area",
    "W m-1 K-1": "thermal_conductivity", "mW m-1 K-1": "thermal_conductivity",
    "µW cm-1 K-2": "power_factor", "mW m-1 K-2": "power_factor", "µW m-1 K-2": "power_factor",
    "W m-1 K-2": "power_factor", "µV K-1": "seebeck", "mV K-1": "seebeck", "V K-1": "seebeck",
    "cm2 V-1 s-1": "mobility", "m2 g-1": "surface_area", "g cm-3": "density",
    "kg m-3": "density", "emu g-1": "magnetization", "A m2 kg-1": "magnetization", "emu cm-3": "magnetization",
    "F g-1": "specific_capacitance", "mF cm-2": "areal_capacitance", "W kg-1": "power_density",
    "W h kg-1": "energy_density", "mA cm-2": "current_density", "A cm-2": "current_density",
    "kA cm-2": "current_density", "MA cm-2": "current_density", "A m-2": "current_density",
    "µC cm-2": "charge_density", "mC cm-2": "charge_density", "C m-2": "charge_density",
    "MV cm-1": "electric_field", "kV cm-1": "electric_field", "V cm-1": "electric_field",
    "V m-1": "electric_field", "kV mm-1": "electric_field", "cm-3": "number_density",
    "m-3": "number_density", "K-1": "inverse_temperature", "kJ m-3": "energy_product",
    "MJ m-3": "energy_product",
    "mA g-1": "current_rate", "A g-1": "current_rate", "mW cm-2": "power_density_area",
    "kJ mol-1": "molar_energy", "J mol-1": "molar_energy", "kcal mol-1": "molar_energy",
    "J g-1 K-1": "heat_capacity", "J kg-1 K-1": "heat_capacity", "J mol-1 K-1": "heat_capacity",
    "MPa m1/2": "toughness", "MPa m0.5": "toughness", "cm-1": "wavenumber", "K min-1": "rate",
    "°C min-1": "rate", "mV s-1": "scan_rate", "V s-1": "scan_rate", "mV dec-1": "tafel_slope",
}

_SUPER = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_DASHES = str.maketrans({"−": "-", "–": "-", "‐": "-", "‑": "-", "—": "-"})
_EXP = r"(?:\^?[-−–]?\d(?:/\d)?|[⁻]?[¹²³⁴⁵⁶⁷⁸⁹])?"


@lru_cache(maxsize=1)
def unit_regex() -> re.Pattern[str]:
    """One unit factor: an atom with its exponent, not followed by a letter. Built on first use."""
    forms = sorted(list(_ATOMS) + list(_COMPOSITE) + ["dec"], key=len, reverse=True)
    atom = "|".join(re.escape(f) for f in forms)
    return re.compile(rf"(?P<atom>{atom})(?P<exp>{_EXP})(?![A-Za-zµμ%])")


@lru_cache(maxsize=1)
def glued_regex() -> re.Pattern[str]:
    """Two factors written together, the second with a negative exponent ("mWcm−2")."""
    forms = sorted(_ATOMS, key=len, reverse=True)
    atom = "|".join(re.escape(f) for f in forms if f.replace(".", "").isalpha() or f in ("Ω", "Å"))
    return re.compile(rf"(?P<a>{atom})(?P<b>{atom})(?P<exp>[-−–]\d|⁻[¹²³⁴⁵⁶⁷⁸⁹])(?![A-Za-zµμ%\d])")


def _factor_at(text: str, pos: int) -> re.Match[str] | None:
    m = unit_regex().match(text, pos)
    if m and m.group("atom") in ("%",) and m.group("exp"):
        return None
    return m


def _norm_exp(exp: str) -> str:
    e = exp.translate(_SUPER).translate(_DASHES).lstrip("^")
    return "" if e == "1" else e


def _factors(atom: str, exp: str) -> list[tuple[str, str]]:
    if atom in _COMPOSITE:
        parts = list(_COMPOSITE[atom])
        return [(p, "") for p in parts[:-1]] + [(parts[-1], _norm_exp(exp))]
    norm = _ATOMS[atom][0] if atom in _ATOMS else atom
    return [(norm, _norm_exp(exp))]


def _negate(exp: str) -> str:
    if not exp:
        return "-1"
    return exp[1:] if exp.startswith("-") else "-" + exp


def match_unit(text: str, pos: int) -> tuple[int, str] | None:
    """The longest unit starting at `pos`: (end offset, normalised unit), or None.

    Factors separated by plain spaces are joined only when the result reads as one compound
    unit (a negative exponent follows, or a known pair like "mA h"), so "5 h in air" stays "h".
    """
    m = _factor_at(text, pos)
    if m is not None:
        factors = _factors(m.group("atom"), m.group("exp"))
        end = m.end()
    else:
        g = glued_regex().match(text, pos)  # "Wcm−2", "Scm−1": no space before a per-unit factor
        if g is None:
            return None
        factors = _factors(g.group("a"), "") + _factors(g.group("b"), g.group("exp"))
        end = g.end()
    while True:
        sep = re.compile(r"\s?([/·⋅∙•.])\s?|\s").match(text, end)
        if not sep:
            break
        nxt = _factor_at(text, sep.end())
        if nxt is None:
            break
        new = _factors(nxt.group("atom"), nxt.group("exp"))
        slash = sep.group(1) == "/"
        if slash:
            new = [(a, _negate(e)) for a, e in new]
        explicit = sep.group(1) in ("/", "·", "⋅", "∙", "•")
        if sep.group(1) == "." and not sep.group(0) == ".":
            break
        joined = explicit or any(e.startswith("-") for _, e in new) or (factors[-1][0], new[0][0]) in _PAIRS
        if not joined and _continues_negative(text, nxt.end()):
            joined = (factors[-1][0], new[0][0]) not in {("h", "s")}
        if not joined:
            break
        factors += new
        end = nxt.end()
    return end, " ".join(a + e for a, e in factors)


def _continues_negative(text: str, pos: int) -> bool:
    """Whether a factor with a negative exponent follows ("mA h g-1", "A m2 kg-1")."""
    sep = re.compile(r"\s").match(text, pos)
    if not sep:
        return False
    m = _factor_at(text, sep.end())
    return bool(m and _norm_exp(m.group("exp")).startswith("-"))


def dimension(unit: str | None) -> str | None:
    """Dimension of a normalised unit ("eV" -> "energy", "S cm-1" -> "conductivity")."""
    if unit is None:
        return None
    if unit in COMPOUND_DIMENSIONS:
        return COMPOUND_DIMENSIONS[unit]
    return _atom_dimensions().get(unit, "other")


@lru_cache(maxsize=1)
def _atom_dimensions() -> dict[str, str]:
    return {norm: dim for norm, dim in _ATOMS.values()}
