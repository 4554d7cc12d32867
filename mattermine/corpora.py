"""Where the public corpora live: `MATTERMINE_CORPORA`, else `../shared/corpora` beside the checkout.

Tests and benchmarks read the data in place through `corpus_path`; nothing is copied into the
repository. See corpora/README.md for how to fetch each corpus from its original source; the
`pdfs-extra` corpus is fetched by `fetch_extra_pdfs` from the packages its manifest names.
"""
from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

REPO_ROOT = Path(__file__).resolve().parent.parent

FETCH_HINT = (
    "public corpora not found: set MATTERMINE_CORPORA to a folder holding them "
    "(see corpora/README.md for the original sources), or place them at ../shared/corpora"
)

EXTRA_PDFS = "pdfs-extra"
EXTRA_PDFS_MANIFEST = REPO_ROOT / "corpora" / EXTRA_PDFS / "SOURCES.tsv"
EXTRA_PDFS_HINT = (
    "fetch them with `mattermine corpora fetch pdfs-extra` (pip and apt-get download the source "
    "packages named in corpora/pdfs-extra/SOURCES.tsv), or place them at $MATTERMINE_CORPORA/pdfs-extra"
)
_DOWNLOAD_TIMEOUT = 900.0  # seconds for one archive; pip builds an sdist's metadata before it saves it


class CorpusMissing(FileNotFoundError):
    pass


class FetchError(RuntimeError):
    """A source archive could not be downloaded, or a file in it differs from the manifest."""


def corpora_root() -> Path:
    env = os.environ.get("MATTERMINE_CORPORA")
    if env:
        return Path(env)
    return REPO_ROOT.parent / "shared" / "corpora"


def corpus_path(*parts: str) -> Path:
    """Path to a file or folder of the public corpora; raises CorpusMissing with a how-to-fetch hint."""
    path = corpora_root().joinpath(*parts)
    if not path.exists():
        raise CorpusMissing(f"{path}: {FETCH_HINT}")
    return path


# -- pdfs-extra: real PDFs shipped inside PyPI source distributions and Debian packages ----------
@dataclass(frozen=True)
class SourceFile:
    """One row of a SOURCES.tsv manifest: a file we name, where it lies in which package, and
    what the reader should make of it (`expect`: "ok", or the ReadError class it must raise)."""

    file: str
    source: str  # "pypi-sdist" | "debian"
    package: str
    version: str
    member: str  # path inside the sdist tarball, or inside the .deb's data archive
    size: int
    sha256: str
    pages: int
    kind: str
    language: str
    expect: str
    licence: str
    notes: str


@dataclass(frozen=True)
class FetchReport:
    dest: Path
    fetched: tuple[str, ...]
    present: tuple[str, ...]  # already there with the right checksum: not fetched again


def read_manifest(path: Path = EXTRA_PDFS_MANIFEST) -> list[SourceFile]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    entries = [SourceFile(file=r["file"], source=r["source"], package=r["package"], version=r["version"],
                          member=r["member"], size=int(r["size_bytes"]), sha256=r["sha256"].lower(),
                          pages=int(r["pages"]), kind=r["kind"], language=r["language"], expect=r["expect"],
                          licence=r["licence"], notes=r["notes"]) for r in rows]
    for entry in entries:  # names become paths under dest: no folders, no dot files
        if Path(entry.file).name != entry.file or entry.file.startswith("."):
            raise ValueError(f"{path}: file name {entry.file!r} must be a plain file name")
    return entries


def extra_pdfs_cache() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "mattermine" / "corpora" / EXTRA_PDFS


def default_extra_pdfs_dir() -> Path:
    """`$MATTERMINE_CORPORA/pdfs-extra` when that folder can be written, else the user's cache."""
    env = os.environ.get("MATTERMINE_CORPORA")
    if env:
        target = Path(env) / EXTRA_PDFS
        probe = target if target.exists() else Path(env)
        if probe.is_dir() and os.access(probe, os.W_OK | os.X_OK):
            return target
    return extra_pdfs_cache()


def find_extra_pdfs(entries: list[SourceFile] | None = None) -> Path | None:
    """The first folder holding every listed file with its checksum: the public corpora's
    pdfs-extra, then the cache; None when neither does."""
    entries = read_manifest() if entries is None else entries
    for folder in (corpora_root() / EXTRA_PDFS, extra_pdfs_cache()):
        if all(_matches(folder / e.file, e) for e in entries):
            return folder
    return None


def fetch_extra_pdfs(dest: Path | None = None, *, manifest: Path = EXTRA_PDFS_MANIFEST,
                     progress: Callable[[str], None] | None = None) -> FetchReport:
    """Download each source archive the manifest names once, take out the listed files, check
    their SHA-256 and write them to `dest` (default: `default_extra_pdfs_dir()`). Files already
    there with the right checksum are not fetched again. Raises FetchError naming every archive
    that failed; the files of the archives that worked are kept."""
    say = progress or (lambda message: None)
    entries = read_manifest(manifest)
    dest = dest or default_extra_pdfs_dir()
    dest.mkdir(parents=True, exist_ok=True)
    present = [e for e in entries if _matches(dest / e.file, e)]
    missing = [e for e in entries if e not in present]
    groups: dict[tuple[str, str, str], list[SourceFile]] = {}
    for entry in missing:
        groups.setdefault((entry.source, entry.package, entry.version), []).append(entry)
    errors: list[str] = []
    for (source, package, version), group in groups.items():
        say(f"{package} {version} ({source}): downloading for {len(group)} file(s)")
        try:
            with tempfile.TemporaryDirectory(prefix="mattermine-fetch-") as tmp:
                archive = _download(source, package, version, Path(tmp))
                _extract(archive, group, dest)
        except FetchError as exc:
            errors.append(str(exc))
    if errors:
        raise FetchError(f"{len(errors)} of {len(groups)} source archive(s) failed (files already in {dest} "
                         "are kept):\n" + "\n".join(f"- {e}" for e in errors))
    return FetchReport(dest, tuple(e.file for e in missing), tuple(e.file for e in present))


