"""The build's stages in order, as one pure function: curated lists + fetched records -> the files of bib/.

    keys pinned (merge/keys) -> works merged and normalized (merge/) -> deduplicated (dedupe/)
    -> rendered (each work once per format; Zotero RDF as its files are written) and laid out per
    section, list and all lists (export/)

The project's files are read before and written after, by `project/` (see `project/building.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from curabib.check.checks import key_collisions_in
from curabib.errors import InputError
from curabib.export import ExportOptions
from curabib.export.layout import OutputGroup, Rendered, files, plan
from curabib.merge.keys import pin_missing_keys
from curabib.merge.works import Bibliography, merge_works
from curabib.model import CuratedList, Diagnostic, Record, Work
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
