"""What the NLP stage produces from a ParsedDocument: sentences, typed mentions, quantities, property
facts, synthesis recipes and dopants."""
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
    si_value: float | None = None  # `value` in SI base units (pint), when the unit is one pint knows
    si_unit: str | None = None  # the SI unit of si_value in the same notation ("J", "S m-1", "K")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # character offset of the sentence in its block
    end: int
    block: int  # index into ParsedDocument.text_blocks()
    section: str | None
    mentions: tuple[Mention, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    table: int | None = None  # a table row written as text: index into ParsedDocument.tables
    # Materials a synthesis-procedure tagger found (the multi-head encoder's `syn` head, nlp.hybrid),
    # type "MAT": what recipe finding may take as targets and precursors. Not graph mentions.
    synthesis_materials: tuple[Mention, ...] = ()


@dataclass(frozen=True)
class Measurement:
    """A property fact: material, property and quantity found in one sentence."""

    sentence: int  # index into AnnotatedDocument.sentences
    material: Mention
    property: Mention
    quantity: Quantity
    method: str
    confidence: float
    phase: str | None = None  # polymorph or structure the value is for ("anatase", "wurtzite")
    descriptors: tuple[str, ...] = ()  # sample form stated with it ("thin film", "nanoparticle")
    characterization: str | None = None  # how it was measured, when the sentence says ("uv-vis")


@dataclass(frozen=True)
class Operation:
    """One synthesis step: a verb such as "calcined" with the conditions written around it."""

    sentence: int  # index into AnnotatedDocument.sentences
    text: str  # as written
    start: int  # offsets into the sentence's text
    end: int
    type: str  # normalised operation ("heating", "mixing", "drying", ...)
    temperature: Quantity | None = None
    time: Quantity | None = None
    atmosphere: str | None = None  # normalised gas or "air"/"vacuum"
    materials: tuple[Mention, ...] = ()  # materials named in the step's clause


@dataclass(frozen=True)
class Synthesis:
    """How a document makes its target: precursors, method and steps in order."""

    target: Mention | None  # the material made; None when the text never names it
    target_sentence: int | None
    precursors: tuple[tuple[int, Mention], ...]  # (sentence index, mention)
    operations: tuple[Operation, ...]
    method: str | None = None  # synthesis method key ("sol-gel", "solid state reaction")
    confidence: float = 0.5


@dataclass(frozen=True)
class Doping:
    """A dopant in a host material, as "Eu-doped Y2O3", "Y2O3:Eu" or "ZnO doped with Al" say."""

    sentence: int
    host: Mention
    dopant: Mention  # key: the dopant's element symbol when it is one element
    method: str
    confidence: float


@dataclass(frozen=True)
class AnnotatedDocument:
    doc_key: str  # ParsedDocument.key
    sentences: tuple[Sentence, ...]
    measurements: tuple[Measurement, ...] = ()
    pipeline: str = ""  # names and versions of the components that ran
    syntheses: tuple[Synthesis, ...] = ()
    dopings: tuple[Doping, ...] = ()
