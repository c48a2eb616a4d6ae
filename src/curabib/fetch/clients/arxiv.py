"""The arXiv client: queries described by the `arxiv` package's `Search`, answers handed on as its
`Result`s, sent on one `requests` connection 3 s apart.

The package's own `Client` sends through a session it keeps private (`Client._session`): no timeout, a
fixed User-Agent, retries at once that ignore Retry-After, an `HTTPError` without the response's headers,
and a lenient parser that reads a truncated feed as a shorter one. So the request is ours, through public
APIs only: the URL the arXiv API manual describes (the package's query format, from the `Search`'s public
fields), sent on a `requests.Session` with a timeout and the user's contact in the User-Agent, paced and
retried by `PoliteClient`. The Atom feed is parsed strictly, so that a broken one is retried, and each entry
becomes an `arxiv.Result` through its public constructor. Results are checked against the ids asked for,
because arXiv leaves unknown ids out of its answer.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlencode

import arxiv
import requests

from curabib import __version__
from curabib.errors import BadBatchError, FetchError, RetryableError
from curabib.fetch.clients.http import connect_timeout, one_connection_session, transport_error
from curabib.fetch.clients.polite import PoliteClient
from curabib.fetch.connection import Connection
from curabib.fetch.policy import Hosts, retry_after_seconds
from curabib.ids import parse_identifier
from curabib.sources.arxiv import BATCH, DEFAULT_URL, SPACING
from curabib.sources.protocol import Answer, Request

_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"


class MalformedIdError(BadBatchError):
    """arXiv answered its error feed (HTTP 400): an id in the request is malformed."""


class MalformedFeedError(ValueError):
    """An answer that is not a whole Atom feed: cut off, or not XML at all."""


@dataclass
class ArxivClient(PoliteClient):
    base_url: str = DEFAULT_URL
    spacing: ClassVar[float] = SPACING

    def __post_init__(self) -> None:
        super().__post_init__()
        self.session = one_connection_session(self.user_agent)

    def request_url(self, ids: Sequence[str]) -> str:
        return self._url(_search(ids))

    def _url(self, search: arxiv.Search) -> str:
        """The package's query format (`Client.query_url_format`, one page of `BATCH` from the start) on
        our endpoint, from the search's public fields."""
        query = {
            "search_query": search.query,
            "id_list": ",".join(search.id_list),
            "sortBy": search.sort_by.value,
            "sortOrder": search.sort_order.value,
            "start": "0",
            "max_results": str(BATCH),
        }
        return self.base_url.rstrip("?") + "?" + urlencode(query)

    # -- fetching ------------------------------------------------------------------------------------
    def fetch(self, request: Request) -> Answer:
        if request.search:
            return self.search_title(request.query)
        return self.fetch_ids(request.values)

    def fetch_ids(self, ids: Sequence[str]) -> dict[str, dict[str, Any] | None]:
        """Records for up to `BATCH` canonical ids; None for an id arXiv does not know."""
        results = self.asked(lambda: self._query(_search(ids)))
        found: dict[str, dict[str, Any]] = {}
        for result in results:
            record = record_from_result(result)
            if record["id"] in ids:
                found[record["id"]] = record
        return {i: found.get(i) for i in ids}

    def search_title(self, title: str, max_results: int = 5) -> list[dict[str, Any]]:
        phrase = re.sub(r"[\"():]+", " ", title).strip()
        search = arxiv.Search(query=f'ti:"{phrase}"', max_results=max_results)
        return [record_from_result(r) for r in self.asked(lambda: self._query(search))]

    def _query(self, search: arxiv.Search) -> list[arxiv.Result]:
        try:
            response = self.session.get(
                self._url(search), timeout=(connect_timeout(self.timeout), self.timeout)
            )  # a dead host is known after the connect timeout, a slow answer still gets the whole timeout
        except requests.RequestException as err:
            raise transport_error("arXiv", err, self.timeout) from err
        if response.status_code != 200:
            raise _http_error(response)
        try:
            results = results_from_feed(response.content)
        except MalformedFeedError as err:
            raise RetryableError("arXiv: malformed or truncated XML") from err
        return results[: search.max_results]


