"""When and where a work was published, weighed from every statement made about it. Pure.

A statement (`Evidence`) is made by a curated item (its year, a venue hint, a proceedings link, a pinned
fact), by an identifier (an arXiv id names the month of its first version) or by a fetched record. For
the published version (its venue, year and type) they are weighed in one written-down order, best first:

    pinned > published record (DBLP, Crossref) > proceedings link > arXiv's journal reference
           > dated hint > undated hint

and the published version's year is the year of the statement that names the venue, never another
item's. A work no statement publishes is a preprint, dated by

    pinned > its preprint record (arXiv's first version, a posted DOI) > its arXiv id > the list's year

where the arXiv id only bounds: a list's year before it is overruled, except the December before a January
id that may be a December paper's. `disagreements` says which statements the result overrules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from curabib.data import venues
from curabib.ids.arxiv import dated
from curabib.merge import venue_hints
from curabib.model import Evidence, Item, Published

PINNED = "pinned"
RECORD = "published record"
PREPRINT = "preprint record"
LINK = venue_hints.LINK
JOURNAL_REF = "journal reference"  # the venue a preprint record names (arXiv's journal_ref or comment)
DATED_HINT, UNDATED_HINT = venue_hints.DATED_HINT, venue_hints.UNDATED_HINT
ARXIV_ID = "arxiv id"
LIST_YEAR = venue_hints.LIST_YEAR
# Best first: the order the README's table states. A kind's place is its rank.
PUBLISHED_ORDER = (PINNED, RECORD, LINK, JOURNAL_REF, DATED_HINT, UNDATED_HINT)
PREPRINT_ORDER = (PINNED, PREPRINT, ARXIV_ID, LIST_YEAR)
CLAIMS = frozenset(PUBLISHED_ORDER)
# A published version met more than a year before the paper's first version is implausible: a preprint
# may follow its conference (a camera-ready posted later), not by a whole venue cycle.
CYCLE_MONTHS = 12


@dataclass(frozen=True, slots=True)
class Dating:
    """The year and published version a work is exported with, and the statements they rest on."""

    year: int | None
    year_from: Evidence | None
    published: Published | None
    published_from: Evidence | None
    statements: tuple[Evidence, ...]


def weigh(
    items: Sequence[Item],
    fetched: Sequence[tuple[Evidence, Published]],
    preprint: Evidence | None,
    journal_ref: Evidence | None,
    list_claims: bool,
    refused: frozenset[str] = frozenset(),
) -> Dating:
    """The work's year and published version. `fetched`: the published records found for it, best
    source first; `preprint`: its preprint record (arXiv's first version, a posted DOI); `journal_ref`:
    the venue its preprint record names; `list_claims`: whether what the list says may publish it (a
    paper, unless `prefer: preprint`); `refused`: identifiers `refresh` found to be another work's
    ("arxiv:1312.2021"), which say nothing of this one."""
    statements = [
        *(record for record, _ in fetched),
        *venue_hints.statements(items),
        *([journal_ref] if journal_ref is not None else []),
        *([preprint] if preprint is not None else []),
        *_arxiv_ids(items),
    ]
    if refused:
        statements = [s for s in statements if s.record is None or s.record.lower() not in refused]
    pinned_year = next((s for s in statements if s.kind == PINNED and s.venue is None), None)
    records = {id(record): published for record, published in fetched}
    claims = [s for s in statements if s.kind == RECORD or (list_claims and s.kind in CLAIMS and s.venue)]
    published, published_from = _published(claims, statements, records, pinned_year)
    if published is not None and published_from is not None:
        year_from = pinned_year or _dating(statements, published_from)
        year = year_from.year if year_from is not None else None
    else:
        year_from = pinned_year or _preprint_year(statements)
        year = year_from.year if year_from is not None else None
    return Dating(year, year_from, published, published_from, tuple(statements))


def _published(
    claims: Sequence[Evidence],
    statements: Sequence[Evidence],
    records: dict[int, Published],
    pinned_year: Evidence | None,
) -> tuple[Published | None, Evidence | None]:
    if not claims:
        return None, None
    best = best_claim(claims)
    if best.kind == PINNED and not venue_hints.is_published_venue(best.venue):
        return None, None  # the curator pinned a preprint server, or a venue we cannot type: as written
    year = pinned_year.year if pinned_year is not None else (_dating(statements, best) or best).year
    record = records.get(id(best))
    if record is not None:
        return (record if year == record.year else replace(record, year=year)), best
    if not venue_hints.is_published_venue(best.venue):
        return None, None  # a journal reference naming a venue we cannot type: no published version
    return venue_hints.published(str(best.venue), year), best


def best_claim(claims: Sequence[Evidence]) -> Evidence:
    """The claim that names the published venue: the best kind; among dated hints of one venue that
    disagree, the later year (a list that dates a venue by its preprint's year errs early)."""
    rank = min(PUBLISHED_ORDER.index(c.kind) for c in claims)
    top = [c for c in claims if PUBLISHED_ORDER.index(c.kind) == rank]
    first = top[0]
    same = [c for c in top if c.venue == first.venue and c.year is not None]
    if first.kind == DATED_HINT and same:
        return max(same, key=lambda c: c.year or 0)  # max keeps the first of equal years
    return first


def _dating(statements: Sequence[Evidence], claim: Evidence) -> Evidence | None:
    """The statement that dates a claim's venue: the claim itself, else the best dated claim naming the
    same venue."""
    if claim.year is not None:
        return claim
    same = [s for s in statements if s.kind in CLAIMS and s.venue == claim.venue and s.year is not None]
    return best_claim(same) if same else None


def _preprint_year(statements: Sequence[Evidence]) -> Evidence | None:
    """The year of a work cited as a preprint (or a work that is not a paper)."""
    record = next((s for s in statements if s.kind == PREPRINT and s.year is not None), None)
    if record is not None:
        return record
    listed = next((s for s in statements if s.kind == LIST_YEAR), None)
    arxiv = next((s for s in statements if s.kind == ARXIV_ID), None)
    found = dated(str(arxiv.record).removeprefix("arxiv:")) if arxiv is not None else None
    if arxiv is None or found is None:
        return listed
    if not found.maybe_december:
        return arxiv
    # A January id that may be December's: a list's year of either stands; only the record can tell.
    if listed is not None and listed.year in (found.year - 1, found.year):
        return listed
    return None


def _arxiv_ids(items: Sequence[Item]) -> list[Evidence]:
    """What each arXiv id the items link says of the first version's date (one statement per id)."""
    seen: dict[str, Evidence] = {}
    for item in items:
        for ident in item.ids:
            if ident.kind != "arxiv" or ident.derived or ident.value in seen:
                continue
            found = dated(ident.value)
            if found is not None:
                seen[ident.value] = Evidence(
                    ARXIV_ID, found.year, month=found.month, item=item, record=f"arxiv:{ident.value}"
                )
    return list(seen.values())


def first_version(statements: Sequence[Evidence]) -> tuple[int, int] | None:
    """The (year, month) of the work's first arXiv version: its record's, else its id's (a January id that
    may be December's counts as the December before)."""
    record = next((s for s in statements if s.kind == PREPRINT and s.month is not None), None)
    if record is not None and record.year is not None and record.month is not None:
        return record.year, record.month
    arxiv = next((s for s in statements if s.kind == ARXIV_ID), None)
    found = dated(str(arxiv.record).removeprefix("arxiv:")) if arxiv is not None else None
    if found is None:
        return None
    return (found.year - 1, 12) if found.maybe_december else (found.year, found.month)


def implausible(claim: Evidence, statements: Sequence[Evidence]) -> tuple[int, int] | None:
    """The first version's (year, month) when a dated published claim is met more than a venue cycle
    before it, else None. A venue without a usual month (a journal) counts as meeting in December."""
    first = first_version(statements)
    if first is None or claim.year is None or claim.venue is None:
        return None
    known = venues.recognise(claim.venue)
    month = known.month if known is not None and known.month else 12
    if (first[0] * 12 + first[1]) - (claim.year * 12 + month) > CYCLE_MONTHS:
        return first
    return None


def place(said: Evidence | None) -> str | None:
    """A statement's source as provenance.json names it: `list/key` of the curated item (with the link or
    id it read), or the fetched record's id."""
    if said is None:
        return None
    if said.item is None:
        return said.record
    item = said.item
    where = f"{item.origin}/{item.key}" if item.origin else str(item.key)
    return f"{where} ({said.record})" if said.record else where
