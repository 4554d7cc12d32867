"""Learned dopant-host pairs: every host candidate paired with every dopant candidate of a sentence,
scored by a classifier whose features include what the rules (nlp.doping) decided.

Hosts: material mentions, the host part of "Y2O3:Eu", the words after "-doped" ("N-doped carbon
nanotubes"), acronyms ("YAG", "MWNTs"), the rules' hosts and the phrases of nlp.relations.phrases
("lithium niobate doped with", "doping into perovskite halide"). Dopants: words and word parts
that name one element or ion ("Er3+", "erbium", the "Al" of "Al-doped"), the rules' dopants, the
parts of "A:B" words and the phrases around doping words ("RE-doped", "co-doped with GeO2").
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from nlp.discourse import is_specific_material
from nlp.doping import dopant_key, sentence_dopings
from nlp.keys import material_key
from nlp.records import Doping, Mention, Sentence
from nlp.relations.phrases import colon_parts, dopant_phrases, host_phrases
from nlp.relations.scorer import Platt, Scorer

METHOD = "doping.linker.v1"
_WORD = re.compile(r"[A-Za-z][\w+()]*")
_PART = re.compile(r"[^-–/,\s]+")
_AFTER_DOPED = re.compile(r"(?:(?:co-?)?doped|containing|substituted)\s+((?:[\w()\-+.:/]+\s*){1,6})", re.IGNORECASE)
_ACRONYM = re.compile(r"(?<![\w-])[A-Z0-9]*[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*s?(?![\w-])")
_STOP = re.compile(r"^(?:the|a|an|and|or|with|by|in|of|at|for|on|to|as|was|were|is|are|be|been|has|have|had|"
                   r"which|that|than|from|via|using|under|shows?|showed|exhibits?|exhibited|can|could|may|"
                   r"were|being|through|into|onto|during|after|before|its?|their|this|these|[a-z]+ed|[a-z]+ly)$",
                   re.IGNORECASE)
_NP_END = re.compile(r"\s*(?:$|[,;:.()\[\]]|(?:the|a|an|and|or|with|by|in|of|at|for|on|to|as|was|were|is|are|has|"
                     r"have|had|which|that|than|from|via|using|under|can|could|may)\b|[a-z]+ed\b)", re.IGNORECASE)
_DOPED_AFTER = re.compile(r"\s*[-–]?\s*(?:\(\w+\)\s*)?(?:(?:co|tri|di|single|singly|double|doubly)\s*-?\s*)?"
                          r"(?:doped|doping|dopants?|substitut\w*|incorporat\w*|containing)", re.IGNORECASE)
_DOPED_BEFORE = re.compile(r"(?:doped|doping|dopants?|substituted|co-?doped)\s+(?:\w+\s+){0,2}(?:with|by|of)\s+"
                           r"(?:[\w.%-]+\s+){0,3}$", re.IGNORECASE)
_DOPING_NOUN_AFTER = re.compile(r"\s*[-–]?\s*(?:co-?)?(?:doping|dopants?|substitution|incorporation)", re.IGNORECASE)
_DOPING_OF = re.compile(r"(?:doping|dopants?|substitution|incorporation)\s+(?:[\w-]+\s+){0,3}(?:in|into|of|on)\s+"
                        r"(?:the\s+)?$", re.IGNORECASE)
_DOPED_THEN_HOST = re.compile(r"doped\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_DOPED_WITH = re.compile(r"doped\s+(?:with|by)", re.IGNORECASE)
_IN_THE_END = re.compile(r"\b(?:in|into)\s+(?:the\s+)?$")
_CHARGE = re.compile(r"\d?[+-]$|\(I+V?\)")
_FORMULA_KEY = re.compile(r"(?:[A-Z][a-z]?[\d.]*)+")
_LIST_GAP = re.compile(r"\s*(?:[-–/,]|,?\s*and|,?\s*or)\s*", re.IGNORECASE)
_DOPED_WORD = re.compile(r"(?:co-?)?dop(?:ed|ing|ant|ants)|substitut\w*|incorporat\w*|activated", re.IGNORECASE)
HOST_SOURCES = ("mention", "colon", "after_doped", "acronym", "rule", "colon_text", "before_doped_with", "doping_in",
                "paren")
DOPANT_SOURCES = ("element", "rule", "colon", "before_doping", "after_doping")


@dataclass(frozen=True)
class Pair:
    host: Mention
    dopant: Mention
    host_source: str
    dopant_source: str = "element"


@dataclass
class DopingModel:
    scorer: Scorer
    calibration: Platt = field(default_factory=Platt)
    threshold: float = 0.5


def _span(text: str, a: int, b: int, key: str, conf: float = 0.6) -> Mention:
    return Mention("MAT", text[a:b], a, b, key, METHOD, conf)


def host_candidates(s: Sentence, found: Sequence[Doping]) -> list[tuple[Mention, str]]:
    """Host spans and where each comes from (HOST_SOURCES); `found` are the rules' pairs."""
    out: list[tuple[Mention, str]] = []
    text = s.text
    for m in s.mentions:
        if m.type != "MAT":
            continue
        if ":" in m.text:  # "Y2O3:Eu" and "Dy:Er:YAG": the parts that are no element are hosts
            at = m.start
            for part in m.text.split(":"):
                if part.strip() and dopant_key(part) is None:
                    out.append((_span(text, at, at + len(part), material_key(part)), "colon"))
                at += len(part) + 1
        out.append((m, "mention"))
    for d in _AFTER_DOPED.finditer(text):
        words = list(re.finditer(r"[^\s,;.]+(?:\.\d+)?", d.group(1)))
        base = d.start(1)
        for n in range(1, len(words) + 1):
            if _STOP.match(words[n - 1].group().rstrip(":")):
                break
            a, b = base + words[0].start(), base + words[n - 1].end()
            b -= len(text[a:b]) - len(text[a:b].rstrip(":"))
            out.append((_span(text, a, b, material_key(text[a:b])), "after_doped"))
    for acr in _ACRONYM.finditer(text):
        if dopant_key(acr.group()) is None:
            out.append((_span(text, acr.start(), acr.end(), material_key(acr.group())), "acronym"))
    out += [(d.host, "rule") for d in found]
    out += [(_span(text, a, b, material_key(text[a:b])), "colon_text") for a, b in colon_parts(text)]
    out += [(_span(text, a, b, material_key(text[a:b])), src) for a, b, src in host_phrases(text)
            if dopant_key(text[a:b]) is None]
    return _unique(out)