def _matches(path: Path, entry: SourceFile) -> bool:
    try:
        if path.stat().st_size != entry.size:
            return False
        return hashlib.sha256(path.read_bytes()).hexdigest() == entry.sha256
    except OSError:
        return False


def _download(source: str, package: str, version: str, folder: Path) -> Path:
    if source == "pypi-sdist":
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "--quiet",
               "--disable-pip-version-check", "--dest", str(folder), f"{package}=={version}"]
        hint = ""
    elif source == "debian":
        cmd = ["apt-get", "download", f"{package}={version}"]
        hint = " (on Debian or Ubuntu, after `apt-get update`; a version gone from the archive needs a new manifest row)"
    else:
        raise FetchError(f"{package}: unknown source type {source!r} in the manifest")
    try:
        done = subprocess.run(cmd, cwd=folder, capture_output=True, text=True, timeout=_DOWNLOAD_TIMEOUT)
    except FileNotFoundError as exc:
        raise FetchError(f"cannot download {package} {version}: {cmd[0]} not found{hint}") from exc
    except subprocess.TimeoutExpired as exc:
        raise FetchError(f"cannot download {package} {version}: `{' '.join(cmd)}` took over "
                         f"{_DOWNLOAD_TIMEOUT:.0f} s") from exc
    if done.returncode != 0:
        lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        said = " / ".join(line if len(line) <= 300 else line[:300] + "..." for line in lines[-3:]) or "no message"
        raise FetchError(f"cannot download {package} {version}: `{' '.join(cmd)}` exited {done.returncode}: "
                         f"{said}{hint}")
    files = [p for p in folder.iterdir() if p.is_file()]
    if len(files) != 1:
        raise FetchError(f"{package} {version}: expected one downloaded archive, found {[p.name for p in files]}")
    return files[0]


def _extract(archive: Path, group: list[SourceFile], dest: Path) -> None:
    wanted = {e.member.removeprefix("./"): e for e in group}
    problems: list[str] = []
    with _data_tar(archive) as tar:
        for info in tar:
            entry = wanted.pop(info.name.removeprefix("./"), None)
            if entry is None:
                continue
            handle = tar.extractfile(info) if info.isfile() else None
            if handle is None:
                problems.append(f"{entry.member} is not a regular file")
                continue
            data = handle.read()
            digest = hashlib.sha256(data).hexdigest()
            if digest != entry.sha256:
                problems.append(f"{entry.member}: sha256 {digest} ({len(data):,} bytes) is not the manifest's "
                                f"{entry.sha256} ({entry.size:,} bytes); {entry.file} not written")
                continue
            part = dest / f".{entry.file}.part"
            part.write_bytes(data)
            os.replace(part, dest / entry.file)
            if not wanted:
                break
    problems += [f"{e.member}: not in the archive" for e in wanted.values()]
    if problems:
        raise FetchError(f"{archive.name}: " + "; ".join(problems))


@contextmanager
def _data_tar(archive: Path) -> Iterator[tarfile.TarFile]:
    """The tar inside: an sdist is one; a .deb is an ar archive whose data.tar.* holds the files."""
    try:
        if archive.suffix != ".deb":
            with tarfile.open(archive, "r:*") as tar:
                yield tar
            return
        data = _deb_data(archive)
        with tarfile.open(data, "r:*") as tar:
            yield tar
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise FetchError(f"{archive.name}: cannot read the archive: {exc}") from exc


def _deb_data(deb: Path) -> Path:
    """Copy the data.tar.* member of a .deb (an ar archive) beside it and return its path."""
    with deb.open("rb") as fh:
        if fh.read(8) != b"!<arch>\n":
            raise FetchError(f"{deb.name}: not a Debian package (no ar header)")
        while header := fh.read(60):
            if len(header) < 60:
                break
            name = header[:16].decode("ascii", "replace").strip().rstrip("/")
            size = int(header[48:58].decode("ascii").strip())
            if name.startswith("data.tar"):
                if name.endswith(".zst"):
                    raise FetchError(f"{deb.name}: {name} is zstd-compressed, which Python's tarfile cannot read")
                out = deb.with_name(name)
                with out.open("wb") as dst:
                    _copy_exactly(fh, dst, size)
                return out
            fh.seek(size + size % 2, os.SEEK_CUR)
    raise FetchError(f"{deb.name}: no data.tar member")


def _copy_exactly(src: BinaryIO, dst: BinaryIO, size: int) -> None:
    remaining = size
    while remaining:
        chunk = src.read(min(remaining, 1 << 20))
        if not chunk:
            raise FetchError("truncated Debian package")
        dst.write(chunk)
        remaining -= len(chunk)
