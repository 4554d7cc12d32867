"""What the NLP stage produces from a ParsedDocument: sentences, typed mentions and quantities."""
from __future__ import annotations

from dataclasses import dataclass

# The seven MatScholar entity types (Weston et al., J. Chem. Inf. Model. 2019).
ENTITY_TYPES: tuple[str, ...] = ("MAT", "SPL", "DSC", "PRO", "APL", "SMT", "CMT")


@dataclass(frozen=True)
class Mention:
    """A typed span. `start`/`end` are character offsets into the owning Sentence's `text`."""

    type: str  # one of ENTITY_TYPES
    text: str  # as written
    start: int
    end: int
    key: str  # normalised key: canonical formula for MAT, lower-cased lemma-ish form otherwise
    method: str = "ner.rules.v1"
    confidence: float = 1.0


@dataclass(frozen=True)
class Quantity:
    """A number with its unit, offsets into the owning Sentence's `text`."""

    text: str
    start: int
    end: int
    value: float
    unit: str | None  # written unit, normalised spacing ("eV", "mA h g-1"); None when unitless
    low: float | None = None  # ranges "300-500 K" keep both ends; value is the midpoint
    high: float | None = None
    error: float | None = None  # the ± part


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # character offset of the sentence in its block
    end: int
    block: int  # index into ParsedDocument.text_blocks()
    section: str | None
    mentions: tuple[Mention, ...] = ()
    quantities: tuple[Quantity, ...] = ()


@dataclass(frozen=True)
class Measurement:
    """A property fact: material, property and quantity found in one sentence."""

    sentence: int  # index into AnnotatedDocument.sentences
    material: Mention
    property: Mention
    quantity: Quantity
    method: str
    confidence: float


@dataclass(frozen=True)
class AnnotatedDocument:
    doc_key: str  # ParsedDocument.key
    sentences: tuple[Sentence, ...]
    measurements: tuple[Measurement, ...] = ()
    pipeline: str = ""  # names and versions of the components that ran
