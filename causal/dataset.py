"""A declared YAML spec -> one table for causal discovery, with a missingness report.

The spec names the unit of analysis (`material` or `recipe`), its variables, how missing values
are handled, and the background knowledge (tiers, forbidden and required edges). See
docs/causal/*/spec.yaml for worked examples.
"""
from __future__ import annotations

import hashlib
import math
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from causal import CausalError
from causal.algorithms import ALGORITHMS, Background
from causal.descriptors import DESCRIPTORS, describe
from graph import cypher
from graph.store import GraphStore

KINDS = ("descriptor", "property", "application", "synthesis", "precursors")
SYNTHESIS_FEATURES = {
    "max_temperature": "highest heating temperature of the recipe (K)",
    "total_heating_time": "summed time of its heating steps (s)",
    "n_heating_steps": "number of heating operations",
    "reducing_atmosphere": "1 if any step is under H2, CO, NH3 or forming gas",
    "inert_atmosphere": "1 if any step is under Ar, N2 or vacuum (and none reducing)",
}
PRECURSOR_FEATURES = {
    "n_precursors": "number of distinct precursors",
    "carbonate_fraction": "share of precursors holding C and O (carbonates, oxalates, acetates)",
    "nitrate_fraction": "share of precursors holding N and O (nitrates)",
    "oxide_fraction": "share of precursors that are binary oxides",
}
# atmosphere names as the recipes dataset writes them (lower-cased)
_REDUCING = frozenset({"hydrogen", "h2", "carbon monoxide", "co", "ammonia", "nh3", "forming gas", "thermal carbon"})
_INERT = frozenset({"argon", "ar", "nitrogen", "n2", "vacuum", "helium"})


@dataclass(frozen=True)
class Variable:
    name: str
    kind: str
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def description(self) -> str:
        o = self.options
        if self.kind == "descriptor":
            return DESCRIPTORS[o["descriptor"]] + (" of the target" if o.get("of_target") else "")
        if self.kind == "property":
            return f"{o['property']} ({o.get('unit') or 'SI'}) from source {o.get('source') or 'any'}, {o.get('aggregate', 'median')} per material"
        if self.kind == "application":
            return f"1 if the material is co-mentioned with {o['application']!r} in the corpus"
        if self.kind == "synthesis":
            return SYNTHESIS_FEATURES[o["feature"]]
        return PRECURSOR_FEATURES[o["feature"]]


@dataclass(frozen=True)
class Spec:
    name: str
    unit: str
    variables: tuple[Variable, ...]
    source: str | None = None  # recipe unit: which linked recipes
    missing: str = "drop"  # "drop" rows with any missing value, or "median" imputation
    background: Background = Background()
    algorithms: tuple[str, ...] = ("pc-fisherz", "fci", "ges", "lingam")
    alpha: float = 0.05
    resamples: int = 30
    max_rows: int | None = None  # a random subsample, for quick looks
    kci_max_n: int = 300  # rows KCI subsamples to (see algorithms.Settings)
    description: str = ""
    caveats: tuple[str, ...] = ()
    text: str = ""  # the spec as written, stored with the analysis


def _variable(raw: dict[str, Any]) -> Variable:
    name, kind = raw.get("name"), raw.get("kind")
    if not isinstance(name, str) or kind not in KINDS:
        raise CausalError(f"each variable needs a name and a kind in {KINDS}: {raw}")
    opts = {k: v for k, v in raw.items() if k not in ("name", "kind")}
    if kind == "descriptor":
        opts.setdefault("descriptor", name)
        if opts["descriptor"] not in DESCRIPTORS:
            raise CausalError(f"{name}: unknown descriptor {opts['descriptor']!r}; known: {', '.join(DESCRIPTORS)}")
    elif kind == "property" and "property" not in opts:
        raise CausalError(f"{name}: a property variable names its `property`")
    elif kind == "application" and "application" not in opts:
        raise CausalError(f"{name}: an application variable names its `application`")
    elif kind in ("synthesis", "precursors"):
        opts.setdefault("feature", name)
        known = SYNTHESIS_FEATURES if kind == "synthesis" else PRECURSOR_FEATURES
        if opts["feature"] not in known:
            raise CausalError(f"{name}: unknown {kind} feature {opts['feature']!r}; known: {', '.join(known)}")
    if opts.get("transform") not in (None, "log10"):
        raise CausalError(f"{name}: transform must be log10 or absent")
    return Variable(name, kind, opts)


def load_spec(path: Path) -> Spec:
    import yaml

    text = path.read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    if not isinstance(raw, dict):
        raise CausalError(f"{path}: a spec is a YAML mapping")
    return parse_spec(raw, text)


