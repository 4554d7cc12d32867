"""What the relation scorer reads about each sentence: token positions, clauses, lists of values and
materials, and the rules' own facts (nlp.facts, nlp.components), computed once per document."""
from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nlp.components import component_measurements
from nlp.discourse import Clause, Span, coordinated_runs
from nlp.facts import is_value, main_material, properties, sentence_links
from nlp.quantities import LIST_JOIN
from nlp.records import Measurement, Mention, Quantity, Sentence
from nlp.relations.symbols import symbol_properties

_TOKEN = re.compile(r"\w+|[^\w\s]")
_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)


@dataclass(frozen=True)
class SentenceView:
    index: int
    sentence: Sentence
    clauses: tuple[Clause, ...]
    previous: tuple[Mention, ...]  # what an "it" here stands for (the sentence before, or the document)
    token_starts: tuple[int, ...]
    values: tuple[Quantity, ...]  # quantities that state a value, not a change ("by 5 K")
    value_runs: dict[Quantity, tuple[int, int]]  # (position in its list, list length)
    materials: tuple[Mention, ...]  # MAT mentions and the pronouns the rules resolved
    material_runs: dict[Mention, tuple[int, int]]
    properties: tuple[Mention, ...]  # written properties that take a value
    symbols: tuple[Mention, ...]  # property symbols the tagger did not mark ("T c", "R p")
    respectively: int  # where "respectively" is written, -1 when it is not
    rule_facts: tuple[Measurement, ...]

    def token_at(self, pos: int) -> int:
        return bisect.bisect_right(self.token_starts, pos) - 1

    def clause_index(self, pos: int) -> int:
        for i, c in enumerate(self.clauses):
            if c.start <= pos < c.end:
                return i
        return -1


@dataclass(frozen=True)
class DocumentView:
    sentences: tuple[SentenceView | None, ...]  # None for table rows
    key_counts: Counter[str]  # how often each material key is named in the text
    main: tuple[Mention, ...]  # the material the document is plainly about, if any
    experiment: dict[int, float]  # sentence index -> P(it reports the paper's own measurement), when known


def _positions(runs: Sequence[Sequence[Span]]) -> dict[Span, tuple[int, int]]:
    """Each item's (place in its list, list length)."""
    return {it: (pos, len(run)) for run in runs for pos, it in enumerate(run)}


def _pronouns(cls: Sequence[Clause], mentions: Sequence[Mention]) -> list[Mention]:
    """Subjects the rules resolved from a pronoun ("its", "the compound"): mentions of their own."""
    seen = set(mentions)
    return list(dict.fromkeys(m for c in cls for m in c.subject if m not in seen))


def document_view(sentences: Sequence[Sentence], classifier: Any = None) -> DocumentView:
    """The rules run here (their facts are features and the fallback); one pass per document.
    `classifier` (nlp.relations.experiment.SentenceClassifier) scores the sentences that hold a value."""
    links = sentence_links(sentences)
    rule_facts: list[Measurement] = [m for lk in links if lk is not None for m in lk.facts]
    rule_facts += component_measurements(sentences, rule_facts)
    by_sentence: dict[int, list[Measurement]] = {}
    for m in rule_facts:
        by_sentence.setdefault(m.sentence, []).append(m)
    views: list[SentenceView | None] = []
    counts: Counter[str] = Counter()
    for i, (s, lk) in enumerate(zip(sentences, links)):
        if lk is None:
            views.append(None)
            continue
        mats = [m for m in s.mentions if m.type == "MAT"]
        counts.update(m.key for m in mats)
        mats += _pronouns(lk.clauses, s.mentions)
        values = [q for q in s.quantities if is_value(s.text, q)]
        resp = _RESPECTIVELY.search(s.text)
        props = properties(s)
        views.append(SentenceView(
            i, s, lk.clauses, lk.previous, tuple(m.start() for m in _TOKEN.finditer(s.text)), tuple(values),
            _positions(coordinated_runs(values, s.text, LIST_JOIN)), tuple(sorted(mats, key=lambda m: m.start)),
            _positions(coordinated_runs([m for m in mats if m.end > m.start], s.text)), tuple(props),
            tuple(symbol_properties(s.text, props)), resp.start() if resp else -1, tuple(by_sentence.get(i, ())),
        ))
    with_values = [v.index for v in views if v is not None and v.values]
    probs = classifier.probabilities([sentences[i].text for i in with_values]) if classifier is not None else []
    return DocumentView(tuple(views), counts, main_material(sentences), dict(zip(with_values, probs)))
