"""The arXiv client, through the `arxiv` package: one connection, 3 s between requests.

The package (4.x) has no HTTP timeout, retries at once and ignores Retry-After, and sends a fixed
User-Agent. So its own pacing and retries are switched off and ours wrap every request; an adapter on its
session adds the timeout and a User-Agent with the user's contact. Results are checked against the ids
asked for, because the package silently drops unknown ids.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import arxiv
import requests
from requests.adapters import HTTPAdapter

from curabib import __version__
from curabib.errors import BadBatchError, FetchError, RetryableError
from curabib.fetch.clients.http import connect_timeout, transport_error
from curabib.fetch.clients.polite import PoliteClient
from curabib.fetch.connection import Connection
from curabib.fetch.policy import Hosts, retry_after_seconds
from curabib.ids import parse_identifier
from curabib.sources.arxiv import BATCH, DEFAULT_URL, SPACING
from curabib.sources.protocol import Answer, Request


class MalformedIdError(BadBatchError):
    """arXiv answered its error feed (HTTP 400): an id in the request is malformed."""


class _PoliteAdapter(HTTPAdapter):
    def __init__(self, timeout: float, user_agent: str) -> None:
        super().__init__(max_retries=0)
        self.timeout = timeout
        self.user_agent = user_agent

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs["timeout"] = (connect_timeout(self.timeout), self.timeout)  # a dead host is known sooner
        request.headers["User-Agent"] = self.user_agent
        return super().send(request, **kwargs)


@dataclass
class ArxivClient(PoliteClient):
    base_url: str = DEFAULT_URL
    spacing: ClassVar[float] = SPACING

    def __post_init__(self) -> None:
        super().__post_init__()
        self.client = arxiv.Client(page_size=BATCH, delay_seconds=0.0, num_retries=0)
        self.client.query_url_format = self.base_url.rstrip("?") + "?{}"
        # The package offers no hook for a timeout or headers; its session is the one place to add them.
        session: requests.Session = self.client._session
        adapter = _PoliteAdapter(self.timeout, self.user_agent)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.hooks["response"].append(self._observe)
        self._last: requests.Response | None = None

    def _observe(self, response: requests.Response, *args: object, **kwargs: object) -> None:
        self._last = response

    def request_url(self, ids: Sequence[str]) -> str:
        return self.client._format_url(_search(ids), 0, BATCH)  # type: ignore[no-any-return]

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
        self._last = None
        try:
            results = list(self.client.results(search))
        except arxiv.HTTPError as err:
            raise _http_error(err.status, self._last) from err
        except (requests.Timeout, requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as err:
            raise transport_error("arXiv", err, self.timeout) from err
        except Exception as err:
            raise RetryableError(f"arXiv: unreadable answer ({type(err).__name__})") from err
        if self._last is not None and not _well_formed(self._last.content):
            raise RetryableError("arXiv: malformed or truncated XML")
        return results


def _search(ids: Sequence[str]) -> arxiv.Search:
    return arxiv.Search(id_list=list(ids), max_results=len(ids))


def _http_error(status: int, response: requests.Response | None) -> FetchError:
    retry_after = retry_after_seconds(response.headers) if response is not None else None
    if status == 400:
        return MalformedIdError("arXiv: HTTP 400 (error feed: malformed id)", status=400)
    if status == 429 or status >= 500:
        return RetryableError(f"arXiv: HTTP {status}", status=status, retry_after=retry_after)
    return FetchError(f"arXiv: HTTP {status}", status=status)


def _well_formed(body: bytes) -> bool:
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return False
    return root.tag.endswith("feed")


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
