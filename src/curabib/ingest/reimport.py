"""Re-importing a list merges the Markdown into `entries/` rather than replacing what the curator wrote.

The rule: an item of the new import is matched to the entry with its key (keys are given by
`merge.keys.assign_keys`, which finds an earlier item by what was imported, by identifier or by exact title;
a key `rekey` renamed is found through its alias). An item that got a new key is then matched to an entry
no item took when the curator's edit is all that tells them apart (`same_item`): the same identifier in
some link (`arxiv.org/abs/X` edited to `arxiv.org/pdf/X.pdf`) with titles that agree, or the same title
once case, punctuation and accents are set aside ("Attention is all you need" edited to "Attention Is All
You Need"). Without this, fixing a title's case made the entry look gone and the Markdown's item new: one
work, two keys, and `bib/` exporting the new one.

A matched entry keeps every field it has: a value in `entries/` is the curator's, or the earlier import's,
and nothing recorded says which, so the Markdown cannot replace it. What the Markdown now says otherwise
(title, year, venue) is reported, with both places, for the curator to take by hand; a pinned fact is not.
A field the entry leaves empty takes the Markdown's value. New items come in curated order; an entry whose
item left the Markdown is kept where it was, with a warning, so that nothing the curator wrote is lost
silently. An earlier `--title` (or a title edited in `entries/`) is kept unless `--title` is given again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import fields, replace

from curabib.ids import PAPER_KINDS, identifiers_in_url
from curabib.keys import titles_agree
from curabib.matching import family_names, normalized_title
from curabib.model import CuratedList, Diagnostic, Item, Section

_EMPTY: tuple[object, ...] = (None, (), False)
# `source_line` is where the Markdown has the item now: the fresh import's, never the stored one. The key
# is the entry's, always: an item matched by `same_item` arrives with a key of its own.
_MERGED = [
    f.name
    for f in fields(Item)
    if f.name not in ("line", "source_line", "origin", "key", "key_provisional", "aliases")
]
_REPORTED = ("title", "year", "venue")  # what the Markdown says that a curator would want to hear of
# An arXiv id as a whole path segment of any link (huggingface.co/papers/X, alphaxiv.org/abs/X, a mirror's
# PDF): the same paper whatever site the link goes through.
_ARXIV_SEGMENT = re.compile(r"/(\d\d(?:0[1-9]|1[0-2])\.\d{4,5})(?:v\d+)?(?:\.pdf)?/?(?:[?#]|$)")


def merge_reimport(
    fresh: CuratedList, current: CuratedList, title: str | None
) -> tuple[CuratedList, list[Diagnostic]]:
    """`fresh` (the new import, keyed) merged into `current` (the entry file as it is); a warning for every
    field the Markdown now gives otherwise than the entry, and for every entry kept although the Markdown no
    longer has it."""
    items, entries = list(fresh.all_items()), list(current.all_items())
    pairs = _pairs(items, entries)
    where = current.file
    diagnostics: list[Diagnostic] = []
    order: Iterator[int] = iter(range(len(items)))

    def merged(item: Item) -> Item:
        n = pairs.get(next(order))
        if n is None:
            return item
        entry = entries[n]
        diagnostics.extend(differences(item, entry, where, fresh.source))
        taken = {name: getattr(item, name) for name in _MERGED if getattr(entry, name) in _EMPTY}
        return replace(entry, **taken, source_line=item.source_line)

    result = fresh.map_items(merged)
    result.title = title or current.title or fresh.title
    diagnostics += _keep_gone(result, current, {id(entries[n]) for n in pairs.values()})
    return result, diagnostics


def _pairs(items: list[Item], entries: list[Item]) -> dict[int, int]:
    """Which entry each item of the import is (by their positions): by key first, then, for items with a
    key no entry has, by `same_item` among the entries left, identifiers before titles. One to one."""
    by_key: dict[str, list[int]] = {}
    for n, entry in enumerate(entries):
        for key in (entry.key, *entry.aliases):
            if key:
                by_key.setdefault(key, []).append(n)
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for i, item in enumerate(items):
        match = next((n for n in by_key.get(item.key or "", ()) if n not in taken), None)
        if match is not None:
            pairs[i] = match
            taken.add(match)
    new = [i for i, item in enumerate(items) if i not in pairs and (item.key or "") not in by_key]
    if new and len(pairs) < len(entries):
        _pair_edited(items, entries, new, pairs)
    return pairs


def _pair_edited(items: list[Item], entries: list[Item], new: list[int], pairs: dict[int, int]) -> None:
    """Add to `pairs` the `new` items that are entries no item took, as the curator edited them."""
    used = set(pairs.values())
    index: dict[str, list[int]] = {}  # the entries left, by identity and by normalized title
    for n, entry in enumerate(entries):
        if n not in used:
            for found in (*identities(entry), "title:" + normalized_title(_name(entry))):
                index.setdefault(found, []).append(n)
    for by_identifier in (True, False):
        for i in (i for i in new if i not in pairs):
            item = items[i]
            looked_up = identities(item) if by_identifier else {"title:" + normalized_title(_name(item))}
            candidates = sorted({n for found in looked_up for n in index.get(found, ()) if n not in used})
            match = next((n for n in candidates if same_item(item, entries[n], by_identifier)), None)
            if match is not None:
                pairs[i] = match
                used.add(match)


def _name(item: Item) -> str:
    return item.title or item.label or ""


def same_item(item: Item, entry: Item, by_identifier: bool) -> bool:
    """Whether `entry` is `item` as the curator edited it: one identifier in their links or ids (any link
    of the same work: `/abs/X` and `/pdf/X.pdf`, a DOI link and the DOI) and titles that agree; or, without
    a shared identifier, the same title once case, punctuation and accents are set aside, of the same kind,
    with years within one and the same first author where both are given, and no identifier of one kind
    that differs (then they are two works that share a title)."""
    mine, theirs = identities(item), identities(entry)
    if by_identifier:
        return bool(mine & theirs) and titles_agree(item, entry)
    name = normalized_title(_name(item))
    if not name or name != normalized_title(_name(entry)) or item.kind != entry.kind:
        return False
    if item.year and entry.year and abs(item.year - entry.year) > 1:
        return False
    if (
        item.authors
        and entry.authors
        and not family_names(item.authors[:1]) & family_names(entry.authors[:1])
    ):
        return False
    kinds = {ident.split(":", 1)[0] for ident in mine} & {ident.split(":", 1)[0] for ident in theirs}
    return all(
        {i for i in mine if i.startswith(f"{kind}:")} & {i for i in theirs if i.startswith(f"{kind}:")}
        for kind in kinds - {"url"}
    )


def identities(item: Item) -> set[str]:
    """What says which work `item` is: its identifiers (from its ids and from every link, an arXiv DOI as
    the arXiv id), and the addresses of its links that carry none. A paper's code repository is not the
    paper: for a paper only paper identifiers and its paper and PDF links count."""
    found = [i for i in item.ids if not i.derived]
    found += [i for link in item.links for i in identifiers_in_url(link.url) if not i.derived]
    keys = set()
    for ident in found:
        if item.kind == "paper" and ident.kind not in PAPER_KINDS:
            continue
        value = ident.value.lower()
        keys.add(f"arxiv:{value[15:]}" if value.startswith("10.48550/arxiv.") else f"{ident.kind}:{value}")
    for link in item.links:
        if item.kind == "paper" and link.kind not in ("paper", "pdf"):
            continue
        keys.update(f"arxiv:{m}" for m in _ARXIV_SEGMENT.findall(link.url))
        if not identifiers_in_url(link.url):
            keys.add("url:" + re.sub(r"^[a-z]+://(www\.)?|#.*$|/+$", "", link.url.strip().lower()))
    return keys


def differences(item: Item, entry: Item, where: str, source: str | None) -> list[Diagnostic]:
    """What the Markdown's `item` says otherwise than the `entry` that keeps its own value: a title in other
    words (its case and punctuation are the curator's to choose), another year or venue (unless pinned)."""
    said = ":".join(str(part) for part in (source or "its file", item.source_line) if part)
    found = []
    for field in _REPORTED:
        new, kept = getattr(item, field), getattr(entry, field)
        if new is None or kept is None or field in entry.pinned:
            continue
        if new == kept or (field != "year" and normalized_title(new) == normalized_title(kept)):
            continue
        shown = (new, kept) if field == "year" else (f"'{new}'", f"'{kept}'")
        found.append(
            Diagnostic(
                "warning",
                "markdown-changed",
                f"the Markdown ({said}) now says {field} {shown[0]}; entries/ keeps "
                f"{shown[1]}: edit entries/ to take it",
                file=where,
                line=entry.line,
            )
        )
    return found


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
                    file=current.file,
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