def parse_spec(raw: dict[str, Any], text: str = "") -> Spec:
    unit = raw.get("unit")
    if unit not in ("material", "recipe"):
        raise CausalError("spec `unit` must be `material` or `recipe`")
    variables = tuple(_variable(v) for v in raw.get("variables") or [])
    names = [v.name for v in variables]
    if len(names) < 2 or len(set(names)) != len(names):
        raise CausalError("a spec needs at least two variables with distinct names")
    if unit == "material" and not any(v.kind == "property" for v in variables):
        raise CausalError("a material spec needs a property variable: its materials are the rows")
    if unit == "recipe" and any(v.kind in ("property", "application") for v in variables):
        raise CausalError("recipe specs take descriptor (of the target), synthesis and precursors variables")
    tiers = {name: t for t, group in enumerate(raw.get("tiers") or []) for name in group}
    pairs = {k: tuple((str(a), str(b)) for a, b in raw.get(k) or []) for k in ("forbidden", "required")}
    for name in list(tiers) + [n for k in pairs for p in pairs[k] for n in p]:
        if name not in names:
            raise CausalError(f"background knowledge names {name!r}, which is not a variable")
    algorithms = tuple(raw.get("algorithms") or Spec.algorithms)
    for a in algorithms:
        if a not in ALGORITHMS:
            raise CausalError(f"unknown algorithm {a!r}; choose from {', '.join(ALGORITHMS)}")
    missing = raw.get("missing", "drop")
    if missing not in ("drop", "median"):
        raise CausalError("`missing` must be `drop` or `median`")
    return Spec(str(raw.get("name") or "analysis"), unit, variables, raw.get("source"), missing,
                Background(tiers, pairs["forbidden"], pairs["required"]), algorithms,
                float(raw.get("alpha", 0.05)), int(raw.get("resamples", 30)), raw.get("max_rows"),
                int(raw.get("kci_max_n", 300)), str(raw.get("description") or ""), tuple(raw.get("caveats") or ()),
                text)


@dataclass(frozen=True)
class Dataset:
    spec: Spec
    names: tuple[str, ...]
    rows: tuple[str, ...]  # material keys or synthesis ids
    data: np.ndarray
    rows_found: int
    missing: dict[str, int]  # per variable, before handling
    handling: str

    @property
    def data_hash(self) -> str:
        digest = hashlib.sha256("\x1f".join(self.names).encode())
        digest.update(np.ascontiguousarray(self.data).tobytes())
        return digest.hexdigest()[:16]

    def missingness(self) -> list[dict[str, Any]]:
        return [{"variable": v, "missing": self.missing[v],
                 "share": round(self.missing[v] / self.rows_found, 3) if self.rows_found else 0.0}
                for v in self.names]


def _transform(v: Variable, x: float | None) -> float | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    if v.options.get("transform") == "log10":
        return math.log10(x) if x > 0 else None
    return float(x)


def _material_columns(store: GraphStore, spec: Spec) -> dict[str, dict[str, float | None]]:
    from nlp.keys import property_key
    from nlp.si import to_si

    columns: dict[str, dict[str, float | None]] = {}
    for v in spec.variables:
        o = v.options
        if v.kind == "property":
            res = store.read(cypher.CAUSAL_PROPERTY_VALUES,
                             {"property": property_key(o["property"]), "source": o.get("source")})
            per: dict[str, list[float]] = defaultdict(list)
            scale = to_si(1.0, o["unit"]) if o.get("unit") else None
            for material, value, unit, si_value, _ in res.rows:
                # in the spec's unit: as written when it matches, else through SI so "meV" facts land
                # on an "eV" scale (a ratio: fine for every unit but offset ones such as °C)
                if not o.get("unit") or unit == o["unit"]:
                    x = value
                else:
                    x = si_value / scale[0] if scale and si_value is not None else None
                if x is not None:
                    per[material].append(float(x))
            agg: Callable[[list[float]], float] = statistics.mean if o.get("aggregate") == "mean" else statistics.median
            columns[v.name] = {m: agg(xs) for m, xs in per.items()}
    population = sorted({m for col in columns.values() for m in col})
    for v in spec.variables:
        o = v.options
        if v.kind == "descriptor":
            columns[v.name] = {m: describe(m)[o["descriptor"]] for m in population}
        elif v.kind == "application":
            from nlp.lexicon import normalize_key

            key = normalize_key(o["application"])
            uids = [f"{label}:{key}" for label in ("Application", "Property", "Descriptor")]
            mentioned = {m for m, docs in store.read(cypher.CAUSAL_CO_MENTIONS, {"uids": uids}).rows if docs}
            columns[v.name] = {m: 1.0 if m in mentioned else 0.0 for m in population}
    return {name: {m: col.get(m) for m in population} for name, col in columns.items()}


