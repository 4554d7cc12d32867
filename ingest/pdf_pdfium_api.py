"""The few pdfium calls the pdfium engine makes per character, path segment and page object,
bound with plain pointer types.

pypdfium2's bindings wrap every handle they return in a typed ctypes pointer; made for each
of the thousands of characters on a page, those wrappers cost more than the calls. Here the
same library functions (taken by address from pypdfium2, so one library, one state) return
handles as plain integers, which also serve as dictionary keys.
"""
from __future__ import annotations

import ctypes
from ctypes import POINTER, c_double, c_float, c_int, c_size_t, c_uint, c_ulong, c_void_p
from typing import Any

import pypdfium2.raw as pdfium_c

_P = c_void_p
_FLOAT_P = POINTER(c_float)


class FSMatrix(ctypes.Structure):
    _fields_ = [(name, c_float) for name in "abcdef"]


class FSRect(ctypes.Structure):
    _fields_ = [("left", c_float), ("top", c_float), ("right", c_float), ("bottom", c_float)]


def _bind(name: str, restype: Any, *argtypes: Any) -> Any:
    address = ctypes.cast(getattr(pdfium_c, name), c_void_p).value
    if not address:
        raise ImportError(f"pdfium has no {name}: pypdfium2 is too old (pyproject.toml says which)")
    # PYFUNCTYPE keeps the GIL: these are getters that return at once, and releasing and taking
    # the GIL back costs a quarter of such a call.
    return ctypes.PYFUNCTYPE(restype, *argtypes)(address)


def _bind_bare(name: str, restype: Any) -> Any:
    """A function bound without argument types: ctypes then converts nothing, which halves the
    cost of a call. Callers pass the handle as a c_void_p, pointers made with byref(), and
    nothing but C ints besides."""
    return _bind(name, restype)


class Api:
    """pdfium functions taking and returning handles as integers. Built once per document read;
    binding is cheap and nothing happens at import."""

    def __init__(self) -> None:
        self.count_chars = _bind("FPDFText_CountChars", c_int, _P)
        self.unicode = _bind("FPDFText_GetUnicode", c_uint, _P, c_int)
        self.is_generated = _bind("FPDFText_IsGenerated", c_int, _P, c_int)
        self.is_hyphen = _bind("FPDFText_IsHyphen", c_int, _P, c_int)
        self.unicode_error = _bind("FPDFText_HasUnicodeMapError", c_int, _P, c_int)
        self.text_object = _bind("FPDFText_GetTextObject", _P, _P, c_int)
        # Called once per character of a page through map(): see _bind_bare.
        self.unicode_at = _bind_bare("FPDFText_GetUnicode", c_uint)
        self.text_object_at = _bind_bare("FPDFText_GetTextObject", c_size_t)  # NULL as 0
        self.char_origin_at = _bind_bare("FPDFText_GetCharOrigin", c_int)
        self.font_size = _bind("FPDFText_GetFontSize", c_double, _P, c_int)
        self.char_matrix_to = _bind("FPDFText_GetMatrix", c_int, _P, c_int, _P)  # into an FSMatrix's address
        self.loose_box = _bind("FPDFText_GetLooseCharBox", c_int, _P, c_int, POINTER(FSRect))
        self.text_font = _bind("FPDFTextObj_GetFont", _P, _P)
        self.font_name = _bind("FPDFFont_GetBaseFontName", c_ulong, _P, ctypes.c_char_p, c_ulong)
        self.font_descent = _bind("FPDFFont_GetDescent", c_int, _P, c_float, _FLOAT_P)
        # Called once per font and code point a page draws: see _bind_bare (the size is passed
        # as a c_float, the font as a c_void_p).
        self.glyph_width_at = _bind_bare("FPDFFont_GetGlyphWidth", c_int)
        self.count_objects = _bind("FPDFPage_CountObjects", c_int, _P)
        self.page_object = _bind("FPDFPage_GetObject", _P, _P, c_int)
        self.object_type = _bind("FPDFPageObj_GetType", c_int, _P)
        self.object_matrix = _bind("FPDFPageObj_GetMatrix", c_int, _P, POINTER(FSMatrix))
        self.object_bounds = _bind("FPDFPageObj_GetBounds", c_int, _P, _FLOAT_P, _FLOAT_P, _FLOAT_P, _FLOAT_P)
        self.form_count = _bind("FPDFFormObj_CountObjects", c_int, _P)
        self.form_object = _bind("FPDFFormObj_GetObject", _P, _P, c_ulong)
        self.draw_mode = _bind("FPDFPath_GetDrawMode", c_int, _P, POINTER(c_int), POINTER(c_int))
        self.count_segments = _bind("FPDFPath_CountSegments", c_int, _P)
        self.segment = _bind("FPDFPath_GetPathSegment", _P, _P, c_int)
        self.segment_point = _bind("FPDFPathSegment_GetPoint", c_int, _P, _FLOAT_P, _FLOAT_P)
        self.segment_type = _bind("FPDFPathSegment_GetType", c_int, _P)


def handle(pointer: Any) -> int:
    """A pypdfium2 typed pointer as the integer the Api functions take."""
    return ctypes.cast(pointer, c_void_p).value or 0
