"""Merging one work's fields: the items that share a key, plus the fetched records found for them.

Precedence, field by field: curated > published version (Crossref) > preprint (arXiv) > importer guesses
(a venue hint parsed from "Arxiv 2023"). Among items sharing a key the first that has a field gives it
(lists in name order, items in curated order), so the result is deterministic. A fetched record whose
title contradicts the curated title (the link points at another work) is not applied, and reported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from curabib.data import venues
from curabib.ids import Identifier, canonical_url, identifiers_in_url
from curabib.matching import names_agree, normalized_title
from curabib.merge.names import split_name
from curabib.model import FOUND, Diagnostic, Item, Person, Published, Record, Work

T = TypeVar("T")
_URL_PREFERENCE = ("paper", "code", "model", "dataset", "blog", "site", "pdf")
PREPRINT_TYPES = frozenset({"posted-content"})


# -- finding the fetched records of a work -------------------------------------------------------------
@dataclass
class Fetched:
    arxiv: dict[str, Any] | None = None
    crossref: dict[str, Any] | None = None
    rejected: list[tuple[str, str]] | None = None  # (record id, fetched title) contradicting the curated one

    def conflicts(self, key: str) -> list[Diagnostic]:
        return [
            Diagnostic(
                "warning",
                "fetched-title-conflict",
                f"{ident} is titled '{title}', which contradicts the curated title: the link probably points "
                "at another work; the fetched record is kept in the store but not used",
                subject=key,
            )
            for ident, title in self.rejected or ()
        ]


def search_key(item: Item) -> str | None:
    """The store id of a title search for an item: its normalized title and year."""
    if not item.title:
        return None
    return f"title:{normalized_title(item.title)}|{item.year or ''}"


def fetched_for(items: Sequence[Item], records: Mapping[str, Record]) -> Fetched:
    def found(source: str, ident: str) -> Record | None:
        record = records.get(f"{source}|{ident}")
        return record if record is not None and record.status == FOUND else None

    fetched = Fetched(rejected=[])
    if not records:  # a build before any refresh
        return fetched
    curated_titles = [t for item in items for t in (item.title, item.label) if t]

    def agrees(record: Record) -> bool:
        title = record.fields.get("title")
        if not title or not curated_titles or any(names_agree(title, t) for t in curated_titles):
            return True
        assert fetched.rejected is not None
        fetched.rejected.append((record.id, str(title)))
        return False

    arxiv_ids = [i.value for item in items for i in item.ids if i.kind == "arxiv" and not i.derived]
    for item in items:
        if (key := search_key(item)) and (hit := found("arxiv-search", key)) and hit.fields.get("match"):
            arxiv_ids.append(str(hit.fields["match"]).split(":", 1)[1])
    for arxiv_id in arxiv_ids:
        record = found("arxiv", f"arxiv:{arxiv_id}")
        if record is not None and agrees(record):
            fetched.arxiv = {"id": arxiv_id, **record.fields}
            break
    for doi in _doi_candidates(items, fetched.arxiv, found):
        record = found("crossref", f"doi:{doi}")
        if record is not None and agrees(record):
            fetched.crossref = {"doi": doi, **record.fields}
            break
    return fetched


def _doi_candidates(items: Sequence[Item], arxiv: Mapping[str, Any] | None, found: Any) -> list[str]:
    given = [i.value for item in items for i in item.ids if i.kind == "doi" and not i.derived]
    from_arxiv = [str(arxiv["doi"])] if arxiv and arxiv.get("doi") else []
    derived = [i.value for item in items for i in item.ids if i.kind == "doi" and i.derived]
    searched = []
    for item in items:
        if (key := search_key(item)) and (hit := found("crossref-search", key)) and hit.fields.get("match"):
            searched.append(str(hit.fields["match"]).split(":", 1)[1])
    return list(dict.fromkeys(given + from_arxiv + derived + searched))


# -- merging -------------------------------------------------------------------------------------------
def _first(values: Sequence[T | None]) -> T | None:
    return next((v for v in values if v not in (None, "", ())), None)


def merge_fields(key: str, items: list[Item], fetched: Fetched, prefer: str) -> Work:
    ids = _merged_ids(items, fetched)
    arxiv, crossref = fetched.arxiv or {}, fetched.crossref or {}
    published = _published(crossref) if prefer != "preprint" else None
    title, title_from = _pick(
        [("curated", i.title) for i in items]
        + [("crossref", crossref.get("title")), ("arxiv", arxiv.get("title"))]
    )
    year, year_from = _pick(
        [("curated", i.year) for i in items]
        + [("crossref", published.year if published else None), ("arxiv", _first_version_year(arxiv))]
    )
    venue, venue_from = _pick(
        [("crossref", published.container if published else None), ("arxiv", _arxiv_venue(arxiv))]
        + [("curated hint", i.venue) for i in items]
    )
    authors = _authors(items, crossref, arxiv)
    authors_from = _authors_source(items, authors, crossref)
    provenance = {"title": title_from, "year": year_from, "venue": venue_from, "authors": authors_from}
    return Work(
        key=key,
        kind=items[0].kind,
        title=title,
        label=_first([i.label for i in items]),
        authors=authors,
        et_al=_et_al(items, crossref, arxiv),
        year=year,
        venue=venue,
        url=_url(items, ids),
        ids=tuple(ids),
        aliases=tuple(sorted({a for i in items for a in i.aliases})),
        published=published,
        arxiv_class=arxiv.get("primary_category"),
        provisional=all(i.key_provisional for i in items),
        math_title=title_from == "arxiv",
        provenance=tuple(sorted((k, v) for k, v in provenance.items() if v)),
    )


def _pick(candidates: Sequence[tuple[str, T | None]]) -> tuple[T | None, str | None]:
    """The first value present, and where it came from (the precedence is the order of `candidates`)."""
    for source, value in candidates:
        if value not in (None, "", ()):
            return value, source
    return None, None


def _first_version_year(arxiv: Mapping[str, Any]) -> int | None:
    # An arXiv preprint is cited by the year of its first version, not the latest.
    return int(str(arxiv["published"])[:4]) if arxiv.get("published") else None


def _arxiv_venue(arxiv: Mapping[str, Any]) -> str | None:
    """A known venue named in arXiv's journal reference or comment ("Accepted at ICLR 2021")."""
    for text in (arxiv.get("journal_ref"), arxiv.get("comment")):
        found = venues.find(text) if text else None
        if found is not None and found.kind != "preprint":
            return found.long
    return None


