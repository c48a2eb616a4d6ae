"""The one executor `refresh` and `add` use: runs the plan source by source, saves every answer to the
store as it arrives, and keeps the report.

Pacing and retries live in each client (`fetch/policy.py`); the executor decides what runs when: a
source's first request alone, then as many at once as its server allows. An answer is saved atomically
the moment it arrives, so an interrupted run loses nothing and the next one resumes; a batch spoiled by
one bad id is halved until the id is found; a request that still fails is reported per entry and the
run goes on.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime

from curabib.errors import BadBatchError, FetchError
from curabib.fetch.plan import plan
from curabib.matching import names_agree
from curabib.model import FOUND, NOT_FOUND, Diagnostic, Item, Record
from curabib.project.store import Store
from curabib.sources import registered
from curabib.sources.protocol import Client, RefreshOptions, Request, Source


@dataclass
class Report:
    enriched: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)
    published: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    conflicts: list[Diagnostic] = field(default_factory=list)  # a fetched title contradicting ours
    errors: list[Diagnostic] = field(default_factory=list)  # one per id whose request failed for good
    requests: Counter[str] = field(default_factory=Counter)  # source name -> requests sent


def execute(
    items: Sequence[Item],
    store: Store,
    clients: Mapping[str, Client],
    options: RefreshOptions,
    now: datetime,
    progress: Callable[[int], None] = lambda n: None,
) -> Report:
    """Ask every selected source that has a client about `items`; `progress` is told of each request."""
    run = _Run(items, store, now, progress)
    for source in registered():
        client = clients.get(source.name)
        if client is None or not options.asks(source):
            continue
        before = client.requests_made
        # Planned now, not at the start: this source sees what the ones before it just answered.
        requests = plan(items, store.records(), replace(options, sources=frozenset({source.name})), now)
        run.all(source, client, requests)
        run.report.requests[source.name] += client.requests_made - before
    return run.report


@dataclass
class _Run:
    items: Sequence[Item]
    store: Store
    now: datetime
    progress: Callable[[int], None]
    report: Report = field(default_factory=Report)
    _saved: set[tuple[str, str]] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def all(self, source: Source, client: Client, requests: list[Request]) -> None:
        if not requests:
            return
        # The first answer tells how many requests may run at once (Crossref's X-Concurrency-Limit).
        self.one(source, client, requests[0])
        if client.concurrency <= 1:
            for request in requests[1:]:
                self.one(source, client, request)
            return
        with ThreadPoolExecutor(max_workers=client.concurrency) as pool:
            for _ in pool.map(lambda request: self.one(source, client, request), requests[1:]):
                pass

    def one(self, source: Source, client: Client, request: Request) -> None:
        self._ask(source, client, request)
        self.progress(1)

    def _ask(self, source: Source, client: Client, request: Request) -> None:
        try:
            answer = client.fetch(request)
        except BadBatchError as err:
            parts = source.split(request) if len(request.ids) > 1 else [request]
            if len(parts) < 2:
                self._failed(request, err)
                return
            for part in parts:  # find the bad id by halves; the others still get asked
                self._ask(source, client, part)
            return
        except FetchError as err:
            self._failed(request, err)
            return
        for record in source.records(request, answer, self.now):
            if record.source.endswith("-search"):
                self._save_search(record)
            else:
                self._save(source, record)

    def _failed(self, request: Request, err: FetchError) -> None:
        with self._lock:
            self.report.errors += [
                Diagnostic("error", "fetch-failed", str(err), subject=i) for i in request.ids
            ]

    def _save_search(self, record: Record) -> None:
        self.store.put(record)
        if record.status == NOT_FOUND:
            fields = record.fields
            best = (
                f" (best candidate: {fields.get('candidate_title')!r}, {fields.get('reason')})"
                if "candidate" in fields
                else ""
            )
            with self._lock:
                self.report.not_found.append(f"{record.source} {fields.get('query')!r}{best}")

    def _save(self, source: Source, record: Record) -> None:
        with self._lock:
            if (record.source, record.id) in self._saved:
                return  # a search can find what a lookup already brought in this run
            self._saved.add((record.source, record.id))
            previous = self.store.get(record.source, record.id)
        self.store.put(record)
        with self._lock:
            self._classify(source, record, previous)

    def _classify(self, source: Source, record: Record, previous: Record | None) -> None:
        report = self.report
        if record.status == NOT_FOUND:
            report.not_found.append(record.id)
            return
        if previous is None or previous.status != FOUND:
            report.enriched.append(record.id)
        elif previous.fields == record.fields:
            report.unchanged.append(record.id)
        else:
            report.changed[record.id] = sorted(
                k
                for k in set(previous.fields) | set(record.fields)
                if previous.fields.get(k) != record.fields.get(k)
            )
        kind, value = record.id.split(":", 1)
        title = record.fields.get("title")
        for item in self.items:
            if not any(i.kind == kind and i.value == value for i in item.ids):
                continue
            if title and item.title and not names_agree(str(title), item.title):
                report.conflicts.append(
                    Diagnostic(
                        "warning",
                        "fetched-title-conflict",
                        f"{record.id} is titled {title!r}, not {item.title!r}: "
                        "the link points at another work",
                        subject=item.key,
                    )
                )
        if source.is_published(record):
            report.published.append(record.id)
