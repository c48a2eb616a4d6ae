"""The DBLP client, through `requests`: publication searches on one connection, 1 s apart.

DBLP has no client library worth its weight and one endpoint we need, so this is a plain `Session` with
one pooled connection, no retries of its own (ours, with Retry-After, wrap every request), a timeout on
every request and the user's contact in the User-Agent. The JSON is read defensively: every number comes
as a string, `author` is a list, one object or (in older answers) plain strings, a search without hits
has no `hit` key, and a bot-check page may come back as HTML with status 200.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any, ClassVar

import requests

from curabib import __version__
from curabib.errors import FetchError, RetryableError
from curabib.fetch.clients.http import connect_timeout, one_connection_session, transport_error
from curabib.fetch.clients.polite import PoliteClient
from curabib.fetch.connection import Connection
from curabib.fetch.policy import Hosts, retry_after_seconds
from curabib.sources.dblp import DEFAULT_URL, HITS, SPACING, clean_title, search_url
from curabib.sources.protocol import Answer, Request

_HOMONYM = re.compile(r"\s+\d{4}$")  # DBLP tells apart people of one name by a number: "Xiaopeng Zhang 0009"
_KEPT = (
    "title",
    "venue",
    "volume",
    "number",
    "pages",
    "year",
    "type",
    "key",
    "doi",
    "ee",
    "url",
    "publisher",
)


@dataclass
class DblpClient(PoliteClient):
    base_url: str = DEFAULT_URL
    spacing: ClassVar[float] = SPACING

    def __post_init__(self) -> None:
        super().__post_init__()
        self.session = one_connection_session(self.user_agent)
        self.session.headers["Accept"] = "application/json"

    # One connection, one request at a time (the base's concurrency): DBLP is run by a university on a budget.
    def fetch(self, request: Request) -> Answer:
        return self.search(request.query)

    def search(self, query: str, hits: int = HITS) -> list[dict[str, Any]]:
        """The publication records DBLP finds for a query, best first (pure after the request)."""
        url = search_url(self.base_url, query, hits)
        body = self.asked(lambda: self._get_json(url))
        return hits_from_answer(body)

    def _get_json(self, url: str) -> Any:
        try:
            response = self.session.get(url, timeout=(connect_timeout(self.timeout), self.timeout))
        except (requests.Timeout, requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as err:
            raise transport_error("DBLP", err, self.timeout) from err
        status = response.status_code
        if status == 429 or status >= 500:
            retry_after = retry_after_seconds(response.headers)
            raise RetryableError(f"DBLP: HTTP {status}", status=status, retry_after=retry_after)
        if status != 200:
            raise FetchError(f"DBLP: HTTP {status}", status=status)
        if "html" in response.headers.get("Content-Type", "") or response.content.lstrip()[:1] == b"<":
            # A refusal, not an answer: a miss recorded from it would hide the work for a day.
            raise RetryableError("DBLP: a bot-check page (HTML) instead of JSON", status=status)
        try:
            body = response.json()
        except ValueError as err:  # truncated or malformed JSON
            raise RetryableError(f"DBLP: malformed answer ({err})", status=status) from err
        if not isinstance(body, dict) or not isinstance(body.get("result"), dict):
            raise RetryableError("DBLP: an answer without a result", status=status)
        return body


def hits_from_answer(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The records of a search answer (pure); an answer without hits has no `hit` key at all."""
    hits = (body.get("result", {}).get("hits") or {}).get("hit") or []
    if isinstance(hits, dict):
        hits = [hits]
    return [record for hit in hits if (record := record_from_hit(hit)) is not None]


def record_from_hit(hit: Any) -> dict[str, Any] | None:
    """The fields curabib keeps from one hit (pure), or None for a hit without a key or a title."""
    info = hit.get("info") if isinstance(hit, dict) else None
    if not isinstance(info, dict) or not info.get("key") or not info.get("title"):
        return None
    record: dict[str, Any] = {name: _text(info.get(name)) for name in _KEPT if info.get(name) is not None}
    record["title"] = clean_title(html.unescape(record["title"]))
    record["authors"] = authors(info.get("authors"))
    if record.get("year", "").isdigit():
        record["year"] = int(record["year"])
    if record.get("doi"):
        record["doi"] = record["doi"].lower()  # CoRR's come upper-case: "10.48550/ARXIV.2407.15516"
    return record


def authors(value: Any) -> list[str]:
    """Author names from `{"author": [...]}`: objects `{"@pid", "text"}`, plain strings (answers before
    2020), or one of either alone, without DBLP's homonym numbers."""
    found = value.get("author") if isinstance(value, dict) else None
    listed = found if isinstance(found, list) else [] if found is None else [found]
    names = [_text(a.get("text") if isinstance(a, dict) else a) for a in listed]
    return [_HOMONYM.sub("", html.unescape(name)).strip() for name in names if name]


def _text(value: Any) -> str:
    """A field's text: DBLP gives numbers as strings and some fields (`venue`, `ee`) as lists."""
    if isinstance(value, list):
        return _text(value[0]) if value else ""
    if isinstance(value, dict):
        return _text(value.get("text"))
    return "" if value is None else str(value)


def connect(connection: Connection) -> DblpClient:
    contact = f"; mailto:{connection.mailto}" if connection.mailto else ""
    return DblpClient(
        base_url=connection.url,
        user_agent=f"curabib/{__version__} (https://pypi.org/project/curabib/{contact})",
        timeout=connection.timeout,
        clock=connection.clock,
        hosts=connection.hosts or Hosts(),
    )
