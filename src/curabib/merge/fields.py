"""Merging one work's fields: the items that share a key, plus the fetched records found for them.

Precedence, field by field, comes from one table (`precedence`) built from the source registry: curated >
the sources by rank (published version (Crossref) > preprint (arXiv)) > importer guesses (a venue hint
parsed from "Arxiv 2023"). Among items sharing a key the first that has a field gives it (lists in name
order, items in curated order), so the result is deterministic. A fetched record whose title contradicts
the curated title (the link points at another work) is not applied, and reported.

The year and the published version (venue and type) are facts with evidence, not text a curator chose:
they are weighed by `evidence.py` in its own order, the list's year last among them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from curabib.data import venues
from curabib.ids import Identifier
from curabib.matching import names_agree, normalized_title
from curabib.merge import evidence
from curabib.merge.urls import is_bare_host as is_bare_host  # where tests have found it
from curabib.merge.urls import record_id, work_url
from curabib.model import Diagnostic, Evidence, Item, Person, Published, Record, Work
from curabib.names import split_name
from curabib.sources import registered
from curabib.sources.protocol import Source, found_in
from curabib.sources.protocol import search_key as search_key  # where `check` has always found it

T = TypeVar("T")
# A paper in any list is a paper; a kind a list declares beats one guessed from a link's word.
_KIND_RANK = ("paper", "dataset", "model", "software", "blog", "webpage")
CURATED = "curated"
HINT = "curated hint"
# What the curator writes outranks every source; the venue a list writes is only a hint, below them all.
_CURATED_FIELDS = ("title", "year", "authors")
_HINT_FIELDS = ("venue",)


# -- the precedence table ------------------------------------------------------------------------------
def precedence(sources: Sequence[Source] | None = None) -> dict[str, tuple[str, ...]]:
    """Field -> who may give it, best first: "curated", source names by rank, "curated hint"."""
    sources = registered() if sources is None else sources
    ranked = sorted(sources, key=lambda s: -s.rank)  # stable: equal ranks keep registry order
    names = dict.fromkeys([*_CURATED_FIELDS, *_HINT_FIELDS, *(f for s in ranked for f in sorted(s.supplies))])
    return {
        name: (
            *((CURATED,) if name in _CURATED_FIELDS else ()),
            *(s.name for s in ranked if name in s.supplies),
            *((HINT,) if name in _HINT_FIELDS else ()),
        )
        for name in names
    }


_table: tuple[tuple[Source, ...], dict[str, tuple[str, ...]], dict[str, Source]] = ((), {}, {})


def _precedence() -> tuple[dict[str, tuple[str, ...]], dict[str, Source]]:
    """The table for the registry as it is now, and its sources by name: built once per registry (tests
    register a source), not once per work."""
    global _table
    sources = registered()
    if _table[0] != sources:
        _table = (sources, precedence(sources), {s.name: s for s in sources})
    return _table[1], _table[2]


# -- finding the fetched records of a work -------------------------------------------------------------
@dataclass
class Fetched:
    records: dict[str, Record] = field(default_factory=dict)  # source name -> the record used
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (record id, title) contradicting ours

    def refused_ids(self) -> frozenset[str]:
        """The rejected records' ids ("arxiv:2204.05832"): identifiers of another work, not exported."""
        return frozenset(ident.lower() for ident, _ in self.rejected)

    def conflicts(self, key: str) -> list[Diagnostic]:
        return [
            Diagnostic(
                "warning",
                "fetched-title-conflict",
                f"{ident} is titled '{title}', which contradicts the curated title: the link probably points "
                f"at another work; the fetched record is kept in the store but not used, and {key} is "
                f"exported without {ident} (no eprint, DOI or URL from it): correct the link or the title",
                subject=key,
            )
            for ident, title in self.rejected
        ]


def fetched_for(items: Sequence[Item], records: Mapping[str, Record]) -> Fetched:
    fetched = Fetched()
    if not records:  # a build before any refresh
        return fetched
    found = found_in(records)
    # A title or name that is only an identifier ("arXiv:2204.05832") can contradict no fetched title.
    curated_titles = [
        t for item in items for t in (item.title, item.label) if t and not is_identifier_only(t)
    ]

    def agrees(record: Record) -> bool:
        title = record.fields.get("title")
        if not title or not curated_titles or any(names_agree(title, t) for t in curated_titles):
            return True
        fetched.rejected.append((record.id, str(title)))
        return False

    # Registry order: a source may name ids for a later one (arXiv names the journal DOI).
    for source in registered():
        for ident in source.candidates(items, found, fetched.records):
            record = found(source.name, ident)
            if record is not None and agrees(record):
                fetched.records[source.name] = record
                break
    return fetched