def _recipes(store: GraphStore, source: str | None, page: int = 5000) -> tuple[dict[str, str], dict[str, list[str]],
                                                                             dict[str, list[tuple[Any, ...]]]]:
    targets: dict[str, str] = {}
    precursors: dict[str, list[str]] = defaultdict(list)
    steps: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    after = -1
    while True:
        rows = store.read(cypher.CAUSAL_RECIPES, {"after": after, "source": source, "limit": page}).rows
        if not rows:
            break
        after = rows[-1][0]
        ids = [r[1] for r in rows]
        targets.update({r[1]: r[2] for r in rows})
        for sid, material, role in store.read(cypher.CAUSAL_RECIPE_PRECURSORS, {"ids": ids}).rows:
            if role != "solvent":
                precursors[sid].append(material)
        for sid, _, typ, temperature, time_s, atmosphere in store.read(cypher.CAUSAL_RECIPE_STEPS, {"ids": ids}).rows:
            steps[sid].append((typ, temperature, time_s, atmosphere))
    return targets, precursors, steps


def _synthesis_feature(feature: str, steps: list[tuple[Any, ...]]) -> float | None:
    heating = [s for s in steps if s[0] == "HeatingOperation"]
    temps = [s[1] for s in heating if s[1] is not None]
    if feature == "max_temperature":
        return max(temps) if temps else None
    if feature == "total_heating_time":
        times = [s[2] for s in heating if s[2] is not None]
        return sum(times) if times else None
    if feature == "n_heating_steps":
        return float(len(heating))
    atmospheres = {a.strip().lower() for s in steps if s[3] for a in str(s[3]).split(",")}
    reducing = bool(atmospheres & _REDUCING)
    if feature == "reducing_atmosphere":
        return 1.0 if reducing else 0.0
    return 1.0 if atmospheres & _INERT and not reducing else 0.0


def _precursor_feature(feature: str, keys: list[str]) -> float | None:
    from nlp.formula import elements, parse_formula

    if feature == "n_precursors":
        return float(len(keys))
    if not keys:
        return None
    sets = [set(elements(f)) if (f := parse_formula(k)) is not None else set() for k in keys]
    if feature == "carbonate_fraction":
        hits = sum(1 for s in sets if {"C", "O"} <= s)
    elif feature == "nitrate_fraction":
        hits = sum(1 for s in sets if {"N", "O"} <= s)
    else:
        hits = sum(1 for s in sets if len(s) == 2 and "O" in s)
    return hits / len(keys)


def _recipe_columns(store: GraphStore, spec: Spec) -> dict[str, dict[str, float | None]]:
    targets, precursors, steps = _recipes(store, spec.source)
    described: dict[str, dict[str, float | None]] = {}
    columns: dict[str, dict[str, float | None]] = {}
    for v in spec.variables:
        o = v.options
        col: dict[str, float | None] = {}
        for sid, target in targets.items():
            if v.kind == "descriptor":
                if target not in described:
                    described[target] = describe(target)
                col[sid] = described[target][o["descriptor"]]
            elif v.kind == "synthesis":
                col[sid] = _synthesis_feature(o["feature"], steps.get(sid, []))
            else:
                col[sid] = _precursor_feature(o["feature"], precursors.get(sid, []))
        columns[v.name] = col
    return columns


def assemble(store: GraphStore, spec: Spec, seed: int = 0) -> Dataset:
    """Read the spec's variables from the graph into a table; handle missing values as declared."""
    columns = _material_columns(store, spec) if spec.unit == "material" else _recipe_columns(store, spec)
    names = tuple(v.name for v in spec.variables)
    variables = {v.name: v for v in spec.variables}
    keys = sorted(next(iter(columns.values())).keys()) if columns else []
    if not keys:
        raise CausalError(f"{spec.name}: no rows in the graph for this spec (link the data first: `mattermine link`)")
    table = np.array([[_transform(variables[n], columns[n].get(k)) if columns[n].get(k) is not None else np.nan
                       for n in names] for k in keys], dtype=float)
    missing = {n: int(np.isnan(table[:, i]).sum()) for i, n in enumerate(names)}
    if spec.missing == "drop":
        keep = ~np.isnan(table).any(axis=1)
        data, rows = table[keep], [k for k, ok in zip(keys, keep) if ok]
        handling = "rows with any missing value dropped (listwise deletion: unbiased only if values are missing completely at random)"
    else:
        medians = np.nanmedian(table, axis=0)
        data = np.where(np.isnan(table), medians, table)
        rows = keys
        handling = "missing values replaced by the variable's median (shrinks variances and dependences)"
    if spec.max_rows is not None and len(data) > spec.max_rows:
        pick = np.sort(np.random.default_rng(seed).choice(len(data), spec.max_rows, replace=False))
        data, rows = data[pick], [rows[i] for i in pick]
        handling += f"; then a random subsample of {spec.max_rows} rows"
    if len(data) < 10:
        raise CausalError(f"{spec.name}: only {len(data)} complete rows; too few for any test")
    constant = [n for i, n in enumerate(names) if np.std(data[:, i]) == 0]
    if constant:
        raise CausalError(f"{spec.name}: constant in the data, drop from the spec: {', '.join(constant)}")
    return Dataset(spec, names, tuple(rows), data, len(keys), missing, handling)
