"""Merge stage: the items of every list, plus fetched records -> one `Work` per citation key, deduplicated.

How one work's fields are chosen is `fields.py`; this module groups items by key, merges and normalizes
each group, lets dedupe join the groups that are one work, and merges those again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from curabib.dedupe.duplicates import Candidate, Dedupe, find_duplicates
from curabib.merge.fields import fetched_for, merge_fields
from curabib.merge.keys import base_key, unique_key
from curabib.merge.normalize import normalize
from curabib.model import CuratedList, Diagnostic, Item, Record, Work

W = TypeVar("W")  # a work as the caller of `collect` keeps it
WORKS_PER_BATCH = 1000  # keys merged, then described, in a row


def pin_missing_keys(lists: Sequence[CuratedList]) -> list[Diagnostic]:
    """Items added by hand without a key get a deterministic one for this build, and a warning."""
    taken = {key for lst in lists for item in lst.all_items() for key in (item.key, *item.aliases) if key}
    diagnostics = []
    for lst in lists:
        for item in lst.all_items():
            if item.key is None:
                base, provisional = base_key(item)
                item.key, item.key_provisional = unique_key(base, taken), provisional
                taken.add(item.key)
                diagnostics.append(
                    Diagnostic(
                        "warning",
                        "unpinned-key",
                        f"no key: using '{item.key}' for this build; run `curabib pin-keys` to store it",
                        file=f"entries/{lst.name}.yaml",
                        line=item.line,
                    )
                )
    return diagnostics


def group_items(lists: Sequence[CuratedList]) -> dict[str, list[Item]]:
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


# A key's work as if no other key were the same work: what dedupe compares, what `describe` made of the
# work, and the fetched records it had to leave out.
First = tuple[Candidate, W, list[Diagnostic]]


def collect_works(
    lists: Sequence[CuratedList],
    records: Mapping[str, Record] | None = None,
    prefer: str = "published",
    venue_style: str = "long",
) -> Bibliography[Work]:
    return collect(lists, records or {}, prefer, venue_style, _as_is)


def _as_is(work: Work) -> Work:
    return work


def collect(
    lists: Sequence[CuratedList],
    records: Mapping[str, Record],
    prefer: str,
    venue_style: str,
    describe: Callable[[Work], W],
    near_titles: bool = True,
    progress: Callable[[int], None] = lambda n: None,
) -> Bibliography[W]:
    """Every work, merged, normalized, deduplicated and passed through `describe` (a build renders it).

    Each key's items are merged into a work on their own first (`first_pass`). Dedupe compares the
    results, and the few works it joins are merged again from all their keys' items. Without
    `near_titles`, `dedupe.possible` lacks the near-identical titles (see `find_duplicates`). `progress`
    is told how many keys are done."""
    grouped = group_items(lists)
    keys = list(grouped)
    firsts = dict(
        zip(keys, first_pass(grouped, keys, records, prefer, venue_style, describe, progress), strict=True)
    )
    dedupe = find_duplicates({key: firsts[key][0] for key in keys}, keys, near_titles=near_titles)
    works = {}
    for kept, members in dedupe.members().items():
        if members == [kept]:
            works[kept] = firsts[kept][1]
        else:
            works[kept] = describe(_merge_keys(kept, members, grouped, records, prefer, venue_style))
    diagnostics = [diagnostic for key in keys for diagnostic in firsts[key][2]]
    return Bibliography(works, dedupe.canonical, diagnostics, dedupe)


def first_pass(
    grouped: Mapping[str, list[Item]],
    keys: Sequence[str],
    records: Mapping[str, Record],
    prefer: str,
    venue_style: str,
    describe: Callable[[Work], W],
    progress: Callable[[int], None] = lambda n: None,
) -> list[First[W]]:
    """Each key's items merged into a work, as if no other key were the same work, and described."""
    results: list[First[W]] = []
    for start in range(0, len(keys), WORKS_PER_BATCH):
        batch = keys[start : start + WORKS_PER_BATCH]
        merged = [merged_work(key, grouped[key], records, prefer, venue_style) for key in batch]
        # Merging a batch and then describing it beats alternating the two for each work: 13% at 100k
        # works, the processor's caches holding one task's code and data at a time.
        results += [(Candidate.of(work), describe(work), conflicts) for work, conflicts in merged]
        progress(len(batch))
    return results


def merged_work(
    key: str, items: list[Item], records: Mapping[str, Record], prefer: str, venue_style: str
) -> tuple[Work, list[Diagnostic]]:
    """The work of the items that share `key`, and the fetched records it had to leave out."""
    fetched = fetched_for(items, records)
    return normalize(merge_fields(key, items, fetched, prefer), venue_style), fetched.conflicts(key)


def _merge_keys(
    kept: str,
    keys: list[str],
    grouped: Mapping[str, list[Item]],
    records: Mapping[str, Record],
    prefer: str,
    venue_style: str,
) -> Work:
    """One work from the items of several keys that dedupe found to be the same work; the others become
    its aliases."""
    items = [item for key in keys for item in grouped[key]]
    merged = normalize(merge_fields(kept, items, fetched_for(items, records), prefer), venue_style)
    aliases = sorted({*merged.aliases, *(k for k in keys if k != kept)})
    return replace(merged, aliases=tuple(aliases))
