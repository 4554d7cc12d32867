"""Reader processes with a per-document time limit: a worker stuck on one file is killed, the
file becomes a failure record (stage "timeout"), and a fresh worker takes its place.

ProcessPoolExecutor cannot cancel a task that is already running, and a parser can spin in C
code where no signal reaches Python, so each worker is a plain spawned process fed one path at
a time over a pipe; the parent keeps every deadline and kills on expiry.
"""
from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path

from ingest.reader import read_document
from ingest.records import ParsedDocument

DEFAULT_DOC_TIMEOUT = 300.0  # seconds per document; a 2,000-page PDF stays well inside it


class ReaderStartError(RuntimeError):
    """Reader processes die before reading anything (a broken install, not a bad document)."""


@dataclass(frozen=True)
class Failure:
    path: str
    stage: str  # "open" | "read" | "pdf" | "limits" | "timeout" | "crash" | "nlp" | "graph" | ...
    error: str


def read_one(path: str, pdf_engine: str | None = None) -> ParsedDocument | Failure:
    """Never raises, so one bad file cannot take a worker (or the job) down. `pdf_engine`
    names the PDF engine (ingest.pdf_engines.ENGINES; None: the default)."""
    from ingest.errors import ReadError

    try:
        return read_document(path, pdf_engine=pdf_engine)
    except ReadError as exc:
        return Failure(path, getattr(exc, "stage", "read"), str(exc))
    except RecursionError:
        return Failure(path, "read", "RecursionError: document nested too deeply")
    except MemoryError:
        return Failure(path, "read", "MemoryError: document too large to read")
    except Exception as exc:  # noqa: BLE001 - a reader bug on one file must not stop the job
        return Failure(path, "read", f"{type(exc).__name__}: {exc}")


def _worker(conn: Connection, pdf_engine: str | None = None) -> None:
    """Worker main loop: a path in, a ParsedDocument or Failure out, until the pipe closes
    (the parent finished, or died: a killed job leaves no orphan readers behind)."""
    conn.send("ready")  # imports done: the parent starts a document's clock only from here
    while True:
        try:
            path = conn.recv()
        except (EOFError, OSError):
            return
        if path is None:
            return
        conn.send(read_one(path, pdf_engine))


@dataclass
class _Slot:
    process: BaseProcess
    conn: Connection
    path: str | None = None
    deadline: float = 0.0
    ready: bool = False


class ReaderPool:
    """`read(paths)` yields one ParsedDocument or Failure per path, in completion order."""

    def __init__(self, workers: int, timeout: float | None = DEFAULT_DOC_TIMEOUT,
                 pdf_engine: str | None = None) -> None:
        self.workers = max(1, workers)
        self.timeout = timeout
        self.pdf_engine = pdf_engine
        self._ctx = get_context("spawn")  # not fork: the parent may hold driver threads and sockets
        self._slots: list[_Slot] = []
        self._start_failures = 0

    def _spawn(self) -> _Slot:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_worker, args=(child, self.pdf_engine), daemon=True,
                                 name="mattermine-reader")
        proc.start()
        child.close()
        return _Slot(proc, parent)

    def _retire(self, slot: _Slot) -> None:
        if slot.process.is_alive():
            slot.process.kill()
        slot.process.join(timeout=10)
        slot.conn.close()

    def read(self, paths: Iterable[str | Path]) -> Iterator[ParsedDocument | Failure]:
        queue = [str(p) for p in paths]
        queue.reverse()  # pop() from the end keeps input order for dispatch
        while len(self._slots) < min(self.workers, len(queue)):
            self._slots.append(self._spawn())
        busy = 0
        while queue or busy:
            for slot in self._slots:
                if slot.ready and slot.path is None and queue:
                    slot.path = queue.pop()
                    slot.deadline = time.monotonic() + self.timeout if self.timeout else float("inf")
                    slot.conn.send(slot.path)
                    busy += 1
            deadlines = [s.deadline for s in self._slots if s.path is not None]
            wait_for = min(deadlines) - time.monotonic() if deadlines else 1.0
            ready = wait([s.conn for s in self._slots] + [s.process.sentinel for s in self._slots],
                         timeout=max(0.0, min(wait_for, 1.0)))
            for i, slot in enumerate(self._slots):
                if not slot.ready:
                    self._starting(i, ready)
                    continue
                if slot.path is None:
                    continue
                result = self._collect(slot, ready)
                if result is None:
                    continue
                yield result
                busy -= 1
                if slot.path == "":  # the worker was killed or died: replace it
                    self._retire(slot)
                    self._slots[i] = self._spawn()
                slot.path = None

    def _starting(self, i: int, ready: Sequence[object]) -> None:
        slot = self._slots[i]
        if slot.conn in ready:
            try:
                slot.ready = slot.conn.recv() == "ready"
                return
            except (EOFError, OSError):
                pass
        if slot.conn in ready or slot.process.sentinel in ready:  # died while starting: retry
            self._retire(slot)
            self._start_failures += 1
            if self._start_failures > 3:
                raise ReaderStartError(
                    f"reader processes exit while starting (exit code {slot.process.exitcode}); "
                    "run with --workers 1 --doc-timeout 0 to read in this process and see why")
            time.sleep(0.5)
            self._slots[i] = self._spawn()

    def _collect(self, slot: _Slot, ready: Sequence[object]) -> ParsedDocument | Failure | None:
        """The slot's finished result, a timeout or crash Failure, or None while it still runs.
        Marks a slot whose process must be replaced by setting its path to ''."""
        path = slot.path or ""
        if slot.conn in ready:
            try:
                result: ParsedDocument | Failure = slot.conn.recv()
                return result
            except (EOFError, OSError):
                pass  # died mid-send: reported as a crash below
        if slot.conn in ready or slot.process.sentinel in ready:
            slot.process.join(timeout=5)
            code = slot.process.exitcode
            slot.path = ""
            return Failure(path, "crash", f"reader process died (exit code {code}) on this document")
        if time.monotonic() >= slot.deadline:
            slot.path = ""
            return Failure(path, "timeout", f"reading took longer than the {self.timeout:g} s limit per document")
        return None

    def close(self) -> None:
        for slot in self._slots:
            try:
                slot.conn.send(None)
            except OSError:
                pass
        for slot in self._slots:
            slot.process.join(timeout=2)
            self._retire(slot)
        self._slots = []

    def __enter__(self) -> ReaderPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