def dopant_candidates(s: Sentence, found: Sequence[Doping]) -> list[tuple[Mention, str]]:
    """Dopant spans and where each comes from (DOPANT_SOURCES)."""
    out: list[tuple[Mention, str]] = []
    text = s.text
    for w in _WORD.finditer(text):
        for p in _PART.finditer(w.group()):
            key = dopant_key(p.group())
            if key is not None:
                a = w.start() + p.start()
                out.append((_span(text, a, a + len(p.group()), key, 0.7), "element"))
    out += [(d.dopant, "rule") for d in found]
    out += [(_span(text, a, b, _phrase_key(text[a:b]), 0.5), "colon") for a, b in colon_parts(text)]
    out += [(_span(text, a, b, _phrase_key(text[a:b]), 0.5), src) for a, b, src in dopant_phrases(text)]
    return _unique(out)


def _phrase_key(text: str) -> str:
    return dopant_key(text) or text.lower()


def _unique(spans: Sequence[tuple[Mention, str]]) -> list[tuple[Mention, str]]:
    """The first of the candidates with the same span (its source is the most specific)."""
    seen: set[tuple[int, int]] = set()
    out = []
    for m, src in spans:
        if (m.start, m.end) not in seen and m.end > m.start:
            seen.add((m.start, m.end))
            out.append((m, src))
    return out


# A sentence with none of these names no dopant (in NERRE doping-train, 335 of the 336 gold pairs
# are in sentences that have one, and the last is "Er3+ in ..."); the rest are not scored at all.
_CUE_WINDOW = 12
_PAIR_CUE = re.compile(r"dop|substitut|incorporat|activat|containing|\w\s?:\s?\w|\bions?\s+(?:in|into)\b|[A-Z][a-z]?\d?\+\s+in\b",
                       re.IGNORECASE)
