"""`add`: one work by identifier into a list and section, with its fetched metadata and a key.

The item is built whole (items are immutable), fetched through the same executor as `refresh`, keyed
from its first author, year and title (or given the key the same work already has), and saved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from curabib.errors import CouldNotAsk, NotFound
from curabib.fetch.executor import execute
from curabib.ids import Identifier, canonical_url
from curabib.merge.keys import base_key, unique_key
from curabib.merge.works import merge_works
from curabib.model import FOUND, CuratedList, Item, Link, Record, Section, Work
from curabib.project import writing
from curabib.project.store import Store
from curabib.sources.protocol import Client, RefreshOptions, person_name


@dataclass(frozen=True)
class Added:
    key: str
    work: Work


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
) -> Added:
    """Fetch the work `ident` names (as the user `written` it), add it under `heading` of `list_name`
    (both created when missing), save the list and return the merged work."""
    kind = "paper" if ident.kind != "github" else "software"
    link = Link(
        "paper" if ident.kind != "github" else "code", written if "://" in written else canonical_url(ident)
    )
    bare = Item(kind=kind, ids=(ident,), links=(link,))
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
    item = _keyed(bare, record, ident, others)
    target = next((lst for lst in lists if lst.name == list_name), None) or CuratedList(list_name)
    _section(target, heading).items.append(item)
    writing.save(target, entries_dir)
    all_lists = [*[lst for lst in lists if lst.name != list_name], target]
    bibliography = merge_works(all_lists, store.records(), prefer, venue_style)
    assert item.key is not None
    return Added(item.key, bibliography.works[bibliography.canonical[item.key]])


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
    record = store.get("arxiv", f"arxiv:{ident.value}") or store.get("crossref", f"doi:{ident.value}")
    return record if record is not None and record.status == FOUND else None


def _keyed(bare: Item, record: Record, ident: Identifier, others: Sequence[Item]) -> Item:
    """The item with its fetched title and a key: the one the same work already has, else a new one."""
    title = str(record.fields.get("title") or ident.value)
    existing = next(
        (i for i in others if any(x.kind == ident.kind and x.value == ident.value for x in i.ids)), None
    )
    if existing is not None:
        return replace(bare, title=title, key=existing.key, key_provisional=existing.key_provisional)
    authors = [person_name(a) for a in record.fields.get("authors", [])]
    year = record.fields.get("year") or str(record.fields.get("published", ""))[:4]
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
