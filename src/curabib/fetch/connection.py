"""The I/O half of a source: a `Client` sends one source's requests (pacing and retrying itself) and is
made from a `Connection` (`fetch/connect.py`); the source's pure declaration names its client's module
(`Source.client`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from curabib.fetch.policy import Clock, Hosts
from curabib.sources.protocol import Answer, Request


@dataclass(frozen=True)
class Connection:
    """What a client needs to reach its API politely."""

    url: str
    mailto: str | None
    timeout: float
    clock: Clock
    hosts: Hosts | None = None  # shared by one run's clients: a host given up is given up for all


class Client(Protocol):
    """The I/O half of a source: sends one request (pacing and retrying itself), returns the answer."""

    requests_made: int

    @property
    def concurrency(self) -> int:
        """How many requests may run at once, as the server last said (1 until it says)."""
        ...

    def fetch(self, request: Request) -> Answer:
        """The answer, or `FetchError` after the retries (`BadBatchError` when one id spoils a batch)."""
        ...
