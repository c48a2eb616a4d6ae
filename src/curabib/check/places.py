"""Where a finding is: every finding of `check` names the items behind it, each as its entries file and line
and, for an item imported from Markdown, the Markdown file and line (`entries/l.yaml:12 (README.md:40)`).

A finding about one item is placed at it. A finding about a work, which may be merged from items in several
sections and lists, is placed at one of its items (the one the finding is about, else the first listed)
and names every other item of the work in its message, so that each place can be found and fixed. Pure:
the Markdown files the user can reach (`present`) are given, not looked up: a finding points at the Markdown
line (its `where`, an annotation's file and line) only when the file is there, and names it in messages
either way.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from curabib.merge.keys import titles_agree
from curabib.model import CuratedList, Diagnostic, Item

if TYPE_CHECKING:
    from curabib.check.checks import Checked


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


def place(checked: Checked, item: Item) -> str:
    return describe(checked.entries, checked.sources, item)


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


def at_item(checked: Checked, item: Item, level: str, code: str, message: str) -> Diagnostic:
    """A finding about one item, placed at it."""
    return item_finding(checked.entries, checked.present, item, level, code, message)


def others(checked: Checked, key: str, placed: Item | None, named: Collection[Item] = ()) -> list[Item]:
    """The items of the work `key` other than the one a finding is placed at and those it names; not an
    item whose title clearly differs (a `key-collision`: another work under the same key)."""
    skip = {id(placed), *(id(item) for item in named)}
    return [
        item
        for item in checked.items_of(key)
        if id(item) not in skip and (placed is None or titles_agree(placed, item))
    ]


def also_listed(checked: Checked, items: Sequence[Item]) -> str:
    """` (also listed at A, B)`, or nothing."""
    return f" (also listed at {', '.join(place(checked, i) for i in items)})" if items else ""


def at_work(
    checked: Checked,
    key: str,
    level: str,
    code: str,
    message: str,
    first: Item | None = None,
    named: Collection[Item] = (),
) -> Diagnostic:
    """A finding about the work `key`, placed at `first` (else its first item) and naming its other items
    but those the message already names (`named`); at the key when no item lists the work."""
    items = checked.items_of(key)
    placed = first if first is not None else (items[0] if items else None)
    if placed is None:
        return Diagnostic(level, code, message, subject=key)
    text = message + also_listed(checked, others(checked, key, placed, named))
    return at_item(checked, placed, level, code, text)
