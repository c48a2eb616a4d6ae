"""The only place files are written: every write is atomic (temp file + rename) and keeps modes as an
editor would (a new file follows the umask, a rewritten file keeps its mode).

`bib/` is shared with the user: curabib replaces or removes only the files it wrote itself (the previous
build names them, see `write_owned`), never anything else in the folder (a NOTES.md, a .git), and writes
through a `bib` that is a symbolic link rather than replacing the link.
"""

from __future__ import annotations

import itertools
import json
import os
import secrets
import shutil
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO, NamedTuple

from curabib.errors import InputError

STAGING_PREFIX = ".curabib-staging."  # hidden, and never a list's name (those start with [a-z0-9])
_JOURNAL = ".commit.json"  # in a staging folder: its files are complete and may be moved in
_LEGACY = (".{}.old", ".{}.new.*")  # beside bib/: what the whole-folder swap of older versions left


def _temporary(path: Path) -> tuple[int, Path]:
    """A new, empty file beside `path`, open for writing. Made with 0666 less the umask, as any program's
    new file is (`mkstemp` would make it 0600: every list and bibliography private to its writer)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        candidate = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(candidate, flags, 0o666), candidate
        except FileExistsError:
            continue


def _keep_mode(new: Path, old: Path) -> None:
    """`new`, about to replace `old`, takes its mode: a 0644 (or 0664, 0444) file stays so."""
    try:
        mode = os.stat(old).st_mode
    except FileNotFoundError:
        return
    os.chmod(new, stat.S_IMODE(mode))


def write_text_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _temporary(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        _keep_mode(tmp, path)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def output_folder(folder: Path) -> Path:
    """`folder`, checked to be one curabib may write into: a folder, a link to one, or nothing yet.
    A file (or a link to nothing) there is the user's, not ours to replace: `InputError` (exit 2)."""
    if folder.is_symlink() and not folder.exists():
        raise InputError(
            f"{folder} is a symbolic link to {os.readlink(folder)}, which does not exist: create that "
            f"folder, or remove the link and curabib makes {folder}/"
        )
    if folder.exists() and not folder.is_dir():
        raise InputError(
            f"{folder} is a file, not a folder: curabib writes its bibliographies into {folder}/; "
            "move or rename that file (nothing was written)"
        )
    return folder


def is_own_path(relative: str) -> bool:
    """Whether `relative` may name a file curabib wrote in bib/: a plain relative path that stays inside
    (a previous index.json is read from disk, and a hand-edited one must not point elsewhere)."""
    path = PurePosixPath(relative)
    return (
        bool(relative)
        and "\\" not in relative
        and not path.is_absolute()
        and all(part not in ("", ".", "..") for part in path.parts)
        and not path.parts[0].startswith(STAGING_PREFIX)
    )


class Written(NamedTuple):
    files: int  # the files given
    changed: int  # of those, the ones whose bytes were not already there: written and moved in


def write_owned(
    folder: Path, files: Iterable[tuple[str, Iterable[bytes]]], previous: Iterable[str]
) -> Written:
    """Put `files` (relative path, UTF-8 bytes in lazy pieces) into `folder` and remove the `previous`
    files (those the last build wrote) that are no longer written; every other file is left alone. A file
    whose bytes are already there is not written again (a rebuild changes a few files of hundreds, and
    an untouched file keeps its time, so a LaTeX build or a sync tool sees nothing new).

    All or nothing, even under kill -9, in two phases:
    1. staging: every changed file is written into a hidden folder inside `folder` (same file system, so
       the moves below are renames). A failure here, or an interruption, leaves `folder` as it was: the
       staging folder is deleted now, or by the next run's `recover`.
    2. commit: a journal naming the files to move in and the files to remove is written (fsynced) into
       the staging folder, then each file is renamed over its old version (each rename is atomic, so no
       reader ever sees a half-written file) and the obsolete ones are removed. A run interrupted here
       is rolled forward by the next run's `recover`, which finds the journal and finishes the moves.
    The whole-folder swap this replaces could not keep the user's own files nor a symbolic link.
    """
    output_folder(folder).mkdir(parents=True, exist_ok=True)
    recover(folder)
    staging = folder / f"{STAGING_PREFIX}{secrets.token_hex(4)}"
    staging.mkdir()
    try:
        given: list[str] = []
        changed: list[str] = []
        for relative, pieces in files:  # a generator may fail here: nothing has been moved yet
            if not is_own_path(relative):
                raise ValueError(f"not a path inside bib/: {relative!r}")
            given.append(relative)
            if _stage_if_changed(pieces, folder / relative, staging / relative):
                changed.append(relative)
        obsolete = sorted({p for p in previous if is_own_path(p)} - set(given))
        write_text_atomic(staging / _JOURNAL, json.dumps({"move": changed, "remove": obsolete}))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _commit(folder, staging)
    return Written(len(given), len(changed))