# Longer "sentences" are reference lists and run-on table text: the longest with a gold pair in
# NERRE doping-train has 68 words.
_MAX_WORDS = 90
_RATIO = re.compile(r"\s*(?:\)\s*)?=\s*\d")  # "Ni:GDC = 65:35" is a ratio, not a dopant in a host
_CUE = re.compile(r"dop|substitut|incorporat|activat|:|contain|\bions?\b|[A-Z][a-z]?\d?\+\s+in\b", re.IGNORECASE)


def pairs(s: Sentence, found: Sequence[Doping] | None = None) -> list[Pair]:
    """Host x dopant candidates with a doping cue between them or within a few characters: in
    NERRE doping-train that keeps 427 of 438 right pairs and drops a fifth of the wrong ones,
    and in full texts it keeps reference lists and long run-on lines from pairing everything."""
    found = sentence_dopings(0, s) if found is None else found
    hosts = host_candidates(s, found)
    dopants = [(d, src) for d, src in dopant_candidates(s, found) if not _inside_formula(s.text, d)]
    # the cue may sit at the head of the dopant's list: "doping of nitrogen, boron, and fluorine in TiO2"
    extent = {span: (run[0][0], run[-1][1]) for run in _runs(s.text, [d for d, _ in dopants]) for span in run}
    out = []
    for h, src in hosts:
        for d, dsrc in dopants:
            if (d.start < h.end and h.start < d.end) or h.key == d.key:
                continue
            run = extent[(d.start, d.end)]
            lo, hi = min(h.start, run[0]), max(h.end, run[1])
            if _PAIR_CUE.search(s.text, max(0, lo - _CUE_WINDOW), hi + _CUE_WINDOW) and not _RATIO.match(s.text, hi):
                out.append(Pair(h, d, src, dsrc))
    return out


def _inside_formula(text: str, d: Mention) -> bool:
    """"Gd0" of "Gd0.1Ce0.9O1.95", "O1" of "O1.95": a piece of a written formula, not a dopant."""
    return bool(re.match(r"\.\d", text[d.end:d.end + 2])) or bool(re.search(r"\d\.$|\d$", text[max(0, d.start - 2):d.start]))


DOPING_FEATURES: tuple[str, ...] = (
    "rule", "rule_confidence", "host_source", "dopant_before", "chars", "tokens", "doped_between", "with_between",
    "in_between", "colon_between", "comma_between", "and_between", "hosts_between", "dopants_between",
    "dopant_then_doped", "doped_then_host", "host_then_doped_with", "ion_in_host", "dopant_word", "dopant_charge",
    "dopant_one_letter", "dopant_len", "dopant_in_host", "dopant_count", "host_formula", "host_elements",
    "host_words", "host_specific", "host_len", "n_hosts", "n_dopants", "doped_words", "host_plural",
    "host_dopant_adjacent", "host_is_element", "host_nearest_doped", "host_np_end", "dopant_then_doping",
    "doping_of_host", "host_colon_part", "doc_rule_pair", "doc_dopant_doped", "doc_pair_sentences",
    "dopant_run_len", "run_then_doped", "doped_then_run", "host_rank_after", "host_rank_before",
    "host_has_colon", "host_form_word", "host_prev_word", "dopant_prev_word",
    "dopant_source", "dopant_is_element", "dopant_words", "dopant_formula",
)
_FORM_WORD = re.compile(r"(?:films?|layers?|nano\w+|crystals?|powders?|ceramics?|samples?|glass(?:es)?|fib(?:er|re)s?|"
                        r"particles?|spheres?|tubes?|wires?|rods?|sheets?|coatings?|lasers?|phosphors?|waveguides?|"
                        r"materials?|composites?|electrodes?|catalysts?|single\s+crystals?)$", re.IGNORECASE)
_PREV_HOST = ("", "doped", "in", "into", "of", "the", "with", "and", "-", ":", "(", "on", "for", "based")
_PREV_DOPANT = ("", "with", "of", "and", ",", "by", "(", "trivalent", "divalent", "the", "-", "/", "in", "%")


