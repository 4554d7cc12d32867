"""Reading papers (text, HTML, XML, PDF) into ParsedDocument records."""
from ingest.errors import NoTextLayer, ReadError, TooLarge, UnsupportedFormat
from ingest.files import iter_input_files
from ingest.reader import read_document

__all__ = ["NoTextLayer", "ReadError", "TooLarge", "UnsupportedFormat", "iter_input_files", "read_document"]
