"""The build's stages in order, as one pure function: curated lists + fetched records -> the files of bib/.

    keys pinned (merge/keys) -> works merged and normalized (merge/) -> deduplicated (dedupe/)
    -> rendered once per format and laid out per section, list and all lists (export/)

The project's files are read before and written after, by `project/` (see `cli/build.py`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from curabib.check.checks import key_collisions_in
from curabib.errors import InputError
from curabib.export import ExportOptions
from curabib.export.layout import OutputGroup, Rendered, files, plan
from curabib.merge.keys import pin_missing_keys
from curabib.merge.works import Bibliography, merge_and_describe
from curabib.model import CuratedList, Diagnostic, Record, Work
from curabib.wording import counted

W = TypeVar("W")  # a work as a caller of `merged_lists` keeps it


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
    works: Mapping[str, Rendered]  # by the key each work keeps
    diagnostics: Sequence[Diagnostic]

    def files(self, options: Mapping[str, str] | None = None) -> Iterator[tuple[str, Iterable[bytes]]]:
        """(path under bib/, its bytes in pieces), made one file at a time as they are written. `options`
        are the command-line options to record in index.json."""
        return files(self.groups, self.works, options)


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
    describe = functools.partial(Rendered.of, options=options)
    keyed, merged, diagnostics = merged_lists(
        lists, records, prefer, venue_style, describe, progress, entries
    )
    groups = plan(keyed, merged.canonical)
    return Bibliographies(keyed, groups, merged.works, diagnostics)


def merged_lists(
    lists: Sequence[CuratedList],
    records: Mapping[str, Record],
    prefer: str,
    venue_style: str,
    describe: Callable[[Work], W],
    progress: Callable[[int], None] = lambda n: None,
    entries: str = "entries",
) -> tuple[list[CuratedList], Bibliography[W], list[Diagnostic]]:
    """The build's first stages: keys pinned, key collisions refused (`KeyCollisions`), works merged and
    passed through `describe`; the keyed lists, the merged works and every diagnostic so far. `build`
    renders each work here; the site keeps the work beside its rendered texts."""
    keyed, diagnostics = pin_missing_keys(lists)
    collisions = key_collisions_in(keyed, entries)
    if collisions:
        raise KeyCollisions(collisions)
    merged = merge_and_describe(
        keyed,
        records,
        prefer,
        venue_style,
        describe,
        near_titles=False,  # only `check` and `dedupe` report near-identical titles
        progress=progress,
    )
    return keyed, merged, [*diagnostics, *merged.diagnostics]


def citation_keys(lists: Sequence[CuratedList]) -> int:
    """How many keys the lists name (a progress bar's length; items without a key count once each)."""
    return len({item.key or id(item) for curated in lists for item in curated.all_items()})
