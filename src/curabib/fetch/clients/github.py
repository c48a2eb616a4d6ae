"""The GitHub client, through `requests`: the REST API on one connection, one request at a time.

Per repository: `GET /repos/{owner}/{repo}`, then `GET .../contents/CITATION.cff` and, without a usable
one, `GET .../readme` (both `Accept: application/vnd.github.raw`: the file's bytes). A 404 is a miss.
A stored record's ETags go out as `If-None-Match`: a 304 for the repository means nothing was pushed, so
its files are not asked at all. `GITHUB_TOKEN`, when set, is sent as `Authorization: Bearer`.

GitHub's limits are honoured, not fought: `X-RateLimit-Remaining` and `X-RateLimit-Reset` are read from
every answer; once the budget is spent (60 requests an hour without a token, 5,000 with one) no request
is sent, the host is given up for the run with one line that says when the budget resets, and what was
fetched is kept. A secondary limit (403/429 with `Retry-After`, or GitHub's "secondary rate limit"
message) is waited out through the shared retry policy.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import requests
import yaml

from curabib import __version__
from curabib.errors import BudgetSpent, FetchError, RetryableError
from curabib.fetch.clients.http import connect_timeout, one_connection_session, transport_error
from curabib.fetch.clients.polite import PoliteClient
from curabib.fetch.connection import Connection
from curabib.fetch.policy import Hosts, RetryPolicy, retry_after_seconds
from curabib.sources.github import (
    CITATION_FILE,
    DEFAULT_URL,
    README,
    REPOSITORY_FIELDS,
    SPACING,
    UNCHANGED,
    file_url,
    repository_url,
)
from curabib.sources.github_cff import usable_cff
from curabib.sources.protocol import Answer, Request

JSON = "application/vnd.github+json"
RAW = "application/vnd.github.raw"
API_VERSION = "2022-11-28"
SECONDARY_WAIT = 60.0  # seconds: GitHub's advice for a secondary limit that names no Retry-After
Reply = tuple[int, Mapping[str, str], bytes]


@dataclass
class GithubClient(PoliteClient):
    base_url: str = DEFAULT_URL
    token: str | None = None
    # A Retry-After of a few minutes is waited out, not cut short at the usual minute.
    policy: RetryPolicy = field(default_factory=lambda: RetryPolicy(max_delay=300.0, give_up_after=600.0))
    wall: Callable[[], float] = time.time  # the rate limit's reset is a wall-clock time
    limit: int | None = None  # what the last answer said: requests per hour, left, and when it resets
    remaining: int | None = None
    reset: float | None = None

    spacing: ClassVar[float] = SPACING

    def __post_init__(self) -> None:
        super().__post_init__()
        self.session = one_connection_session(self.user_agent)
        self.session.headers["X-GitHub-Api-Version"] = API_VERSION
        if self.token:
            self.session.headers["Authorization"] = f"Bearer {self.token}"

    # One request at a time (the base's concurrency): GitHub asks integrators to send requests serially.

    def fetch(self, request: Request) -> Answer:
        value = request.values[0]
        return {value: self.repository(value, getattr(request, "previous", None) or {})}

    def repository(self, value: str, previous: Mapping[str, Any]) -> dict[str, Any] | None:
        """What GitHub says of one repository and its citation files (None: no such repository)."""
        etags = dict(previous.get("etags") or {})
        status, headers, body = self._get(repository_url(self.base_url, value), JSON, etags.get("repository"))
        if status == 404:
            return None
        if status == 304:
            return {"repository": UNCHANGED}  # nothing pushed since: the files are not asked either
        repo = repository_fields(_json(body))
        full_name = str(repo.get("full_name") or value)
        answer: dict[str, Any] = {"repository": repo, "etags": {"repository": _etag(headers)}, "problems": []}
        cff = self._file(full_name, CITATION_FILE, previous, etags, answer)
        if cff == UNCHANGED:
            cff = previous.get("citation_cff")
        if not usable_cff(cff):
            self._file(full_name, README, previous, etags, answer)
        answer["etags"] = {k: v for k, v in answer["etags"].items() if v}
        return answer

    def _file(
        self,
        full_name: str,
        file: str,
        previous: Mapping[str, Any],
        etags: Mapping[str, str],
        answer: dict[str, Any],
    ) -> Any:
        """Ask for one file and put what it says in `answer`; a 304 only when its part is stored."""
        stored = "citation_cff" if file == CITATION_FILE else "readme_bibtex"
        etag = etags.get(file) if stored in previous else None
        status, headers, body = self._get(file_url(self.base_url, full_name, file), RAW, etag)
        key = "citation_cff" if file == CITATION_FILE else "readme"
        if status == 404:
            return None
        answer["etags"][file] = _etag(headers)
        if status == 304:
            answer[key] = UNCHANGED
        elif file == CITATION_FILE:
            answer[key] = citation_data(body, answer["problems"])
        else:
            answer[key] = body.decode("utf-8", errors="replace")
        return answer.get(key)

    def _get(self, url: str, accept: str, etag: str | None) -> Reply:
        headers = {"Accept": accept, **({"If-None-Match": etag} if etag else {})}
        return self.asked(lambda: self._attempt(url, headers), counted=False)

    def _attempt(self, url: str, headers: Mapping[str, str]) -> Reply:
        self._within_budget()  # before it is counted: a request the budget forbids is never sent
        self.sent()
        try:
            response = self.session.get(
                url, headers=dict(headers), timeout=(connect_timeout(self.timeout), self.timeout)
            )
        except (requests.Timeout, requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as err:
            raise transport_error("GitHub", err, self.timeout) from err
        self.sent(len(response.history))  # a rename's redirect, followed: one more request
        self._read_limits(response.headers)
        status = response.status_code
        if status in (200, 304, 404):
            return status, response.headers, response.content
        message = _message(response.content)
        if status in (403, 429):
            if self.remaining == 0:
                self._spent()
            retry_after = retry_after_seconds(response.headers)
            if retry_after is not None or status == 429 or "secondary rate limit" in message.lower():
                raise RetryableError(
                    f"GitHub: HTTP {status}, a secondary rate limit ({message})",
                    status=status,
                    retry_after=SECONDARY_WAIT if retry_after is None else retry_after,
                )
        if status >= 500:
            raise RetryableError(f"GitHub: HTTP {status}", status=status)
        hint = " (is GITHUB_TOKEN valid?)" if status == 401 else ""
        raise FetchError(f"GitHub: HTTP {status}: {message}{hint}", status=status)

    # -- the rate limit -----------------------------------------------------------------------------
    def _read_limits(self, headers: Mapping[str, str]) -> None:
        for name, attribute in (("X-RateLimit-Limit", "limit"), ("X-RateLimit-Remaining", "remaining")):
            value = headers.get(name)
            if value is not None and value.strip().isdigit():
                setattr(self, attribute, int(value))
        reset = headers.get("X-RateLimit-Reset")
        if reset is not None and reset.strip().isdigit():
            self.reset = float(reset)

    def _within_budget(self) -> None:
        if self.remaining == 0 and (self.reset is None or self.reset > self.wall()):
            self._spent()
        if self.remaining == 0:
            self.remaining = None  # the reset time has passed: the next answer tells the new budget

    def _spent(self) -> None:
        """Give GitHub up for this run, saying why and when to run again."""
        reason = spent_message(self.limit, self.reset, self.wall(), bool(self.token))
        self.hosts.down.setdefault(self.host.name, reason)
        raise BudgetSpent(self.host.name, reason)


def spent_message(limit: int | None, reset: float | None, now: float, token: bool) -> str:
    """One line: the budget is spent, what it is, and when to run again."""
    per_hour = f"{limit} requests an hour" if limit else "its requests"
    advice = "" if token else "; set GITHUB_TOKEN for 5,000 an hour"
    if reset is None or reset <= now:
        when = "run again in an hour"
    else:
        at = dt.datetime.fromtimestamp(reset, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        minutes = max(1, round((reset - now) / 60))
        when = f"it resets at {at} (in {minutes} min), run again then"
    return f"GitHub's rate limit is spent ({per_hour}{advice}): {when}"


def repository_fields(body: Any) -> dict[str, Any]:
    """The fields kept of `GET /repos/{owner}/{repo}`: owner and its type, licence, and the rest."""
    if not isinstance(body, dict):
        raise RetryableError("GitHub: an answer that is not a repository")
    repo = {name: body[name] for name in REPOSITORY_FIELDS if body.get(name) not in (None, "")}
    owner: dict[str, Any] = body["owner"] if isinstance(body.get("owner"), dict) else {}
    repo["owner"] = {k: owner[k] for k in ("login", "type") if owner.get(k)}
    licence: dict[str, Any] = body["license"] if isinstance(body.get("license"), dict) else {}
    spdx = licence.get("spdx_id")
    if spdx and spdx != "NOASSERTION":
        repo["license"] = spdx
    elif licence.get("name"):
        repo["license"] = licence["name"]
    return repo


def citation_data(body: bytes, problems: list[str]) -> Any:
    """A CITATION.cff read as YAML into plain JSON data (dates as ISO text); None, with the problem said,
    when it is not YAML or not a mapping."""
    try:
        data = yaml.safe_load(body.decode("utf-8", errors="replace"))
    except yaml.YAMLError as err:
        problems.append(f"{CITATION_FILE} is not valid YAML ({' '.join(str(err).split())[:200]}): not used")
        return None
    if not isinstance(data, dict):
        problems.append(f"{CITATION_FILE} is not a YAML mapping: not used")
        return None
    return _plain(data)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError as err:
        raise RetryableError(f"GitHub: malformed answer ({err})") from err


def _message(body: bytes) -> str:
    try:
        data = _json(body)
    except RetryableError:
        return body[:200].decode("utf-8", errors="replace")
    return str(data.get("message", "")) if isinstance(data, dict) else ""


def _etag(headers: Mapping[str, str]) -> str | None:
    return headers.get("ETag")


def connect(connection: Connection) -> GithubClient:
    contact = f"; mailto:{connection.mailto}" if connection.mailto else ""
    return GithubClient(
        base_url=connection.url,
        user_agent=f"curabib/{__version__} (https://pypi.org/project/curabib/{contact})",
        token=os.environ.get("GITHUB_TOKEN") or None,
        timeout=connection.timeout,
        clock=connection.clock,
        hosts=connection.hosts or Hosts(),
    )
