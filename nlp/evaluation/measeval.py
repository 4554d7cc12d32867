"""MeasEval (SemEval-2021 Task 8): reading the corpus, writing submissions, and the official scoring.

The scorer follows the task's official script (harperco/MeasEval, eval/measeval-eval.py), rewritten
here without pandas or SQL. Everything is keyed on quantities:

* A predicted Quantity matches every gold Quantity of the same paragraph whose character span
  overlaps or touches it (end offsets count as inside). Each such pair is one "match" row; its
  exact score is 1 when both offsets agree, and its overlap score is the best token F1 (tokens
  split on single spaces) of that prediction against any gold span it matches. Unmatched
  predictions and gold quantities are rows scoring 0.
* A predicted annotation set then stands for the gold set of its quantity (when a quantity
  matches several gold ones, the last gold one in file order wins, as in the official script).
* MeasuredEntity, MeasuredProperty and Qualifier spans are matched the same way, but only
  against gold spans of the same type in the gold set that their set stands for.
* Units match when the unit strings are equal in the aligned sets; modifiers likewise, one row
  per modifier (an empty modifier list counts as one modifier that matches nothing, as the
  official script's explode does). A set whose unit or modifier matched has no unmatched rows.
* A relation (HasQuantity, HasProperty, Qualifies) matches a gold relation of its type in the
  aligned set when its source and target matched the gold relation's source and target.
* Units, modifiers and relations score 1 (exact and overlap) per match row, 0 otherwise.

The leaderboard score is the overall overlap score: the mean overlap score over all rows. The
exact score is the mean exact score; precision/recall/F-measure count match rows (tp),
prediction-only rows (fp) and gold-only rows (fn). Per type the same three are given.
"""
from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from nlp.evaluation import prf

SPLITS = {"train": "text", "trial": "txt", "eval": "text"}  # folder of the paragraph texts per split
SPAN_TYPES = ("Quantity", "MeasuredEntity", "MeasuredProperty", "Qualifier")
RELATIONS = ("HasQuantity", "HasProperty", "Qualifies")
CLASSES = ("Quantity", "MeasuredEntity", "MeasuredProperty", "Qualifier", "Unit", "modifier", *RELATIONS)
HEADER = ("docId", "annotSet", "annotType", "startOffset", "endOffset", "annotId", "text", "other")


@dataclass(frozen=True)
class Annotation:
    """One TSV row. Offsets are into the paragraph text, end exclusive."""

    doc: str
    set: int
    type: str  # one of SPAN_TYPES
    start: int
    end: int
    id: str
    text: str
    unit: str | None = None  # Quantity only
    mods: tuple[str, ...] | None = None  # Quantity only; None: no "mods" key
    relation: tuple[str, str] | None = None  # (type, target annotation id) for the other types

    def other(self) -> str:
        """The TSV's JSON `other` column."""
        if self.type == "Quantity":
            data: dict[str, object] = {}
            if self.mods is not None:
                data["mods"] = list(self.mods)
            if self.unit is not None:
                data["unit"] = self.unit
            return json.dumps(data, ensure_ascii=False) if data else ""
        return json.dumps({self.relation[0]: self.relation[1]}, ensure_ascii=False) if self.relation else ""


@dataclass(frozen=True)
class MeasEvalParagraph:
    doc: str  # "<PII>-<paragraph id>", the file stem
    text: str
    annotations: tuple[Annotation, ...]


def _annotation(row: list[str]) -> Annotation:
    doc, aset, atype, start, end, aid, text, other = (row + [""] * 8)[:8]
    data = json.loads(other) if other.strip() else {}
    unit = mods = relation = None
    if atype == "Quantity":
        unit = data.get("unit")
        mods = tuple(data["mods"]) if "mods" in data else None
    elif data:
        key = next(iter(data))  # the official script reads the first key as the relation
        relation = (key, str(data[key]))
    return Annotation(doc, int(aset), atype, int(start), int(end), aid, text, unit, mods, relation)


