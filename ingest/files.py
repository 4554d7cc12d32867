"""Finding the input documents: files and folders in, a sorted, deterministic stream of paths out."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

SUPPORTED_SUFFIXES = frozenset({".pdf", ".html", ".htm", ".xml", ".txt"})


def iter_input_files(paths: Iterable[str | Path],
                     on_refused: Callable[[Path, str], None] | None = None) -> Iterator[Path]:
    """Yield the documents named by `paths`.

    A folder is walked recursively in name order, keeping files with a supported suffix
    (case-insensitive) and skipping hidden files and folders. Symlinked folders are not
    entered: one pointing out of the folder could send the walk across the disk, and one
    pointing inside it would only repeat files the walk reaches anyway. Symlinked files are
    read when they point inside the folder being walked; one pointing outside it (a link
    planted in a shared input folder to ~/.ssh or /etc) is not read, and is passed to
    `on_refused(path, reason)` when given, as is a FIFO or device (reading one could block).
    A file named directly is yielded whatever its name: the caller asked for it, and the
    reader decides by content. Each file is yielded once.
    """
    seen: set[Path] = set()
    for item in paths:
        path = Path(item)
        if path.is_dir():
            yield from _walk(path, seen, path.resolve(), on_refused)
        elif path.is_file():
            if _first_visit(path, seen):
                yield path
        elif path.exists() and on_refused:  # a FIFO or device: reading one could block forever
            on_refused(path, "not a regular file: not read")
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")


def _walk(folder: Path, seen: set[Path], root: Path,
          on_refused: Callable[[Path, str], None] | None) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except PermissionError:
        return  # an unreadable sub-folder holds no documents we could read anyway
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        try:
            is_file = entry.is_file(follow_symlinks=True) and not entry.is_dir(follow_symlinks=True)
        except OSError as exc:  # a symlink loop (ELOOP) or a vanished target: not a document
            if on_refused and path.suffix.lower() in SUPPORTED_SUFFIXES:
                on_refused(path, f"cannot follow: {exc.strerror or exc}")
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(path, seen, root, on_refused)
        elif is_file:
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            if entry.is_symlink() and not path.resolve().is_relative_to(root):  # resolve: no loop here
                if on_refused:
                    on_refused(path, "symbolic link to a file outside the input folder: not read")
                continue
            if _first_visit(path, seen):
                yield path
        elif on_refused and path.suffix.lower() in SUPPORTED_SUFFIXES:
            on_refused(path, "broken symbolic link" if entry.is_symlink() and not os.path.exists(path)
                       else "not a regular file: not read")


def _first_visit(path: Path, seen: set[Path]) -> bool:
    key = path.resolve()
    if key in seen:
        return False
    seen.add(key)
    return True
