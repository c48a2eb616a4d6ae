"""The metadata sources, in one ordered registry.

Each source module declares a `Source` (`protocol.py`): names, stores, the identifier kinds it looks up,
its settings key, environment variable and default URL, the requests it would send, how answers become
`Record`s, the fields it supplies to the merge and their rank. Nothing else names a source: a new one is
its module (and its client's) plus one line here, or `register` from a plugin. The declarations are pure; each
source's client (`fetch/clients/`: the `arxiv` and `habanero` packages, `requests` for DBLP) is imported
only when `refresh` or `add` connects it, so `build` and `check` never load an HTTP library.

The order is the order `refresh` asks them in and `build` resolves their records in: a later source may
use what an earlier one answered (Crossref looks up the journal DOIs that arXiv names; DBLP searches only
for works that Crossref gave no published version).
"""

from __future__ import annotations

from curabib.sources import arxiv, crossref, dblp, github
from curabib.sources.protocol import Source

REGISTRY: list[Source] = [arxiv.SOURCE, crossref.SOURCE, dblp.SOURCE, github.SOURCE]


def register(source: Source) -> None:
    """Add a source after ours (a plugin's, a test's): `refresh` asks it last. Its name must be new."""
    if source.name in names():
        raise ValueError(f"a source named {source.name!r} is registered already")
    REGISTRY.append(source)


def unregister(name: str) -> None:
    """Remove a source `register` added (a test's, when it is done)."""
    REGISTRY.remove(by_name(name))


def registered() -> tuple[Source, ...]:
    return tuple(REGISTRY)


def names() -> list[str]:
    return [source.name for source in REGISTRY]


def by_name(name: str) -> Source:
    for source in REGISTRY:
        if source.name == name:
            return source
    raise KeyError(name)
