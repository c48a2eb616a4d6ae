"""Connecting the sources' clients for a project: its endpoints, the user's contact, one clock.

`CLOCK` and `TIMEOUT` are read when clients are made, so tests patch them here instead of waiting.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from curabib.fetch.connection import Client, Connection
from curabib.fetch.policy import Clock, Hosts
from curabib.sources import registered
from curabib.sources.protocol import RefreshOptions

CLOCK = Clock()  # the one clock refresh paces and backs off with
TIMEOUT = 30.0  # seconds for one HTTP request


def connect(
    mailto: str | None, options: RefreshOptions, only: Iterable[str] | None = None
) -> dict[str, Client]:
    """A client for every source the options ask, at the endpoints they name, telling the APIs the
    user's contact (`mailto`): the one place their modules (and so their HTTP libraries) are imported."""
    wanted = set(only) if only is not None else None
    hosts = Hosts()  # one run: a host found unreachable by one client is not asked by another
    connected = {}
    for source in registered():
        if options.asks(source) and (wanted is None or source.name in wanted):
            module = importlib.import_module(source.client)
            connection = Connection(options.endpoint(source), mailto, TIMEOUT, CLOCK, hosts)
            connected[source.name] = module.connect(connection)
    return connected
