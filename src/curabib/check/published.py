"""Checks about the version a work is cited in: the venue the list names against what is known of it, and
titles that are only an identifier."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from curabib.check.places import at_item, at_work
from curabib.data import venues
from curabib.merge.evidence import DATED_HINT, LINK, PINNED, UNDATED_HINT
from curabib.merge.fields import is_identifier_only
from curabib.model import Diagnostic, Work
from curabib.sources.crossref import PREPRINT_TYPES

if TYPE_CHECKING:
    from curabib.check.checks import Checked

_FETCHED_ELSEWHERE = "the fetched published record"
_WHENCE = {
    LINK: "its proceedings link",
    DATED_HINT: "a venue hint with its year",
    UNDATED_HINT: "a venue hint",
    PINNED: "pinned by the curator",
}


def venue_from_hint_alone(checked: Checked) -> Iterator[Diagnostic]:
    """Works exported as published only because the list names the venue: nothing fetched confirms it."""
    for work in checked.bibliography.works.values():
        if work.published is not None and _published_by(work) in (DATED_HINT, UNDATED_HINT):
            yield at_work(
                checked,
                work.key,
                "info",
                "venue-from-hint",
                f"{_title(work)} is exported as {work.published.container} on the list's word alone; "
                "`curabib refresh` looks for its published record",
            )


def listed_as_preprint(checked: Checked) -> Iterator[Diagnostic]:
    """Items the list calls a preprint ("arXiv") whose published version is known: the list can say so."""
    canonical, works = checked.bibliography.canonical, checked.bibliography.works
    for lst in checked.lists:
        for item in lst.all_items():
            hint = venues.recognise(item.venue)
            work = works.get(canonical.get(str(item.key), str(item.key)))
            if hint is None or hint.kind != "preprint" or work is None or work.published is None:
                continue
            if work.published.type in PREPRINT_TYPES:
                continue  # a posted preprint (bioRxiv, SSRN): no published version is known
            found = _published_by(work)
            where = _WHENCE.get(found or "", f"the {found} record" if found else _FETCHED_ELSEWHERE)
            year = f" {work.published.year}" if work.published.year else ""
            yield at_item(
                checked,
                item,
                "info",
                "published-version-known",
                f"{_title(work)} is listed as {item.venue} but was published in {work.published.container}"
                f"{year} ({where}): the list could cite that",
            )


def identifier_titles(checked: Checked) -> Iterator[Diagnostic]:
    """Items whose title (or, without one, name) is only an identifier (`arXiv:2204.05832`, a DOI): it
    says which record, not which work. `build` uses a real title when another item of the work or a fetched
    record has one; the identifier loses to both (`merge/fields.py`)."""
    canonical, works = checked.bibliography.canonical, checked.bibliography.works
    for lst in checked.lists:
        for item in lst.all_items():
            written = item.title or item.label
            if not is_identifier_only(written):
                continue
            work = works.get(canonical.get(str(item.key), str(item.key)))
            if work is not None and work.title and not is_identifier_only(work.title):
                source = dict(work.provenance).get("title")
                whence = "another item of the same work" if source in (None, "curated") else f"{source}"
                level, advice = "info", f"the build uses {work.title!r} (from {whence}); write it in the list"
            else:
                level, advice = "warning", "write the work's title (`curabib refresh` looks it up)"
            yield at_item(
                checked,
                item,
                level,
                "identifier-title",
                f"the title {written!r} is only an identifier: {advice}",
            )


def _published_by(work: Work) -> str | None:
    return dict(work.provenance).get("published")


def _title(work: Work) -> str:
    return repr(work.title or work.label or work.key)
