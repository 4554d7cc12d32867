"""Reading papers (text, HTML, XML, PDF) into ParsedDocument records."""
from ingest.errors import EmptyDocument, NoTextLayer, ReadError, TooComplex, TooLarge, UnsupportedFormat
from ingest.files import iter_input_files
from ingest.limits import Limits
from ingest.reader import read_document

__all__ = ["EmptyDocument", "Limits", "NoTextLayer", "ReadError", "TooComplex", "TooLarge", "UnsupportedFormat", "iter_input_files",
           "read_document"]
