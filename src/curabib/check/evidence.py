"""Checks about the evidence for a work's year and venue: statements the export overrules are reported with
every place that makes them, which value is exported and why, and how to settle it. The weighing itself is
`merge/evidence.py`; here it is only read."""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from curabib.check.places import at_work, place
from curabib.data import venues
from curabib.ids.arxiv import dated
from curabib.merge import evidence as ev
from curabib.model import Diagnostic, Evidence, Work

if TYPE_CHECKING:
    from curabib.check.checks import Checked

_CLAIM_KINDS = frozenset({ev.PINNED, ev.LINK, ev.JOURNAL_REF, ev.DATED_HINT, ev.UNDATED_HINT})
_PIN_YEAR = "pin the right one with `pinned: [year]` beside it in entries/"
_PIN_VENUE = "pin the right one with `pinned: [venue]` beside it in entries/"


def year_conflicts(checked: Checked) -> Iterator[Diagnostic]:
    """Years the evidence states for a work that differ from the year it is exported with."""
    for work in checked.bibliography.works.values():
        if work.year is None or _pinned(work, "year"):
            continue
        others = _other_years(work)
        if not others:
            continue
        said = "; ".join(f"{s.year} by {_describe(checked, s)}{_preprint_note(work, s)}" for s in others)
        yield _finding(
            checked,
            work,
            others,
            "year-conflict",
            f"{_title(work)} is exported as {work.year} ({_why_year(checked, work)}), but {said}: correct "
            f"the list where it is wrong, or {_PIN_YEAR}",
        )


def venue_conflicts(checked: Checked) -> Iterator[Diagnostic]:
    """Venues the list names for one work that differ from one another or from the one exported; a
    fetched published record that contradicts the list is `venue-hint-conflict`."""
    for work in checked.bibliography.works.values():
        if _pinned(work, "venue"):
            continue
        claims = [s for s in work.evidence if s.kind in _CLAIM_KINDS and s.venue]
        chosen = _chosen(work)
        record = chosen if chosen is not None and chosen.kind == ev.RECORD else None
        if record is not None:
            contradicting = [c for c in claims if _contradicts(c, record)]
            if contradicting:
                said = "; ".join(f"{_named(c)} ({_describe(checked, c)})" for c in contradicting)
                yield _finding(
                    checked,
                    work,
                    contradicting,
                    "venue-hint-conflict",
                    f"the list says {said}, the fetched published record {record.record} says "
                    f"{_named(record)}: {_title(work)} is exported as the record says; correct the list's "
                    f"venue, or {_PIN_VENUE} if the record is wrong",
                )
            continue
        named = {c.venue for c in claims}
        if len(named) > 1 and chosen is not None:
            others = [c for c in claims if c.venue != chosen.venue]
            said = "; ".join(f"{c.venue} by {_describe(checked, c)}" for c in others)
            yield _finding(
                checked,
                work,
                others,
                "venue-conflict",
                f"{_title(work)} is exported as {chosen.venue} ({_describe(checked, chosen)}), but {said}: "
                f"correct the list where it is wrong, or {_PIN_VENUE}",
            )


def implausible_years(checked: Checked) -> Iterator[Diagnostic]:
    """A published version dated more than a venue cycle before the paper's first arXiv version."""
    for work in checked.bibliography.works.values():
        chosen = _chosen(work)
        if chosen is None or work.published is None or _pinned(work, "year"):
            continue
        dating = Evidence(chosen.kind, work.published.year, chosen.venue) if work.published.year else None
        first = ev.implausible(dating, work.evidence) if dating is not None else None
        if first is None:
            continue
        yield _finding(
            checked,
            work,
            [chosen],
            "implausible-year",
            f"{_title(work)} is exported as {chosen.venue} {work.published.year} "
            f"({_describe(checked, chosen)}), but its first arXiv version is of "
            f"{calendar.month_name[first[1]]} {first[0]}: a venue met over a year before the paper was "
            f"posted is implausible; correct the year, or {_PIN_YEAR}",
        )


def undated_venues(checked: Checked) -> Iterator[Diagnostic]:
    """Works cited at a venue that no statement dates: exported without a year rather than a wrong one."""
    for work in checked.bibliography.works.values():
        chosen = _chosen(work)
        if work.year is not None or chosen is None or work.published is None:
            continue
        yield _finding(
            checked,
            work,
            [chosen],
            "venue-undated",
            f"{_title(work)} is cited at {chosen.venue} ({_describe(checked, chosen)}), but nothing dates "
            "that venue, so it is exported without a year: write the year beside the venue, or run "
            "`curabib refresh` to look the paper up",
        )


