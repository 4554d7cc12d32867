"""Errors raised while reading a document: one base class that says at which stage reading failed."""
from __future__ import annotations


class ReadError(Exception):
    """A document could not be read. `stage` names the step that failed ("open", "detect", "parse",
    "pdf", "limits"); the message says what was wrong in words a user can act on."""

    def __init__(self, message: str, *, stage: str, path: str | None = None) -> None:
        self.stage = stage
        self.path = path
        self.message = message
        where = f"{path}: " if path else ""
        super().__init__(f"{where}{message} (stage: {stage})")


class UnsupportedFormat(ReadError):
    """The bytes are none of the formats we read (PDF, XML, HTML, text)."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message, stage="detect", path=path)


class TooLarge(ReadError):
    """The file is over the size limit the caller set."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message, stage="limits", path=path)


class TooComplex(ReadError):
    """The document is over a structural cap (pages, nesting depth, number of elements)."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message, stage="limits", path=path)


class NoTextLayer(ReadError):
    """A PDF whose pages carry no text at all: a scan without OCR, usually."""

    def __init__(self, message: str = "no text layer (scanned?)", *, path: str | None = None) -> None:
        super().__init__(message, stage="pdf", path=path)


class EmptyDocument(ReadError):
    """The file parsed, but holds no text at all (whitespace, or markup around nothing)."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message, stage="parse", path=path)
