"""DBLP as a metadata source: a title search for each work that has no published version yet, to find the
conference or journal record of a preprint (NeurIPS, ICLR, ICML/PMLR, JMLR, TMLR papers mostly have no
Crossref DOI, so arXiv and Crossref cannot), and what that record gives the merge.

DBLP also lists every arXiv preprint as a CoRR record ("Informal and Other Publications", venue "CoRR"):
such a record is judged like any candidate, so that a miss can show it, but never taken as the published
version. Pure: the client that talks to the API is `fetch/clients/dblp.py`, imported only by `connect`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from curabib.data import venues
from curabib.model import Item, Published, Record
from curabib.names import split_name
from curabib.sources.protocol import (
    Answer,
    Found,
    RefreshOptions,
    Request,
    Source,
    found_in,
    search_key,
    stale,
    unique,
)
from curabib.sources.search import search_records, search_requests

DEFAULT_URL = "https://dblp.org"
HITS = 10  # a famous preprint has several CoRR records ranked beside its conference one: look past them
SPACING = 1.0  # seconds between requests: dblp.org asks bots to stay well below its limits
# DBLP's publication types that are a published version of a paper, as Crossref names them.
PUBLISHED_TYPES = {
    "Journal Articles": "journal-article",
    "Conference and Workshop Papers": "proceedings-article",
    "Parts in Books or Collections": "book-chapter",
}
# A journal's column that DBLP puts before the work's own title: "Letters to the editor: go to statement
# considered harmful." is Dijkstra's "Go To Statement Considered Harmful".
_COLUMNS = re.compile(r"^\s*letters to the editor\s*:\s*", re.I)


class Dblp(Source):
    name = "dblp"
    label = "DBLP"
    stores = ("dblp", "dblp-search")
    search_stores = ("dblp-search",)
    asks_by_title = True  # a published version found by title, once `add` knows the title
    default_url = DEFAULT_URL
    rank = 15  # a published version without DOI metadata: below Crossref (20), above the preprint (10)
    supplies = frozenset({"year", "venue", "authors", "published"})
    client = "curabib.fetch.clients.dblp"

    def plan(
        self, items: Sequence[Item], records: Mapping[str, Record], options: RefreshOptions, now: datetime
    ) -> list[Request]:
        endpoint = options.endpoint(self)
        found = found_in(records)
        wanted = []
        for item in items:
            key = search_key(item)
            if key is None or item.kind != "paper" or _published_known(item, found):
                continue
            if stale(records, "dblp-search", key, options, now):
                wanted.append((key, item))
        return search_requests(
            self.name,
            "dblp-search",
            wanted,
            query=lambda item: query_text(str(item.title)),
            url=lambda query: search_url(endpoint, query),
            line=lambda item: f"DBLP: title search for '{item.title}'",
            endpoint=endpoint,
        )

    def records(self, request: Request, answer: Answer, now: datetime) -> list[Record]:
        assert isinstance(answer, Sequence)
        # Published records first: the conference record wins over the CoRR one of the same work.
        ordered = sorted(answer, key=lambda hit: _refusal(hit) is not None)
        candidates = [(hit, f"dblp:{hit['key']}", str(hit.get("year") or "")) for hit in ordered]
        return search_records(request, candidates, "dblp", _without_key, now, refuse=_refusal)

    def candidates(self, items: Sequence[Item], found: Found, chosen: Mapping[str, Record]) -> list[str]:
        matches = []
        for item in items:
            key = search_key(item)
            if key and (hit := found("dblp-search", key)) and hit.fields.get("match"):
                matches.append(str(hit.fields["match"]))
        return unique(matches)

    def supply(self, record: Record, prefer: str) -> dict[str, Any]:
        published = _published(record) if prefer != "preprint" else None
        return {
            "year": published.year if published else None,
            "venue": published.container if published else None,
            "authors": tuple(split_name(name) for name in record.fields.get("authors") or ()),
            "published": published,
        }

    def is_published(self, record: Record) -> bool:
        return _refusal(record.fields) is None


def query_text(title: str) -> str:
    """The title as DBLP's search wants it: words only. Its query syntax gives ':' (`venue:ICLR:`), '|'
    and '$' a meaning, and its index splits words at punctuation anyway."""
    return " ".join(re.sub(r"[^\w\s]+", " ", title).split())


def search_url(endpoint: str, query: str, hits: int = HITS) -> str:
    """The search the client sends: planned and sent from this one function, so they are the same."""
    return f"{endpoint.rstrip('/')}/search/publ/api?" + urlencode({"q": query, "format": "json", "h": hits})


def clean_title(title: str) -> str:
    """A DBLP title as the work's title: without DBLP's trailing period or a journal column's name."""
    title = _COLUMNS.sub("", title.strip())
    return title[:-1] if title.endswith(".") and not title.endswith("..") else title


def _refusal(hit: Mapping[str, Any]) -> str | None:
    """Why a DBLP record is not a published version of a paper, or None when it is one."""
    kind = str(hit.get("type") or "")
    if hit.get("venue") == "CoRR" or str(hit.get("key", "")).startswith("journals/corr/"):
        return "a CoRR (arXiv) record, not a published version"
    if kind not in PUBLISHED_TYPES:
        return f"a DBLP record of type {kind or 'unknown'!r}, not a published version"
    return None


def _published_known(item: Item, found: Found) -> bool:
    """Whether a source asked before DBLP already gave the item a published version (Crossref: its DOI,
    the one arXiv names, or its own search's match): DBLP is asked only about the others. Each earlier
    source sees the records the ones before it chose, as the merge does."""
    from curabib.sources import registered  # the registry imports this module: read when asked

    chosen: dict[str, Record] = {}
    for source in registered():
        if source.name == Dblp.name:
            break
        for ident in source.candidates([item], found, chosen):
            record = found(source.name, ident)
            if record is None:
                continue
            if source.is_published(record):
                return True
            chosen.setdefault(source.name, record)
    return False


def _without_key(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if k != "key"}  # the key is the record's id


def _published(record: Record) -> Published | None:
    fields = record.fields
    if _refusal(fields) is not None:
        return None
    text = fields.get("venue")
    known = venues.find(str(text)) if text else None
    year = str(fields.get("year") or "")
    return Published(
        doi=fields.get("doi"),
        type=PUBLISHED_TYPES[str(fields["type"])],
        container=known.long if known is not None and known.kind != "preprint" else text,
        volume=fields.get("volume"),
        issue=fields.get("number"),
        pages=fields.get("pages"),
        publisher=fields.get("publisher"),
        year=int(year) if year.isdigit() else None,
    )


SOURCE = Dblp()
