"""The Crossref client, through `habanero`: DOIs batched as `filter=doi:a,doi:b`, fields trimmed with
`select`, bibliographic searches, pacing from the advertised `X-Rate-Limit-*` headers.

Everything goes through habanero's public API: `Crossref(base_url, mailto, ua_string, timeout)` (the
polite pool's contact, a timeout so that a dead host is known in seconds), `works(...)`, and what it raises
(`RequestError.status_code`, the `httpx2.HTTPStatusError` it raises or chains, whose public `response`
carries Retry-After). One thing it has no public way to give: the headers of a successful answer, whose
`X-Rate-Limit-*` and `X-Concurrency-Limit` pace us. `works` returns only the decoded JSON, and it sends with
the module-level `httpx2.get` (habanero/request_class.py `Request._req`; habanero/request.py for ids),
which takes no hooks and no client of ours. So those headers are still read through a wrapper around that
one function in habanero's two request modules (`_install_observer`), the one use of its internals left.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import habanero
import habanero.request_class
import httpx2

from curabib import __version__
from curabib.errors import ConnectionFailure, FetchError, RetryableError
from curabib.fetch.clients.polite import PoliteClient
from curabib.fetch.connection import Connection
from curabib.fetch.policy import (
    CONNECT_TIMEOUT,
    Hosts,
    RateLimit,
    connection_reason,
    rate_limit,
    retry_after_seconds,
)
from curabib.sources.crossref import DEFAULT_URL
from curabib.sources.protocol import Answer, Request

MAX_CONCURRENCY = 3  # Crossref's polite pool allows 3 requests at a time; never more, whatever is advertised
SELECT = [
    "DOI",
    "title",
    "subtitle",
    "author",
    "issued",
    "published",
    "type",
    "container-title",
    "short-container-title",
    "page",
    "volume",
    "issue",
    "publisher",
    "event",
    "relation",
]
# Until the server says otherwise: the public pool's list limit (1 request/s, one at a time).
DEFAULT_LIMIT = RateLimit(limit=1, interval=1.0, concurrency=1)


@dataclass
class CrossrefClient(PoliteClient):
    base_url: str = DEFAULT_URL
    mailto: str | None = None
    limit: RateLimit = DEFAULT_LIMIT
    spacing: ClassVar[float] = DEFAULT_LIMIT.spacing  # until the answers' X-Rate-Limit-* say otherwise

    def __post_init__(self) -> None:
        super().__post_init__()
        self.pacer.interval = self.limit.spacing
        self.client = habanero.Crossref(
            base_url=self.base_url.rstrip("/"),
            mailto=self.mailto,
            ua_string=self.user_agent,
            # A dead host is known after the connect timeout, a slow answer still gets the whole timeout.
            timeout=httpx2.Timeout(self.timeout, connect=min(CONNECT_TIMEOUT, self.timeout)),
        )
        self._lock = threading.Lock()
        _install_observer()

    @property
    def concurrency(self) -> int:
        return max(1, min(MAX_CONCURRENCY, self.limit.concurrency or 1))

    def fetch(self, request: Request) -> Answer:
        if request.search:
            return self.search(request.query)
        return self.fetch_dois(request.values)

    def fetch_dois(self, dois: Sequence[str]) -> dict[str, dict[str, Any] | None]:
        """Records for up to 20 DOIs in one list request; None for a DOI Crossref does not have."""
        wanted = [d.lower() for d in dois]

        def call() -> Any:
            return self.client.works(filter={"doi": wanted}, limit=len(wanted), select=SELECT)

        message = self._message(call)
        found = {}
        for item in message.get("items", []):
            record = record_from_message(item)
            found[record["doi"]] = record
        return {d: found.get(d) for d in wanted}

    def search(self, bibliographic: str, rows: int = 3) -> list[dict[str, Any]]:
        """Candidates for a title (and author names): Crossref advises `query.bibliographic` alone."""

        def call() -> Any:
            return self.client.works(query_bibliographic=bibliographic, limit=rows, select=SELECT)

        return [record_from_message(item) for item in self._message(call).get("items", [])]

    def _message(self, call: Any) -> dict[str, Any]:
        body = self.asked(lambda: self._once(call))
        message = body.get("message") if isinstance(body, dict) else None
        if not isinstance(message, dict):
            raise FetchError("Crossref: an answer without a message")
        return message

    def _once(self, call: Any) -> Any:
        seen: list[httpx2.Response] = []
        _observer.responses = seen
        try:
            return call()
        except habanero.RequestError as err:
            status = int(err.status_code)
            if status < 400:  # a 200 whose body is not JSON: a mangled answer, worth another try
                raise RetryableError(f"Crossref: malformed answer ({err})") from err
            cause = err.__cause__ or err.__context__
            response = cause.response if isinstance(cause, httpx2.HTTPStatusError) else None
            raise _status_error(status, response) from err
        except httpx2.HTTPStatusError as err:
            raise _status_error(err.response.status_code, err.response) from err
        except (RuntimeError, httpx2.HTTPError) as err:
            raise _transport_error(err, self.timeout) from err
        except ValueError as err:  # truncated or malformed JSON
            raise RetryableError(f"Crossref: malformed answer ({err})") from err
        finally:
            _observer.responses = None
            for response in seen:
                self._adapt(response)

    def _adapt(self, response: httpx2.Response) -> None:
        with self._lock:
            advertised = rate_limit(response.headers)
            if advertised is not None and advertised != self.limit:
                self.limit = advertised
                self.pacer.interval = advertised.spacing


class _Observer(threading.local):
    """Where the current thread's habanero responses go, while one of our requests runs."""

    responses: list[httpx2.Response] | None = None