def _prev_word(text: str, pos: int, vocab: tuple[str, ...]) -> float:
    m = re.search(r"(\w+|[^\w\s])\s*$", text[max(0, pos - 30):pos])
    word = m.group(1).lower() if m else ""
    word = "doped" if word.endswith("doped") else word
    return float(vocab.index(word)) if word in vocab else float(len(vocab))


def _host_ranks(cands: Sequence[Pair]) -> dict[tuple[int, int, int], tuple[float, float]]:
    """Per (dopant, host): the host's rank by distance among the dopant's hosts after it and before it
    (-1 on the other side); host spans starting at the same place share a rank."""
    by_dopant: dict[int, list[Pair]] = {}
    for p in cands:
        by_dopant.setdefault(p.dopant.start, []).append(p)
    out = {}
    for d_start, ps in by_dopant.items():
        after = sorted({p.host.start for p in ps if p.host.start >= p.dopant.end})
        before = sorted({p.host.end for p in ps if p.host.end <= p.dopant.start}, reverse=True)
        for p in ps:
            h = p.host
            out[(d_start, h.start, h.end)] = (float(after.index(h.start)) if h.start in after else -1.0,
                                              float(before.index(h.end)) if h.end in before else -1.0)
    return out


def _dopant_runs(text: str, dopants: Sequence[Mention]) -> dict[tuple[int, int], tuple[int, bool, bool]]:
    """Lists of dopants ("N–B–F-tri-doped", "doped with silver and cobalt"): per dopant span, the
    list's length and whether a doping word follows the list or leads into it."""
    out = {}
    for run in _runs(text, dopants):
        after = bool(_DOPED_AFTER.match(text, run[-1][1]))
        before = bool(_DOPED_BEFORE.search(text[max(0, run[0][0] - 60):run[0][0]]))
        for span in run:
            out[span] = (len(run), after, before)
    return out


def _runs(text: str, dopants: Sequence[Mention]) -> list[list[tuple[int, int]]]:
    ordered = sorted({(d.start, d.end) for d in dopants})
    runs: list[list[tuple[int, int]]] = []
    for span in ordered:
        if runs and _LIST_GAP.fullmatch(text, runs[-1][-1][1], span[0]):
            runs[-1].append(span)
        else:
            runs.append([span])
    return runs


@dataclass
class DocumentContext:
    """What the other sentences of the document say: an abstract names its doped material again and
    again, most plainly once ("Mn-doped TNTs"), so a vague mention elsewhere can lean on that."""

    rule_pairs: dict[tuple[str, str], set[int]] = field(default_factory=dict)  # (host, dopant) -> sentences
    doped_dopants: dict[str, set[int]] = field(default_factory=dict)  # dopant written "X-doped" -> sentences
    pair_sentences: dict[tuple[str, str], set[int]] = field(default_factory=dict)  # both named -> sentences

    def others(self, table: dict, key: object, i: int) -> float:  # type: ignore[type-arg]
        return float(len(table.get(key, set()) - {i}))


def document_context(sentences: Sequence[Sentence], cands: Sequence[Sequence[Pair]],
                     found: Sequence[Sequence[Doping]]) -> DocumentContext:
    ctx = DocumentContext()
    for i, (s, ps, rules) in enumerate(zip(sentences, cands, found)):
        for d in rules:
            ctx.rule_pairs.setdefault((d.host.key.lower(), d.dopant.key), set()).add(i)
        for p in ps:
            ctx.pair_sentences.setdefault((p.host.key.lower(), p.dopant.key), set()).add(i)
            if re.match(r"\s*[-–]?\s*(?:co-?)?doped", s.text[p.dopant.end:p.dopant.end + 12], re.I):
                ctx.doped_dopants.setdefault(p.dopant.key, set()).add(i)
    return ctx


