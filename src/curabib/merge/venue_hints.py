"""The published version a list itself names, for works no fetched record publishes (most ML venues have no
Crossref DOI): a venue hint the curator wrote ("NeurIPS"), a proceedings link (proceedings.neurips.cc,
proceedings.mlr.press, jmlr.org, aclanthology.org), or the venue arXiv's journal reference or comment names
("Accepted at ICLR 2021"). Pure.

A claim names a known conference or journal and, when its evidence says so, the venue's year: a link's
year is the curator's too and dates the citation (BERT, listed as 2018, is NAACL 2019). A claim never
beats a fetched published record; one that contradicts it is reported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from curabib.data import venues
from curabib.ids import Identifier
from curabib.model import Diagnostic, Item, Published, Work

HINT, LINK, ARXIV = "curated hint", "proceedings link", "arxiv"
_PUBLISHED_TYPES = {"conference": "proceedings-article", "journal": "journal-article"}
_NEW_ANTHOLOGY = re.compile(r"(?P<year>(?:19|20)\d\d)\.(?P<code>findings-[a-z]+|[a-z]+)")
_OLD_ANTHOLOGY = re.compile(r"(?P<code>[A-Z])(?P<yy>\d\d)-\d{4}")
_NEURIPS = re.compile(r"(?P<year>(?:19|20)\d\d)/")
_PMLR = re.compile(r"v(?P<volume>\d+)/")  # also JMLR's: v21/20-074


@dataclass(frozen=True, slots=True)
class VenueClaim:
    venue: venues.Venue
    year: int | None  # the venue's year, when the evidence names it
    source: str  # HINT | LINK | ARXIV


def claims(items: Sequence[Item], fetched_venue: str | None, fetched_year: int | None) -> list[VenueClaim]:
    """The venues the evidence names, best first: proceedings links (they carry the year), the curated
    hints, then the venue a fetched preprint record names (`fetched_venue`, in its `fetched_year`)."""
    found = [claim for item in items for ident in item.ids if (claim := _from_link(ident)) is not None]
    for item in items:
        venue = venues.recognise(item.venue) or venues.find(item.venue)
        if venue is not None and venue.kind in _PUBLISHED_TYPES:
            found.append(VenueClaim(venue, None, HINT))
    venue = venues.find(fetched_venue)
    if venue is not None and venue.kind in _PUBLISHED_TYPES:
        found.append(VenueClaim(venue, fetched_year, ARXIV))
    return found


def published(claim: VenueClaim, year: int | None) -> Published:
    """The published version a claim describes: the venue's canonical name, its type, and the volume
    only when the claim itself dates it (a curated year may be the preprint's)."""
    return Published(
        doi=None,
        type=_PUBLISHED_TYPES[claim.venue.kind],
        container=claim.venue.long,
        volume=claim.venue.volume(claim.year) if claim.year else None,
        year=claim.year or year,
    )


def contradiction(key: str, work: Work, items: Sequence[Item]) -> Diagnostic | None:
    """A warning when a fetched published record names another venue or year than the list does."""
    record = work.published
    if record is None or dict(work.provenance).get("published") in (HINT, LINK, ARXIV):
        return None  # no published version, or the list's own claim rather than a fetched record
    listed = claims(items, None, None)
    if not listed:
        return None
    best = listed[0]
    fetched = venues.find(record.container)
    other_venue = fetched is not None and fetched != best.venue
    other_year = best.year is not None and record.year is not None and best.year != record.year
    if not (other_venue or other_year):
        return None
    said = best.venue.short + (f" {best.year}" if best.year else "")
    got = (fetched.short if fetched else record.container or "?") + (f" {record.year}" if record.year else "")
    return Diagnostic(
        "warning",
        "venue-hint-conflict",
        f"the list says {said} ({best.source}), the fetched published record says {got}: "
        "check the list's venue or the record",
        subject=key,
    )


def _from_link(ident: Identifier) -> VenueClaim | None:
    """The venue and year a proceedings link's identifier names."""
    if ident.derived:
        return None
    if ident.kind == "neurips" and (m := _NEURIPS.match(ident.value)):
        venue = venues.recognise("neurips")
        return VenueClaim(venue, int(m["year"]), LINK) if venue else None
    if ident.kind == "pmlr" and (m := _PMLR.match(ident.value)):
        known = venues.from_pmlr_volume(m["volume"])
        return VenueClaim(known[0], known[1], LINK) if known else None
    if ident.kind == "jmlr" and (m := _PMLR.match(ident.value)) and (jmlr := venues.recognise("jmlr")):
        return VenueClaim(jmlr, jmlr.year_of(m["volume"]), LINK)
    if ident.kind == "acl":
        if m := _NEW_ANTHOLOGY.match(ident.value):
            code, year = m["code"], int(m["year"])
        elif m := _OLD_ANTHOLOGY.match(ident.value):
            yy = int(m["yy"])
            code, year = m["code"], (2000 + yy if yy < 60 else 1900 + yy)
        else:
            return None
        venue = venues.from_anthology(code)
        return VenueClaim(venue, year, LINK) if venue and venue.kind in _PUBLISHED_TYPES else None
    return None