def _search(ids: Sequence[str]) -> arxiv.Search:
    return arxiv.Search(id_list=list(ids), max_results=len(ids))


def _http_error(response: requests.Response) -> FetchError:
    status = response.status_code
    if status == 400:
        return MalformedIdError("arXiv: HTTP 400 (error feed: malformed id)", status=400)
    if status == 429 or status >= 500:
        retry_after = retry_after_seconds(response.headers)
        return RetryableError(f"arXiv: HTTP {status}", status=status, retry_after=retry_after)
    return FetchError(f"arXiv: HTTP {status}", status=status)


def results_from_feed(body: bytes) -> list[arxiv.Result]:
    """The entries of an arXiv Atom feed as `arxiv.Result`s (pure), in the feed's order. Like the package,
    it skips an entry without an id or its dates; a body that is not a whole feed raises
    `MalformedFeedError`."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as err:
        raise MalformedFeedError(str(err)) from err
    if root.tag != f"{_ATOM}feed":
        raise MalformedFeedError(f"not an Atom feed: <{root.tag}>")
    return [result for entry in root.iterfind(f"{_ATOM}entry") if (result := _result(entry)) is not None]


def _result(entry: ET.Element) -> arxiv.Result | None:
    entry_id = _text(entry, f"{_ATOM}id")
    updated = _datetime(_text(entry, f"{_ATOM}updated"))
    published = _datetime(_text(entry, f"{_ATOM}published"))
    if not entry_id or updated is None or published is None:
        return None
    primary = entry.find(f"{_ARXIV}primary_category")
    return arxiv.Result(
        entry_id=entry_id,
        updated=updated,
        published=published,
        title=re.sub(r"\s+", " ", _text(entry, f"{_ATOM}title") or ""),  # as the package has it
        authors=[
            arxiv.Result.Author(_text(author, f"{_ATOM}name") or "")
            for author in entry.iterfind(f"{_ATOM}author")
        ],
        summary=_text(entry, f"{_ATOM}summary") or "",
        comment=_text(entry, f"{_ARXIV}comment"),
        journal_ref=_text(entry, f"{_ARXIV}journal_ref"),
        doi=_text(entry, f"{_ARXIV}doi"),
        primary_category=primary.get("term", "") if primary is not None else "",
        categories=[term for c in entry.iterfind(f"{_ATOM}category") if (term := c.get("term"))],
    )


def _text(element: ET.Element, tag: str) -> str | None:
    """The text of `element`'s child `tag`; None, as the package has it, for a missing or empty one."""
    child = element.find(tag)
    return child.text if child is not None else None


def _datetime(text: str | None) -> datetime | None:
    """An Atom timestamp ("2017-06-12T17:57:34Z") in UTC; a malformed one makes the feed malformed."""
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as err:
        raise MalformedFeedError(f"not a timestamp: {text!r}") from err
    return when.replace(tzinfo=when.tzinfo or UTC).astimezone(UTC)


def record_from_result(result: arxiv.Result) -> dict[str, Any]:
    """The fields curabib keeps from one arXiv entry (pure)."""
    ident = parse_identifier(result.entry_id)
    value = ident.value if ident else result.get_short_id()
    return {
        "id": value,
        "version": ident.version if ident else None,
        "title": _one_line(result.title),
        "authors": [author.name for author in result.authors],
        "abstract": _one_line(result.summary),
        "published": result.published.date().isoformat(),  # the first version: the year a paper is cited by
        "updated": result.updated.date().isoformat(),
        "primary_category": result.primary_category,
        "categories": list(result.categories),
        "doi": result.doi.lower() if result.doi else None,
        "journal_ref": result.journal_ref,
        "comment": _one_line(result.comment) if result.comment else None,
    }


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def connect(connection: Connection) -> ArxivClient:
    contact = f"; mailto:{connection.mailto}" if connection.mailto else ""
    return ArxivClient(
        base_url=connection.url,
        user_agent=f"curabib/{__version__} (https://pypi.org/project/curabib/{contact})",
        timeout=connection.timeout,
        clock=connection.clock,
        hosts=connection.hosts or Hosts(),
    )