def document_rows(sentences: Sequence[Sentence]) -> list[tuple[int, Pair, list[float]]]:
    """(sentence index, candidate pair, feature vector) of every pair in a document."""
    from nlp.relations.features import vector

    scored = [s.table is None and bool(_CUE.search(s.text)) and len(s.text.split()) <= _MAX_WORDS for s in sentences]
    found = [sentence_dopings(i, s) if ok else [] for i, (s, ok) in enumerate(zip(sentences, scored))]
    cands = [pairs(s, f) if ok else [] for s, f, ok in zip(sentences, found, scored)]
    ctx = document_context(sentences, cands, found)
    out = []
    for i, (s, ps) in enumerate(zip(sentences, cands)):
        for p, f in zip(ps, pair_features(s, ps, ctx, i, found[i])):
            out.append((i, p, vector(f, DOPING_FEATURES)))
    return out


def pair_features(s: Sentence, cands: Sequence[Pair], ctx: DocumentContext | None = None,
                  index: int = 0, found: Sequence[Doping] | None = None) -> list[dict[str, float]]:
    """Features of every candidate pair of sentence `index`; `found` are the rules' pairs there."""
    text = s.text
    ctx = ctx or DocumentContext()
    found = sentence_dopings(0, s) if found is None else found
    rules = {(d.host.start, d.dopant.start): d.confidence for d in found}
    rule_keys = {(d.host.key, d.dopant.key): d.confidence for d in found}
    shared = _SentenceFacts(
        doped=[m.start() for m in _DOPED_WORD.finditer(text)], dopant_keys=[p.dopant.key for p in cands],
        runs=_dopant_runs(text, [p.dopant for p in cands]), ranks=_host_ranks(cands),
        host_starts=sorted({p.host.start for p in cands}), dopant_starts=sorted({p.dopant.start for p in cands}))
    counts = {"n_hosts": float(len({(p.host.start, p.host.end) for p in cands})),
              "n_dopants": float(len({(p.dopant.start, p.dopant.end) for p in cands})),
              "doped_words": float(len(shared.doped))}
    out = []
    for p in cands:
        h, d = p.host, p.dopant
        rule = rules.get((h.start, d.start), rule_keys.get((h.key, d.key)))
        f = {"rule": float(rule is not None), "rule_confidence": rule or 0.0,
             "host_source": float(HOST_SOURCES.index(p.host_source)), **counts,
             "dopant_source": float(DOPANT_SOURCES.index(p.dopant_source)),
             "doc_rule_pair": ctx.others(ctx.rule_pairs, (h.key.lower(), d.key), index),
             "doc_dopant_doped": ctx.others(ctx.doped_dopants, d.key, index),
             "doc_pair_sentences": ctx.others(ctx.pair_sentences, (h.key.lower(), d.key), index)}
        f.update(_host_features(text, h, shared))
        f.update(_dopant_features(text, d, h, shared))
        f.update(_between_features(text, h, d, shared))
        out.append(f)
    return out


@dataclass(frozen=True)
class _SentenceFacts:
    doped: list[int]  # where doping words start
    dopant_keys: list[str]
    runs: dict[tuple[int, int], tuple[int, bool, bool]]
    ranks: dict[tuple[int, int, int], tuple[float, float]]
    host_starts: list[int]
    dopant_starts: list[int]


def _host_features(text: str, h: Mention, shared: _SentenceFacts) -> dict[str, float]:
    elements = _elements(h.key)
    return {
        "host_formula": float(bool(elements)), "host_elements": float(len(set(elements))),
        "host_words": float(len(h.text.split())), "host_specific": float(is_specific_material(h, text)),
        "host_len": float(len(h.text)), "host_plural": float(h.text.endswith("s")),
        "host_is_element": float(dopant_key(h.text) is not None),
        "host_nearest_doped": float(min((abs(x - h.start) for x in shared.doped), default=999)),
        "host_np_end": float(bool(_NP_END.match(text, h.end))),
        "host_colon_part": float(text[h.end:h.end + 1] == ":" or text[h.start - 1:h.start] == ":"),
        "host_has_colon": float(":" in h.text), "host_form_word": float(bool(_FORM_WORD.search(h.text))),
        "host_prev_word": _prev_word(text, h.start, _PREV_HOST),
        "doped_then_host": float(bool(_DOPED_THEN_HOST.search(text[max(0, h.start - 30):h.start]))),
    }


