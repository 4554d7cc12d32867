"""How good is a model: word analogies per section (accuracy over the questions it can answer,
and coverage), and the thermoelectric ranking against computed power factors.

The analogy file (mat2vec's) has ": section" headers and "a b c d" lines (a is to b as c is to
d); its first seven sections are about materials, the rest grammar. A question with a word the
model lacks is unanswerable: it counts against coverage, not accuracy.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

MATERIALS_SECTIONS = 7


@dataclass(frozen=True)
class Section:
    name: str
    questions: tuple[tuple[str, str, str, str], ...]
    materials: bool


@dataclass(frozen=True)
class SectionScore:
    section: str
    materials: bool
    questions: int
    covered: int  # questions whose four words are all in the vocabulary
    correct: int

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.covered if self.covered else None

    @property
    def coverage(self) -> float:
        return self.covered / self.questions if self.questions else 0.0

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["accuracy"] = None if self.accuracy is None else round(self.accuracy, 4)
        out["coverage"] = round(self.coverage, 4)
        return out


def read_analogies(path: Path) -> list[Section]:
    """Sections in file order; the first MATERIALS_SECTIONS are the materials ones."""
    sections: list[Section] = []
    name: str | None = None
    questions: list[tuple[str, str, str, str]] = []

    def close() -> None:
        if name is not None:
            sections.append(Section(name, tuple(questions), len(sections) < MATERIALS_SECTIONS))

    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if line.startswith(":"):
            close()
            name, questions = line[1:].strip(), []
            continue
        words = line.split()
        if len(words) != 4 or name is None:
            raise ValueError(f"{path}:{n}: expected ': section' or four words, got {line!r}")
        questions.append((words[0], words[1], words[2], words[3]))
    close()
    return sections


def score_section(wv: Any, section: Section, *, batch: int = 512) -> SectionScore:
    """3CosAdd (b - a + c, nearest by cosine, a/b/c excluded), as word2vec's own evaluation."""
    index = wv.key_to_index
    covered = [q for q in section.questions if all(w in index for w in q)]
    correct = 0
    if covered:
        normed = np.asarray(wv.get_normed_vectors())
        ids = np.array([[index[w] for w in q] for q in covered])
        for start in range(0, len(ids), batch):
            part = ids[start:start + batch]
            target = normed[part[:, 1]] - normed[part[:, 0]] + normed[part[:, 2]]
            sims = target @ normed.T
            rows = np.arange(len(part))
            for col in range(3):
                sims[rows, part[:, col]] = -np.inf
            correct += int((sims.argmax(axis=1) == part[:, 3]).sum())
    return SectionScore(section.name, section.materials, len(section.questions), len(covered), correct)


def _total(name: str, scores: list[SectionScore], materials: bool) -> SectionScore:
    return SectionScore(name, materials, sum(s.questions for s in scores), sum(s.covered for s in scores),
                        sum(s.correct for s in scores))


def evaluate_analogies(wv: Any, path: Path) -> dict[str, Any]:
    """Per-section scores, then totals for the materials sections, the grammar ones, and all."""
    scores = [score_section(wv, s) for s in read_analogies(path)]
    mats = [s for s in scores if s.materials]
    gram = [s for s in scores if not s.materials]
    return {
        "sections": [s.to_json() for s in scores],
        "materials": _total("materials", mats, True).to_json(),
        "grammar": _total("grammar", gram, False).to_json(),
        "overall": _total("overall", scores, False).to_json(),
    }


def _spearman(x: list[float], y: list[float]) -> tuple[float | None, float | None]:
    """Spearman's rho and its two-sided p-value; None when undefined (fewer than 3, constant)."""
    from scipy.stats import spearmanr

    if len(x) < 3:
        return None, None
    res = spearmanr(x, y)
    rho, p = float(res.statistic), float(res.pvalue)
    return (None, None) if rho != rho else (round(rho, 4), float(f"{p:.3g}"))


def evaluate_thermoelectric(model: Any, data_path: Path, *, application: str = "thermoelectric",
                            top: int = 50) -> dict[str, Any]:
    """Rank the benchmark's formulas that have computed power factors by similarity to
    `application`; report Spearman correlation with the power factor and the mean power factor
    of the top `top` against all ranked. Each formula is looked up as its normalised key, else
    as its most frequent written variant the vocabulary holds.

    The data gives three computed power factors per formula; the largest is the headline, the
    per-column correlations are reported too."""
    from discovery.query import similarities, target_vector

    data = json.loads(Path(data_path).read_text(encoding="utf-8"))
    target, terms = target_vector(model, [application])
    index = model.wv.key_to_index
    rows: list[tuple[str, str, list[float], bool]] = []
    for key, (variants, mentioned, pfs) in data.items():
        if not pfs:
            continue
        word = key if key in index else next(
            (v for v, _ in sorted(variants.items(), key=lambda kv: -kv[1]) if v in index), None)
        if word is not None:
            rows.append((key, word, [float(p) for p in pfs], bool(mentioned)))
    scores = similarities(model, [r[1] for r in rows], target).tolist()
    order = sorted(range(len(rows)), key=lambda i: -scores[i])
    best = [max(r[2]) for r in rows]
    top_ids = order[:top]
    rho, p = _spearman(scores, best)

    def mean(values: list[float]) -> float | None:
        return round(sum(values) / len(values), 3) if values else None

    return {
        "application": application, "terms": terms,
        "with_power_factor": sum(1 for v in data.values() if v[2]), "ranked": len(rows),
        "spearman_max_pf": rho, "spearman_p": p,
        "spearman_per_column": [_spearman(scores, [r[2][c] for r in rows])[0] for c in range(3)],
        "top": top, "mean_max_pf_top": mean([best[i] for i in top_ids]), "mean_max_pf_all": mean(best),
        "top_mentioned_as_thermoelectric": sum(rows[i][3] for i in top_ids),
        "top_materials": [{"formula": rows[i][0], "word": rows[i][1], "score": round(scores[i], 4),
                           "max_pf": best[i], "mentioned": rows[i][3]} for i in top_ids[:10]],
    }
