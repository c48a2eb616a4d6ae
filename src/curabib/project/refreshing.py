"""`Project.refresh`: what to ask (a plan, which `--dry-run` prints), then asking it. The stages are pure
(`fetch/plan.py`, the sources); this module connects the clients and hands the store to the executor."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from curabib.fetch.plan import plan
from curabib.fetch.select import select
from curabib.model import CuratedList, Item
from curabib.project.store import now_utc
from curabib.sources.protocol import RefreshOptions, Request

if TYPE_CHECKING:
    from curabib.fetch.executor import Report
    from curabib.project import Project


@dataclass(frozen=True)
class RefreshPlan:
    """The selected entries and the requests a refresh would send for them now."""

    lists: Sequence[CuratedList]
    items: Sequence[Item]
    requests: Sequence[Request]
    options: RefreshOptions
    now: datetime


def plan_refresh(
    project: Project,
    selectors: Sequence[str] = (),
    source: str | None = None,
    max_age: timedelta = timedelta(days=30),
    force: bool = False,
) -> RefreshPlan:
    """What `refresh` would ask about the entries `selectors` name (lists, sections, keys; all when
    none), from `source` or every source; `EntryError` for an unreadable list or store."""
    lists = project.lists()
    items = select(lists, selectors)
    options = RefreshOptions(
        sources=frozenset({source}) if source else None,
        max_age=max_age,
        force=force,
        endpoints=project.settings.endpoints,
    )
    now = now_utc()
    return RefreshPlan(lists, items, plan(items, project.records(), options, now), options, now)


def refresh(project: Project, planned: RefreshPlan, progress: Callable[[int], None]) -> Report:
    """Ask what `planned` plans and store every answer as it arrives; `progress` is told of each request.
    Ctrl-C ends it early: the report says `interrupted`, and everything received is saved."""
    from curabib.fetch.connect import connect
    from curabib.fetch.executor import execute

    clients = connect(project.settings.mailto, planned.options)
    # Where each entry is curated, so that a failure or a conflict names its file and line.
    files = {id(item): project.list_file(lst) for lst in planned.lists for item in lst.all_items()}
    return execute(
        planned.items, project.store, clients, planned.options, planned.now, progress=progress, files=files
    )
