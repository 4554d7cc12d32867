"""Refuse PDF compression bombs before a PDF engine inflates them.

A Flate stream can inflate about a thousand-fold, so a 200 KB file can carry a 200 MB content
stream that holds a reader for minutes. Both engines inflate streams lazily and deep inside
their own code, where no cap can be set; instead this module inflates every stream an engine
would read for text (page content, forms, fonts, object streams; not images, which neither
engine decodes for text) once, in bounded steps, and stops as soon as the total passes the
budget. The budget scales with the file, since a large file may legitimately inflate to more.

Every PDF read pays for this check, and most of its time is inflating. ISA-L (the isal package)
inflates the same streams about three times as fast as zlib, so it is used where it is installed.
"""
from __future__ import annotations

import re
import zlib
from types import ModuleType
from typing import Any, cast

from ingest.errors import TooComplex
from ingest.limits import Limits


def _inflater() -> tuple[ModuleType, tuple[type[Exception], ...]]:
    try:
        from isal import isal_zlib
    except ImportError:
        return zlib, (zlib.error,)
    isal_error = cast("type[Exception]", isal_zlib.error)  # the stubs call it an instance
    return isal_zlib, (isal_error, zlib.error)


_INFLATE, _INFLATE_ERRORS = _inflater()

_STREAM = re.compile(rb"stream\r?\n")
# rb"\d+\s+\d+\s+obj\b" read backwards ("jbo 0 21" for "12 0 obj"): its first match in a
# reversed window is the last object header in the window, found without scanning all of it.
_OBJ_REVERSED = re.compile(rb"(?<![A-Za-z0-9_])jbo\s+\d+\s+\d+")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_FLATE = (b"FlateDecode", b"Fl")
_LOOKBACK = 4096  # bytes before "stream" searched for its dictionary
_STEP = 1 << 20  # inflate at most this much per call, so a bomb is caught after one step


def inflation_budget(size: int, limits: Limits) -> int:
    """Bytes all text-bearing streams together may inflate to for a file of `size` bytes."""
    return min(limits.max_inflated_bytes, max(limits.min_inflated_budget, limits.max_inflate_ratio * size))


def check_inflation(data: bytes, limits: Limits, path: str | None = None) -> int:
    """Inflate the file's Flate streams with a running total; raise TooComplex past the budget.
    Returns the total inflated bytes. Streams that do not inflate (encrypted, damaged, other
    filters) are left to the engine, which reports them its own way."""
    budget = inflation_budget(len(data), limits)
    total = 0
    for match in _STREAM.finditer(data):
        head = _dictionary(data, match.start())
        layers = _flate_layers(head)
        if not layers or b"/Image" in head:
            continue
        end = data.find(b"endstream", match.end())
        raw = data[match.end(): end if end >= 0 else len(data)]
        total += _inflated_size(raw, layers, budget - total)
        if total > budget:
            raise TooComplex(
                f"compression bomb: streams inflate to more than {budget / 1e6:,.0f} MB "
                f"({len(data) / 1e6:,.1f} MB file; cap {limits.max_inflate_ratio}x the file, "
                f"at least {limits.min_inflated_budget / 1e6:,.0f} MB)", path=path)
    return total


def _dictionary(data: bytes, stream_at: int) -> bytes:
    """The stream's dictionary: the bytes since the last 'N G obj' before it.

    Searched for in the reversed window, a header's first match is the last one; but the
    pattern opens with a look-behind, so the regex engine tries it at every byte of the
    dictionary (a fifth of the check's time). Instead each "obj" from the end (bytes.rfind,
    at C speed) is tried as the start of a match, the window reversed as before: the first
    that matches is the one the search would find, since a match can only start at "jbo"."""
    window = data[max(0, stream_at - _LOOKBACK): stream_at]
    reversed_window = window[::-1]
    at = window.rfind(b"obj")
    while at >= 0:
        if _OBJ_REVERSED.match(reversed_window, len(window) - 3 - at):
            return window[at + 3:]
        at = window.rfind(b"obj", 0, at + 2)  # the next "obj" back: one that starts before this one
    return window


def _flate_layers(head: bytes) -> int:
    """How many Flate filters the stream's filter list starts with (0: not Flate first)."""
    found = list(_FILTER.finditer(head))
    if not found:
        return 0
    names = re.findall(rb"/([A-Za-z0-9]+)", found[-1].group(1))
    layers = 0
    for name in names:
        if name not in _FLATE:
            break
        layers += 1
    return layers


def _inflated_size(raw: bytes, layers: int, allowance: int) -> int:
    """Size of `raw` after `layers` rounds of inflation, counted up to just past `allowance`."""
    inflaters = [_INFLATE.decompressobj() for _ in range(layers)]
    size = 0
    try:
        pending = [raw]
        while pending and size <= allowance:
            chunk = pending.pop()
            out = _inflate_through(inflaters, chunk, allowance - size)
            size += out
            tail = inflaters[0].unconsumed_tail
            if tail and (out or len(tail) < len(chunk)):  # stop when nothing moves
                pending.append(tail)
    except _INFLATE_ERRORS:
        pass  # not Flate after all, or damaged: the engine will say so
    return size


def _inflate_through(inflaters: list[Any], chunk: bytes, allowance: int) -> int:
    """Feed `chunk` to the first inflater and each output to the next; bytes out of the last."""
    data = inflaters[0].decompress(chunk, _STEP)
    for inflater in inflaters[1:]:
        pieces = [inflater.decompress(data, _STEP)]
        while inflater.unconsumed_tail and pieces[-1] and sum(map(len, pieces)) <= allowance:
            pieces.append(inflater.decompress(inflater.unconsumed_tail, _STEP))
        data = b"".join(pieces)
    return len(data)