def read_tsv(path: Path) -> list[Annotation]:
    """The annotations of one TSV file (quoting off: texts hold quote characters)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [_annotation(r) for r in rows[1:] if r]


def write_tsv(path: Path, annotations: Sequence[Annotation]) -> None:
    """One submission file in the official format."""
    lines = ["\t".join(HEADER)]
    lines += ["\t".join(map(str, (a.doc, a.set, a.type, a.start, a.end, a.id, a.text, a.other())))
              for a in annotations]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def load_split(root: Path, split: str) -> list[MeasEvalParagraph]:
    """Every paragraph of a split (train, trial or eval), sorted by name; those without a TSV have no annotations."""
    if split not in SPLITS:
        raise ValueError(f"unknown MeasEval split {split!r}; expected one of {', '.join(SPLITS)}")
    out = []
    for txt in sorted((root / split / SPLITS[split]).glob("*.txt")):
        tsv = root / split / "tsv" / f"{txt.stem}.tsv"
        anns = tuple(read_tsv(tsv)) if tsv.exists() else ()
        out.append(MeasEvalParagraph(txt.stem, txt.read_text(encoding="utf-8"), anns))
    return out


# -- scoring ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    """One line of the official score table."""

    type: str  # one of CLASSES
    match: str  # "match", "pred only" or "gold only"
    exact: float
    overlap: float


def _touch(a: Annotation, b: Annotation) -> bool:
    return a.start <= b.end and b.start <= a.end


def token_f1(pred: Annotation, gold: Annotation) -> float:
    """SQuAD-style overlap of two touching spans; tokens are split on single spaces."""
    lo, hi = max(pred.start, gold.start), min(pred.end, gold.end)
    shared = pred.text[lo - pred.start: lo - pred.start + max(0, hi - lo)]
    n = len(shared.split(" "))  # an empty overlap still counts one (empty) token, as officially
    p, r = n / len(pred.text.split(" ")), n / len(gold.text.split(" "))
    return 2 * p * r / (p + r)


@dataclass
class _Pairs:
    """Matched (prediction, gold) span pairs of one type in one paragraph."""

    pairs: list[tuple[Annotation, Annotation]]

    def gold_ids(self, pred_set: int, pred_id: str) -> list[str]:
        return [g.id for p, g in self.pairs if p.set == pred_set and p.id == pred_id]


def _span_rows(kind: str, pred: list[Annotation], gold: list[Annotation], aligned: dict[int, int] | None,
               rows: list[Row]) -> _Pairs:
    pairs = [(p, g) for p in pred for g in gold
             if (aligned is None or aligned.get(p.set) == g.set) and _touch(p, g)]
    best: dict[str, float] = defaultdict(float)  # grouped by the prediction's id, as officially
    for p, g in pairs:
        best[p.id] = max(best[p.id], token_f1(p, g))
    rows += [Row(kind, "match", float((p.start, p.end) == (g.start, g.end)), best[p.id]) for p, g in pairs]
    hit_p = {(p.set, p.id) for p, _ in pairs}
    hit_g = {(g.set, g.id) for _, g in pairs}
    rows += [Row(kind, "pred only", 0.0, 0.0) for p in pred if (p.set, p.id) not in hit_p]
    rows += [Row(kind, "gold only", 0.0, 0.0) for g in gold if (g.set, g.id) not in hit_g]
    return _Pairs(pairs)


def _value_rows(kind: str, pred: list[tuple[int | None, str | None]], gold: list[tuple[int | None, str | None]],
                rows: list[Row]) -> None:
    """Units or modifiers: (aligned set, value) items that match on equal values in the same set."""
    matched = [(ps, pv) for ps, pv in pred for gs, gv in gold if ps is not None and ps == gs and pv is not None
               and pv == gv]
    rows += [Row(kind, "match", 1.0, 1.0) for _ in matched]
    keys = set(matched)
    if kind == "Unit":  # a unit is unmatched when its set has no unit match at all
        sets = {s for s, _ in matched}
        rows += [Row(kind, "pred only", 0.0, 0.0) for s, _ in pred if s not in sets]
        rows += [Row(kind, "gold only", 0.0, 0.0) for s, _ in gold if s not in sets]
    else:
        rows += [Row(kind, "pred only", 0.0, 0.0) for item in pred if item not in keys]
        rows += [Row(kind, "gold only", 0.0, 0.0) for item in gold if item not in keys]


def _relation_rows(kind: str, pred: list[Annotation], gold: list[Annotation], aligned: dict[int, int],
                   sources: list[_Pairs], targets: list[_Pairs], rows: list[Row]) -> None:
    pred = [a for a in pred if a.relation and a.relation[0] == kind]
    gold_rel = {(g.set, g.id, g.relation[1]) for g in gold if g.relation and g.relation[0] == kind}
    hits: list[tuple[Annotation, int, str]] = []  # (prediction, gold set, gold source id)
    for a in pred:
        assert a.relation is not None
        gs = aligned.get(a.set)
        for src in (i for ps in sources for i in ps.gold_ids(a.set, a.id)):
            for tgt in (i for ps in targets for i in ps.gold_ids(a.set, a.relation[1])):
                if gs is not None and (gs, src, tgt) in gold_rel:
                    hits.append((a, gs, src))
    rows += [Row(kind, "match", 1.0, 1.0) for _ in hits]
    hit_p = {(a.set, a.id) for a, _, _ in hits}
    hit_g = {(gs, src) for _, gs, src in hits}
    rows += [Row(kind, "pred only", 0.0, 0.0) for a in pred if (a.set, a.id) not in hit_p]
    rows += [Row(kind, "gold only", 0.0, 0.0) for s, i, _ in gold_rel if (s, i) not in hit_g]


def _mod_items(anns: list[Annotation], aligned: dict[int, int] | None) -> list[tuple[int | None, str | None]]:
    out: list[tuple[int | None, str | None]] = []
    for a in anns:
        if a.mods is None:
            continue
        s = a.set if aligned is None else aligned.get(a.set)
        out += [(s, m) for m in a.mods] if a.mods else [(s, None)]
    return out


def score_paragraph(pred: Sequence[Annotation], gold: Sequence[Annotation]) -> list[Row]:
    """The official score rows of one paragraph's predictions against its gold annotations."""
    rows: list[Row] = []
    by_type_p = {t: [a for a in pred if a.type == t] for t in SPAN_TYPES}
    by_type_g = {t: [a for a in gold if a.type == t] for t in SPAN_TYPES}
    quantities = _span_rows("Quantity", by_type_p["Quantity"], by_type_g["Quantity"], None, rows)
    aligned: dict[int, int] = {}
    for p, g in quantities.pairs:  # prediction order, then gold order: the last gold set wins
        aligned[p.set] = g.set
    _value_rows("Unit", [(aligned.get(a.set), a.unit) for a in by_type_p["Quantity"] if a.unit],
                [(a.set, a.unit) for a in by_type_g["Quantity"] if a.unit], rows)
    spans = {t: _span_rows(t, by_type_p[t], by_type_g[t], aligned, rows) for t in SPAN_TYPES[1:]}
    ent, prop, qual = spans["MeasuredEntity"], spans["MeasuredProperty"], spans["Qualifier"]
    _relation_rows("HasQuantity", list(pred), list(gold), aligned, [ent, prop], [quantities], rows)
    _relation_rows("HasProperty", list(pred), list(gold), aligned, [ent], [prop], rows)
    _relation_rows("Qualifies", list(pred), list(gold), aligned, [qual], [ent, prop, quantities], rows)
    _value_rows("modifier", _mod_items(by_type_p["Quantity"], aligned), _mod_items(by_type_g["Quantity"], None),
                rows)
    return rows


