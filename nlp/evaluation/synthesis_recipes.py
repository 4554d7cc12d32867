"""Recipe roles on the synthesis-procedures corpus (Mysore et al. 2019): the targets, precursors and
solvents of the pipeline's recipes (nlp.synthesis) against the roles of the gold events.

Gold: every material a BRAT event (`E.. Operation:T.. Recipe_Target:T..`) gives a role, per file:
Recipe_Target -> "target", Recipe_Precursor -> "precursor", Solvent_Material -> "solvent"
(Participant_Material and Atmospheric_Material are not scored). Discontinuous spans are skipped.
Predicted: each recipe's target, and its precursors split by nlp.synthesis.is_solvent into
"solvent" and "precursor", as file character spans.

Each file is read as one document: its lines after the DOI (title, then the procedure) are its
paragraphs, so a recipe stays within one line as it would within one paragraph of a paper.

Three matching rules, each giving P/R/F1 per role, summed over files (micro):
- exact: the predicted span has the gold span's start and end.
- overlap: a predicted span and a gold span of the same role share at least one character; each
  gold span is matched at most once and each prediction at most once (greedy, in text order), so
  one long prediction cannot count for two gold spans.
- material: per file, the set of distinct materials in a role, each named by its canonical
  formula when its text parses as one ("Mn(NO3)2"), else its lower-cased text with spaces
  collapsed; gold names the same material at every mention, the pipeline names each once.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.records import Paragraph, ParsedDocument, content_hash
from nlp.evaluation import prf
from nlp.formula import canonical_key, parse_formula
from nlp.pipeline import annotate
from nlp.records import AnnotatedDocument, Mention
from nlp.registry import Tagger
from nlp.synthesis import is_solvent

ROLE_MAP = {"Recipe_Target": "target", "Recipe_Precursor": "precursor", "Solvent_Material": "solvent"}
ROLES = ("target", "precursor", "solvent")
MATCHES = ("exact", "overlap", "material")


@dataclass(frozen=True)
class RoleSpan:
    """One material in a recipe role: character offsets into the file's text."""

    start: int
    end: int
    text: str
    role: str


def read_gold(ann_text: str) -> set[RoleSpan]:
    """The role spans of a BRAT .ann file's events."""
    spans: dict[str, tuple[int, int, str]] = {}
    events: list[str] = []
    for line in ann_text.splitlines():
        if line.startswith("T"):
            tid, info, text = line.split("\t", 2)
            offsets = info.partition(" ")[2]
            if ";" not in offsets:
                a, b = offsets.split()
                spans[tid] = (int(a), int(b), text)
        elif line.startswith("E"):
            events.append(line.split("\t", 1)[1] if "\t" in line else "")
    out = set()
    for event in events:
        for arg in event.split():
            role, _, tid = arg.partition(":")
            if role in ROLE_MAP and tid in spans:
                start, end, surface = spans[tid]
                out.add(RoleSpan(start, end, surface, ROLE_MAP[role]))
    return out


def material_name(text: str) -> str:
    """What the `material` rule compares: canonical formula, else lower-cased text."""
    formula = parse_formula(text.strip())
    if formula is not None:
        return canonical_key(formula)
    return " ".join(text.lower().split())


def _overlap_matches(gold: Sequence[RoleSpan], pred: Sequence[RoleSpan]) -> int:
    used: set[int] = set()
    hits = 0
    for p in sorted(pred, key=lambda s: (s.start, s.end)):
        for k, g in enumerate(sorted(gold, key=lambda s: (s.start, s.end))):
            if k not in used and p.start < g.end and g.start < p.end:
                used.add(k)
                hits += 1
                break
    return hits