def _authors_source(
    items: list[Item], authors: tuple[Person, ...], crossref: Mapping[str, Any]
) -> str | None:
    if not authors:
        return None
    curated = next((i for i in items if i.authors), None)
    if curated is not None and len(authors) == len(curated.authors):
        return "curated"
    return "crossref" if crossref.get("authors") else "arxiv"


def _published(crossref: Mapping[str, Any]) -> Published | None:
    if not crossref or crossref.get("type") in PREPRINT_TYPES:
        return None
    return Published(
        doi=str(crossref["doi"]),
        type=str(crossref.get("type") or "journal-article"),
        container=crossref.get("container_title"),
        volume=crossref.get("volume"),
        issue=crossref.get("issue"),
        pages=crossref.get("page"),
        publisher=crossref.get("publisher"),
        year=crossref.get("year"),
    )


def _authors(items: list[Item], crossref: Mapping[str, Any], arxiv: Mapping[str, Any]) -> tuple[Person, ...]:
    curated = next((i for i in items if i.authors), None)
    fetched = _fetched_people(crossref, arxiv)
    if curated is not None and not (curated.et_al and _extends(curated.authors, fetched)):
        return tuple(split_name(a) for a in curated.authors)
    return fetched


def _et_al(items: list[Item], crossref: Mapping[str, Any], arxiv: Mapping[str, Any]) -> bool:
    curated = next((i for i in items if i.authors), None)
    if curated is None:
        return False
    return curated.et_al and not _extends(curated.authors, _fetched_people(crossref, arxiv))


def _fetched_people(crossref: Mapping[str, Any], arxiv: Mapping[str, Any]) -> tuple[Person, ...]:
    if crossref.get("authors"):
        return tuple(
            Person(family=a["literal"], literal=True)
            if "literal" in a
            else Person(family=a["family"], given=a.get("given"))
            for a in crossref["authors"]
        )
    return tuple(split_name(name) for name in arxiv.get("authors", ()))


def _extends(curated: Sequence[str], fetched: Sequence[Person]) -> bool:
    """A curated "First Author et al." the full fetched list starts with: that list completes it."""
    if len(fetched) < len(curated):
        return False
    return all(
        normalized_title(split_name(name).family) == normalized_title(person.family)
        for name, person in zip(curated, fetched, strict=False)
    )


def _merged_ids(items: list[Item], fetched: Fetched) -> list[Identifier]:
    found: dict[str, Identifier] = {}
    for ident in (i for item in items for i in item.ids):
        current = found.get(ident.kind)
        if current is None or (current.derived and not ident.derived):
            found[ident.kind] = ident
    if fetched.arxiv and ("arxiv" not in found or found["arxiv"].derived):
        found["arxiv"] = Identifier("arxiv", str(fetched.arxiv["id"]))
    if fetched.arxiv and fetched.arxiv.get("doi") and ("doi" not in found or found["doi"].derived):
        # The journal DOI arXiv names: what ties this preprint to its published version in dedupe.
        found["doi"] = Identifier("doi", str(fetched.arxiv["doi"]))
    return list(found.values())


def _url(items: list[Item], ids: list[Identifier]) -> str | None:
    arxiv = next((i for i in ids if i.kind == "arxiv"), None)
    if arxiv is not None:
        return canonical_url(arxiv)
    links = [link for item in items for link in item.links if _owned(link.url, item)]
    for kind in _URL_PREFERENCE:
        for link in links:
            if link.kind == kind:
                return link.url
    return None


def _owned(url: str, item: Item) -> bool:
    """A web link the item stands by: not one whose identifier the curator removed as pointing elsewhere."""
    if not url.startswith(("http://", "https://")):
        return False
    if any(url == canonical_url(ident) for ident in item.ids):
        return True  # the usual case, decided without parsing the URL
    carried = {(i.kind, i.value) for i in identifiers_in_url(url) if not i.derived and i.kind != "github"}
    return not carried or bool(carried & {(i.kind, i.value) for i in item.ids})