def _summary(rows: list[Row]) -> dict[str, float]:
    tp = sum(r.match == "match" for r in rows)
    fp = sum(r.match == "pred only" for r in rows)
    fn = sum(r.match == "gold only" for r in rows)
    n = len(rows)
    return {"exact": round(sum(r.exact for r in rows) / n, 4) if n else 0.0,
            "overlap": round(sum(r.overlap for r in rows) / n, 4) if n else 0.0,
            **prf(tp, fp, fn), "tp": tp, "fp": fp, "fn": fn}


def score(pred: Iterable[Annotation], gold: Iterable[Annotation]) -> dict[str, dict[str, float]]:
    """Official MeasEval scores: "overall" and one entry per class (CLASSES).

    Each holds exact (mean exact-match score over rows), overlap (mean token-F1 score; the
    leaderboard's "Overall Score F1 (Overlap)"), precision/recall/f1 over match rows, and counts.
    Paragraphs are told apart by `Annotation.doc`.
    """
    by_doc_p: dict[str, list[Annotation]] = defaultdict(list)
    by_doc_g: dict[str, list[Annotation]] = defaultdict(list)
    for a in pred:
        by_doc_p[a.doc].append(a)
    for a in gold:
        by_doc_g[a.doc].append(a)
    rows: list[Row] = []
    for doc in sorted(set(by_doc_p) | set(by_doc_g)):
        rows += score_paragraph(by_doc_p[doc], by_doc_g[doc])
    out = {"overall": _summary(rows)}
    for kind in CLASSES:
        out[kind] = _summary([r for r in rows if r.type == kind])
    return out