def _dopant_features(text: str, d: Mention, h: Mention, shared: _SentenceFacts) -> dict[str, float]:
    after = text[d.end:d.end + 12]
    run = shared.runs[(d.start, d.end)]
    rank = shared.ranks[(d.start, h.start, h.end)]
    return {
        "dopant_word": float(d.text[:1].islower()), "dopant_charge": float(bool(_CHARGE.search(d.text))),
        "dopant_is_element": float(dopant_key(d.text) is not None), "dopant_words": float(len(d.text.split())),
        "dopant_formula": float(len(_elements(material_key(d.text))) > 1),
        "dopant_one_letter": float(len(d.text) == 1), "dopant_len": float(len(d.text)),
        "dopant_in_host": float(d.key in _elements(h.key)), "dopant_count": float(shared.dopant_keys.count(d.key)),
        "dopant_then_doped": float(bool(_DOPED_AFTER.match(after))),
        "dopant_then_doping": float(bool(_DOPING_NOUN_AFTER.match(after))),
        "dopant_run_len": float(run[0]), "run_then_doped": float(run[1]), "doped_then_run": float(run[2]),
        "host_rank_after": rank[0], "host_rank_before": rank[1],
        "dopant_prev_word": _prev_word(text, d.start, _PREV_DOPANT),
    }


def _between_features(text: str, h: Mention, d: Mention, shared: _SentenceFacts) -> dict[str, float]:
    lo, hi = (d.end, h.start) if d.end <= h.start else (h.end, d.start)
    gap = text[lo:hi] if hi > lo else ""
    return {
        "dopant_before": float(d.end <= h.start),
        "chars": float(min(len(gap), 300)), "tokens": float(min(len(gap.split()), 60)),
        "doped_between": float(bool(_DOPED_WORD.search(gap))), "with_between": float(" with " in f" {gap} "),
        "in_between": float(bool(re.search(r"\b(?:in|into)\b", gap))), "colon_between": float(gap.strip() == ":"),
        "comma_between": float(gap.count(",")), "and_between": float(bool(re.search(r"\band\b", gap))),
        "hosts_between": float(bisect.bisect_left(shared.host_starts, hi) - bisect.bisect_left(shared.host_starts, lo)),
        "dopants_between": float(bisect.bisect_left(shared.dopant_starts, hi)
                                 - bisect.bisect_left(shared.dopant_starts, lo)),
        "host_then_doped_with": float(h.end <= d.start and bool(_DOPED_WITH.search(gap))),
        "ion_in_host": float(d.end <= h.start and bool(_IN_THE_END.search(gap))),
        "host_dopant_adjacent": float(len(gap.strip(" -–")) == 0),
        "doping_of_host": float(d.end <= h.start and bool(_DOPING_OF.search(gap))),
    }


def _elements(key: str) -> list[str]:
    return re.findall(r"[A-Z][a-z]?", key) if _FORMULA_KEY.fullmatch(key) else []


def link_dopings(model: DopingModel, sentences: Sequence[Sentence]) -> list[Doping]:
    """Dopant-host pairs whose calibrated probability reaches the model's threshold."""
    return decode(model, document_rows(sentences))


def decode(model: DopingModel, rows: Sequence[tuple[int, Pair, list[float]]]) -> list[Doping]:
    """Greedy by probability, so the pairs kept at threshold t are those kept at 0 with probability >= t."""
    scores = model.scorer.scores([r for _, _, r in rows])
    scored = sorted(((model.calibration(float(x)), i, p) for (i, p, _), x in zip(rows, scores)), key=lambda t: -t[0])
    kept: list[Doping] = []
    for conf, i, p in scored:
        if conf < model.threshold:
            break
        # one host per dopant among overlapping host spans ("carbon", "carbon nanotubes")
        if any(k.sentence == i and k.dopant.key == p.dopant.key and k.host.start < p.host.end
               and p.host.start < k.host.end for k in kept):
            continue
        kept.append(Doping(i, p.host, p.dopant, METHOD, round(conf, 3)))
    return sorted(kept, key=lambda d: (d.sentence, d.host.start, d.dopant.start))
