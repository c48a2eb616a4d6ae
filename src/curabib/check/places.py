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

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from curabib.keys import titles_agree
from curabib.model import Diagnostic, Item
from curabib.places import describe, item_finding

if TYPE_CHECKING:
    from curabib.check.checks import Checked


def place(checked: Checked, item: Item) -> str:
    return describe(checked.entries, checked.sources, item)


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