_observer = _Observer()


def _observed_get(*args: Any, **kwargs: Any) -> httpx2.Response:
    response = httpx2.get(*args, **kwargs)
    if _observer.responses is not None:
        _observer.responses.append(response)
    return response


def _install_observer() -> None:
    """habanero calls `httpx2.get` from two modules and returns only the JSON: give those modules an
    httpx2 whose `get` also hands the response (its rate-limit headers, which habanero has no public way
    to show) to the calling thread. `habanero.request` is also the name of a function the package
    exports: use sys.modules."""
    for name in ("habanero.request", "habanero.request_class"):
        module = sys.modules[name]
        if not isinstance(getattr(module, "httpx2", None), _HttpxWith):
            module.httpx2 = _HttpxWith(_observed_get)  # type: ignore[attr-defined]


class _HttpxWith:
    """The httpx2 module as habanero sees it, with `get` observed."""

    def __init__(self, get: Any) -> None:
        self.get = get

    def __getattr__(self, name: str) -> Any:
        return getattr(httpx2, name)


def _transport_error(err: Exception, timeout: float) -> RetryableError:
    """habanero wraps httpx2's errors in a RuntimeError: a connection that never answered counts towards
    giving the host up, one the server broke off (a reset) is retried like a 5xx."""
    cause = err if isinstance(err, httpx2.HTTPError) else err.__cause__
    if isinstance(cause, (httpx2.ConnectError, httpx2.ConnectTimeout)):
        reason = connection_reason(cause, min(CONNECT_TIMEOUT, timeout))
        return ConnectionFailure(f"Crossref: {reason}", reason)
    if isinstance(cause, httpx2.TimeoutException):
        reason = f"no answer within {timeout:g} s"
        return ConnectionFailure(f"Crossref: {reason}", reason)
    if cause is not None:
        return RetryableError(
            f"Crossref: {type(cause).__name__}: {connection_reason(cause, default='the answer broke off')}"
        )
    return RetryableError(f"Crossref: {err}")


def _status_error(status: int, response: httpx2.Response | None) -> FetchError:
    retry_after = retry_after_seconds(response.headers) if response is not None else None
    if status == 429 or status >= 500:
        return RetryableError(f"Crossref: HTTP {status}", status=status, retry_after=retry_after)
    return FetchError(f"Crossref: HTTP {status}", status=status)


def record_from_message(item: dict[str, Any]) -> dict[str, Any]:
    """The fields curabib keeps from one Crossref work (pure)."""
    issued = (item.get("issued") or item.get("published") or {}).get("date-parts") or [[None]]
    title = " ".join(item.get("title") or [])
    subtitle = " ".join(item.get("subtitle") or [])
    if subtitle and subtitle.lower() not in title.lower():
        title = f"{title}: {subtitle}"
    return {
        "doi": str(item.get("DOI", "")).lower(),
        "title": title or None,
        "authors": [_person(a) for a in item.get("author", [])],
        "type": item.get("type"),
        "container_title": _first(item.get("container-title")),
        "short_container_title": _first(item.get("short-container-title")),
        "event": (item.get("event") or {}).get("name"),
        "year": issued[0][0] if issued and issued[0] else None,
        "page": item.get("page"),
        "volume": item.get("volume"),
        "issue": item.get("issue"),
        "publisher": item.get("publisher"),
    }


def _person(author: dict[str, Any]) -> dict[str, str]:
    if "family" in author:
        person = {"family": author["family"]}
        if author.get("given"):
            person["given"] = author["given"]
        return person
    return {"literal": str(author.get("name", ""))}


def _first(values: Any) -> str | None:
    return str(values[0]) if isinstance(values, list) and values else None


def connect(connection: Connection) -> CrossrefClient:
    return CrossrefClient(
        base_url=connection.url,
        mailto=connection.mailto,
        user_agent=f"curabib/{__version__}",
        timeout=connection.timeout,
        clock=connection.clock,
        hosts=connection.hosts or Hosts(),
    )
