"""The one executor `refresh` and `add` use: runs the plan source by source, saves every answer to the
store as it arrives, and keeps the report.

Pacing and retries live in each client (`fetch/policy.py`); the executor decides what runs when: a
source's first request alone, then as many at once as its server allows. An answer is saved atomically
the moment it arrives, so an interrupted run loses nothing and the next one resumes; a batch spoiled by
one bad id is halved until the id is found; a request that still fails is reported per entry (its key and
`entries/<list>.yaml:<line>`, never the store's internal ids) and the run goes on. A host given up as
unreachable (`fetch/policy.py`) is reported once, its remaining requests fail at once without touching the
network, and the other sources still run. Ctrl-C ends the run with the report of what was done.

Every record is stored with the public API's URL for the request, whatever endpoint answered it (a mirror,
a proxy, the local test server): the store is committed and shared, and a local address (a random port)
would mean nothing to its readers and change on every run.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol
from urllib.parse import urlsplit

from curabib.errors import BadBatchError, BudgetSpent, FetchError, UnreachableError
from curabib.fetch.connection import Client
from curabib.fetch.plan import plan
from curabib.matching import names_agree
from curabib.model import FOUND, NOT_FOUND, Diagnostic, Item, Record
from curabib.sources import registered
from curabib.sources.protocol import RefreshOptions, Request, Source, search_key


@dataclass
class Report:
    enriched: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)
    published: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    conflicts: list[Diagnostic] = field(default_factory=list)  # a fetched title contradicting ours
    errors: list[Diagnostic] = field(default_factory=list)  # one per entry whose request failed for good
    requests: Counter[str] = field(default_factory=Counter)  # source name -> attempts sent, retries included
    unreachable: dict[str, str] = field(default_factory=dict)  # host given up -> why
    spent: dict[str, str] = field(default_factory=dict)  # host whose request budget ran out -> when to retry
    failed_hosts: dict[str, str] = field(default_factory=dict)  # host -> its first request failed for good
    unasked: set[str] = field(default_factory=set)  # entries an unreachable host was not asked about
    interrupted: bool = False  # Ctrl-C: the report says what was done before it


class Store(Protocol):
    """Where answers are kept (the project's store, `project/store.py`): read, and written one record at a
    time as each answer arrives, so an interrupted run keeps everything received."""

    def records(self) -> Mapping[str, Record]: ...
    def get(self, source: str, ident: str) -> Record | None: ...
    def put(self, record: Record) -> None: ...


Files = Mapping[int, str]  # id(item) -> the file it is curated in, "entries/<list>.yaml"


def execute(
    items: Sequence[Item],
    store: Store,
    clients: Mapping[str, Client],
    options: RefreshOptions,
    now: datetime,
    progress: Callable[[int], None] = lambda n: None,
    files: Files | None = None,
) -> Report:
    """Ask every selected source that has a client about `items`; `progress` is told of each request,
    `files` names where each item is curated (for the messages). Ctrl-C ends the run early: the report
    then says `interrupted` (every answer received is already saved)."""
    run = _Run(items, store, now, progress, files or {})
    try:
        for source in registered():
            client = clients.get(source.name)
            if client is None or not options.asks(source):
                continue
            before = client.requests_made
            try:
                # Planned now, not at the start: this source sees what the ones before it just answered.
                requests = plan(
                    items, store.records(), replace(options, sources=frozenset({source.name})), now
                )
                run.all(source, client, requests)
            finally:
                run.report.requests[source.name] += client.requests_made - before
    except KeyboardInterrupt:
        run.report.interrupted = True
    return run.report


@dataclass
class _Run:
    items: Sequence[Item]
    store: Store
    now: datetime
    progress: Callable[[int], None]
    files: Files
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
        pool = ThreadPoolExecutor(max_workers=client.concurrency)
        try:
            for _ in pool.map(lambda request: self.one(source, client, request), requests[1:]):
                pass
        finally:
            # On Ctrl-C, the requests not started yet are dropped; those under way are saved as they end.
            pool.shutdown(wait=True, cancel_futures=True)

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
        except UnreachableError as err:
            with self._lock:
                given_up = self.report.spent if isinstance(err, BudgetSpent) else self.report.unreachable
                given_up.setdefault(err.host, err.reason)
                self.report.unasked.update(
                    item.key or ident for ident in request.ids for item in self._entries(request, ident)
                )
            return
        except FetchError as err:
            self._failed(request, err)
            return
        for record in source.records(request, answer, self.now):
            record = _public(record, request, source)
            if record.source.endswith("-search"):
                self._save_search(record)
            else:
                self._save(source, record)

    def _failed(self, request: Request, err: FetchError) -> None:
        diagnostics = []
        for ident in request.ids:
            entries = self._entries(request, ident)
            if not entries:  # asked about without an entry (a caller of the executor, not the CLI)
                diagnostics.append(Diagnostic("error", "fetch-failed", str(err), subject=ident))
            for item in entries:
                diagnostics.append(self._about(item, "error", "fetch-failed", str(err), ident))
        with self._lock:
            self.report.errors += diagnostics
            self.report.failed_hosts.setdefault(urlsplit(request.endpoint).netloc or request.source, str(err))

    def _about(self, item: Item, level: str, code: str, message: str, ident: str) -> Diagnostic:
        """A finding about one entry: at its file and line, naming its key."""
        file = self.files.get(id(item))
        subject = item.key or (item.title if ident.startswith("title:") else ident)
        text = f"{item.key}: {message}" if file and item.key else message
        return Diagnostic(level, code, text, file=file, line=item.line if file else None, subject=subject)

    def _entries(self, request: Request, ident: str) -> list[Item]:
        """The selected entries a store id was asked for: by identifier, by title search key, or, for a
        journal DOI arXiv named, by the arXiv id that named it."""
        kind, value = ident.split(":", 1) if ":" in ident else ("", ident)
        if kind == "title":
            return [item for item in self.items if search_key(item) == ident] or list(request.items[:1])
        direct = [
            i for i in self.items if any(x.kind == kind and x.value.lower() == value.lower() for x in i.ids)
        ]
        if direct or kind != "doi":
            return direct
        named = self.store.records()
        return [
            item
            for item in self.items
            for x in item.ids
            if x.kind == "arxiv"
            and (rec := named.get(f"arxiv|arxiv:{x.value}")) is not None
            and str(rec.fields.get("doi") or "").lower() == value.lower()
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
                    self._about(
                        item,
                        "warning",
                        "fetched-title-conflict",
                        f"{record.id} is titled {title!r}, not {item.title!r}: "
                        "the link points at another work",
                        record.id,
                    )
                )
        if source.is_published(record):
            report.published.append(record.id)


def _public(record: Record, request: Request, source: Source) -> Record:
    """The record with the public API's URL for its request, when another endpoint answered it."""
    endpoint, public = request.endpoint.rstrip("/?"), source.default_url.rstrip("/?")
    if not endpoint or endpoint == public or not record.url.startswith(endpoint):
        return record
    return replace(record, url=public + record.url[len(endpoint) :])
