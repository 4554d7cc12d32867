"""Host and dopant spans written as phrases around a doping word, for the learned dopant-host linker.

The element-level candidates of nlp.relations.dopants miss a third of NERRE's gold pairs: dopants
named as classes or compounds ("RE-doped", "organic dopants", "co-doped with GeO2 and Al2O3"),
hosts named by words ("lithium niobate doped with MgO", "doping into perovskite halide") and
"Dy:YAG" forms the tagger does not tag. Each span comes with the construction that found it.
"""
from __future__ import annotations

import re

Span = tuple[int, int, str]  # start, end, source

_DOPING = r"(?:co-?|tri-?|di-?)?(?:doped|doping|dopants?)"
_DOPING_WORD = re.compile(rf"(?<![A-Za-z]){_DOPING}\b", re.IGNORECASE)
_STOP = re.compile(r"^(?:the|a|an|and|or|with|by|in|of|at|for|on|to|as|was|were|is|are|be|been|has|have|had|which|"
                   r"that|than|from|via|using|under|shows?|showed|exhibits?|exhibited|can|could|may|being|through|"
                   r"into|onto|during|after|before|its?|their|this|these|those|we|it|also|not|both|then|were|such|"
                   r"other|our|more|less|most|higher|lower|high|low|while|when|where|\d[\d.,]*|[a-z]+ly|"
                   r"(?:report|present|propose|investigate|study|prepare|synthesi[sz]e|fabricate|use|obtain|demonstrate)s?|"
                   r"[a-z]+ed|[a-z-]*doped|doping|dopants?|effects?|concentrations?|levels?|amounts?|contents?|"
                   r"ions?|atoms?|cations?)$", re.IGNORECASE)
_WORD = re.compile(r"[^\s]+")
_EDGE = ",;.:()[]{}\"'“”"
_AMOUNT = re.compile(r"\s*(?:(?:various|different|small|trace|a\s+proper)\s+(?:amounts?|contents?|concentrations?)\s+of\s+|"
                     r"\d[\d.,–-]*\s*(?:mol|wt|at)?\.?\s*%\s*(?:of\s+)?|\d[\d.]*\s+parts?\s+of\s+)?(?:the\s+)?")
_LIST_SPLIT = re.compile(r"\s*(?:,\s*and|,\s*or|,|\band\b|\bor\b)\s*")
_WITH = re.compile(r"\s+(?:with|by)\b", re.IGNORECASE)
_LATER_WITH = re.compile(r"\s+(?:of\s+)?(?:[\w/-]+\s+){1,4}with\b", re.IGNORECASE)
_DOPING_NOUN = re.compile(r"(?:doping|dopants?|substitution|incorporation|ions?)\b", re.IGNORECASE)
_PREPOSITION = re.compile(r"\b(?:in|into|of|on)\s+(?:the\s+)?", re.IGNORECASE)
_PAREN = re.compile(r"(?<=\w)\s\(([^()]{2,30})\)")
_BEFORE_DOPED_WITH = re.compile(r"(?:\s+(?:was|were|is|are|being|been))?\s+(?:co-?)?doped\s+(?:with|by)\b", re.I)
_COLON_WORD = re.compile(r"[^\s:]+(?:\s?:\s?[^\s:]+)+")
_NUMBERS = re.compile(r"^[\d.,%–-]*$")


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Punctuation off both ends of text[s:e]; a bracket only where its partner is not inside
    ("(Ba,Sr)TiO3" keeps its "(", "(gahnite)" and "Eu)" lose theirs)."""
    while e > s:
        if text[s] in "([{" and text[e - 1] == _PAIR[text[s]] and _closes(text, s, e):
            s, e = s + 1, e - 1
        elif text[s] in _EDGE and not (text[s] in "([{" and text.count(_PAIR[text[s]], s, e) >= text.count(text[s], s, e)):
            s += 1
        elif text[e - 1] in _EDGE and not (text[e - 1] in ")]}"
                                           and text.count(_PAIR[text[e - 1]], s, e) >= text.count(text[e - 1], s, e)):
            e -= 1
        else:
            break
    return s, e


def _closes(text: str, s: int, e: int) -> bool:
    """Whether the bracket at s is closed by the one at e - 1 (not earlier)."""
    depth = 0
    for i in range(s, e):
        depth += (text[i] == text[s]) - (text[i] == _PAIR[text[s]])
        if depth == 0:
            return i == e - 1
    return False


_PAIR = {"(": ")", "[": "]", "{": "}", ")": "(", "]": "[", "}": "{"}


def _words(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Word spans of text[a:b], punctuation trimmed off both ends, empty words left out."""
    out = []
    for w in _WORD.finditer(text, a, b):
        s, e = _trim(text, w.start(), w.end())
        if e > s:
            out.append((s, e))
    return out


