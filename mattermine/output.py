"""Terminal output: query results as table/JSON/CSV, and a progress line for long jobs."""
from __future__ import annotations

import csv
import io
import json
import sys
import time
from typing import Any, TextIO


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def format_table(columns: list[str], rows: list[list[Any]], max_width: int = 60) -> str:
    cells = [[_text(v) for v in row] for row in rows]
    cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in row] for row in cells]
    widths = [max([len(col)] + [len(r[i]) for r in cells]) for i, col in enumerate(columns)]
    line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    out = [line, "| " + " | ".join(c.ljust(w) for c, w in zip(columns, widths)) + " |", line]
    out += ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |" for row in cells]
    out += [line, f"{len(rows)} row{'s' if len(rows) != 1 else ''}"]
    return "\n".join(out)


def format_json(columns: list[str], rows: list[list[Any]]) -> str:
    return json.dumps([dict(zip(columns, row)) for row in rows], ensure_ascii=False, indent=2, default=str)


def format_csv(columns: list[str], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([[_text(v) for v in row] for row in rows])
    return buf.getvalue().rstrip("\n")


FORMATS = {"table": format_table, "json": format_json, "csv": format_csv}


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class ProgressLine:
    """documents done/total, rate and ETA on one rewritten line; silent when not on a terminal."""

    def __init__(self, stream: TextIO | None = None, min_interval: float = 0.2) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.start = time.monotonic()
        self.last = 0.0
        self.min_interval = min_interval
        self.first_done: int | None = None

    def __call__(self, done: int, total: int, failed: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if self.first_done is None:
            self.first_done, self.start = done, now  # skipped documents do not count toward rate
        if now - self.last < self.min_interval and done < total:
            return
        self.last = now
        elapsed = max(now - self.start, 1e-9)
        rate = (done - self.first_done) / elapsed
        eta = _clock((total - done) / rate) if rate > 0 else "?"
        pct = 100.0 * done / total if total else 100.0
        self.stream.write(f"\r{done}/{total} documents ({pct:5.1f}%)  {rate:6.2f} doc/s  "
                          f"ETA {eta}  failed {failed}   ")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
