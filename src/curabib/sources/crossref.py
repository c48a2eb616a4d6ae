"""Crossref as a metadata source: DOIs (given, named by arXiv, or derived and to be confirmed) batched as
one `filter=doi:a,doi:b` request per 20, bibliographic searches for the published version of preprints
and for title-only items, and what a published version gives the merge.

Pure: the client that talks to the API is `fetch/clients/crossref.py`, imported only by `connect`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from curabib.model import FOUND, NOT_FOUND, Item, Person, Published, Record
from curabib.sources.protocol import (
    Answer,
    Found,
    RefreshOptions,
    Request,
    Source,
    chunks,
    found_in,
    search_key,
    stale,
    unique,
)
from curabib.sources.search import search_records, search_requests

DEFAULT_URL = "https://api.crossref.org"
BATCH = 20  # DOIs per filter request: one list request instead of twenty single ones, URLs stay short
ARXIV_DOI_PREFIX = "10.48550/"  # DataCite's, not Crossref's: Crossref answers 404 for them
PREPRINT_TYPES = frozenset({"posted-content"})


class Crossref(Source):
    name = "crossref"
    label = "Crossref"
    stores = ("crossref", "crossref-search")
    resolves = frozenset({"doi"})
    search_stores = ("crossref-search",)
    default_url = DEFAULT_URL
    rank = 20  # the published version: above the preprint
    supplies = frozenset({"title", "year", "venue", "authors", "published", "posted"})
    client = "curabib.fetch.clients.crossref"

    def plan(
        self, items: Sequence[Item], records: Mapping[str, Record], options: RefreshOptions, now: datetime
    ) -> list[Request]:
        endpoint = options.endpoint(self)
        found = found_in(records)
        dois = []
        for item in items:
            dois += [i.value for i in item.ids if i.kind == "doi"]
            dois += _named_by_arxiv(item, found)
        todo = [
            f"doi:{d}"
            for d in unique(dois)
            if not d.startswith(ARXIV_DOI_PREFIX) and stale(records, "crossref", f"doi:{d}", options, now)
        ]
        requests = []
        for batch in chunks(todo, BATCH):
            url = f"{endpoint.rstrip('/')}/works?filter=" + ",".join(batch)
            line = f"Crossref: {len(batch)} DOIs in one request: {url}"
            requests.append(
                Request(self.name, "crossref", tuple(batch), url=url, line=line, endpoint=endpoint)
            )
        wanted = []
        for item in items:
            key = search_key(item)
            if key is None or item.kind != "paper" or not _needs_published(item, found):
                continue
            if stale(records, "crossref-search", key, options, now):
                wanted.append((key, item))
        return requests + search_requests(
            self.name,
            "crossref-search",
            wanted,
            # Crossref advises `query.bibliographic` with the title and author names in one string.
            query=lambda item: " ".join([str(item.title), *(a.split()[-1] for a in item.authors[:1])]),
            url=lambda query: f"{endpoint}/works?query.bibliographic={query}",
            line=lambda item: f"Crossref: bibliographic search for '{item.title}'",
            endpoint=endpoint,
        )

    def records(self, request: Request, answer: Answer, now: datetime) -> list[Record]:
        if request.search:
            assert isinstance(answer, Sequence)
            candidates = [
                (c, f"doi:{c['doi']}", str(c.get("year") or ""))
                for c in answer
                if c.get("type") not in PREPRINT_TYPES  # a search looks for the published version
            ]
            return search_records(request, candidates, "crossref", _without_doi, now)
        assert isinstance(answer, Mapping)
        return [
            Record(
                "crossref",
                f"doi:{doi}",
                FOUND if fields else NOT_FOUND,
                now.isoformat(),
                request.url,
                _without_doi(fields or {}),
            )
            for doi, fields in answer.items()
        ]

    def candidates(self, items: Sequence[Item], found: Found, chosen: Mapping[str, Record]) -> list[str]:
        given = [i.value for item in items for i in item.ids if i.kind == "doi" and not i.derived]
        arxiv = chosen.get("arxiv")
        from_arxiv = [str(arxiv.fields["doi"])] if arxiv is not None and arxiv.fields.get("doi") else []
        derived = [i.value for item in items for i in item.ids if i.kind == "doi" and i.derived]
        searched = []
        for item in items:
            key = search_key(item)
            if key and (hit := found("crossref-search", key)) and hit.fields.get("match"):
                searched.append(str(hit.fields["match"]).split(":", 1)[1])
        return [f"doi:{d}" for d in unique(given + from_arxiv + derived + searched)]

    def supply(self, record: Record, prefer: str) -> dict[str, Any]:
        published = _published(record) if prefer != "preprint" else None
        # A posted-content record (bioRxiv, medRxiv, SSRN, Research Square) is the preprint itself: it is
        # given whatever `prefer` says, with its server and year, and only when no published version is
        # known (`merge/fields.py`); its server is no venue.
        posted = _posted(record)
        dated = published or posted
        return {
            "title": record.fields.get("title"),
            "year": dated.year if dated else None,
            "venue": published.container if published else None,
            "authors": tuple(
                Person(family=a["literal"], literal=True)
                if "literal" in a
                else Person(family=a["family"], given=a.get("given"))
                for a in record.fields.get("authors") or ()
            ),
            "published": published,
            "posted": posted,
        }

    def is_published(self, record: Record) -> bool:
        return record.fields.get("type") not in PREPRINT_TYPES


def _named_by_arxiv(item: Item, found: Found) -> list[str]:
    """The journal DOIs arXiv names for the item's preprints (known once arXiv has answered)."""
    dois = []
    for arxiv_id in (i.value for i in item.ids if i.kind == "arxiv"):
        record = found("arxiv", f"arxiv:{arxiv_id}")
        if record is not None and record.fields.get("doi"):
            dois.append(str(record.fields["doi"]))
    return dois


def _needs_published(item: Item, found: Found) -> bool:
    """Title-only items, and arXiv preprints that arXiv names no journal DOI for."""
    if any(i.kind == "doi" and not i.derived for i in item.ids):
        return False
    return not _named_by_arxiv(item, found)


def _without_doi(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if k != "doi"}


def _published(record: Record) -> Published | None:
    fields = record.fields
    if fields.get("type") in PREPRINT_TYPES:
        return None
    return Published(
        doi=record.id.split(":", 1)[1],
        type=str(fields.get("type") or "journal-article"),
        container=fields.get("container_title"),
        volume=fields.get("volume"),
        issue=fields.get("issue"),
        pages=fields.get("page"),
        publisher=fields.get("publisher"),
        year=fields.get("year"),
    )


def _posted(record: Record) -> Published | None:
    """A posted preprint as a `Published` of type posted-content: the server Crossref names (its
    `institution`, bioRxiv, when the record keeps it; else the publisher, openRxiv) and the issued year."""
    fields = record.fields
    if fields.get("type") not in PREPRINT_TYPES:
        return None
    server = fields.get("institution") or fields.get("publisher")
    return Published(
        doi=record.id.split(":", 1)[1],
        type="posted-content",
        publisher=str(server) if server else None,
        year=fields.get("year"),
    )


SOURCE = Crossref()
