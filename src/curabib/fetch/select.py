"""Which entries a `refresh` is about, and how old a record may get: the command's arguments, read."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta

from curabib.errors import UnknownSelector
from curabib.model import CuratedList, Item


def parse_duration(text: str) -> timedelta:
    """`30d`, `12h`, `90m`; ValueError otherwise."""
    m = re.fullmatch(r"(\d+)([dhm])", text.strip())
    if not m:
        raise ValueError("use a number and d, h or m, e.g. 30d")
    unit = {"d": "days", "h": "hours", "m": "minutes"}[m.group(2)]
    return timedelta(**{unit: int(m.group(1))})


def select(lists: Sequence[CuratedList], selectors: Sequence[str]) -> list[Item]:
    """LIST, LIST/Heading/Sub... (headings as written), a heading, or KEY; nothing means everything.
    Each item once, in the order first selected."""
    if not selectors:
        return [item for lst in lists for item in lst.all_items()]
    chosen: dict[int, Item] = {}  # by identity: two items may be equal and still be two entries
    for selector in selectors:
        matched = False
        for lst in lists:
            if selector == lst.name:
                chosen.update((id(i), i) for i in lst.all_items())
                matched = True
            for path, section in lst.walk_sections():
                if selector in ("/".join((lst.name, *path)), path[-1]):
                    chosen.update((id(i), i) for i in section.all_items())
                    matched = True
            for item in lst.all_items():
                if selector in (item.key, *item.aliases):
                    chosen[id(item)] = item
                    matched = True
        if not matched:
            raise UnknownSelector(f"'{selector}' is not a list name, section or key in entries/")
    return list(chosen.values())
