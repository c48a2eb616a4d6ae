"""`add`: one work into a list and section, by identifier with its fetched metadata, or by the fields the
user types (`--title`, `--author`, `--year`, `--venue`) without the network; with a key either way.

The item is built whole (items are immutable), fetched through the same executor as `refresh`, keyed
from its first author, year and title (or given the key the same work already has), and saved. Once its
title is known, DBLP is asked for its conference or journal record, as `refresh` would: a NeurIPS paper
added by its arXiv id comes out as NeurIPS when DBLP lists it there. Fields the user typed are curated:
they win over what is fetched (a typed year or venue is pinned, so no evidence overrules it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from curabib.errors import CouldNotAsk, NotFound
from curabib.fetch.executor import execute
from curabib.ids import KINDS, Identifier, canonical_url
from curabib.matching import normalized_title
from curabib.merge.keys import assign_keys, base_key, unique_key
from curabib.merge.works import merge_works
from curabib.model import FOUND, CuratedList, Item, Link, Record, Section, Work
from curabib.project import writing
from curabib.project.store import Store
from curabib.sources import registered
from curabib.sources.protocol import Client, RefreshOptions, person_name


@dataclass(frozen=True)
class Added:
    key: str
    work: Work
    notes: tuple[str, ...] = ()  # what could not be asked, for the user to know (DBLP unreachable, ...)


@dataclass(frozen=True)
class Given:
    """What the user typed about the work: curated, so it wins over what is fetched."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str | None = None

    def apply(self, item: Item) -> Item:
        """The item with these fields; a typed year or venue pinned (`pinned`), settled by hand."""
        changes: dict[str, object] = {
            name: getattr(self, name) for name in ("title", "authors", "year", "venue") if getattr(self, name)
        }
        pinned = [name for name in ("year", "venue") if getattr(self, name)]
        if pinned:
            changes["pinned"] = tuple(dict.fromkeys((*item.pinned, *pinned)))
        return replace(item, **changes)  # type: ignore[arg-type]


def add_work(
    ident: Identifier,
    written: str,
    list_name: str,
    heading: str,
    lists: Sequence[CuratedList],
    entries_dir: Path,
    store: Store,
    clients: Mapping[str, Client],
    options: RefreshOptions,
    now: datetime,
    prefer: str = "published",
    venue_style: str = "long",
    given: Given = Given(),
) -> Added:
    """Fetch the work `ident` names (as the user `written` it), add it under `heading` of `list_name`
    (both created when missing) with the fields the user typed, ask DBLP about it once its title is known,
    save the list and return the merged work."""
    declared = KINDS[ident.kind]
    link = Link(declared.link_kind, written if "://" in written else canonical_url(ident))
    bare = Item(kind=declared.item_kind, ids=(ident,), links=(link,))
    report = execute([bare], store, clients, options, now)
    if report.interrupted:
        raise KeyboardInterrupt
    record = _record(store, ident)
    if record is None and (report.unreachable or report.errors):
        # No answer is not a "no": the work may well exist, the question never got through.
        why = [f"cannot reach {host}: {reason}" for host, reason in report.unreachable.items()]
        why += [f"could not ask {host}: {message}" for host, message in report.failed_hosts.items()]
        raise CouldNotAsk(f"{written}: {why[0]}; nothing was added")
    if record is None:
        raise NotFound(f"{written}: not found; nothing was added")
    others = [i for lst in lists for i in lst.all_items()]
    item = given.apply(_keyed(bare, record, ident, others, given))
    notes = _ask_by_title(item, store, clients, options, now)
    return _save(item, list_name, heading, lists, entries_dir, store, prefer, venue_style, notes)


def add_given(
    given: Given,
    list_name: str,
    heading: str,
    lists: Sequence[CuratedList],
    entries_dir: Path,
    store: Store,
    prefer: str = "published",
    venue_style: str = "long",
) -> Added:
    """Add the work the user described (`given.title` at least) without asking any API: keyed as
    `import-md` keys (the key the same work already has in another list, else a new one), saved."""
    assert given.title, "a work added without an identifier needs its title"
    item = given.apply(Item(kind="paper"))
    others = [i for lst in lists for i in lst.all_items()]
    keyed, _ = assign_keys(CuratedList(list_name, sections=[Section(heading, [item])]), others)
    return _save(next(keyed.all_items()), list_name, heading, lists, entries_dir, store, prefer, venue_style)


