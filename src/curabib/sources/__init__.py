"""The metadata sources, in one ordered registry.

Each source module declares a `Source` (`protocol.py`): names, the requests it would send, how answers
become `Record`s, the fields it supplies to the merge and their rank. The declarations are pure; each
source's client (`fetch/clients/`: the `arxiv` and `habanero` packages, `requests` for DBLP) is imported
only when `refresh` or `add` connects it, so `build` and `check` never load an HTTP library.

The order is the order `refresh` asks them in and `build` resolves their records in: a later source may
use what an earlier one answered (Crossref looks up the journal DOIs that arXiv names; DBLP searches only
for works that Crossref gave no published version).
"""

from __future__ import annotations

from curabib.sources import arxiv, crossref, dblp
from curabib.sources.protocol import Source

REGISTRY: list[Source] = [arxiv.SOURCE, crossref.SOURCE, dblp.SOURCE]


def registered() -> tuple[Source, ...]:
    return tuple(REGISTRY)


def names() -> list[str]:
    return [source.name for source in REGISTRY]


def by_name(name: str) -> Source:
    for source in REGISTRY:
        if source.name == name:
            return source
    raise KeyError(name)
