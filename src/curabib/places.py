"""Where an item is, as findings and messages name it: its entries file and line and, for an item imported
from Markdown, the Markdown file and line (`entries/l.yaml:12 (README.md:40)`). Shared by `check` and by
the build, which refuses two works under one key naming both places. Pure: the Markdown files the user can
reach (`present`) are given, not looked up."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from curabib.model import CuratedList, Diagnostic, Item


def named_sources(lists: Iterable[CuratedList], present: Mapping[str, str] | None) -> dict[str, str]:
    """Every list's Markdown file as findings name it: as the user reaches it (`present`, the lists whose
    Markdown is there), else as its `source` says."""
    found = {lst.name: lst.source for lst in lists if lst.source}
    return {**found, **(present or {})}


def entries_file(entries: str, name: str | None) -> str:
    return f"{entries}/{name or '?'}.yaml"


def markdown_place(sources: Mapping[str, str], item: Item) -> tuple[str, int] | None:
    """The Markdown file (as the user reaches it) and line an item was imported from, when known."""
    markdown = sources.get(item.origin or "")
    return (markdown, item.source_line) if markdown is not None and item.source_line else None


def describe(entries: str, sources: Mapping[str, str], item: Item) -> str:
    """`entries/<list>.yaml:<line>`, and the Markdown line the item was imported from."""
    place = entries_file(entries, item.origin) + (f":{item.line}" if item.line else "")
    markdown = markdown_place(sources, item)
    return f"{place} ({markdown[0]}:{markdown[1]})" if markdown else place


def item_finding(
    entries: str, present: Mapping[str, str], item: Item, level: str, code: str, message: str
) -> Diagnostic:
    """A finding at an item: its entries file and line, and its Markdown line when the file is there."""
    markdown = markdown_place(present, item)
    return Diagnostic(
        level,
        code,
        message,
        file=entries_file(entries, item.origin),
        line=item.line,
        markdown=markdown[0] if markdown else None,
        markdown_line=markdown[1] if markdown else None,
    )
