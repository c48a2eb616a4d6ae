"""The only place files are written: every write is atomic (temp file + rename)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path


def write_text_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def replace_tree(target: Path, files: Mapping[str, str] | Iterable[tuple[str, Iterable[bytes]]]) -> int:
    """Make `target` hold exactly `files` (relative path -> text, or UTF-8 bytes in lazy pieces), or leave
    it untouched on failure.

    Everything is written to a sibling temporary folder first and swapped in with two renames, so a
    failed or interrupted build never leaves a half-written `bib/`. A leftover from an interrupted swap
    is recovered on the next run.
    """
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    _recover(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new.", dir=parent))

    def write(entry: tuple[str, str | Iterable[bytes]]) -> None:
        relative, text = entry
        path = staging / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            if isinstance(text, str):
                handle.write(text.encode("utf-8"))
            else:
                handle.writelines(text)

    try:
        count = 0
        for entry in files.items() if isinstance(files, Mapping) else files:  # a generator may fail here
            write(entry)
            count += 1
        old = parent / f".{target.name}.old"
        if target.exists():
            os.replace(target, old)
        os.replace(staging, target)
        shutil.rmtree(old, ignore_errors=True)
        return count
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _recover(target: Path) -> None:
    old = target.parent / f".{target.name}.old"
    if old.exists():
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(old, target)
    for stale in target.parent.glob(f".{target.name}.new.*"):
        shutil.rmtree(stale, ignore_errors=True)


def stale_files(target: Path, expected: Iterable[tuple[str, Iterable[bytes]]]) -> tuple[list[str], int]:
    """The files under `target` that differ from `expected` (missing, changed, or not expected at all), in
    path order, and how many files were expected."""
    found = target.rglob("*") if target.is_dir() else ()
    existing = {p.relative_to(target).as_posix(): p for p in found if p.is_file()}
    stale = set(existing)
    count = 0
    for path, pieces in expected:
        count += 1
        stale.discard(path)
        if path not in existing or existing[path].read_bytes() != b"".join(pieces):
            stale.add(path)
    return sorted(stale), count
