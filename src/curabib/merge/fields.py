"""Merging one work's fields: the items that share a key, plus the fetched records found for them.

Precedence, field by field, comes from one table (`precedence`) built from the source registry: curated >
the sources by rank (published version (Crossref) > preprint (arXiv)) > importer guesses (a venue hint
parsed from "Arxiv 2023"). Among items sharing a key the first that has a field gives it (lists in name
order, items in curated order), so the result is deterministic. A fetched record whose title contradicts
the curated title (the link points at another work) is not applied, and reported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

from curabib.ids import Identifier, canonical_url, identifiers_in_url
from curabib.matching import names_agree, normalized_title
from curabib.merge import venue_hints
from curabib.merge.names import split_name
from curabib.model import Diagnostic, Item, Person, Record, Work
from curabib.sources import registered
from curabib.sources.protocol import Source, found_in
from curabib.sources.protocol import search_key as search_key  # where `check` has always found it

T = TypeVar("T")
# A paper in any list is a paper; a kind a list declares beats one guessed from a link's word.
_KIND_RANK = ("paper", "dataset", "model", "software", "blog", "webpage")
# Hosts of many works whose home page is never one work's URL.
_PLATFORMS = frozenset(
    {
        "arxiv.org", "export.arxiv.org", "github.com", "gist.github.com", "huggingface.co", "doi.org",
        "dx.doi.org", "openreview.net", "aclanthology.org", "proceedings.mlr.press", "proceedings.neurips.cc",
        "papers.nips.cc", "jmlr.org", "ncbi.nlm.nih.gov", "pubmed.ncbi.nlm.nih.gov", "scholar.google.com",
        "semanticscholar.org", "paperswithcode.com", "medium.com", "zhihu.com", "zhuanlan.zhihu.com",
        "twitter.com", "x.com", "youtube.com", "dl.acm.org", "ieeexplore.ieee.org", "link.springer.com",
        "academic.oup.com", "sciencedirect.com", "nature.com", "biorxiv.org", "medrxiv.org", "ssrn.com",
        "papers.ssrn.com", "researchsquare.com",
    }
)  # fmt: skip
_URL_PREFERENCE = ("paper", "code", "model", "dataset", "blog", "site", "pdf")
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


_table: tuple[tuple[Source, ...], dict[str, tuple[str, ...]]] = ((), {})


def _precedence() -> dict[str, tuple[str, ...]]:
    """The table for the registry as it is now, built once per registry (tests register a source)."""
    global _table
    sources = registered()
    if _table[0] != sources:
        _table = (sources, precedence(sources))
    return _table[1]


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
    table = _precedence()
    sources = {s.name: s for s in registered()}
    supplied = {
        name: sources[name].supply(record, prefer)
        for name, record in fetched.records.items()
        if name in sources
    }

    def pick(name: str, curated: Sequence[Any] = ()) -> tuple[Any, str | None]:
        """The first value present, in the table's order for `name`, and who gave it."""
        candidates: list[tuple[str, Any]] = []
        for who in table.get(name, ()):
            if who in (CURATED, HINT):
                candidates += [(who, value) for value in curated]
            else:
                candidates.append((who, supplied.get(who, {}).get(name)))
        return _pick(candidates)

    # A curated title that is only an identifier ("arXiv:2204.05832") names no work: a fetched title wins,
    # and the identifier is kept only when nothing else is known (`check` flags it).
    title, title_from = pick("title", [i.title for i in items if not is_identifier_only(i.title)])
    if title is None:
        title, title_from = _pick([(CURATED, i.title) for i in items])
    year, year_from = pick("year", [i.year for i in items])
    venue, venue_from = pick("venue", [i.venue for i in items])
    published, published_from = pick("published")
    kind = _kind(items)
    if published is None and prefer != "preprint" and kind == "paper":
        # No fetched record publishes it: the venue the list (or a preprint record) names, if any.
        fetched_venue = venue if venue_from not in (CURATED, HINT) else None
        found = venue_hints.claims(items, fetched_venue, pick("venue_year")[0])
        if found:
            best = found[0]
            # The venue's year dates the citation: a link's over the curated year (both are the curator's),
            # a preprint record's over the preprint's own year.
            if best.year and (best.source == venue_hints.LINK or year_from != CURATED):
                year, year_from = best.year, best.source
            published, published_from = venue_hints.published(best, year), best.source
    if published is None:
        # Nothing published it: a posted preprint record (bioRxiv, SSRN) is cited as the preprint it is.
        published, published_from = pick("posted")
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
        "year": year_from,
        "venue": venue_from,
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
        url=_url(items, ids, refused),
        ids=tuple(ids),
        aliases=tuple(sorted({a for i in items for a in i.aliases})),
        published=published,
        arxiv_class=arxiv_class,
        provisional=all(i.key_provisional for i in items),
        math_title=title_from in sources and sources[title_from].tex_titles,
        provenance=tuple(sorted((k, v) for k, v in provenance.items() if v)),
    )


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
        if _id(ident) in refused:
            continue
        current = found.get(ident.kind)
        if current is None or (current.derived and not ident.derived):
            found[ident.kind] = ident
    for ident in (i for ids in supplied for i in ids):
        if _id(ident) not in refused and (ident.kind not in found or found[ident.kind].derived):
            found[ident.kind] = ident
    return list(found.values())


def _id(ident: Identifier) -> str:
    """As a record names it: "arxiv:1706.03762", "doi:10.1145/3458754"."""
    return f"{ident.kind}:{ident.value}".lower()


def _kind(items: Sequence[Item]) -> str:
    """The work kind the items agree on best: a paper in any list is a paper; a kind a list declares
    (dataset, model) beats one guessed from a link's word (software, blog, webpage), so a dataset hosted on
    GitHub is a dataset in every list."""
    kinds = {item.kind for item in items}
    return next((k for k in _KIND_RANK if k in kinds), items[0].kind)


def _url(items: list[Item], ids: list[Identifier], refused: frozenset[str] = frozenset()) -> str | None:
    arxiv = next((i for i in ids if i.kind == "arxiv"), None)
    if arxiv is not None:
        return canonical_url(arxiv)
    links = [
        link
        for item in items
        for link in item.links
        if _owned(link.url, item, refused) and not is_bare_host(link.url)
    ]
    for kind in _URL_PREFERENCE:
        for link in links:
            if link.kind == kind:
                return link.url
    return None


def _owned(url: str, item: Item, refused: frozenset[str] = frozenset()) -> bool:
    """A web link the item stands by: not one whose identifier the curator removed as pointing elsewhere,
    nor one whose identifier `refresh` found to be another work's."""
    if not url.startswith(("http://", "https://")):
        return False
    own = [ident for ident in item.ids if _id(ident) not in refused]
    if any(url == canonical_url(ident) for ident in own):
        return True  # the usual case, decided without parsing the URL
    carried = {(i.kind, i.value) for i in identifiers_in_url(url) if not i.derived and i.kind != "github"}
    return not carried or bool(carried & {(i.kind, i.value) for i in own})


def is_bare_host(url: str) -> bool:
    """A link to a platform's home page (`https://arxiv.org/`, `https://github.com`): it hosts many works
    and is none of them. A project's own home page (`https://pile.eleuther.ai/`) is its URL."""
    parts = urlsplit(url)
    if parts.path.strip("/") or parts.query or parts.fragment:
        return False
    return parts.netloc.lower().removeprefix("www.") in _PLATFORMS


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
