"""What the list itself says of where and when a work was published, as statements (`Evidence`): a venue
hint the curator wrote ("NeurIPS", "2022-iclr"), a proceedings link (proceedings.neurips.cc,
proceedings.mlr.press, jmlr.org, aclanthology.org), the list's year, and the facts a curator pinned. Pure.

A hint is dated by the item that carries it: the year in its own text ("ICLR 2022", "NeurIPS'20"), else
the item's year; a link by its URL (the year or volume in the path). `merge/evidence.py` weighs them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from curabib.data import venues
from curabib.ids import KINDS, Identifier
from curabib.model import Evidence, Item, Published

PINNED = "pinned"
LINK = "proceedings link"
DATED_HINT = "dated hint"
UNDATED_HINT = "undated hint"
LIST_YEAR = "list year"
_PUBLISHED_TYPES = {"conference": "proceedings-article", "journal": "journal-article"}


def statements(items: Sequence[Item]) -> list[Evidence]:
    """Everything the items say of the work's venue and year: proceedings links first (they carry the
    year), then pinned facts, venue hints and the list's years, items in the order given."""
    links = [claim for item in items for ident in item.ids if (claim := _from_link(ident, item))]
    return links + [said for item in items for said in _said_by(item)]


def _said_by(item: Item) -> Iterator[Evidence]:
    if "year" in item.pinned:
        yield Evidence(PINNED, item.year, item=item)
    venue = venues.recognise(item.venue) or venues.find(item.venue)
    if "venue" in item.pinned and item.venue:
        yield Evidence(PINNED, None, venue.short if venue else item.venue, item=item)
    if venue is not None and venue.kind in _PUBLISHED_TYPES:
        year = venues.year_in_hint(item.venue) or item.year
        yield Evidence(DATED_HINT if year else UNDATED_HINT, year, venue.short, item=item)
    if item.year is not None:
        yield Evidence(LIST_YEAR, item.year, item=item)


def is_published_venue(name: str | None) -> bool:
    """Whether a venue's short name names a known conference or journal."""
    known = venues.recognise(name)
    return known is not None and known.kind in _PUBLISHED_TYPES


def published(venue_name: str, year: int | None) -> Published:
    """The published version a list's claim describes: the venue's canonical name, its type, and the
    volume of the claim's year."""
    venue = venues.recognise(venue_name)
    assert venue is not None and venue.kind in _PUBLISHED_TYPES, venue_name
    return Published(
        doi=None,
        type=_PUBLISHED_TYPES[venue.kind],
        container=venue.long,
        volume=venue.volume(year) if year else None,
        year=year,
    )


def _from_link(ident: Identifier, item: Item) -> Evidence | None:
    """The venue and year a proceedings link's identifier names."""
    if ident.derived:
        return None
    found = _venue_of_link(ident)
    if found is None:
        return None
    venue, year = found
    return Evidence(LINK, year, venue.short, item=item, record=f"{ident.kind}:{ident.value}")


def _venue_of_link(ident: Identifier) -> tuple[venues.Venue, int | None] | None:
    reader = KINDS[ident.kind].venue if ident.kind in KINDS else None
    named = reader(ident) if reader is not None else None
    venue = venues.recognise(named[0]) if named else None
    return (venue, named[1]) if named and venue and venue.kind in _PUBLISHED_TYPES else None
