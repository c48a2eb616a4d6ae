"""Merge stage: the items of every list, plus fetched records -> one `Work` per citation key, deduplicated.

How one work's fields are chosen is `fields.py`. Here: items are grouped by key (`items_by_key`), each
key's items are merged into a work (`merge_items`), dedupe finds the keys that are one work, and the items
of those keys are merged again into one work that keeps the others as aliases (`merge_works`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Generic, NamedTuple, TypeVar

from curabib.dedupe.duplicates import Candidate, Dedupe, find_duplicates
from curabib.merge.fields import fetched_for, merge_fields
from curabib.merge.normalize import normalize
from curabib.model import CuratedList, Diagnostic, Item, Record, Work

W = TypeVar("W")  # a work as the caller of `merge_and_describe` keeps it
KEYS_PER_BATCH = 1000  # keys merged, then described, in a row


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
    works: dict[str, W]  # one per work, under the key it keeps (a `Work`, or what `describe` made of it)
    canonical: dict[str, str]  # every item key -> the key of its work (merged keys become aliases)
    diagnostics: list[Diagnostic]
    dedupe: Dedupe


class KeyWork(NamedTuple, Generic[W]):
    """One key's work as if no other key were the same work."""

    candidate: Candidate  # what dedupe compares
    described: W  # what `describe` made of the work
    conflicts: list[Diagnostic]  # the fetched records it had to leave out


def merge_works(
    lists: Sequence[CuratedList],
    records: Mapping[str, Record] | None = None,
    prefer: str = "published",
    venue_style: str = "long",
) -> Bibliography[Work]:
    """Every work of `lists`, merged, normalized and deduplicated."""
    return merge_and_describe(lists, records or {}, prefer, venue_style, _as_is)


def _as_is(work: Work) -> Work:
    return work


def merge_and_describe(
    lists: Sequence[CuratedList],
    records: Mapping[str, Record],
    prefer: str,
    venue_style: str,
    describe: Callable[[Work], W],
    near_titles: bool = True,
    progress: Callable[[int], None] = lambda n: None,
) -> Bibliography[W]:
    """Every work, merged, normalized, deduplicated and passed through `describe` (a build renders it).

    Each key's items are merged into a work on their own first. Dedupe compares the results, and the few
    works it joins are merged again from all their keys' items. Without `near_titles`, `dedupe.possible`
    lacks the near-identical titles (see `find_duplicates`). `progress` is told how many keys are done."""
    grouped = items_by_key(lists)
    keys = list(grouped)
    merged = _merge_each_key(grouped, keys, records, prefer, venue_style, describe, progress)
    by_key = dict(zip(keys, merged, strict=True))
    dedupe = find_duplicates({key: by_key[key].candidate for key in keys}, keys, near_titles=near_titles)
    works = {}
    for kept, members in dedupe.members().items():
        if members == [kept]:
            works[kept] = by_key[kept].described
        else:
            works[kept] = describe(_merge_duplicates(kept, members, grouped, records, prefer, venue_style))
    diagnostics = [diagnostic for key in keys for diagnostic in by_key[key].conflicts]
    return Bibliography(works, dedupe.canonical, diagnostics, dedupe)


def _merge_each_key(
    grouped: Mapping[str, list[Item]],
    keys: Sequence[str],
    records: Mapping[str, Record],
    prefer: str,
    venue_style: str,
    describe: Callable[[Work], W],
    progress: Callable[[int], None],
) -> list[KeyWork[W]]:
    results: list[KeyWork[W]] = []
    for start in range(0, len(keys), KEYS_PER_BATCH):
        batch = keys[start : start + KEYS_PER_BATCH]
        merged = [merge_items(key, grouped[key], records, prefer, venue_style) for key in batch]
        # Merging a batch and then describing it beats alternating the two for each work: 13% at 100k
        # works, the processor's caches holding one task's code and data at a time.
        results += [KeyWork(Candidate.of(work), describe(work), conflicts) for work, conflicts in merged]
        progress(len(batch))
    return results


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
