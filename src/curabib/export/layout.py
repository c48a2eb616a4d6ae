"""Build stage: works -> the per-section, per-list and all-lists files under `bib/`, plus `index.json`.

`plan` decides which file holds which keys (pure); each work is rendered once per format (`Rendered`);
`files` lays the texts out file by file; `project/files.py` writes them, all or nothing.

Two kinds of format: `FORMATS` (export/__init__.py) are written for every section, list and all lists, a
work in five files or so: its texts are made once and shared. `LIST_FORMATS` (here) are written once per
list and once for all lists, each file holding the lists' section trees as `Collection`s (Zotero RDF: one
import gives a list's whole collection tree): a work is in two of them or so, and its text is made as each
file is written, so that the largest texts are never all held at once.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

from anyascii import anyascii

from curabib.export import FORMATS, ExportOptions, bibtex, csl, zotero_rdf
from curabib.export.common import WORKS_PER_PIECE, publication
from curabib.model import CuratedList, Item, Section, Work

T = TypeVar("T")
MAX_SLUG = 60
_JSON = json.JSONEncoder(ensure_ascii=False)  # one encoder: `json.dumps` with options makes one per call
# curabib's own files about the build, in a dot-folder of bib/: every .json a user sees there is CSL, and a
# Zotero or pandoc user who picks them all trips on none of these.
META_DIR = ".curabib"
META_FILES = ("index.json", "aliases.json", "provenance.json")
META_PATHS = tuple(f"{META_DIR}/{name}" for name in META_FILES)
# Where builds before the dot-folder put them: a newer build removes them (they were curabib's own).
LEGACY_META_PATHS = META_FILES
ALL = "all"  # bib/all.bib and bib/all.json: every list
# What a list's name may not be, and why: its files would land on these at the top of bib/.
TOP_LEVEL_NAMES = {ALL: f"bib/{ALL}.bib is the bibliography of all lists"}
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@dataclass(frozen=True, slots=True)
class OutputGroup:
    stem: str  # path under bib/ without the suffix: "healthcare-llms/2-3-medical-domain-llms"
    list_name: str | None  # None for all.*
    section: tuple[str, ...]  # headings as written, outermost first
    keys: tuple[str, ...]  # each work once, in curated order
    # The works listed right under the heading, not in its subsections (for a list: before its first
    # heading): what a Zotero collection holds itself.
    own: tuple[str, ...] = ()
    title: str | None = None  # a list's title as shown (see `plan`), for the list's group


@dataclass(frozen=True, slots=True)
class Collection:
    """A list, or one of its sections with works, as a collection tree (Zotero's collections)."""

    id: str  # the group's stem: unique in bib/, stable across builds
    title: str  # the heading as written; for a list, its title (else its name)
    keys: tuple[str, ...]  # the works it holds itself, in curated order
    children: tuple[Collection, ...]  # its sections with works, in curated order


@dataclass(frozen=True, slots=True)
class ListFormat:
    """A format written once per list and once for all lists: a file is its works' texts (`render`, each
    made as the file is written) with the collection trees of its lists (`file`)."""

    name: str
    suffix: str
    render: Callable[[Work, ExportOptions, str], str]  # a work, as its publication kind types it
    file: Callable[[Sequence[Collection], Iterable[bytes]], Iterator[bytes]]


LIST_FORMATS: tuple[ListFormat, ...] = (
    ListFormat(zotero_rdf.NAME, zotero_rdf.SUFFIX, zotero_rdf.render, zotero_rdf.file),
)


def slug(text: str) -> str:
    """ASCII-safe file name for a heading (Chinese headings transliterated); never '.', '..' or empty."""
    # One CJK character is one syllable: spell each apart so "大模型推荐" reads "da-mo-xing-tui-jian".
    ascii_text = "".join(f" {anyascii(c)} " if _CJK.match(c) else anyascii(c) for c in text).lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    result = "-".join(words)[:MAX_SLUG].strip("-")
    return result or "section"


def plan(lists: Sequence[CuratedList], canonical: Mapping[str, str] | None = None) -> list[OutputGroup]:
    """Which file holds which works. `canonical` maps each item key to the key its work keeps after
    deduplication, so a work listed under several keys appears once per file, under one key."""
    mapping = canonical or {}

    def keys(items: Iterable[Item]) -> tuple[str, ...]:
        return tuple(dict.fromkeys([mapping.get(key, key) for i in items if (key := i.key)]))

    groups: list[OutputGroup] = []
    ordered = sorted(lists, key=lambda x: x.name)
    groups.append(OutputGroup(ALL, None, (), keys(i for lst in ordered for i in lst.all_items())))
    # A list is shown by its title (else its name), followed by its name where another list has that title
    # too: two of ours copied one template's, and Zotero would make two collections of one name.
    titles = Counter(lst.title or lst.name for lst in ordered)
    for lst in ordered:
        title = lst.title or lst.name
        title = title if titles[title] == 1 else f"{title} ({lst.name})"
        groups.append(OutputGroup(lst.name, lst.name, (), keys(lst.all_items()), keys(lst.items), title))
        groups.extend(_section_groups(lst.name, lst.name, (), lst.sections, keys))
    return [g for g in groups if g.keys or g.list_name is None]


def _section_groups(
    list_name: str,
    folder: str,
    path: tuple[str, ...],
    sections: Sequence[Section],
    keys: Callable[[Iterable[Item]], tuple[str, ...]],
) -> list[OutputGroup]:
    groups = []
    used: set[str] = set()
    for section in sections:
        name = slug(section.heading)
        candidate, n = name, 2
        while candidate in used:
            candidate, n = f"{name}-{n}", n + 1
        used.add(candidate)
        heading_path = (*path, section.heading)
        stem = f"{folder}/{candidate}"
        groups.append(
            OutputGroup(stem, list_name, heading_path, keys(section.all_items()), keys(section.items))
        )
        groups.extend(_section_groups(list_name, stem, heading_path, section.sections, keys))
    return groups


class Rendered(NamedTuple):
    """A work's text in each format of `FORMATS`, UTF-8: rendered once, and the bytes shared by every file
    the work is in (all lists, its list, its section and each section above). The per-list formats
    (Zotero RDF) hold a work in two files or so, and their texts are the largest: they are rendered as
    their files are written rather than held for the whole build."""

    bibtex: bytes
    csl_json: bytes
    # The work's kind (`common.publication`) by which every format types it, the per-list ones too: worked
    # out once, not once per format and file.
    publication: str

    @classmethod
    def of(cls, work: Work, options: ExportOptions) -> Rendered:
        kind = publication(work)
        entry = bibtex.render(work, options, kind)
        if work.aliases and options.dialect == "bibtex":
            # Keys are promises: a key merged into this work, or replaced by `rekey --force`, keeps
            # resolving for BibTeX, natbib and pandoc as a copy of the entry under that key (biblatex reads
            # the `ids` field instead, and Zotero imports the CSL-JSON or RDF, which hold each work once).
            entry += "".join("\n" + _under_key(entry, alias) for alias in work.aliases)
        return cls(entry.encode("utf-8"), csl.render(work, options, kind).encode("utf-8"), kind)


def _under_key(entry: str, key: str) -> str:
    """A rendered BibTeX entry (`@type{key,` then its fields) under another key."""
    head, rest = entry.split("{", 1)
    return f"{head}{{{key},{rest.split(',', 1)[1]}"


def files(
    groups: Sequence[OutputGroup],
    works: Mapping[str, Work],
    texts: Mapping[str, Rendered],
    export: ExportOptions,
    options: Mapping[str, str] | None = None,
) -> Iterator[tuple[str, Iterable[bytes]]]:
    """(path under bib/, the file's UTF-8 bytes in pieces) for every output file, one at a time, so that a
    large build never holds a whole file, let alone all of them, in memory. `texts` are the works'
    `Rendered` texts, `export` the options the per-list formats render with, and `options` the build's
    command-line options, recorded in index.json (see `index`)."""
    for group in groups:
        yield group.stem + bibtex.FORMAT.suffix, bibtex.FORMAT.file([texts[k].bibtex for k in group.keys])
    for group in groups:
        yield group.stem + csl.FORMAT.suffix, csl.FORMAT.file([texts[k].csl_json for k in group.keys])
    for list_fmt in LIST_FORMATS:
        for group, trees in _shelves(groups):
            rendered = _rendered(list_fmt, [(works[k], texts[k].publication) for k in group.keys], export)
            yield group.stem + list_fmt.suffix, list_fmt.file(trees, rendered)
    yield f"{META_DIR}/index.json", _lazily(lambda g: index(g, options or {}), groups)
    yield f"{META_DIR}/aliases.json", _lazily(aliases, works)
    yield f"{META_DIR}/provenance.json", _lazily(provenance, works)


def _rendered(fmt: ListFormat, works: Sequence[tuple[Work, str]], options: ExportOptions) -> Iterator[bytes]:
    """The works' texts in a per-list format, made a few hundred at a time as the file is written (each
    work with its publication kind)."""
    for start in range(0, len(works), WORKS_PER_PIECE):
        piece = works[start : start + WORKS_PER_PIECE]
        yield "".join([fmt.render(work, options, kind) for work, kind in piece]).encode()


def _shelves(groups: Sequence[OutputGroup]) -> list[tuple[OutputGroup, tuple[Collection, ...]]]:
    """The files of the per-list formats: all lists (every list's tree) and each list (its own tree)."""
    trees = collections(groups)
    lists = [group for group in groups if group.list_name is not None and not group.section]
    every = tuple(trees[group.stem] for group in lists)
    return [(group, every) for group in groups if group.list_name is None] + [
        (group, (trees[group.stem],)) for group in lists
    ]


def collections(groups: Sequence[OutputGroup]) -> dict[str, Collection]:
    """Each list's and section's collection, by stem, built from `plan`'s groups: a section's folder is in
    its parent's (`plan` names them so), and a section without works has no group, nor any below it."""
    children: dict[str, list[str]] = {}
    for group in groups:
        if group.section:
            children.setdefault(group.stem.rsplit("/", 1)[0], []).append(group.stem)
    built: dict[str, Collection] = {}
    for group in reversed(groups):  # children before parents: `plan` lists parents first
        if group.list_name is not None:
            title = group.section[-1] if group.section else group.title or group.list_name
            below = tuple(built[stem] for stem in children.get(group.stem, ()))
            built[group.stem] = Collection(group.stem, title, group.own, below)
    return built


def _lazily(function: Callable[[T], str], argument: T) -> Iterator[bytes]:
    """The text, made only when the file is written."""
    yield function(argument).encode("utf-8")


def provenance(works: Mapping[str, Work]) -> str:
    """Where each work's title, authors, year and venue came from: curated, crossref, arxiv, curated hint."""
    # One work per line: a refresh shows up as a diff of the works it changed, and each line goes through
    # json's C encoder (an indented dump runs the pure-Python one, a second per 100k works). Works seldom
    # share one: each names the item its year and venue were read from.
    lines = [
        f"  {_JSON.encode(key)}: {_JSON.encode(dict(work.provenance))}"
        for key, work in sorted(works.items())
        if work.provenance
    ]
    return "{\n" + ",\n".join(lines) + "\n}\n" if lines else "{}\n"


def aliases(works: Mapping[str, Work]) -> str:
    """Old key -> key, so LaTeX sources that cite a merged or re-derived key can be fixed (or keep
    compiling with biblatex, whose `ids` field carries the same aliases)."""
    mapping = {alias: key for key, work in works.items() for alias in work.aliases}
    return json.dumps(dict(sorted(mapping.items())), ensure_ascii=False, indent=2) + "\n"


def index(groups: Sequence[OutputGroup], options: Mapping[str, str] | None = None) -> str:
    """Each bibliography's format, list, section path and entry count; and the options given to the build
    on its command line (`--venue`, `--dialect`), which `build --check` compares with. Its file list is
    also what the next build may replace or remove (`written_files`): bib/ may hold the user's files."""
    entries = {}
    for group in groups:
        formats = [(fmt.name, fmt.suffix) for fmt in FORMATS]
        if not group.section:  # all lists, or one list: the per-list formats too
            formats += [(fmt.name, fmt.suffix) for fmt in LIST_FORMATS]
        for name, suffix in formats:
            entries[group.stem + suffix] = {
                "format": name,
                "list": group.list_name,
                "section": list(group.section),
                "entries": len(group.keys),
            }
    document = {"options": dict(sorted((options or {}).items())), "files": dict(sorted(entries.items()))}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _read_index(text: str | None) -> dict[str, object]:
    try:
        document = json.loads(text) if text else {}
    except ValueError:  # a hand-edited or truncated index: trust nothing in it
        return {}
    return document if isinstance(document, dict) else {}


def written_files(index_text: str | None, legacy: bool = False) -> list[str]:
    """The files a build wrote, by its index.json (None: no index): its bibliographies and the meta files.
    Unreadable: only the meta files, so that a broken index never makes curabib remove a user's file."""
    listed = _read_index(index_text).get("files")
    bibliographies = [path for path in listed if isinstance(path, str)] if isinstance(listed, dict) else []
    # An index read where older builds put it (`legacy`): their meta files beside it were curabib's too.
    return [*bibliographies, *META_PATHS, *(LEGACY_META_PATHS if legacy else ())]


def recorded_options(index_text: str | None) -> dict[str, str]:
    """The command-line options the build that wrote `index_text` was given (see `index`)."""
    options = _read_index(index_text).get("options")
    if not isinstance(options, dict):
        return {}
    return {str(k): v for k, v in options.items() if isinstance(v, str)}
