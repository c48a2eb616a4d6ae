"""Politeness shared by the sources: pacing, rate limits read from headers, retries with backoff.

The clock and the sleep are injected so tests measure the spacing with a patched clock instead of waiting.
"""

from __future__ import annotations

import email.utils
import random
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from curabib.errors import FetchError, RetryableError

T = TypeVar("T")


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

    def run(self, call: Callable[[], T], clock: Clock, pacer: Pacer | None = None) -> T:
        waited = 0.0
        for attempt in range(self.attempts):
            if pacer is not None:
                pacer.wait()
            try:
                return call()
            except RetryableError as err:
                delay = self.delay(attempt, err.retry_after)
                if attempt + 1 == self.attempts or waited + delay > self.give_up_after:
                    raise FetchError(f"{err} (gave up after {attempt + 1} tries)", status=err.status) from err
                waited += delay
                if pacer is not None:
                    pacer.hold(delay)
                else:
                    clock.sleep(delay)
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
