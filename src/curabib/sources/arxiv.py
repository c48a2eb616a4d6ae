"""arXiv as a metadata source: ids in batches of 100, title searches for items without identifiers, and
what a preprint gives the merge (title, all authors, first-version year, a venue named in its journal
reference or comment, primary category, the journal DOI it names).

Pure: the client that talks to the API is `fetch/clients/arxiv.py`, imported only by `connect`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from curabib.data import venues
from curabib.ids import Identifier
from curabib.model import FOUND, NOT_FOUND, Item, Record
from curabib.names import split_name
from curabib.sources.protocol import (
    Answer,
    Found,
    RefreshOptions,
    Request,
    Source,
    chunks,
    search_key,
    stale,
    title_only,
    unique,
)
from curabib.sources.search import search_records, search_requests

DEFAULT_URL = "https://export.arxiv.org/api/query"
BATCH = 100  # ids per request: long id lists fail with HTTP 414 from about 640 ids
SPACING = 3.0  # seconds between requests, the API's terms of use


class Arxiv(Source):
    name = "arxiv"
    label = "arXiv"
    stores = ("arxiv", "arxiv-search")
    resolves = frozenset({"arxiv"})
    search_stores = ("arxiv-search",)
    default_url = DEFAULT_URL
    rank = 10  # a preprint: below the published version
    supplies = frozenset({"title", "year", "month", "venue", "venue_year", "authors", "arxiv_class", "ids"})
    tex_titles = True
    client = "curabib.fetch.clients.arxiv"

    def plan(
        self, items: Sequence[Item], records: Mapping[str, Record], options: RefreshOptions, now: datetime
    ) -> list[Request]:
        endpoint = options.endpoint(self)
        ids = unique(i.value for item in items for i in item.ids if i.kind == "arxiv" and not i.derived)
        todo = [f"arxiv:{i}" for i in ids if stale(records, "arxiv", f"arxiv:{i}", options, now)]
        requests = [self._lookup(tuple(batch), endpoint) for batch in chunks(todo, BATCH)]
        wanted = []
        for item in title_only(items):
            key = search_key(item)
            if key is not None and stale(records, "arxiv-search", key, options, now):
                wanted.append((key, item))
        return requests + search_requests(
            self.name,
            "arxiv-search",
            wanted,
            query=lambda item: str(item.title),
            url=lambda title: f'{endpoint}?search_query=ti:"{title}"',
            line=lambda item: f"arXiv: title search for '{item.title}'",
            endpoint=endpoint,
        )

    def _lookup(self, ids: tuple[str, ...], endpoint: str) -> Request:
        url = lookup_url(endpoint, [i.split(":", 1)[1] for i in ids])
        line = f"arXiv: {len(ids)} ids in one request: {url}"
        return Request(self.name, "arxiv", ids, url=url, line=line, endpoint=endpoint)

    def split(self, request: Request) -> list[Request]:
        middle = len(request.ids) // 2
        return [self._lookup(part, request.endpoint) for part in (request.ids[:middle], request.ids[middle:])]

    def records(self, request: Request, answer: Answer, now: datetime) -> list[Record]:
        if request.search:
            assert isinstance(answer, Sequence)
            candidates = [(c, f"arxiv:{c['id']}", str(c.get("published", ""))[:4]) for c in answer]
            return search_records(request, candidates, "arxiv", fields_only, now)
        assert isinstance(answer, Mapping)
        return [
            Record(
                "arxiv",
                f"arxiv:{value}",
                FOUND if fields else NOT_FOUND,
                now.isoformat(),
                request.url,
                fields_only(fields) if fields else {},
            )
            for value, fields in answer.items()
        ]

    def candidates(self, items: Sequence[Item], found: Found, chosen: Mapping[str, Record]) -> list[str]:
        ids = [i.value for item in items for i in item.ids if i.kind == "arxiv" and not i.derived]
        for item in items:
            if (key := search_key(item)) and (hit := found("arxiv-search", key)) and hit.fields.get("match"):
                ids.append(str(hit.fields["match"]).split(":", 1)[1])
        return [f"arxiv:{i}" for i in ids]

    def supply(self, record: Record, prefer: str) -> dict[str, Any]:
        fields = record.fields
        ids = [Identifier("arxiv", record.id.split(":", 1)[1])]
        if fields.get("doi"):
            # The journal DOI arXiv names: what ties this preprint to its published version in dedupe.
            ids.append(Identifier("doi", str(fields["doi"])))
        return {
            "title": fields.get("title"),
            # A preprint is cited by the year of its first version, not the latest.
            "year": int(str(fields["published"])[:4]) if fields.get("published") else None,
            "month": int(str(fields["published"])[5:7]) if fields.get("published") else None,
            "venue": _venue(fields),
            "venue_year": _venue_year(fields),
            "authors": tuple(split_name(name) for name in fields.get("authors", ())),
            "arxiv_class": fields.get("primary_category"),
            "ids": ids,
        }


def lookup_url(endpoint: str, ids: Sequence[str]) -> str:
    """The URL the `arxiv` package sends for an id list (its query format, one page of `BATCH`)."""
    query = {
        "search_query": "",
        "id_list": ",".join(ids),
        "sortBy": "relevance",
        "sortOrder": "descending",
        "start": "0",
        "max_results": str(BATCH),
    }
    return endpoint.rstrip("?") + "?" + urlencode(query)


def _venue(fields: Mapping[str, Any]) -> str | None:
    """A known venue named in arXiv's journal reference or comment ("Accepted at ICLR 2021")."""
    for text in (fields.get("journal_ref"), fields.get("comment")):
        found = venues.find(text) if text else None
        if found is not None and found.kind != "preprint":
            return found.long
    return None


def _venue_year(fields: Mapping[str, Any]) -> int | None:
    """The year beside the venue in the text that names it ("Accepted at ICLR 2021": 2021)."""
    for text in (fields.get("journal_ref"), fields.get("comment")):
        found = venues.find(text) if text else None
        if found is not None and found.kind != "preprint":
            year = re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)", str(text))
            return int(year.group()) if year else None
    return None


def fields_only(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != "id"}


SOURCE = Arxiv()
