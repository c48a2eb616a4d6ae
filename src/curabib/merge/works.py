"""Merge stage: the items of every list, plus fetched records -> one `Work` per citation key, deduplicated.

How one work's fields are chosen is `fields.py`. Here: items are grouped by key (`items_by_key`), each
key's items are merged into a work (`merge_items`), dedupe finds the keys that are one work, and the items
of those keys are merged again into one work that keeps the others as aliases (`merge_works`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from curabib.dedupe.duplicates import Candidate, Dedupe, find_duplicates
from curabib.merge.fields import fetched_for, merge_fields
from curabib.merge.normalize import normalize
from curabib.model import CuratedList, Diagnostic, Item, Record, Work

W = TypeVar("W")  # what `Bibliography.works` holds: `Work`s (callers name it: `Bibliography[Work]`)
KEYS_PER_REPORT = 1000  # `progress` is told of the keys merged in steps of this many


def items_by_key(lists: Sequence[CuratedList]) -> dict[str, list[Item]]:
    """Items by key, lists in name order, items in curated order (`pin_missing_keys` has run)."""
    grouped: dict[str, list[Item]] = {}
    for lst in sorted(lists, key=lambda x: x.name):
        for item in lst.all_items():
            assert item.key is not None, "pin_missing_keys runs first"
            grouped.setdefault(item.key, []).append(item)
    return grouped


@dataclass
class Bibliography(Generic[W]):
    works: dict[str, W]  # one per work, under the key it keeps
    canonical: dict[str, str]  # every item key -> the key of its work (merged keys become aliases)
    diagnostics: list[Diagnostic]
    dedupe: Dedupe


def merge_works(
    lists: Sequence[CuratedList],
    records: Mapping[str, Record] | None = None,
    prefer: str = "published",
    venue_style: str = "long",
    near_titles: bool = True,
    progress: Callable[[int], None] = lambda n: None,
) -> Bibliography[Work]:
    """Every work of `lists`, merged, normalized and deduplicated.

    Each key's items are merged into a work on their own first. Dedupe compares the results, and the few
    works it joins are merged again from all their keys' items. Without `near_titles`, `dedupe.possible`
    lacks the near-identical titles (see `find_duplicates`). `progress` is told how many keys are merged."""
    records = records or {}
    grouped = items_by_key(lists)
    keys = list(grouped)
    by_key: dict[str, Work] = {}
    diagnostics: list[Diagnostic] = []
    for start in range(0, len(keys), KEYS_PER_REPORT):
        batch = keys[start : start + KEYS_PER_REPORT]
        for key in batch:
            by_key[key], conflicts = merge_items(key, grouped[key], records, prefer, venue_style)
            diagnostics += conflicts
        progress(len(batch))
    candidates = {key: Candidate.of(work) for key, work in by_key.items()}
    dedupe = find_duplicates(candidates, keys, near_titles=near_titles)
    works = {}
    for kept, members in dedupe.members().items():
        if members == [kept]:
            works[kept] = by_key[kept]
        else:
            works[kept] = _merge_duplicates(kept, members, grouped, records, prefer, venue_style)
    return Bibliography(works, dedupe.canonical, diagnostics, dedupe)


def merge_items(
    key: str, items: list[Item], records: Mapping[str, Record], prefer: str, venue_style: str
) -> tuple[Work, list[Diagnostic]]:
    """The normalized work of `items` under `key`, and the fetched records it had to leave out (what its
    evidence disagrees on is in `work.evidence`, for `check`)."""
    fetched = fetched_for(items, records)
    work = normalize(merge_fields(key, items, fetched, prefer), venue_style)
    return work, fetched.conflicts(key)


def _merge_duplicates(
    kept: str,
    keys: list[str],
    grouped: Mapping[str, list[Item]],
    records: Mapping[str, Record],
    prefer: str,
    venue_style: str,
) -> Work:
    """One work from the items of several keys that dedupe found to be one work; the other keys become
    its aliases. Their record conflicts were reported when each key was merged on its own."""
    items = [item for key in keys for item in grouped[key]]
    merged, _ = merge_items(kept, items, records, prefer, venue_style)
    aliases = sorted({*merged.aliases, *(k for k in keys if k != kept)})
    return replace(merged, aliases=tuple(aliases))