# -- reading the evidence --------------------------------------------------------------------------------
def _other_years(work: Work) -> list[Evidence]:
    """The statements whose year differs from the exported one, one per item and year: for a published
    work those about its venue and the list's years; for a preprint also its id and record."""
    published = work.published is not None and work.published.type != "posted-content"
    chosen = _chosen(work)
    kinds = {ev.LIST_YEAR, ev.LINK, ev.JOURNAL_REF, ev.DATED_HINT, ev.RECORD}
    if not published:
        kinds |= {ev.PREPRINT, ev.ARXIV_ID}
    seen: set[tuple[int, int | None]] = set()
    found = []
    for said in work.evidence:
        if said.kind not in kinds or said.year is None or said.year == work.year:
            continue
        if published and said.kind != ev.LIST_YEAR and chosen is not None and said.venue != chosen.venue:
            continue  # another venue's year: that disagreement is the venue's
        if said.kind == ev.ARXIV_ID and _december(said, work.year):
            continue
        mark = (id(said.item) if said.item is not None else id(said), said.year)
        if mark not in seen:
            seen.add(mark)
            found.append(said)
    return found


def _december(said: Evidence, year: int | None) -> bool:
    found = dated(str(said.record).removeprefix("arxiv:"))
    return found is not None and found.maybe_december and year == found.year - 1


def _chosen(work: Work) -> Evidence | None:
    """The statement the exported venue rests on: what `weigh` chose, found again by its provenance."""
    place = dict(work.provenance).get("venue_evidence")
    if work.published is None or place is None:
        return None
    kinds = _CLAIM_KINDS | {ev.RECORD}
    return next((s for s in work.evidence if s.kind in kinds and ev.place(s) == place), None)


def _contradicts(claim: Evidence, record: Evidence) -> bool:
    """A venue the record names that the venue table knows and the claim does not name, or another year."""
    if claim.venue != record.venue and venues.recognise(record.venue) is not None:
        return True
    return claim.year is not None and record.year is not None and claim.year != record.year


def _pinned(work: Work, field: str) -> bool:
    return any(s.kind == ev.PINNED and field in (s.item.pinned if s.item else ()) for s in work.evidence)


def _named(said: Evidence) -> str:
    return f"{said.venue or '?'}" + (f" {said.year}" if said.year else "")


def _why_year(checked: Checked, work: Work) -> str:
    provenance = dict(work.provenance)
    kind = provenance.get("year")
    said = next(
        (s for s in work.evidence if s.year == work.year and ev.place(s) == provenance.get("year_evidence")),
        None,
    )
    if said is None:
        return f"from {kind}" if kind else "from the evidence"
    venue = f"{work.published.container if work.published and work.published.container else ''}"
    prefix = f"{_short(venue)} {work.year}, " if work.published is not None and venue else ""
    return prefix + _describe(checked, said)


def _short(container: str) -> str:
    known = venues.find(container)
    return known.short if known is not None else container


def _preprint_note(work: Work, said: Evidence) -> str:
    """Why a list's year may differ: it is the year of the work's arXiv preprint."""
    if said.kind != ev.LIST_YEAR or work.published is None:
        return ""
    first = ev.first_version(work.evidence)
    arxiv = next((s.record for s in work.evidence if s.kind in (ev.ARXIV_ID, ev.PREPRINT) and s.record), None)
    if first is not None and said.year in (first[0], first[0] + (first[1] == 12)) and arxiv:
        return f" (the year of its preprint, {arxiv})"
    return ""


def _describe(checked: Checked, said: Evidence) -> str:
    where = place(checked, said.item) if said.item is not None else ""
    if said.kind == ev.PINNED:
        return f"pinned at {where}"
    if said.kind == ev.RECORD:
        return f"the fetched published record {said.record}"
    if said.kind == ev.PREPRINT:
        return f"the preprint record {said.record}"
    if said.kind == ev.LINK:
        return f"the proceedings link {said.record} at {where}"
    if said.kind == ev.JOURNAL_REF:
        return f"the journal reference of {said.record}"
    if said.kind in (ev.DATED_HINT, ev.UNDATED_HINT):
        hint = said.item.venue if said.item is not None else said.venue
        return f"the venue hint {hint!r} at {where}"
    if said.kind == ev.ARXIV_ID:
        month = f"{calendar.month_name[said.month]} " if said.month else ""
        return f"its arXiv id {str(said.record).removeprefix('arxiv:')} ({month}{said.year})"
    return f"the list at {where}"


def _finding(
    checked: Checked, work: Work, statements: Sequence[Evidence], code: str, message: str
) -> Diagnostic:
    """A warning placed at the first curated item among `statements` (so an annotation lands on a line),
    else at the work's first item, naming the work's items the message does not name."""
    said = [s.item for s in statements if s.item is not None]
    return at_work(checked, work.key, "warning", code, message, next(iter(said), None), said)


def _title(work: Work) -> str:
    return repr(work.title or work.label or work.key)
