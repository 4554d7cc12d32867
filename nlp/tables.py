"""Property facts from tables: a column of materials and columns headed by a property and its unit.

Each data row becomes one text line, "Material: GaN | Band gap (eV): 3.39 | Crystal structure:
wurtzite", tagged like any sentence and stored as one, so a table fact points at the row it
came from exactly as a text fact points at its sentence. The material column is the one whose
cells are materials in most rows; a property column is one whose header names a measurable
property, with the unit in the header ("Band gap (eV)", "Tc / K", "σ [S cm-1]") or in the
cells. A "structure" or "phase" column gives each fact of its row a phase.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.records import Table
from nlp.fact_context import prefix_phase
from nlp.facts import fits, property_dimensions
from nlp.lexicon import normalize_key
from nlp.quantities import find_quantities, with_si
from nlp.records import Measurement, Mention, Quantity, Sentence
from nlp.units import match_unit

METHOD = "facts.table.v1"
CONFIDENCE = 0.85
_SEP = " | "
# A unit at the end of a header: "Band gap (eV)", "Tc / K", "σ [S cm-1]", "Capacity, mA h g-1"
_HEADER_UNIT = re.compile(r"\s*(?:\(([^()]+)\)|\[([^\[\]]+)\]|/\s*([^/]+)|,\s*([^,]+))\s*$")
_MATERIAL_HEADER = re.compile(
    r"\b(?:materials?|compounds?|composition|samples?|system|formula|electrolyte|cathode|anode|catalyst|"
    r"semiconductor|host|absorber|alloy)\b", re.IGNORECASE)
_PHASE_HEADER = re.compile(r"\b(?:structure|phase|polymorph|crystal system|symmetry|space group)\b", re.IGNORECASE)
# Symbols used as column headers for properties the tagger reads only in running text.
_HEADER_SYMBOLS: dict[str, str] = {
    "tc": "critical temperature", "t c": "critical temperature", "eg": "band gap", "e g": "band gap",
    "gap": "band gap", "σ": "conductivity", "κ": "thermal conductivity", "zt": "figure of merit",
    "tn": "neel temperature", "ms": "magnetization", "hc": "coercivity", "ρ": "resistivity",
    "a": "lattice parameter", "voc": "open-circuit voltage", "jsc": "short-circuit current",
    "pce": "power conversion efficiency", "ff": "fill factor",
}


@dataclass(frozen=True)
class Cell:
    header: str
    header_start: int  # offsets into the row's text
    header_end: int
    start: int
    end: int


@dataclass(frozen=True)
class Row:
    """One data row written as text, with where each header and cell sits in that text."""

    table: int
    text: str
    cells: tuple[Cell, ...]


def _header(table: Table) -> tuple[list[str], int]:
    if not table.rows:
        return [], 0
    n = table.header_rows
    if n == 0 and not any(re.search(r"\d", c) for c in table.rows[0][1:]):
        n = 1  # a first row of words over rows of numbers is a header, marked or not
    if n == 0:
        return [], 0
    width = max(len(r) for r in table.rows)
    names = [" ".join(r[i].strip() for r in table.rows[:n] if i < len(r) and r[i].strip()) for i in range(width)]
    return names, n


def table_rows(tables: Sequence[Table]) -> list[Row]:
    """The data rows of every table with a header, as text lines (see the module docstring)."""
    out = []
    for t, table in enumerate(tables):
        names, n = _header(table)
        if not names:
            continue
        for row in table.rows[n:]:
            text, cells = "", []
            for name, value in zip(names, row):
                value = " ".join(value.split())
                if not value or not name:
                    continue
                if text:
                    text += _SEP
                hs = len(text)
                text += f"{name}: "
                cs = len(text)
                text += value
                cells.append(Cell(name, hs, hs + len(name), cs, len(text)))
            if len(cells) >= 2:
                out.append(Row(t, text, tuple(cells)))
    return out


def header_unit(header: str) -> tuple[str, str | None]:
    """(header without its unit, normalised unit) for "Band gap (eV)" -> ("Band gap", "eV")."""
    m = _HEADER_UNIT.search(header)
    if m:
        written = next(g for g in m.groups() if g is not None).strip()
        hit = match_unit(written, 0)
        if hit is not None and hit[0] == len(written):
            return header[: m.start()].strip(), hit[1]
    return header.strip(), None


def material_column(rows: Sequence[Row], mentions: Sequence[Sequence[Mention]]) -> str | None:
    """The header of the column whose cells are materials in most rows (ties: a material-like header)."""
    votes: dict[str, float] = {}
    for row, ms in zip(rows, mentions):
        for c in row.cells:
            if _cell_material(row, c, ms) is not None:
                votes[c.header] = votes.get(c.header, 0) + 1 + (0.5 if _MATERIAL_HEADER.search(c.header) else 0)
    if not votes:
        return None
    best = max(votes, key=lambda h: (votes[h], -_order(rows, h)))
    return best if votes[best] >= len(rows) / 2 else None


def _order(rows: Sequence[Row], header: str) -> int:
    return next((i for i, c in enumerate(rows[0].cells) if c.header == header), 99) if rows else 99


def _cell_material(row: Row, cell: Cell, mentions: Sequence[Mention]) -> Mention | None:
    inside = [m for m in mentions if m.type == "MAT" and cell.start <= m.start and m.end <= cell.end]
    if not inside:
        return None
    letters = len(re.sub(r"\W", "", row.text[cell.start : cell.end]))
    first = inside[0]
    return first if len(re.sub(r"\W", "", first.text)) >= 0.5 * letters else None


def _property(row: Row, cell: Cell, mentions: Sequence[Mention]) -> tuple[Mention, str | None] | None:
    name, unit = header_unit(cell.header)
    in_header = [m for m in mentions if m.type == "PRO" and cell.header_start <= m.start and m.end <= cell.header_end]
    props = [m for m in in_header if property_dimensions(m.key)]
    if props:
        return props[0], unit
    key = _HEADER_SYMBOLS.get(normalize_key(name).replace("_", " "))
    if key is None:
        return None
    return Mention("PRO", name, cell.header_start, cell.header_start + len(name), key, METHOD, 0.7), unit


def _value(row: Row, cell: Cell, unit: str | None) -> Quantity | None:
    qs = find_quantities(row.text[cell.start : cell.end])
    if not qs:
        return None
    q = qs[0]
    shift = cell.start
    q = Quantity(q.text, q.start + shift, q.end + shift, q.value, q.unit or unit, q.low, q.high, q.error)
    return with_si(q)


def _phase(row: Row, mentions: Sequence[Mention]) -> str | None:
    for c in row.cells:
        if _PHASE_HEADER.search(c.header):
            found = [m for m in mentions if m.type == "SPL" and c.start <= m.start and m.end <= c.end]
            if found:
                return found[0].key
    return None


def row_measurements(index: int, s: Sentence, row: Row, material_header: str | None) -> list[Measurement]:
    """Facts of one row (`index`: its sentence's index), given its table's material column."""
    mat_cell = next((c for c in row.cells if c.header == material_header), None)
    if mat_cell is None:
        return []
    mat = _cell_material(row, mat_cell, s.mentions)
    if mat is None:
        return []
    phase = prefix_phase(mat.text) or _phase(row, s.mentions)
    out = []
    for c in row.cells:
        if c is mat_cell:
            continue
        found = _property(row, c, s.mentions)
        if found is None:
            continue
        prop, unit = found
        q = _value(row, c, unit)
        if q is not None and fits(prop, q):
            out.append(Measurement(index, mat, prop, q, METHOD, CONFIDENCE, phase=phase))
    return out
