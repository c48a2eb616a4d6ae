"""Merge stage: the items of a citation key, plus fetched records -> one normalized `Work`.

How one work's fields are chosen is `fields.py`. Here: items are grouped by key (`items_by_key`) and each
key's items are merged into a work (`merge_items`). The pipeline (`pipeline.merge_works`) then has dedupe
find the keys that are one work and merges their items again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from curabib.merge.fields import fetched_for, merge_fields
from curabib.merge.normalize import normalize
from curabib.model import CuratedList, Diagnostic, Item, Record, Work


def items_by_key(lists: Sequence[CuratedList]) -> dict[str, list[Item]]:
    """Items by key, lists in name order, items in curated order (`pin_missing_keys` has run)."""
    grouped: dict[str, list[Item]] = {}
    for lst in sorted(lists, key=lambda x: x.name):
        for item in lst.all_items():
            assert item.key is not None, "pin_missing_keys runs first"
            grouped.setdefault(item.key, []).append(item)
    return grouped


def merge_items(
    key: str, items: list[Item], records: Mapping[str, Record], prefer: str, venue_style: str
) -> tuple[Work, list[Diagnostic]]:
    """The normalized work of `items` under `key`, and the fetched records it had to leave out (what its
    evidence disagrees on is in `work.evidence`, for `check`)."""
    fetched = fetched_for(items, records)
    work = normalize(merge_fields(key, items, fetched, prefer), venue_style)
    return work, fetched.conflicts(key)