def _np(text: str, words: list[tuple[int, int]], limit: int) -> list[tuple[int, int]]:
    """The leading words up to `limit` that could be a noun phrase: no stop word, no punctuation cut."""
    out: list[tuple[int, int]] = []
    for s, e in words[:limit]:
        if _STOP.match(text[s:e]):
            break
        if out and text[out[-1][1]:s].strip():  # a comma or bracket between the words ends the phrase
            break
        out.append((s, e))
        if re.search(r"[,;.]$", text[e:e + 1]) or text[e:e + 1] in ",;:)":
            break
    return out


def dopant_phrases(text: str) -> list[Span]:
    """"EDTA-doped", "organic dopants", "rare-earth metal-doped": one or two words before a doping word;
    "co-doped with GeO2 and Al2O3", "doped with 5% cobalt phthalocyanine", "doping microcapsules":
    each listed phrase after one."""
    out: list[Span] = []
    for m in _DOPING_WORD.finditer(text):
        if not _WITH.match(text, m.end()):  # "ZnO doped with": the word before is the host
            end = m.start() - 1 if text[m.start() - 1:m.start()] in "-–" else m.start()
            words = _words(text, max(0, end - 60), end)
            if words and words[-1][1] == end or (words and not text[words[-1][1]:end].strip()):
                last = list(reversed(_np(text, list(reversed(words)), 2)))
                for k in range(len(last)):
                    out.append((last[k][0], last[-1][1], "before_doping"))
        after = _WITH.match(text, m.end()) or _LATER_WITH.match(text, m.end())
        at = _AMOUNT.match(text, after.end() if after else m.end())
        start = at.end() if at else m.end()
        if not after and not re.match(r"doping|dopants?", m.group(), re.I):
            continue  # "doped nanotubes": a host follows, not a dopant
        stop = re.search(r"[.;:()\[\]]|\b(?:in|into|on|at|for|was|were|is|are|to|as|which|that)\b", text[start:])
        end = start + (stop.start() if stop else len(text) - start)
        pos = start
        for item in _LIST_SPLIT.split(text[start:end]):
            at_item = text.index(item, pos) if item else pos
            pos = at_item + len(item)
            words = _np(text, _words(text, at_item, at_item + len(item)), 3)
            for k in range(1, len(words) + 1):
                out.append((words[0][0], words[k - 1][1], "after_doping"))
    return out


def host_phrases(text: str) -> list[Span]:
    """"lithium niobate doped with MgO", "silica based planar waveguides doped with Er3+": the phrase
    before "doped with" and its leading words; "doping into perovskite halide", "doping in LDH
    structures": the phrase after the doping noun's preposition."""
    out: list[Span] = []
    for m in _BEFORE_DOPED_WITH.finditer(text):
        words = list(reversed(_np(text, list(reversed(_words(text, max(0, m.start() - 80), m.start()))), 4)))
        if not words or text[words[-1][1]:m.start()].strip():
            continue
        for k in range(len(words)):
            out.append((words[k][0], words[-1][1], "before_doped_with"))
        for k in range(1, len(words)):
            out.append((words[0][0], words[k - 1][1], "before_doped_with"))
    for m in _DOPING_NOUN.finditer(text):
        for prep in _PREPOSITION.finditer(text, m.end(), min(len(text), m.end() + 50)):
            words = _np(text, _words(text, prep.end(), min(len(text), prep.end() + 80)), 4)
            if words and words[0][0] == prep.end():
                for k in range(1, len(words) + 1):
                    out.append((words[0][0], words[k - 1][1], "doping_in"))
    for m in _PAREN.finditer(text):  # "ZnAl2O4 (gahnite)", "carbon nitride (g-C 3 N 4 )": another name
        s, e = _trim(text, m.start(1), m.end(1))
        if e > s:
            out.append((s, e, "paren"))
    return out


def colon_parts(text: str) -> list[tuple[int, int]]:
    """The parts of every "A:B" word ("Dy:Er:YAG", "LiNbO3:Mg,Fe", "ZnO : Eu", "C12A7:e-"), tagged
    or not; a part that is only a number ("10:30") is no part."""
    out = []
    for m in _COLON_WORD.finditer(text):
        pos = m.start()
        parts = re.split(r"\s?:\s?", m.group())
        spans = []
        for part in parts:
            at = text.index(part, pos) if part else pos
            pos = at + len(part)
            spans.append(_trim(text, at, at + len(part)))
        if any(e <= s or _NUMBERS.match(text[s:e]) for s, e in spans) or re.search(r"https?$", text[spans[0][0]:spans[0][1]]):
            continue
        out += spans
        for s, e in spans:  # "μc-Si/a-SiOx:H": the host is one of the slash's parts
            if "/" in text[s:e]:
                at = s
                for piece in text[s:e].split("/"):
                    if piece:
                        out.append((at, at + len(piece)))
                    at += len(piece) + 1
    return out