# -- merging -------------------------------------------------------------------------------------------
def _first(values: Sequence[T | None]) -> T | None:
    return next((v for v in values if v not in (None, "", ())), None)


def merge_fields(key: str, items: list[Item], fetched: Fetched, prefer: str) -> Work:
    table, sources = _precedence()
    supplied = {
        name: sources[name].supply(record, prefer)
        for name, record in fetched.records.items()
        if name in sources
    }

    def pick(name: str, curated: Sequence[Any] = ()) -> tuple[Any, str | None]:
        """The first value present, in the table's order for `name`, and who gave it."""
        return _given(name, table.get(name, ()), supplied, curated)

    # A curated title that is only an identifier ("arXiv:2204.05832") names no work: a fetched title wins,
    # and the identifier is kept only when nothing else is known (`check` flags it).
    title, title_from = pick("title", [i.title for i in items if not is_identifier_only(i.title)])
    if title is None:
        title, title_from = _pick([(CURATED, i.title) for i in items])
    venue, venue_from = pick("venue", [i.venue for i in items])
    kind = _kind(items)
    dating = _dating(items, fetched, supplied, table, prefer, kind)
    year = dating.year
    published, published_from = dating.published, _name(dating.published_from, fetched)
    if published is None:
        # Nothing published it: a posted preprint record (bioRxiv, SSRN) is cited as the preprint it is.
        published, published_from = pick("posted")
    elif published_from not in table.get("published", ()):
        venue_from = published_from  # the list's claim names the venue the export cites
    arxiv_class, _ = pick("arxiv_class")
    people, people_from = pick("authors")  # fetched only: the curated list is weighed against it below
    fetched_people: tuple[Person, ...] = people or ()
    curated = next((i for i in items if i.authors), None)
    if curated is not None and not (curated.et_al and _extends(curated.authors, fetched_people)):
        authors = tuple(split_name(a) for a in curated.authors)
    else:
        authors = fetched_people
    authors_from = None
    if authors:
        same_length = curated is not None and len(authors) == len(curated.authors)
        authors_from = CURATED if same_length else people_from
    et_al = curated is not None and curated.et_al and not _extends(curated.authors, fetched_people)
    refused = fetched.refused_ids()
    ids = _merged_ids(
        items, [supplied[who].get("ids") or [] for who in table.get("ids", ()) if who in supplied], refused
    )
    provenance = {
        "title": title_from,
        "year": _name(dating.year_from, fetched),
        "year_evidence": evidence.place(dating.year_from),
        "venue": venue_from,
        "venue_evidence": evidence.place(dating.published_from),
        "authors": authors_from,
        "published": published_from,
    }
    return Work(
        key=key,
        kind=kind,
        title=title,
        label=_first([i.label for i in items]),
        authors=authors,
        et_al=et_al,
        year=year,
        venue=venue,
        url=work_url(items, ids, refused),
        ids=tuple(ids),
        aliases=tuple(sorted({a for i in items for a in i.aliases})),
        published=published,
        arxiv_class=arxiv_class,
        provisional=all(i.key_provisional for i in items),
        math_title=title_from in sources and sources[title_from].tex_titles,
        provenance=tuple(sorted((k, v) for k, v in provenance.items() if v)),
        evidence=dating.statements,
        version=pick("version")[0],
        license=pick("license")[0],
        cited_as=pick("cited_as")[0],
    )


def _dating(
    items: Sequence[Item],
    fetched: Fetched,
    supplied: Mapping[str, Mapping[str, Any]],
    table: Mapping[str, tuple[str, ...]],
    prefer: str,
    kind: str,
) -> evidence.Dating:
    """The year and published version the evidence gives: the fetched records' statements (published
    versions, the preprint's first version and the venue its journal reference names) weighed with the
    list's own (`merge/evidence.py`)."""
    published: list[tuple[Evidence, Published]] = []
    preprint = journal_ref = None
    if supplied:  # most works of a list nothing fetched describes yet
        published, preprint, journal_ref = _fetched_statements(fetched, supplied, table)
    list_claims = prefer != "preprint" and kind == "paper"
    return evidence.weigh(items, published, preprint, journal_ref, list_claims, fetched.refused_ids())


