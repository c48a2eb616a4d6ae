"""`Project.add`: one work into a list and section, by identifier with its fetched metadata, or by the
fields the user types (`--title`, `--author`, `--year`, `--venue`) without the network; with a key either
way.

The item is built whole (items are immutable), fetched through the same executor as `refresh`, keyed
from its first author, year and title (or given the key the same work already has), and saved. Once its
title is known, the sources that search by title (`Source.asks_by_title`: DBLP) are asked for its
conference or journal record, as `refresh` would: a NeurIPS paper added by its arXiv id comes out as
NeurIPS when DBLP lists it there. Fields the user typed are curated:
they win over what is fetched (a typed year or venue is pinned, so no evidence overrules it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from curabib.errors import CouldNotAsk, InputError, NotFound
from curabib.fetch.connection import Client
from curabib.fetch.executor import execute
from curabib.ids import KINDS, Identifier, canonical_url, parse_identifier
from curabib.keys import assign_keys, base_key, unique_key
from curabib.matching import normalized_title
from curabib.model import FOUND, CuratedList, Item, Link, Record, Section, Work
from curabib.pipeline import merge_works
from curabib.project import writing
from curabib.project.store import Store, now_utc
from curabib.sources import registered
from curabib.sources.protocol import RefreshOptions, person_name

if TYPE_CHECKING:
    from curabib.project import Project


@dataclass(frozen=True)
class Added:
    """A work added (`work` set, as `build` merges it now), or found already there (`existing`, its key:
    nothing was written)."""

    list_name: str
    heading: str
    key: str
    work: Work | None = None
    notes: tuple[str, ...] = ()  # what could not be asked, for the user to know (DBLP unreachable, ...)
    existing: bool = False


@dataclass(frozen=True)
class _Place:
    """Where the work goes, and what the project around it holds."""

    list_name: str
    heading: str
    lists: Sequence[CuratedList]
    project: Project


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


def add(project: Project, identifier: str | None, given: Given, list_name: str, heading: str) -> Added:
    """Add the work `identifier` names (an arXiv id, DOI or URL: fetched), or without one the work
    `given` describes (its title at least: offline), under `heading` of `list_name`. `InputError` for an
    identifier curabib cannot read, `NotFound`/`CouldNotAsk` when the APIs do not give the work."""
    lists = project.lists()
    project.records()  # a broken store file is an input error before anything is asked
    place = _Place(list_name, heading, lists, project)
    if identifier is None:
        assert given.title, "a work added without an identifier needs its title"
        existing = already_titled(lists, list_name, heading, given.title)
        if existing is not None:
            return Added(list_name, heading, existing, existing=True)
        item = given.apply(Item(kind="paper"))
        others = [i for lst in lists for i in lst.all_items()]
        keyed, _ = assign_keys(CuratedList(list_name, sections=[Section(heading, [item])]), others)
        return _save(place, next(keyed.all_items()))
    ident = parse_identifier(identifier)
    if ident is None:
        raise InputError(f"{identifier}: not an arXiv id, DOI or known URL")
    found = already_in(lists, list_name, heading, ident)
    if found is not None:
        return Added(list_name, heading, found, existing=True)
    return _fetched(place, ident, identifier, given)


def _fetched(place: _Place, ident: Identifier, written: str, given: Given) -> Added:
    """Fetch the work `ident` names (as the user `written` it), key it, ask the sources that search by
    title once its title is known, and save it."""
    project = place.project
    options = RefreshOptions(endpoints=project.settings.endpoints)
    from curabib.fetch.connect import connect  # the HTTP libraries: only when asking

    clients = connect(project.settings.mailto, options)
    now = now_utc()
    declared = KINDS[ident.kind]
    link = Link(declared.link_kind, written if "://" in written else canonical_url(ident))
    bare = Item(kind=declared.item_kind, ids=(ident,), links=(link,))
    report = execute([bare], project.store, clients, options, now)
    if report.interrupted:
        raise KeyboardInterrupt
    record = _record(project.store, ident)
    if record is None and (report.unreachable or report.spent or report.errors):
        # No answer is not a "no": the work may well exist, the question never got through.
        why = [f"{host}: {reason}" for host, reason in report.spent.items()]
        why += [f"cannot reach {host}: {reason}" for host, reason in report.unreachable.items()]
        why += [f"could not ask {host}: {message}" for host, message in report.failed_hosts.items()]
        raise CouldNotAsk(f"{written}: {why[0]}; nothing was added")
    if record is None:
        raise NotFound(f"{written}: not found; nothing was added")
    others = [i for lst in place.lists for i in lst.all_items()]
    item = given.apply(_keyed(bare, record, ident, others, given))
    notes = _ask_by_title(item, project.store, clients, options, now)
    return _save(place, item, notes)


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


def _save(place: _Place, item: Item, notes: tuple[str, ...] = ()) -> Added:
    """Add the keyed item under the place's heading of its list (both created when missing), save the
    list, and the work as `build` merges it now."""
    lists, list_name = place.lists, place.list_name
    target = next((lst for lst in lists if lst.name == list_name), None) or CuratedList(list_name)
    _section(target, place.heading).items.append(item)
    project = place.project
    writing.save(target, project.entries_dir)
    all_lists = [*[lst for lst in lists if lst.name != list_name], target]
    settings = project.settings
    bibliography = merge_works(all_lists, project.records(), settings.prefer, settings.venue)
    assert item.key is not None
    work = bibliography.works[bibliography.canonical[item.key]]
    return Added(list_name, place.heading, item.key, work, notes)


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
