"""Politeness shared by the sources: pacing, rate limits read from headers, retries with backoff, and
telling a host that cannot be reached from one that is busy.

A 429, a 5xx or a mangled body means the server is there and struggling: it is retried with a growing,
jittered backoff (Retry-After honoured). A connection that is refused, a name that does not resolve or a
host that stays silent until the timeout (`ConnectionFailure`) put no load on any server, so waiting
longer spares no one: it is tried again after a short pause, and after `UNREACHABLE_AFTER` such failures
in a row (one, for a host that has not answered yet once another was found unreachable: the network is
most likely down) the host is given up for the run (`UnreachableError`), and every later request to it
fails at once, without touching the network.

The clock and the sleep are injected so tests measure the spacing with a patched clock instead of waiting.
"""

from __future__ import annotations

import email.utils
import random
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urlsplit

from curabib.errors import ConnectionFailure, FetchError, RetryableError, UnreachableError

T = TypeVar("T")

UNREACHABLE_AFTER = 3  # connection failures in a row before a host is given up for the run
CONNECT_TIMEOUT = 5.0  # seconds to open a connection: a reachable API answers a SYN far sooner
RECONNECT_DELAY = 1.0  # seconds before trying a failed connection again (the pacer's spacing still holds)


@dataclass
class Clock:
    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


@dataclass
class Pacer:
    """At least `interval` seconds between the starts of two requests (arXiv: 3 s, one connection)."""

    interval: float
    clock: Clock = field(default_factory=Clock)
    _last: float | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self) -> None:
        with self._lock:
            now = self.clock.monotonic()
            if self._last is not None and now - self._last < self.interval:
                self.clock.sleep(self.interval - (now - self._last))
                now = self.clock.monotonic()
            self._last = now

    def hold(self, seconds: float) -> None:
        """Push the next request back (a Retry-After applies to everyone using this pacer)."""
        with self._lock:
            self._last = max(self._last or 0.0, self.clock.monotonic() + seconds - self.interval)


@dataclass
class Hosts:
    """The hosts one run talks to, shared by its clients: which were given up, and why."""

    down: dict[str, str] = field(default_factory=dict)  # host -> the reason it was given up
    _hosts: dict[str, Host] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def host(self, url: str) -> Host:
        name = urlsplit(url).netloc or url
        with self._lock:
            return self._hosts.setdefault(name, Host(name, self))


@dataclass
class Host:
    """One API host's reachability in this run: connection failures in a row, and whether it answered."""

    name: str
    hosts: Hosts
    failures: int = 0
    answered: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self) -> None:
        reason = self.hosts.down.get(self.name)
        if reason is not None:
            raise UnreachableError(self.name, reason)

    def succeeded(self) -> None:
        with self._lock:
            self.failures, self.answered = 0, True

    def failed(self, reason: str) -> bool:
        """Count a connection failure; True when the host is now given up."""
        with self._lock, self.hosts._lock:
            self.failures += 1
            network_down = bool(self.hosts.down) and not self.answered
            if self.failures >= (1 if network_down else UNREACHABLE_AFTER):
                self.hosts.down.setdefault(self.name, reason)
            return self.name in self.hosts.down


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base_delay: float = 2.0
    max_delay: float = 60.0
    give_up_after: float = 300.0  # seconds spent waiting on one request, all retries together
    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_delay)
        backoff = self.base_delay * 2**attempt
        return float(min(self.max_delay, backoff * self.rng.uniform(0.5, 1.5)))  # jitter: no thundering herd

    def run(
        self, call: Callable[[], T], clock: Clock, pacer: Pacer | None = None, host: Host | None = None
    ) -> T:
        waited = 0.0
        for attempt in range(self.attempts):
            if host is not None:
                host.check()  # a host given up is not asked again in this run
            if pacer is not None:
                pacer.wait()
            try:
                result = call()
            except RetryableError as err:
                # No answer at all (a refused connection, a silent host): counted towards giving the host
                # up, and tried again soon rather than after a growing backoff, since no server was busy.
                unanswered = isinstance(err, ConnectionFailure)
                if isinstance(err, ConnectionFailure) and host is not None and host.failed(err.reason):
                    raise UnreachableError(host.name, err.reason) from err
                delay = RECONNECT_DELAY if unanswered else self.delay(attempt, err.retry_after)
                if attempt + 1 == self.attempts or (not unanswered and waited + delay > self.give_up_after):
                    raise FetchError(f"{err} (gave up after {attempt + 1} tries)", status=err.status) from err
                waited += delay
                if pacer is not None:
                    pacer.hold(delay)
                else:
                    clock.sleep(delay)
                continue
            if host is not None:
                host.succeeded()
            return result
        raise AssertionError("unreachable")


def retry_after_seconds(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """`Retry-After: 120` or `Retry-After: <HTTP date>`."""
    value = _header(headers, "retry-after")
    if value is None:
        return None
    if re.fullmatch(r"\s*\d+(\.\d+)?\s*", value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


@dataclass(frozen=True)
class RateLimit:
    """What the server advertises: `X-Rate-Limit-Limit` requests per `X-Rate-Limit-Interval`."""

    limit: int
    interval: float
    concurrency: int | None = None

    @property
    def spacing(self) -> float:
        return self.interval / self.limit if self.limit else 0.0


def rate_limit(headers: Mapping[str, str]) -> RateLimit | None:
    limit = _header(headers, "x-rate-limit-limit")
    interval = _header(headers, "x-rate-limit-interval")
    if limit is None or interval is None:
        return None
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*", interval)
    if not (m and limit.strip().isdigit()):
        return None
    seconds = float(m.group(1)) * {"ms": 0.001, "s": 1.0, "m": 60.0, None: 1.0}[m.group(2)]
    concurrency = _header(headers, "x-concurrency-limit")
    return RateLimit(
        int(limit), seconds, int(concurrency) if concurrency and concurrency.strip().isdigit() else None
    )


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return str(value)
    return None


def exception_chain(err: BaseException) -> Iterator[BaseException]:
    """`err` and every exception it wraps (cause, context, a `reason`, exceptions in its args), each once:
    HTTP libraries bury the OS error a few layers down."""
    seen: set[int] = set()
    stack: list[BaseException] = [err]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        reason = getattr(current, "reason", None)
        nested = [current.__cause__, current.__context__, reason, *current.args]
        stack.extend(e for e in nested if isinstance(e, BaseException))


def connection_reason(
    err: BaseException, timeout: float | None = None, default: str = "no connection"
) -> str:
    """Why a connection failed, in a few plain words, from the OS error somewhere in the chain of
    exceptions the HTTP library wrapped it in (its own text names internal pools and objects)."""
    for current in exception_chain(err):
        if isinstance(current, socket.gaierror):
            return "the name does not resolve (DNS failure)"
        if isinstance(current, ConnectionRefusedError):
            return "connection refused"
        if isinstance(current, (TimeoutError, socket.timeout)) or "timeout" in type(current).__name__.lower():
            return f"no answer within {timeout:g} s" if timeout else "no answer (timed out)"
        if isinstance(current, OSError) and current.strerror:
            return current.strerror[:1].lower() + current.strerror[1:]
    return default
