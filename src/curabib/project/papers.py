"""Writing a paper from a project: find a work, show one, export exactly what a paper cites, and re-derive
keys without breaking the ones a paper may already cite. The file edge of `curabib.cite` (which is pure):
here the entry files, the aux/bcf/Markdown files and bib/ are read, and an output file written.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from curabib.cite import citations
from curabib.cite.bibliography import PaperBibliography, paper_bibliography
from curabib.cite.catalogue import Catalogue
from curabib.cite.describe import item_lines, one_line, places
from curabib.cite.search import Hit, search
from curabib.errors import InputError, NotFound
from curabib.export.common import ExportOptions
from curabib.export.layout import META_DIR
from curabib.keys import pin_missing_keys
from curabib.keys import rekey as rekey_lists
from curabib.model import CuratedList
from curabib.pipeline import merge_works
from curabib.project.files import write_text_atomic

if TYPE_CHECKING:
    from curabib.project import Project

_MAX_AUX_DEPTH = 50  # \@input chains deeper than any real document (and a guard against a cycle)


def catalogue(project: Project) -> Catalogue:
    """Every work as `build` merges it, with its keys, aliases and places."""
    settings = project.settings
    lists, _ = pin_missing_keys(project.lists())
    venue = project.last_build_options().get("venue", settings.venue)
    bibliography = merge_works(lists, project.records(), settings.prefer, venue)
    return Catalogue.of(lists, bibliography)


@dataclass(frozen=True)
class Found:
    """The works matching a search, best first, as `find` prints them."""

    hits: list[Hit]
    catalogue: Catalogue

    @property
    def keys(self) -> list[str]:
        return [hit.key for hit in self.hits]

    def lines(self) -> list[tuple[str, str]]:
        """Each work's key and one-line citation, and where the lists name it."""
        return [(f"{h.key}  {one_line(h.work)}", places(self.catalogue, h.key)) for h in self.hits]

    def entries(self, fmt: str, options: ExportOptions) -> str:
        """The works' entries as `export` writes them (`bibtex` or `csl-json`)."""
        return paper_bibliography(self.catalogue, self.keys, fmt, options).text


def find(project: Project, text: str, limit: int | None = 20) -> Found:
    found = catalogue(project)
    return Found(search(found, text, limit), found)


@dataclass(frozen=True)
class Shown:
    """One work as `show` prints it: its BibTeX entry, its aliases, the curated items behind it."""

    key: str
    bibtex: str
    aliases: list[str]
    items: list[str]  # one line per item, with its file:line


def show(project: Project, reference: str) -> Shown:
    """The work `reference` names (a key, an alias or an identifier); `NotFound` naming the nearest keys
    when none does."""
    found = catalogue(project)
    key = found.resolve(reference)
    if key is None:
        near = found.nearest(reference)
        hint = f"; did you mean {', '.join(near)}?" if near else "; try `curabib find`"
        raise NotFound(f"no work has the key or identifier {reference!r}{hint}")
    bibtex = paper_bibliography(found, [key], "bibtex", project.export_options()).text
    items = item_lines(found, key, str(project.entries_dir))
    return Shown(key, bibtex, list(found.aliases_of(key)), list(items))


@dataclass(frozen=True)
class Cited:
    """What a paper cites, and where that was read."""

    keys: tuple[str, ...]
    read: tuple[Path, ...]  # the files read (an aux file and those it includes)


def cited_in(
    aux: Path | None = None, bcf: Path | None = None, markdown: Path | None = None, keys: str | None = None
) -> Cited:
    """The keys cited by the given sources, in order of first citation, each once; `InputError` naming a
    file that cannot be read."""
    found: list[str] = []
    read: list[Path] = []
    if aux is not None:
        _read_aux(aux, found, read, depth=0)
    if bcf is not None:
        try:
            found += citations.from_bcf(_text(bcf)).keys
        except citations.BadCitations as err:
            raise InputError(f"{bcf}: {err}") from err
        read.append(bcf)
    if markdown is not None:
        found += citations.from_markdown(_text(markdown)).keys
        read.append(markdown)
    if keys is not None:
        found += citations.from_list(keys).keys
    return Cited(tuple(dict.fromkeys(found)), tuple(read))


def _read_aux(path: Path, found: list[str], read: list[Path], depth: int) -> None:
    if depth > _MAX_AUX_DEPTH or path in read:
        return
    cited = citations.from_aux(_text(path))
    read.append(path)
    found += cited.keys
    for name in cited.inputs:  # \@input{chap1.aux}: relative to the main aux file's folder
        included = path.parent / name
        if included.exists():
            _read_aux(included, found, read, depth + 1)


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}") from err


@dataclass(frozen=True)
class PaperExport:
    bibliography: PaperBibliography
    cited: Cited
    output: Path | None  # where it was written; None: the caller prints `bibliography.text`


def export_paper(project: Project, cited: Cited, fmt: str, output: Path | None = None) -> PaperExport:
    """The bibliography of what `cited` names, written atomically to `output` when given (also when some
    keys are unknown: the paper still compiles with what is known, and the caller reports the rest)."""
    result = paper_bibliography(catalogue(project), cited.keys, fmt, project.export_options())
    if output is not None:
        write_text_atomic(output, result.text)
    return PaperExport(result, cited, output)


@dataclass(frozen=True)
class Rekeyed:
    renames: dict[str, str]  # old key -> new key
    kept: tuple[str, ...]  # provisional keys left alone because bib/ already has them (without --force)
    changed: tuple[str, ...]  # the lists whose files changed (or would change, on a dry run)


def rekey(project: Project, force: bool = False, dry_run: bool = False) -> Rekeyed:
    """Re-derive provisional keys whose authors are now known. A key bib/ already has (as a work's key or
    an alias) is a promise to every paper citing it: it is left alone, unless `force`, and then it stays
    on as an alias, which bib/ and `export` keep resolving."""
    lists = project.lists()
    keyed, _ = pin_missing_keys(lists)
    bibliography = merge_works(keyed, project.records(), project.settings.prefer)
    protected = frozenset() if force else exported_keys(project)
    rekeyed, renames, kept = rekey_lists(keyed, bibliography, protected)
    changed = [new.name for old, new in zip(keyed, rekeyed, strict=True) if new != old]
    if not dry_run:
        project.save_changed(lists, _with_pins(lists, keyed, rekeyed))
    return Rekeyed(renames, kept, tuple(changed))


def _with_pins(
    lists: Sequence[CuratedList], keyed: Sequence[CuratedList], rekeyed: Sequence[CuratedList]
) -> list[CuratedList]:
    """The rekeyed lists, or the lists as read where rekey changed nothing (keys a build pins on the fly
    are not written by rekey)."""
    return [new if new != pinned else old for old, pinned, new in zip(lists, keyed, rekeyed, strict=True)]


def exported_keys(project: Project) -> frozenset[str]:
    """Every key the last build wrote to bib/: each work's key (in all.json) and each alias."""
    folder = project.bib_dir
    keys: set[str] = set()
    for path, read in ((folder / "all.json", _csl_ids), (folder / META_DIR / "aliases.json", _alias_keys)):
        try:
            keys |= read(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue  # no build yet, or a file not curabib's: nothing promised there
    return frozenset(keys)


def _csl_ids(data: object) -> set[str]:
    return (
        {str(item["id"]) for item in data if isinstance(item, dict) and "id" in item}
        if isinstance(data, list)
        else set()
    )


def _alias_keys(data: object) -> set[str]:
    return {str(key) for key in data} if isinstance(data, dict) else set()