def already_titled(lists: Sequence[CuratedList], list_name: str, heading: str, title: str) -> str | None:
    """The key of the entry with this title (as titles are compared: case, accents and punctuation aside)
    in that list's section, if there is one: adding it again would list the work twice."""
    target = next((lst for lst in lists if lst.name == list_name), None)
    section = _find_section(target, heading) if target is not None else None
    wanted = normalized_title(title)
    for item in section.all_items() if section is not None else ():
        if item.title and normalized_title(item.title) == wanted:
            return item.key or item.title
    return None


def _ask_by_title(
    item: Item, store: Store, clients: Mapping[str, Client], options: RefreshOptions, now: datetime
) -> tuple[str, ...]:
    """Ask the sources that find a published version by title (`Source.asks_by_title`: DBLP) about the
    titled item; what the user should know when one could not be asked. The work is added either way:
    `refresh` asks again later."""
    asked = frozenset(
        s.name for s in registered() if s.asks_by_title and s.name in clients and options.asks(s)
    )
    if not asked:
        return ()
    report = execute([item], store, clients, replace(options, sources=asked), now)
    if report.interrupted:
        raise KeyboardInterrupt
    why = [f"cannot reach {host}: {reason}" for host, reason in report.unreachable.items()]
    why += [f"could not ask {host}: {message}" for host, message in report.failed_hosts.items()]
    labels = " and ".join(s.label for s in registered() if s.name in asked)
    return tuple(f"{labels} was not asked ({reason}); `curabib refresh` asks it later" for reason in why[:1])


def _save(
    item: Item,
    list_name: str,
    heading: str,
    lists: Sequence[CuratedList],
    entries_dir: Path,
    store: Store,
    prefer: str,
    venue_style: str,
    notes: tuple[str, ...] = (),
) -> Added:
    """Add the keyed item under `heading` of `list_name` (both created when missing), save the list, and
    the work as `build` merges it now."""
    target = next((lst for lst in lists if lst.name == list_name), None) or CuratedList(list_name)
    _section(target, heading).items.append(item)
    writing.save(target, entries_dir)
    all_lists = [*[lst for lst in lists if lst.name != list_name], target]
    bibliography = merge_works(all_lists, store.records(), prefer, venue_style)
    assert item.key is not None
    return Added(item.key, bibliography.works[bibliography.canonical[item.key]], notes)


def already_in(lists: Sequence[CuratedList], list_name: str, heading: str, ident: Identifier) -> str | None:
    """The key of the entry with this identifier in that list's section (as `add` finds the section),
    if there is one: adding it again would list the work twice."""
    target = next((lst for lst in lists if lst.name == list_name), None)
    section = _find_section(target, heading) if target is not None else None
    if section is None:
        return None
    for item in section.all_items():
        if any(x.kind == ident.kind and x.value.lower() == ident.value.lower() for x in item.ids):
            return item.key or str(item.title)
    return None


def _record(store: Store, ident: Identifier) -> Record | None:
    # The record of a source that looks this kind of identifier up (`Source.resolves`), in registry order.
    found = (
        store.get(s.name, f"{ident.kind}:{ident.value}") for s in registered() if ident.kind in s.resolves
    )
    record = next((r for r in found if r is not None), None)
    return record if record is not None and record.status == FOUND else None


def _keyed(bare: Item, record: Record, ident: Identifier, others: Sequence[Item], given: Given) -> Item:
    """The item with its fetched title and a key: the one the same work already has, else a new one from
    the first author, year and title (those the user typed, else the fetched ones)."""
    title = str(given.title or record.fields.get("title") or ident.value)
    existing = next(
        (i for i in others if any(x.kind == ident.kind and x.value == ident.value for x in i.ids)), None
    )
    if existing is not None:
        return replace(bare, title=title, key=existing.key, key_provisional=existing.key_provisional)
    authors = list(given.authors) or [person_name(a) for a in record.fields.get("authors", [])]
    year = given.year or record.fields.get("year") or str(record.fields.get("published", ""))[:4]
    keyed = Item(
        kind=bare.kind,
        title=title,
        authors=tuple(authors[:1]),
        year=int(year) if str(year).isdigit() else None,
    )
    base, _ = base_key(keyed)
    key = unique_key(base, {k for i in others for k in (i.key, *i.aliases) if k})
    return replace(bare, title=title, key=key)


def _find_section(curated: CuratedList, heading: str) -> Section | None:
    return next((s for _, s in curated.walk_sections() if s.heading == heading), None)


def _section(curated: CuratedList, heading: str) -> Section:
    found = _find_section(curated, heading)
    if found is None:
        found = Section(heading)
        curated.sections.append(found)
    return found