def _stage_if_changed(pieces: Iterable[bytes], current: Path, staged: Path) -> bool:
    """Write `pieces` to `staged` unless `current` (a regular file) holds exactly these bytes; whether it
    wrote. The pieces are compared as they come, one in memory at a time (a file can be hundreds of
    megabytes); at the first difference, the bytes that matched are copied from `current`."""
    pieces = iter(pieces)
    matched = 0
    try:
        old = current.open("rb") if current.is_file() and not current.is_symlink() else None
    except OSError:
        old = None
    if old is not None:
        with old:
            for piece in pieces:
                if old.read(len(piece)) == piece:
                    matched += len(piece)
                    continue
                pieces = itertools.chain([piece], pieces)
                break
            else:
                if not old.read(1):
                    return False  # the same bytes: nothing to write
            old.seek(0)
            _write(staged, _prefix(old, matched), pieces)
            return True
    _write(staged, pieces)
    return True


def _prefix(handle: BinaryIO, size: int) -> Iterator[bytes]:
    """The first `size` bytes of `handle` (at its start), a megabyte at a time."""
    while size > 0:
        chunk = handle.read(min(size, 1 << 20))
        if not chunk:
            return
        size -= len(chunk)
        yield chunk


def _write(path: Path, *parts: Iterable[bytes]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        for pieces in parts:
            handle.writelines(pieces)


def _commit(folder: Path, staging: Path) -> None:
    """Phase 2 of `write_owned`; safe to run again after an interruption (moved files are skipped)."""
    plan = json.loads((staging / _JOURNAL).read_text(encoding="utf-8"))
    for relative in plan["move"]:
        source, target = staging / relative, folder / relative
        if source.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            _keep_mode(source, target)
            os.replace(source, target)
    for relative in plan["remove"]:
        target = folder / relative
        if target.is_file() or target.is_symlink():
            target.unlink()
            _prune(folder, target.parent)
    shutil.rmtree(staging, ignore_errors=True)


def _prune(folder: Path, directory: Path) -> None:
    """Remove `directory` and its parents below `folder` while empty (a removed list's section folders);
    a folder that still holds anything, ours or the user's, stays."""
    while directory != folder and folder in directory.parents:
        try:
            directory.rmdir()
        except OSError:
            return
        directory = directory.parent


def recover(folder: Path) -> None:
    """Finish or undo what an interrupted build left: a staging folder with its journal is committed
    (rolled forward), one without is deleted. Also tidies what older versions' whole-folder swap left
    beside `folder` (a `.bib.old`, `.bib.new.*`)."""
    if folder.is_dir():
        for staging in sorted(folder.glob(f"{STAGING_PREFIX}*")):
            if (staging / _JOURNAL).is_file():
                _commit(folder, staging)
            else:
                shutil.rmtree(staging, ignore_errors=True)
    old = folder.parent / _LEGACY[0].format(folder.name)
    if old.is_symlink():
        old.unlink()
    elif old.is_dir():
        if folder.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(old, folder)
    for stale in folder.parent.glob(_LEGACY[1].format(folder.name)):
        shutil.rmtree(stale, ignore_errors=True)


def stale_files(
    folder: Path, expected: Iterable[tuple[str, Iterable[bytes]]], previous: Iterable[str]
) -> tuple[list[str], int]:
    """The files of `folder` curabib answers for that differ from `expected`: missing, changed, or written
    by the last build (`previous`) and no longer expected. Other files are the user's and are not
    compared. Also how many files were expected."""
    output_folder(folder)
    stale = {p for p in previous if is_own_path(p) and (folder / p).is_file()}
    count = 0
    for relative, pieces in expected:
        count += 1
        stale.discard(relative)
        path = folder / relative
        if not path.is_file() or path.read_bytes() != b"".join(pieces):
            stale.add(relative)
    return sorted(stale), count
