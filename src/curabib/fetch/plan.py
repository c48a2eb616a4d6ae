"""What `refresh` would ask: a pure function of the selected items, the store and the options.

No I/O and no HTTP library: `refresh --dry-run` prints exactly this list, and the executor runs it one
source at a time, planning again after each source so that a later one sees what an earlier one answered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from curabib.model import Item, Record
from curabib.sources import registered
from curabib.sources.protocol import RefreshOptions, Request


def plan(
    items: Sequence[Item], records: Mapping[str, Record], options: RefreshOptions, now: datetime
) -> list[Request]:
    """The requests the selected sources would send now, in registry order, each deduplicated."""
    return [
        request
        for source in registered()
        if options.asks(source)
        for request in source.plan(items, records, options, now)
    ]
