"""Text clean-up shared by every reader: whitespace, ligatures, line joining, DOIs and years."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Set as AbstractSet

# Only the Latin ligature code points get NFKC: normalising whole strings would also fold
# superscripts, subscripts and other compatibility characters that carry meaning in formulas.
_LIGATURES = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0xFB00, 0xFB07)}
# Invisible characters that only break words apart for search and tokenisation.
_INVISIBLE = {cp: None for cp in (0x00AD, 0x200B, 0x2060, 0xFEFF)}
_TRANSLATE: dict[int, str | None] = {**_LIGATURES, **_INVISIBLE}
# Whether a text has any of them: most have none, and str.translate with a dict is slow.
_TRANSLATED = re.compile("[" + "".join(map(chr, _TRANSLATE)) + "]")

_DOI_RE = re.compile(r"10\.\d{4,9}/[^\s\"'<>]+")
_LABELLED_DOI_RE = re.compile(r"(?:doi\s*[:.]?\s*|doi\.org/)(10\.\d{4,9}/[^\s\"'<>]+)", re.IGNORECASE)
_COMPACT_DATE_RE = re.compile(r"^\s*(1[6-9]\d\d|20\d\d)[01]\d[0-3]\d\s*$")
_YEAR_RE = re.compile(r"(?<!\d)(1[6-9]\d\d|20\d\d)(?!\d)")
_RING_A = re.compile("\u02da ?A(?![a-z])")
_HYPHENS = ("-", "\u2010")
_COMPOUND_RE = re.compile(r"(?<![\w-])[a-z]{2,}(?:-[a-z]{2,})+(?![\w-])")


def clean_text(text: str) -> str:
    """Collapse every run of whitespace to one space, strip the ends, expand ligatures, and
    put LaTeX's ring-accent-then-A ("˚A", from \\AA in PDFs) together as "Å"."""
    text = " ".join((text.translate(_TRANSLATE) if _TRANSLATED.search(text) else text).split())
    return _RING_A.sub("\u00c5", text) if "\u02da" in text else text


def join_lines(lines: Iterable[str], compounds: AbstractSet[str] = frozenset()) -> str:
    """Join the lines of one paragraph, repairing words hyphenated at a line end
    ("super-" + "conductivity") when both halves are lower-case; other hyphens are kept, and so
    is the hyphen of a compound in `compounds` ("well-known", seen whole elsewhere in the text)."""
    out = ""
    for raw in lines:
        line = clean_text(raw)
        if not line:
            continue
        if out.endswith(_HYPHENS) and _is_split_word(out, line) and not _is_compound(out, line, compounds):
            out = out[:-1] + line
        elif out.endswith(_HYPHENS) and not out[:-1].endswith(" "):
            out = out + line  # "Cu-" + "intercalated": a real hyphen, broken at the line end
        elif out and _wide(out[-1]) and _wide(line[0]):
            out = out + line  # Chinese and Japanese put no space between words, nor at line ends
        elif out:
            out = f"{out} {line}"
        else:
            out = line
    return out


def _wide(ch: str) -> bool:
    """A character of a script written without spaces: CJK ideographs, kana, full-width forms."""
    return "　" <= ch <= "鿿" or "豈" <= ch <= "﫿" or "＀" <= ch <= "￯"


def _is_compound(before: str, after: str, compounds: AbstractSet[str]) -> bool:
    if not compounds:
        return False
    left = before[:-1].rsplit(" ", 1)[-1].lower()
    right = re.match(r"[^\W\d_]+", after)
    return right is not None and f"{left}-{right.group(0).lower()}" in compounds


def hyphenated_compounds(texts: Iterable[str]) -> frozenset[str]:
    """Lower-case words with a hyphen inside a line ("well-known", "first-principles"): the
    writer's spelling, to keep when the same word is broken at a line end."""
    # One search over the texts with a hyphen, a line break between each: no compound reaches
    # across one, and the pattern sees it as it sees a text's start or end.
    return frozenset(map(str.lower, _COMPOUND_RE.findall("\n".join([t for t in texts if "-" in t]))))


def _is_split_word(before: str, after: str) -> bool:
    # "Cu-" + "intercalated" or "x-" + "ray" keep the hyphen: the left part must be a lower-case word.
    left = before[:-1].rsplit(" ", 1)[-1]
    return len(left) >= 2 and left.isalpha() and left.islower() and after[:1].islower()


def clean_doi(raw: str | None) -> str | None:
    """A bare DOI ("10.1039/b806499g") from a DOI, a doi: string or a doi.org URL; None if none."""
    if not raw:
        return None
    match = _DOI_RE.search(raw)
    if not match:
        return None
    doi = match.group(0)
    # Trailing punctuation belongs to the sentence, not the DOI; a closing bracket only when unbalanced.
    while doi and doi[-1] in ".,;:'\"]}>":
        doi = doi[:-1]
    while doi.endswith(")") and doi.count("(") < doi.count(")"):
        doi = doi[:-1]
    return doi or None


def find_doi(text: str) -> str | None:
    """The DOI a text declares: a labelled one ("DOI: ...", "doi.org/...") first, else the first seen."""
    labelled = _LABELLED_DOI_RE.search(text)
    if labelled:
        return clean_doi(labelled.group(1))
    return clean_doi(text)


def find_year(text: str | None) -> int | None:
    """The first plausible publication year (1600-2099) in a date string."""
    if not text:
        return None
    compact = _COMPACT_DATE_RE.match(text)  # patent dates: 20050111
    if compact:
        return int(compact.group(1))
    match = _YEAR_RE.search(text)
    return int(match.group(1)) if match else None


def is_references_heading(text: str) -> bool:
    """'References', 'REFERENCES', 'Notes and references', 'Bibliography', '5. References' ..."""
    return bool(_REFERENCES_RE.match(strip_numbering(text)))


def is_abstract_heading(text: str) -> bool:
    return strip_numbering(text).lower().rstrip(".:") == "abstract"


def strip_numbering(text: str) -> str:
    """'II. RESULTS' -> 'RESULTS', '2.1 Methods' -> 'Methods'."""
    return _NUMBERING_RE.sub("", text.strip(), count=1)


_REFERENCES_RE = re.compile(
    r"^(notes\s+and\s+references|references(\s+and\s+notes)?|reference\s+list|bibliography|"
    r"literature\s+cited|works\s+cited|cited\s+literature|literature)\s*[.:]?$",
    re.IGNORECASE,
)
_NUMBERING_RE = re.compile(r"^(?:[IVXLC]+|\d+(?:\.\d+)*|[A-Z])[.)]?\s+")
