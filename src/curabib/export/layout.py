"""Build stage: works -> the per-section, per-list and all-lists files under `bib/`, plus `index.json`.

`plan` decides which file holds which keys (pure); each work is rendered once (`Rendered`); `files` lays
the texts out file by file; the CLI writes them with one atomic swap of the whole folder.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

from anyascii import anyascii

from curabib.export import FORMATS, ExportOptions, Format
from curabib.model import CuratedList, Item, Section, Work

T = TypeVar("T")
MAX_SLUG = 60
_JSON = json.JSONEncoder(ensure_ascii=False)  # one encoder: `json.dumps` with options makes one per call
META_FILES = ("index.json", "aliases.json", "provenance.json")  # under bib/, beside the bibliographies
ALL = "all"  # bib/all.bib and bib/all.json: every list
# What a list's name may not be, and why: its files would land on one of these at the top of bib/.
TOP_LEVEL_NAMES = {ALL: f"bib/{ALL}.bib is the bibliography of all lists"} | {
    meta.rsplit(".", 1)[0]: f"bib/{meta} is curabib's own file" for meta in META_FILES
}
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@dataclass(frozen=True, slots=True)
class OutputGroup:
    stem: str  # path under bib/ without the suffix: "healthcare-llms/2-3-medical-domain-llms"
    list_name: str | None  # None for all.*
    section: tuple[str, ...]  # headings as written, outermost first
    keys: tuple[str, ...]  # each work once, in curated order


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
    for lst in ordered:
        groups.append(OutputGroup(lst.name, lst.name, (), keys(lst.all_items())))
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
        groups.append(
            OutputGroup(f"{folder}/{candidate}", list_name, heading_path, keys(section.all_items()))
        )
        groups.extend(
            _section_groups(list_name, f"{folder}/{candidate}", heading_path, section.sections, keys)
        )
    return groups


class Rendered(NamedTuple):
    """A work as the build writes it: its text in each format, and what the meta files say of it."""

    texts: tuple[bytes, ...]  # UTF-8, one per format in FORMATS order: rendered once, used in every file
    kind: str
    aliases: tuple[str, ...]
    provenance: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, work: Work, options: ExportOptions) -> Rendered:
        texts = tuple(fmt.render(work, options).encode("utf-8") for fmt in FORMATS)
        return cls(texts, work.kind, work.aliases, work.provenance)


def files(
    groups: Sequence[OutputGroup], works: Mapping[str, Rendered], options: Mapping[str, str] | None = None
) -> Iterator[tuple[str, Iterable[bytes]]]:
    """(path under bib/, the file's UTF-8 bytes in pieces) for every output file, one at a time, so that a
    large build never holds a whole file, let alone all of them, in memory. `options` are the build's
    command-line options, recorded in index.json (see `index`)."""
    for n, fmt in enumerate(FORMATS):
        for group in groups:
            yield group.stem + fmt.suffix, _file(fmt, n, group.keys, works)
    yield "index.json", _lazily(lambda g: index(g, options or {}), groups)
    yield "aliases.json", _lazily(aliases, works)
    yield "provenance.json", _lazily(provenance, works)


def _file(fmt: Format, n: int, keys: Sequence[str], works: Mapping[str, Rendered]) -> Iterator[bytes]:
    """A bibliography's pieces, gathered only when it is written."""
    yield from fmt.file([works[key].texts[n] for key in keys])


def _lazily(function: Callable[[T], str], argument: T) -> Iterator[bytes]:
    """The text, made only when the file is written."""
    yield function(argument).encode("utf-8")


def provenance(works: Mapping[str, Rendered]) -> str:
    """Where each work's title, authors, year and venue came from: curated, crossref, arxiv, curated hint."""
    # One work per line: a refresh shows up as a diff of the works it changed, and each line goes through
    # json's C encoder (an indented dump runs the pure-Python one, a second per 100k works). Most works
    # share one of a few provenances: each is encoded once.
    encoded: dict[tuple[tuple[str, str], ...], str] = {}
    lines = []
    for key, work in sorted(works.items()):
        if work.provenance:
            if work.provenance not in encoded:
                encoded[work.provenance] = _JSON.encode(dict(work.provenance))
            lines.append(f"  {_JSON.encode(key)}: {encoded[work.provenance]}")
    return "{\n" + ",\n".join(lines) + "\n}\n" if lines else "{}\n"


def aliases(works: Mapping[str, Rendered]) -> str:
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
        for fmt in FORMATS:
            entries[group.stem + fmt.suffix] = {
                "format": fmt.name,
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


def written_files(index_text: str | None) -> list[str]:
    """The files a build wrote, by its index.json (None: no index): its bibliographies and the meta files.
    Unreadable: only the meta files, so that a broken index never makes curabib remove a user's file."""
    listed = _read_index(index_text).get("files")
    bibliographies = [path for path in listed if isinstance(path, str)] if isinstance(listed, dict) else []
    return [*bibliographies, *META_FILES]


def recorded_options(index_text: str | None) -> dict[str, str]:
    """The command-line options the build that wrote `index_text` was given (see `index`)."""
    options = _read_index(index_text).get("options")
    if not isinstance(options, dict):
        return {}
    return {str(k): v for k, v in options.items() if isinstance(v, str)}
