"""Re-importing a list merges the Markdown into `entries/` rather than replacing what the curator wrote.

The rule: an item of the new import is matched to the entry with its key (keys are given by
`merge.keys.assign_keys`, which finds an earlier item by what was imported, by identifier or by exact title;
a key `rekey` renamed is found through its alias). A matched entry keeps every field it has: a value in
`entries/` is the curator's, or the earlier import's, and either way nothing says the Markdown should replace
it. A field the entry leaves empty (no authors, no year, no venue) takes the Markdown's value. New items come
in curated order; an entry whose item left the Markdown is kept where it was, with a warning, so that nothing
the curator wrote is lost silently (delete it from `entries/` if it should go). An earlier `--title` (or a
title edited in `entries/`) is kept unless `--title` is given again.
"""

from __future__ import annotations

from dataclasses import fields, replace

from curabib.model import CuratedList, Diagnostic, Item, Section

_EMPTY: tuple[object, ...] = (None, (), False)
# `source_line` is where the Markdown has the item now: the fresh import's, never the stored one.
_MERGED = [f.name for f in fields(Item) if f.name not in ("line", "source_line")]


def merge_reimport(
    fresh: CuratedList, current: CuratedList, title: str | None
) -> tuple[CuratedList, list[Diagnostic]]:
    """`fresh` (the new import, keyed) merged into `current` (the entry file as it is), and a warning for
    every entry kept although the Markdown no longer has it."""
    by_key: dict[str, list[int]] = {}
    entries = list(current.all_items())
    for n, item in enumerate(entries):
        for key in (item.key, *item.aliases):
            if key:
                by_key.setdefault(key, []).append(n)
    used: set[int] = set()

    def merged(item: Item) -> Item:
        n = next((n for n in by_key.get(item.key or "", ()) if n not in used), None)
        if n is None:
            return item
        used.add(n)
        entry = entries[n]
        taken = {name: getattr(item, name) for name in _MERGED if getattr(entry, name) in _EMPTY}
        return replace(entry, **taken, source_line=item.source_line)

    result = fresh.map_items(merged)
    result.title = title or current.title or fresh.title
    diagnostics = _keep_gone(result, current, {id(entries[n]) for n in used})
    return result, diagnostics


def _keep_gone(result: CuratedList, current: CuratedList, used: set[int]) -> list[Diagnostic]:
    """Put the entries no item of the new import matched back in their section (created if the Markdown
    lost it), after the entry that preceded them."""
    diagnostics: list[Diagnostic] = []
    places: list[tuple[tuple[str, ...], list[Item]]] = [((), current.items)]
    places += [(path, section.items) for path, section in current.walk_sections()]
    for path, items in places:
        for n, item in enumerate(items):
            if id(item) in used:
                continue
            target = _items_at(result, path)
            before = next((i.key for i in reversed(items[:n]) if i.key), None)
            at = next((k + 1 for k, i in enumerate(target) if before and i.key == before), len(target))
            target.insert(at, replace(item, source_line=None))  # no longer a line of the Markdown
            diagnostics.append(
                Diagnostic(
                    "warning",
                    "kept-entry",
                    f"'{item.display_title}' ({item.key}) is not in the Markdown (any more); "
                    "kept in entries/ (delete it there if it should go)",
                    file=f"entries/{current.name}.yaml",
                    line=item.line,
                )
            )
    return diagnostics


def _items_at(curated: CuratedList, path: tuple[str, ...]) -> list[Item]:
    if not path:
        return curated.items
    sections = curated.sections
    section: Section | None = None
    for heading in path:
        section = next((s for s in sections if s.heading == heading), None)
        if section is None:
            section = Section(heading)
            sections.append(section)
        sections = section.sections
    assert section is not None
    return section.items
