"""The build's stages in order, as one pure function: curated lists + fetched records -> the files of bib/.

    keys pinned (keys.py) -> works merged and normalized (merge/) -> deduplicated (dedupe/)
    -> rendered (each work once per format; Zotero RDF as its files are written) and laid out per
    section, list and all lists (export/)

The project's files are read before and written after, by `project/` (see `project/building.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from curabib.dedupe.duplicates import Candidate, Dedupe, find_duplicates
from curabib.errors import InputError
from curabib.export import ExportOptions
from curabib.export.layout import OutputGroup, Rendered, files, plan
from curabib.keys import key_collisions_in, pin_missing_keys
from curabib.merge.works import items_by_key, merge_items
from curabib.model import CuratedList, Diagnostic, Item, Record, Work
from curabib.wording import counted


class KeyCollisions(InputError):
    """Keys that name two different works: a build would silently keep one of each, so it refuses."""

    def __init__(self, findings: Sequence[Diagnostic]) -> None:
        self.findings = findings
        super().__init__(
            f"{counted(len(findings), 'key')} {'names' if len(findings) == 1 else 'name'} two different "
            "works; nothing was written. Give one of each pair "
            "its own key (or fix the wrong title), then build again:\n"
            + "\n".join(f"  {finding.where}: {finding.message}" for finding in findings)
        )


@dataclass(frozen=True)
class Bibliographies:
    lists: Sequence[CuratedList]
    groups: Sequence[OutputGroup]  # one per bibliography: all lists, each list, each section
    works: Mapping[str, Work]  # by the key each work keeps
    texts: Mapping[str, Rendered]  # each work's texts, by the same keys: rendered once for every file
    diagnostics: Sequence[Diagnostic]
    export: ExportOptions

    def files(self, options: Mapping[str, str] | None = None) -> Iterator[tuple[str, Iterable[bytes]]]:
        """(path under bib/, its bytes in pieces), made one file at a time as they are written. `options`
        are the command-line options to record in index.json."""
        return files(self.groups, self.works, self.texts, self.export, options)


W = TypeVar("W")  # what `Bibliography.works` holds: `Work`s (callers name it: `Bibliography[Work]`)
KEYS_PER_REPORT = 1000  # `progress` is told of the keys merged in steps of this many


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


def build_bibliographies(
    lists: Sequence[CuratedList],
    records: Mapping[str, Record],
    options: ExportOptions,
    prefer: str = "published",
    venue_style: str = "long",
    progress: Callable[[int], None] = lambda n: None,
    entries: str = "entries",
) -> Bibliographies:
    """Every bibliography of `lists`. `progress` is told how many citation keys have been merged.
    `KeyCollisions` (naming both items as `entries`/list.yaml:line) when a key names two works."""
    keyed, merged, diagnostics = merged_lists(lists, records, prefer, venue_style, progress, entries)
    return bibliographies(keyed, merged, diagnostics, options)


def merged_lists(
    lists: Sequence[CuratedList],
    records: Mapping[str, Record],
    prefer: str,
    venue_style: str,
    progress: Callable[[int], None] = lambda n: None,
    entries: str = "entries",
) -> tuple[list[CuratedList], Bibliography[Work], list[Diagnostic]]:
    """The build's first stages: keys pinned, key collisions refused (`KeyCollisions`), works merged; the
    keyed lists, the merged works and every diagnostic so far (the site starts from here too)."""
    keyed, diagnostics = pin_missing_keys(lists)
    collisions = key_collisions_in(keyed, entries)
    if collisions:
        raise KeyCollisions(collisions)
    # Only `check` and `dedupe` report near-identical titles.
    merged = merge_works(keyed, records, prefer, venue_style, near_titles=False, progress=progress)
    return keyed, merged, [*diagnostics, *merged.diagnostics]


def bibliographies(
    keyed: Sequence[CuratedList],
    merged: Bibliography[Work],
    diagnostics: Sequence[Diagnostic],
    options: ExportOptions,
) -> Bibliographies:
    """The last stages: each work rendered once, the files planned (`merged_lists` gives the input)."""
    texts = {key: Rendered.of(work, options) for key, work in merged.works.items()}
    groups = plan(keyed, merged.canonical)
    return Bibliographies(keyed, groups, merged.works, texts, diagnostics, options)


def citation_keys(lists: Sequence[CuratedList]) -> int:
    """How many keys the lists name (a progress bar's length; items without a key count once each)."""
    return len({item.key or id(item) for curated in lists for item in curated.all_items()})
