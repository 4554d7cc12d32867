"""Extraction jobs on disk: an id, a manifest of the inputs, the state, the failures JSONL.

    <data-dir>/jobs/<job>/manifest.json   id, engine, options, state, runs, last summary
    <data-dir>/jobs/<job>/inputs.jsonl    one {"path", "sha256", "bytes"} per input file
    <data-dir>/jobs/<job>/failures.jsonl  one {"job", "time", "path", "stage", "error"} per failure

The graph, not the manifest, says what is done (documents marked complete, by content hash):
the manifest is written before any document is, so a job killed at any point resumes from its
inputs and skips whatever the graph already holds complete.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_JOB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


class JobError(Exception):
    """A job id or manifest that cannot be used; the message says what to do."""


def new_job_id(paths: Sequence[Path | str]) -> str:
    digest = hashlib.sha256("\n".join(map(str, paths)).encode()).hexdigest()[:8]
    return time.strftime("%Y%m%d-%H%M%S-") + digest


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def _write_atomic(path: Path, text: str) -> None:
    # Write-then-rename: a kill mid-write leaves the old manifest, never half a file.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _private_dirs(folder: Path) -> None:
    """Create `folder` and any missing parents owner-only: job records hold paths and errors.
    Folders that already exist keep their mode (the user chose it)."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for path in reversed(missing):
        path.mkdir(mode=0o700, exist_ok=True)
        os.chmod(path, 0o700)  # mkdir's mode is masked by the umask


@dataclass
class Job:
    job_id: str
    folder: Path
    manifest: dict[str, Any]

    @property
    def failures_path(self) -> Path:
        return self.folder / "failures.jsonl"

    @property
    def inputs_path(self) -> Path:
        return self.folder / "inputs.jsonl"

    @classmethod
    def open(cls, jobs_dir: Path, job_id: str | None, paths: Sequence[Path | str],
             settings: dict[str, Any]) -> Job:
        """The job `job_id` (created when new), or a new job with a generated id."""
        job_id = job_id or new_job_id(paths)
        if not _JOB_ID.match(job_id):
            raise JobError(f"job id {job_id!r}: use letters, digits, '.', '_' and '-' (at most 100)")
        folder = jobs_dir / job_id
        if (folder / "manifest.json").exists():
            job = cls.load(jobs_dir, job_id)
            if job.manifest.get("arguments") != [str(p) for p in paths]:
                raise JobError(f"job {job_id!r} exists with other inputs: `--resume {job_id}` finishes "
                               "it, or choose another job id")
            job.manifest["settings"] = settings
            return job
        _private_dirs(folder)
        manifest = {"job": job_id, "created": _now(), "arguments": [str(p) for p in paths],
                    "settings": settings, "state": "new", "runs": []}
        return cls(job_id, folder, manifest)

    @classmethod
    def load(cls, jobs_dir: Path, job_id: str) -> Job:
        if not _JOB_ID.match(job_id):
            raise JobError(f"job id {job_id!r} is not a valid job id")
        folder = jobs_dir / job_id
        try:
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise JobError(f"no job {job_id!r} in {jobs_dir}") from exc
        except ValueError as exc:
            raise JobError(f"job {job_id!r}: unreadable manifest ({exc})") from exc
        return cls(job_id, folder, manifest)

    @staticmethod
    def latest_unfinished(jobs_dir: Path) -> str | None:
        """The most recently started job whose last run did not finish (killed, stopped, failed)."""
        best: tuple[str, str] | None = None
        for manifest in jobs_dir.glob("*/manifest.json"):
            try:
                data = json.loads(manifest.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if data.get("state") != "complete":
                started = (data.get("runs") or [{}])[-1].get("started", data.get("created", ""))
                if best is None or started > best[0]:
                    best = (started, data["job"])
        return best[1] if best else None

    # -- inputs --------------------------------------------------------------------------
    def has_inputs(self) -> bool:
        return self.inputs_path.exists()

    def record_inputs(self, inputs: Iterable[tuple[Path, str | None, int | None]]) -> None:
        """The input list of the first run (path, content hash, bytes); later runs reuse it."""
        lines = [json.dumps({"path": str(p), "sha256": h, "bytes": n}, ensure_ascii=False) for p, h, n in inputs]
        _write_atomic(self.inputs_path, "\n".join(lines) + ("\n" if lines else ""))

    def inputs(self) -> list[Path]:
        with self.inputs_path.open(encoding="utf-8") as fh:
            return [Path(json.loads(line)["path"]) for line in fh if line.strip()]

    # -- state ---------------------------------------------------------------------------
    def start_run(self, engine: str) -> None:
        self.manifest["state"] = "running"
        self.manifest["runs"].append({"started": _now(), "engine": engine, "pid": os.getpid(),
                                      "state": "running"})
        self.save()

    def end_run(self, state: str, summary: dict[str, Any] | None = None, note: str = "") -> None:
        """state: 'complete' or 'stopped' (a killed run stays 'running' in the manifest)."""
        self.manifest["state"] = state
        run = self.manifest["runs"][-1]
        run.update({"ended": _now(), "state": state})
        if note:
            run["note"] = note
        if summary is not None:
            self.manifest["summary"] = summary
        self.save()

    def save(self) -> None:
        _write_atomic(self.folder / "manifest.json", json.dumps(self.manifest, indent=2, ensure_ascii=False))
