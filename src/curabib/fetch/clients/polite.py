"""What every client shares, in one place: its host's state for the run (given up after repeated failed
connections, for every client of the run), its pacing, its retries, and the count of requests it sent.

A client subclasses `PoliteClient`, sets `spacing` (seconds between requests its API asks for) and its
`base_url`'s default, and sends each request through `asked`: paced, retried by the policy (Retry-After
honoured, backing off, giving up), counted. How it talks to its API (the arxiv and habanero packages,
requests) is its own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, TypeVar

from curabib.fetch.policy import Clock, Hosts, Pacer, RetryPolicy

T = TypeVar("T")


@dataclass
class PoliteClient:
    base_url: str
    user_agent: str = "curabib"
    timeout: float = 30.0
    clock: Clock = field(default_factory=Clock)
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    requests_made: int = 0  # every attempt sent, retries and failed connections included
    hosts: Hosts = field(default_factory=Hosts)
    spacing: ClassVar[float] = 1.0  # seconds between requests, until the server says otherwise

    def __post_init__(self) -> None:
        self.pacer = Pacer(self.spacing, self.clock)
        self.host = self.hosts.host(self.base_url)
        self._count = threading.Lock()  # a client that runs requests at once counts them all

    @property
    def concurrency(self) -> int:
        """How many requests may run at once: one, unless the API says more (Crossref)."""
        return 1

    def asked(self, send: Callable[[], T], counted: bool = True) -> T:
        """What `send` answers: it is paced, counted and retried as the policy says, and a host that never
        answers is given up for the run. `counted=False`: `send` counts what it sends itself (`sent`)."""

        def once() -> T:
            if counted:
                self.sent()
            return send()

        return self.policy.run(once, self.clock, self.pacer, self.host)

    def sent(self, requests: int = 1) -> None:
        with self._count:
            self.requests_made += requests