def _fetched_statements(
    fetched: Fetched, supplied: Mapping[str, Mapping[str, Any]], table: Mapping[str, tuple[str, ...]]
) -> tuple[list[tuple[Evidence, Published]], Evidence | None, Evidence | None]:
    """What the fetched records say: the published versions (best source first), the preprint's record
    (a year and no published version) and the venue a preprint record names."""
    published = []
    preprint = journal_ref = None
    for who in table.get("published", ()):
        if (found := supplied.get(who, {}).get("published")) is not None:
            said = Evidence(
                evidence.RECORD, found.year, _short(found.container), record=fetched.records[who].id
            )
            published.append((said, found))
    for who in table.get("year", ()):  # a preprint record: a year, and no published version
        fields = supplied.get(who, {})
        if preprint is None and fields.get("year") and fields.get("published") is None:
            record = fetched.records[who].id
            preprint = Evidence(evidence.PREPRINT, fields["year"], month=fields.get("month"), record=record)
    for who in table.get("venue", ()):  # the venue a preprint record names (arXiv's journal reference)
        fields = supplied.get(who, {})
        if journal_ref is None and fields.get("venue") and fields.get("published") is None:
            record = fetched.records[who].id
            venue = _short(fields["venue"])
            journal_ref = Evidence(evidence.JOURNAL_REF, fields.get("venue_year"), venue, record=record)
    return published, preprint, journal_ref


def _short(container: str | None) -> str | None:
    """A venue as statements name it: a known venue's short name, else the container as written."""
    known = venues.find(container)
    return known.short if known is not None else container


def _name(said: Evidence | None, fetched: Fetched) -> str | None:
    """How provenance.json names a statement's kind: a fetched record by its source ("dblp")."""
    if said is None:
        return None
    if said.kind in (evidence.RECORD, evidence.PREPRINT, evidence.JOURNAL_REF):
        return next((who for who, record in fetched.records.items() if record.id == said.record), said.kind)
    return said.kind


def _given(
    name: str, order: Sequence[str], supplied: Mapping[str, Mapping[str, Any]], curated: Sequence[Any]
) -> tuple[Any, str | None]:
    """The first value of field `name` present, by who may give it (`order`, best first: the `curated`
    values stand for "curated" and "curated hint"), and who gave it. Eight fields per work, most of
    whose sources have no record for it: those are passed by, not asked."""
    for who in order:
        if who in supplied:
            if (value := supplied[who].get(name)) not in (None, "", ()):
                return value, who
        elif who in (CURATED, HINT):
            for value in curated:
                if value not in (None, "", ()):
                    return value, who
    return None, None


def _pick(candidates: Sequence[tuple[str, T | None]]) -> tuple[T | None, str | None]:
    """The first value present, and where it came from (the precedence is the order of `candidates`)."""
    for source, value in candidates:
        if value not in (None, "", ()):
            return value, source
    return None, None


def _extends(curated: Sequence[str], fetched: Sequence[Person]) -> bool:
    """A curated "First Author et al." the full fetched list starts with: that list completes it."""
    if len(fetched) < len(curated):
        return False
    return all(
        normalized_title(split_name(name).family) == normalized_title(person.family)
        for name, person in zip(curated, fetched, strict=False)
    )


def _merged_ids(
    items: list[Item], supplied: Sequence[Sequence[Identifier]], refused: frozenset[str] = frozenset()
) -> list[Identifier]:
    """The curated identifiers (given over derived), completed by those the fetched records name; without
    those `refresh` found to be another work's (`refused`): exporting them would cite that work."""
    found: dict[str, Identifier] = {}
    for ident in (i for item in items for i in item.ids):
        if record_id(ident) in refused:
            continue
        current = found.get(ident.kind)
        if current is None or (current.derived and not ident.derived):
            found[ident.kind] = ident
    for ident in (i for ids in supplied for i in ids):
        if record_id(ident) not in refused and (ident.kind not in found or found[ident.kind].derived):
            found[ident.kind] = ident
    return list(found.values())


def _kind(items: Sequence[Item]) -> str:
    """The work kind the items agree on best: a paper in any list is a paper; a kind a list declares
    (dataset, model) beats one guessed from a link's word (software, blog, webpage), so a dataset hosted on
    GitHub is a dataset in every list."""
    kinds = {item.kind for item in items}
    return next((k for k in _KIND_RANK if k in kinds), items[0].kind)


_IDENTIFIER_ONLY = re.compile(
    r"""^\s*(?:
        (?:arxiv\s*:?\s*|https?://arxiv\.org/(?:abs|pdf)/)(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[a-z]{2})?/\d{7})(?:v\d+)?
        | (?:\d{4}\.\d{4,5})(?:v\d+)?
        | (?:doi\s*:?\s*|https?://(?:dx\.)?doi\.org/)?10\.\d{4,9}/\S+
        | (?:acl|openreview|pmlr|jmlr|neurips|pmc|github)\s*:\s*\S+
        | pmc\d+
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def is_identifier_only(title: str | None) -> bool:
    """A title that is just an identifier: `arXiv:2204.05832`, `10.1145/3458754`, `doi:...`."""
    return bool(title) and bool(_IDENTIFIER_ONLY.match(str(title)))
