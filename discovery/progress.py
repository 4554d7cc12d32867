"""Progress of long discovery steps (documents processed, epochs trained) on one rewritten
terminal line, with rate and ETA; silent when the stream is not a terminal."""
from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, unit: str, total: int | None = None, stream: TextIO | None = None,
                 min_interval: float = 0.2) -> None:
        self.unit = unit
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.start = time.monotonic()
        self.last = 0.0
        self.min_interval = min_interval
        self.shown = False

    def __call__(self, done: int, *_: object) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        final = self.total is not None and done >= self.total
        if now - self.last < self.min_interval and not final:
            return
        self.last = now
        elapsed = max(now - self.start, 1e-9)
        rate = done / elapsed
        line = f"\r{done}" + (f"/{self.total}" if self.total else "") + f" {self.unit}  {rate:.2f}/s"
        if self.total and rate > 0:
            left = int((self.total - done) / rate)
            line += f"  ETA {left // 3600}:{left // 60 % 60:02d}:{left % 60:02d}"
        self.stream.write(line + "   ")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.enabled and self.shown:
            self.stream.write("\n")
            self.stream.flush()