def counts(gold: set[RoleSpan], pred: set[RoleSpan]) -> dict[str, dict[str, tuple[int, int, int]]]:
    """(tp, fp, fn) per matching rule and role for one file."""
    out: dict[str, dict[str, tuple[int, int, int]]] = {m: {} for m in MATCHES}
    for role in ROLES:
        g = [s for s in gold if s.role == role]
        p = [s for s in pred if s.role == role]
        exact = len({(s.start, s.end) for s in g} & {(s.start, s.end) for s in p})
        out["exact"][role] = (exact, len(p) - exact, len(g) - exact)
        hit = _overlap_matches(g, p)
        out["overlap"][role] = (hit, len(p) - hit, len(g) - hit)
        gn, pn = {material_name(s.text) for s in g}, {material_name(s.text) for s in p}
        out["material"][role] = (len(gn & pn), len(pn - gn), len(gn - pn))
    return out


def score(pairs: Iterable[tuple[set[RoleSpan], set[RoleSpan]]]) -> dict[str, dict[str, dict[str, float]]]:
    """P/R/F1 per matching rule and role, and over all three roles ("all"), over many files."""
    total = {m: {r: [0, 0, 0] for r in (*ROLES, "all")} for m in MATCHES}
    for gold, pred in pairs:
        for m, per_role in counts(gold, pred).items():
            for r, c in per_role.items():
                for i in range(3):
                    total[m][r][i] += c[i]
                    total[m]["all"][i] += c[i]
    return {m: {r: prf(*c) for r, c in per_role.items()} for m, per_role in total.items()}


def read_document(text: str, name: str) -> tuple[ParsedDocument, list[int]]:
    """A corpus file as a document (its lines after the DOI as paragraphs) and where each
    paragraph starts in the file."""
    paragraphs, offsets = [], []
    at = 0
    for n, line in enumerate(text.split("\n")):
        if n > 0 and line.strip():
            paragraphs.append(Paragraph(line, None, "title" if n == 1 else "body"))
            offsets.append(at)
        at += len(line) + 1
    doc = ParsedDocument(source_path=name, content_hash=content_hash(text.encode("utf-8")), format="text",
                         reader="synthesis-procedures", paragraphs=tuple(paragraphs))
    return doc, offsets


def predicted(ann: AnnotatedDocument, offsets: Sequence[int], text: str) -> set[RoleSpan]:
    """The role spans of a document's recipes, as offsets into its file `text`."""
    out = set()

    def add(i: int, m: Mention, role: str) -> None:
        s = ann.sentences[i]
        start = offsets[s.block] + s.start + m.start
        end = start + len(m.text)
        if text[start:end] != m.text:
            raise ValueError(f"{ann.doc_key}: {m.text!r} is not at {start} in its file")
        out.add(RoleSpan(start, end, m.text, role))

    for syn in ann.syntheses:
        if syn.target is not None and syn.target_sentence is not None:
            add(syn.target_sentence, syn.target, "target")
        for i, m in syn.precursors:
            add(i, m, "solvent" if is_solvent(m) else "precursor")
    return out


def evaluate(root: Path, tagger: Tagger, split: str = "dev") -> dict[str, object]:
    """Scores of the pipeline with `tagger` on the files of `ner-<split>-fnames.txt`."""
    names = (root / f"ner-{split}-fnames.txt").read_text(encoding="utf-8").split()
    texts = [(root / "data" / f"{n}.txt").read_text(encoding="utf-8") for n in names]
    docs = [read_document(t, n) for t, n in zip(texts, names)]
    pairs, recipes = [], 0
    for (_, offsets), text, name, ann in zip(docs, texts, names, annotate((d for d, _ in docs), tagger)):
        gold = read_gold((root / "data" / f"{name}.ann").read_text(encoding="utf-8"))
        pairs.append((gold, predicted(ann, offsets, text)))
        recipes += len(ann.syntheses)
    return {"files": len(names), "recipes": recipes,
            "gold_spans": {r: sum(1 for g, _ in pairs for s in g if s.role == r) for r in ROLES},
            "predicted_spans": {r: sum(1 for _, p in pairs for s in p if s.role == r) for r in ROLES},
            "scores": score(pairs)}
