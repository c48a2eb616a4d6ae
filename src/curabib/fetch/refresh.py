"""Refresh stage: ask arXiv and Crossref about the selected items and record the answers in the store.

Order: arXiv ids in batches of 100; arXiv title searches for items without identifiers; Crossref DOIs
(given, named by arXiv, or derived and to be confirmed) batched as one filter request per 20; Crossref
bibliographic searches for preprints (their published version) and title-only items. Every answer is
saved as soon as it arrives, atomically, so an interrupted run loses nothing and the next one resumes;
a record fresher than the limit is not asked again, so a second run right away sends no request.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from curabib.matching import family_names, judge, names_agree
from curabib.merge.fields import search_key
from curabib.model import FOUND, NOT_FOUND, Item, Record
from curabib.project.store import Store
from curabib.sources import arxiv as arxiv_source
from curabib.sources import crossref as crossref_source
from curabib.sources.arxiv import ArxivSource, MalformedIdError
from curabib.sources.crossref import CrossrefSource
from curabib.sources.policy import FetchError

ARXIV_DOI_PREFIX = "10.48550/"  # DataCite's, not Crossref's: Crossref answers 404 for them
MAX_CONCURRENCY = 3  # Crossref's polite pool allows 3 requests at a time; never more, whatever is advertised


@dataclass(frozen=True)
class RefreshOptions:
    sources: frozenset[str] = frozenset({"arxiv", "crossref"})
    max_age: timedelta = timedelta(days=30)
    force: bool = False
    dry_run: bool = False


@dataclass
class Report:
    enriched: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)
    published: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    planned: list[str] = field(default_factory=list)
    requests: Counter[str] = field(default_factory=Counter)


@dataclass
class Refresher:
    store: Store
    arxiv: ArxivSource | None
    crossref: CrossrefSource | None
    options: RefreshOptions
    now: datetime
    progress: Callable[[int], None] = lambda n: None
    report: Report = field(default_factory=Report)
    _saved: set[tuple[str, str]] = field(default_factory=set)

    def run(self, items: Sequence[Item]) -> Report:
        if self.arxiv is not None and "arxiv" in self.options.sources:
            self._arxiv_ids(items)
            self._arxiv_searches(items)
        if self.crossref is not None and "crossref" in self.options.sources:
            self._crossref_dois(items)
            self._crossref_searches(items)
        if self.arxiv is not None:
            self.report.requests["arxiv"] += self.arxiv.requests_made
        if self.crossref is not None:
            self.report.requests["crossref"] += self.crossref.requests_made
        return self.report

    # -- what needs asking -----------------------------------------------------------------------------
    def _stale(self, source: str, ident: str) -> bool:
        record = self.store.get(source, ident)
        return self.options.force or record is None or not record.is_fresh(self.now, self.options.max_age)

    def _found(self, source: str, ident: str) -> Record | None:
        record = self.store.get(source, ident)
        return record if record is not None and record.status == FOUND else None

    # -- arXiv -----------------------------------------------------------------------------------------
    def _arxiv_ids(self, items: Sequence[Item]) -> None:
        assert self.arxiv is not None
        ids = _unique(i.value for item in items for i in item.ids if i.kind == "arxiv" and not i.derived)
        todo = [i for i in ids if self._stale("arxiv", f"arxiv:{i}")]
        for batch in _chunks(todo, arxiv_source.BATCH):
            if self.options.dry_run:
                self.report.planned.append(
                    f"arXiv: {len(batch)} ids in one request: {self.arxiv.request_url(batch)}"
                )
                continue
            self._arxiv_batch(batch, items)

    def _arxiv_batch(self, batch: list[str], items: Sequence[Item]) -> None:
        assert self.arxiv is not None
        try:
            answers = self.arxiv.fetch_ids(batch)
        except MalformedIdError as err:
            if len(batch) == 1:
                self.report.errors.append(f"arxiv:{batch[0]}: {err}")
                self.progress(1)
                return
            middle = len(batch) // 2  # find the malformed id by halves; the others still get asked
            self._arxiv_batch(batch[:middle], items)
            self._arxiv_batch(batch[middle:], items)
            return
        except FetchError as err:
            self.report.errors += [f"arxiv:{i}: {err}" for i in batch]
            self.progress(len(batch))
            return
        url = self.arxiv.request_url(batch)
        for arxiv_id, answer in answers.items():
            fields = arxiv_source.fields_only(answer) if answer else {}
            self._save(
                Record(
                    "arxiv", f"arxiv:{arxiv_id}", FOUND if answer else NOT_FOUND, _iso(self.now), url, fields
                ),
                items,
            )
        self.progress(len(batch))

    def _arxiv_searches(self, items: Sequence[Item]) -> None:
        assert self.arxiv is not None
        for item in _title_only(items):
            key = search_key(item)
            if key is None or not self._stale("arxiv-search", key):
                continue
            if self.options.dry_run:
                self.report.planned.append(f"arXiv: title search for '{item.title}'")
                continue
            try:
                candidates = self.arxiv.search_title(str(item.title))
            except FetchError as err:
                self.report.errors.append(f"{key}: {err}")
                continue
            url = f'{self.arxiv.base_url}?search_query=ti:"{item.title}"'
            match = self._choose(
                item, [(c, f"arxiv:{c['id']}", c.get("published", "")[:4]) for c in candidates]
            )
            if match is not None and match["match"]:
                record = next(c for c in candidates if f"arxiv:{c['id']}" == match["match"])
                self._save(
                    Record(
                        "arxiv", match["match"], FOUND, _iso(self.now), url, arxiv_source.fields_only(record)
                    ),
                    items,
                )
            self._save_search("arxiv-search", key, url, match, item, candidates)
            self.progress(1)

    # -- Crossref --------------------------------------------------------------------------------------
    def _crossref_dois(self, items: Sequence[Item]) -> None:
        assert self.crossref is not None
        dois = []
        for item in items:
            dois += [i.value for i in item.ids if i.kind == "doi"]
            for arxiv_id in (i.value for i in item.ids if i.kind == "arxiv"):
                record = self._found("arxiv", f"arxiv:{arxiv_id}")
                if record is not None and record.fields.get("doi"):
                    dois.append(str(record.fields["doi"]))
        todo = [
            d
            for d in _unique(dois)
            if not d.startswith(ARXIV_DOI_PREFIX) and self._stale("crossref", f"doi:{d}")
        ]
        batches = _chunks(todo, crossref_source.BATCH)
        if self.options.dry_run:
            self.report.planned += [
                f"Crossref: {len(b)} DOIs in one request: {self.crossref.request_url(b)}" for b in batches
            ]
            return
        if not batches:
            return
        # The first answer tells how many requests may run at once (X-Concurrency-Limit); then at most that.
        self._doi_batch(batches[0], items)
        workers = max(1, min(MAX_CONCURRENCY, self.crossref.limit.concurrency or 1))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for _ in pool.map(lambda batch: self._doi_batch(batch, items), batches[1:]):
                pass

    def _doi_batch(self, batch: list[str], items: Sequence[Item]) -> None:
        assert self.crossref is not None
        try:
            answers = self.crossref.fetch_dois(batch)
        except FetchError as err:
            self.report.errors += [f"doi:{d}: {err}" for d in batch]
            return
        url = self.crossref.request_url(batch)
        for doi, answer in answers.items():
            fields = {k: v for k, v in (answer or {}).items() if k != "doi"}
            status = FOUND if answer else NOT_FOUND
            self._save(Record("crossref", f"doi:{doi}", status, _iso(self.now), url, fields), items)
        self.progress(len(batch))

    def _crossref_searches(self, items: Sequence[Item]) -> None:
        assert self.crossref is not None
        for item in items:
            key = search_key(item)
            if key is None or item.kind != "paper" or not self._needs_published(item):
                continue
            if not self._stale("crossref-search", key):
                continue
            if self.options.dry_run:
                self.report.planned.append(f"Crossref: bibliographic search for '{item.title}'")
                continue
            query = " ".join([str(item.title), *(a.split()[-1] for a in item.authors[:1])])
            try:
                candidates = [
                    c for c in self.crossref.search(query) if c.get("type") not in ("posted-content",)
                ]
            except FetchError as err:
                self.report.errors.append(f"{key}: {err}")
                continue
            url = f"{self.crossref.base_url}/works?query.bibliographic={query}"
            match = self._choose(item, [(c, f"doi:{c['doi']}", str(c.get("year") or "")) for c in candidates])
            if match is not None and match["match"]:
                record = next(c for c in candidates if f"doi:{c['doi']}" == match["match"])
                fields = {k: v for k, v in record.items() if k != "doi"}
                self._save(Record("crossref", match["match"], FOUND, _iso(self.now), url, fields), items)
            self._save_search("crossref-search", key, url, match, item, candidates)
            self.progress(1)

    def _needs_published(self, item: Item) -> bool:
        """Title-only items, and arXiv preprints that arXiv names no journal DOI for."""
        if any(i.kind == "doi" and not i.derived for i in item.ids):
            return False
        for arxiv_id in (i.value for i in item.ids if i.kind == "arxiv"):
            record = self._found("arxiv", f"arxiv:{arxiv_id}")
            if record is not None and record.fields.get("doi"):
                return False
        return True

    # -- judging and recording -------------------------------------------------------------------------
    def _choose(self, item: Item, candidates: list[tuple[dict[str, Any], str, str]]) -> dict[str, Any] | None:
        families = family_names(item.authors)
        best: dict[str, Any] | None = None
        for fields, ident, year in candidates:
            names = [person_name(a) for a in fields.get("authors", [])]
            verdict = judge(
                str(item.title), item.year, families, str(fields.get("title") or ""),
                int(year) if year.isdigit() else None, family_names(names),
            )  # fmt: skip
            entry = {
                "match": ident if verdict.accepted else None,
                "candidate": ident,
                "candidate_title": fields.get("title"),
                "score": round(verdict.score, 3),
                "reason": verdict.reason,
            }
            if verdict.accepted:
                return entry
            if best is None or entry["score"] > best["score"]:
                best = entry
        return None if best is None else {**best, "match": None}

    def _save_search(self, source: str, key: str, url: str, choice: dict[str, Any] | None, item: Item,
                     candidates: list[dict[str, Any]]) -> None:  # fmt: skip
        fields = {"query": item.title, **(choice or {"match": None, "reason": "no candidates"})}
        status = FOUND if fields.get("match") else NOT_FOUND
        if status == NOT_FOUND:
            best = (
                f" (best candidate: {fields.get('candidate_title')!r}, {fields.get('reason')})"
                if choice
                else ""
            )
            self.report.not_found.append(f"{source} {item.title!r}{best}")
        self.store.put(Record(source, key, status, _iso(self.now), url, fields))

    def _save(self, record: Record, items: Sequence[Item]) -> None:
        if (record.source, record.id) in self._saved:
            return  # a search can find what a lookup already brought in this run
        self._saved.add((record.source, record.id))
        previous = self.store.get(record.source, record.id)
        self.store.put(record)
        if record.status == NOT_FOUND:
            self.report.not_found.append(record.id)
            return
        if previous is None or previous.status != FOUND:
            self.report.enriched.append(record.id)
        elif previous.fields == record.fields:
            self.report.unchanged.append(record.id)
        else:
            self.report.changed[record.id] = sorted(
                k
                for k in set(previous.fields) | set(record.fields)
                if previous.fields.get(k) != record.fields.get(k)
            )
        self._check(record, items)

    def _check(self, record: Record, items: Sequence[Item]) -> None:
        kind, value = record.id.split(":", 1)
        title = record.fields.get("title")
        users = [item for item in items if any(i.kind == kind and i.value == value for i in item.ids)]
        for item in users:
            if title and item.title and not names_agree(str(title), item.title):
                self.report.conflicts.append(
                    f"{item.key}: {record.id} is titled {title!r}, not {item.title!r}: "
                    "the link points at another work"
                )
        if record.source == "crossref" and record.fields.get("type") != "posted-content":
            self.report.published.append(record.id)


def person_name(author: Any) -> str:
    """An author as records store it: Crossref's {family, given} or {literal}, arXiv's full name."""
    if isinstance(author, dict):
        return str(author.get("family") or author.get("literal") or "")
    return str(author)


def _title_only(items: Sequence[Item]) -> list[Item]:
    return [
        item
        for item in items
        if item.kind == "paper"
        and item.title
        and not any(not i.derived and i.kind in ("arxiv", "doi") for i in item.ids)
    ]


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _chunks(values: list[str], size: int) -> list[list[str]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def _iso(now: datetime) -> str:
    return now.isoformat()
