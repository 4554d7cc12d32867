"""Values in SI units: a normalised unit ("mA h g-1", "°C", "µW cm-1 K-2") converted with pint.

The registry is built on first use (about 0.4 s) and each unit's conversion is worked out once
per process, so converting a quantity is a multiplication. Units pint cannot place (arbitrary
units "a.u.") give None; the written value and unit are always kept beside the SI ones.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Our atom -> pint expression, where the spellings differ (everything else is passed as is).
_ATOMS: dict[str, str] = {
    "°C": "degC", "°F": "degF", "°": "degree", "Å": "angstrom", "Ω": "ohm", "mΩ": "milliohm",
    "kΩ": "kiloohm", "MΩ": "megaohm", "µΩ": "microohm", "%": "percent", "wt%": "percent",
    "at%": "percent", "vol%": "percent", "mol%": "percent", "h": "hour", "d": "day", "min": "minute",
    "M": "mol / liter", "mM": "mmol / liter", "µM": "µmol / liter", "Torr": "torr", "mTorr": "millitorr",
    "emu": "emu_moment", "Oe": "oersted_si", "kOe": "kilooersted_si", "µB": "bohr_magneton",
    "dec": "decade_count", "T": "tesla", "mT": "millitesla", "C": "coulomb", "S": "siemens",
    "a": "year", "rpm": "1 / minute",  # pint's rpm is radians per minute, 2π too many for a frequency
}
_NO_SI = frozenset({"a.u."})
# SI units to state a result in, first match by dimension wins; the rest fall back to base units.
_TARGETS: tuple[tuple[str, str], ...] = (
    ("J", "joule"), ("K", "kelvin"), ("Pa", "pascal"), ("m", "meter"), ("kg", "kilogram"), ("s", "second"),
    ("mol", "mole"), ("A", "ampere"), ("V", "volt"), ("S", "siemens"), ("Ω", "ohm"), ("F", "farad"),
    ("C", "coulomb"), ("W", "watt"), ("Hz", "hertz"), ("T", "tesla"), ("1", "dimensionless"),
    ("S m-1", "siemens / meter"), ("Ω m", "ohm * meter"), ("Ω m2", "ohm * meter ** 2"), ("W m-1 K-1", "watt / meter / kelvin"),
    ("V K-1", "volt / kelvin"), ("W m-1 K-2", "watt / meter / kelvin ** 2"), ("C kg-1", "coulomb / kilogram"),
    ("C m-2", "coulomb / meter ** 2"), ("m2 V-1 s-1", "meter ** 2 / volt / second"),
    ("m2 kg-1", "meter ** 2 / kilogram"), ("kg m-3", "kilogram / meter ** 3"), ("A m2 kg-1", "ampere * meter ** 2 / kilogram"),
    ("A m2", "ampere * meter ** 2"), ("A m-1", "ampere / meter"), ("F kg-1", "farad / kilogram"),
    ("F m-2", "farad / meter ** 2"), ("W kg-1", "watt / kilogram"), ("J kg-1", "joule / kilogram"),
    ("A m-2", "ampere / meter ** 2"), ("V m-1", "volt / meter"), ("m-3", "1 / meter ** 3"), ("K-1", "1 / kelvin"),
    ("J m-3", "joule / meter ** 3"), ("A kg-1", "ampere / kilogram"), ("W m-2", "watt / meter ** 2"),
    ("J kg-1 K-1", "joule / kilogram / kelvin"), ("J mol-1", "joule / mole"), ("J mol-1 K-1", "joule / mole / kelvin"),
    ("Pa m1/2", "pascal * meter ** 0.5"), ("m-1", "1 / meter"), ("K s-1", "kelvin / second"), ("V s-1", "volt / second"),
    ("mol m-3", "mole / meter ** 3"), ("m3", "meter ** 3"), ("m2", "meter ** 2"), ("s-1", "1 / second"),
)
_ANGLES = frozenset({"°"})  # dimensionless to pint, but an angle to a reader: stated in radians
_FACTOR = re.compile(r"(?P<atom>.+?)(?P<exp>-?\d+(?:[./]\d+)?)?$")


@lru_cache(maxsize=1)
def registry() -> Any:
    """pint's registry with the few units materials papers use that pint lacks (emu, SI oersted)."""
    import pint

    ureg: Any = pint.UnitRegistry()
    ureg.define("emu_moment = 1e-3 * ampere * meter ** 2")  # the cgs magnetic moment
    ureg.define("oersted_si = 1000 / (4 * pi) * ampere / meter")  # H field; pint's Oe is Gaussian
    ureg.define("decade_count = 1")  # "mV dec-1": per decade of current
    ureg.define("ppb = 1e-9")
    return ureg


def _exponent(exp: str) -> str:
    if "/" in exp:
        num, den = exp.split("/")
        return f"({num}/{den})"
    return exp


def pint_expression(unit: str) -> str | None:
    """Our normalised unit as a pint expression: "mA h g-1" -> "(mA) * (hour) * (g) ** -1"."""
    if unit in _NO_SI:
        return None
    factors = unit.split(" ")
    parts = []
    for f in factors:
        m = _FACTOR.match(f)
        if m is None:
            return None
        atom, exp = m.group("atom"), m.group("exp")
        if atom in ("°C", "°F") and len(factors) > 1:
            name = "delta_degC" if atom == "°C" else "delta_degF"  # a rate "°C min-1" is a difference
        else:
            name = _ATOMS.get(atom, atom.replace("µ", "u"))
        parts.append(f"({name})" + (f" ** {_exponent(exp)}" if exp else ""))
    return " * ".join(parts)


@lru_cache(maxsize=1024)
def _conversion(unit: str) -> tuple[float, float, str] | None:
    """(scale, offset, si_unit) with si = value * scale + offset, or None when pint cannot say."""
    expr = pint_expression(unit)
    if expr is None:
        return None
    ureg = registry()
    try:
        one = ureg.Quantity(1.0, expr)
        zero = ureg.Quantity(0.0, expr)
        base = one.to_base_units()
        targets = (("rad", "radian"),) if unit in _ANGLES else _TARGETS
        for name, target in targets:
            t = ureg.Quantity(1.0, target)
            if t.dimensionality == base.dimensionality:
                hi, lo = one.to(target).magnitude, zero.to(target).magnitude
                return float(hi - lo), float(lo), name
    except Exception:  # noqa: BLE001 - pint raises many kinds; an unknown unit simply has no SI value
        return None
    return None


def _tidy(x: float) -> float:
    """Drop binary noise from a converted value (999.9999999999999 -> 1000.0)."""
    return float(f"{x:.12g}")


def to_si(value: float, unit: str | None) -> tuple[float, str] | None:
    """`value` in `unit` as (SI value, SI unit); None for unitless numbers and unknown units."""
    if unit is None:
        return None
    conv = _conversion(unit)
    if conv is None:
        return None
    scale, offset, si_unit = conv
    return _tidy(value * scale + offset), si_unit
