"""What the site shows of one work: its type and badge, venue and year, links, copy texts and the text the
search box matches. Pure; made once per work and shown in every section that lists it.

The type comes from the same rules every export follows (`export.types.publication`): a work the site
calls "published" is one the .bib writes as `@inproceedings`/`@article`/..., a "preprint" one it writes as
an arXiv or unpublished paper, and so on, so the badge never contradicts the files beside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from curabib.export import bibtex, csl
from curabib.export.common import ExportOptions, doi, publication, venue_name
from curabib.ids import canonical_url
from curabib.model import Item, Work

# The filter's values (the `<select id="type">` options after "all"), with their labels.
TYPES = {
    "published": "published",
    "preprint": "preprint",
    "repository": "repository",
    "dataset": "dataset",
    "blog": "blog post",
    "model": "model",
    "webpage": "web page",
}
_BY_KIND = {
    "conference": "published",
    "journal": "published",
    "book": "published",
    "chapter": "published",
    "thesis": "published",
    "report": "published",
    "preprint": "preprint",
    "paper": "preprint",
    "software": "repository",
    "dataset": "dataset",
    "blog": "blog",
    "model": "model",
    "webpage": "webpage",
}
# Identifiers that name the published page of a paper, and what a reader calls that page.
_PROCEEDINGS = {
    "acl": "ACL Anthology",
    "openreview": "OpenReview",
    "pmlr": "PMLR",
    "jmlr": "JMLR",
    "neurips": "NeurIPS proceedings",
    "pmc": "PubMed Central",
}
_LINK_LABELS = {"paper": "paper", "pdf": "PDF", "code": "code", "blog": "blog", "model": "model"}
_LINK_LABELS |= {"dataset": "dataset", "site": "site"}
COPY_FORMATS = ("bibtex", "biblatex", "csl-json", "key")


def safe_url(url: str | None) -> str | None:
    """`url` when it is an absolute http(s) address a page may link to; otherwise None (`javascript:`,
    `data:`, relative or malformed addresses are dropped, so a list can never put script in a link)."""
    if not url or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


@dataclass(frozen=True, slots=True)
class Entry:
    """A work as the site shows it (all text unescaped: the page escapes it)."""

    key: str
    type: str  # a key of TYPES
    badge: str  # "published at NeurIPS", "preprint", ...
    venue: str
    year: str
    reference: str  # formatted by citeproc: HTML, already escaped
    links: tuple[tuple[str, str], ...]  # (label, http(s) URL)
    copies: tuple[tuple[str, str], ...]  # (format of COPY_FORMATS, text)
    text: str  # what the search box matches: title, authors, venue, year, key, lowercased


def entry(work: Work, items: Sequence[Item], reference: str, options: ExportOptions) -> Entry:
    """The work as shown; `items` are the curated items behind it (their links), `reference` its
    formatted reference."""
    kind = publication(work)
    kind_type = _BY_KIND.get(kind, "webpage")
    venue = venue_name(work) or ""
    badge = f"published at {venue}" if kind_type == "published" and venue else TYPES[kind_type]
    year = str(work.year) if work.year else ""
    authors = " ".join(" ".join(filter(None, (p.given, p.family))) for p in work.authors)
    title = work.title or work.label or work.key
    return Entry(
        key=work.key,
        type=kind_type,
        badge=badge,
        venue=venue,
        year=year,
        reference=reference,
        links=links(work, items),
        copies=copies(work, options),
        text=" ".join(filter(None, (title, work.label, authors, venue, year, work.key))).lower(),
    )


def copies(work: Work, options: ExportOptions) -> tuple[tuple[str, str], ...]:
    """The texts the copy buttons copy, rendered by the exporters that write bib/ (one entry: not the
    copies under old keys a .bib file adds after it)."""
    return (
        ("bibtex", bibtex.render(work, replace(options, dialect="bibtex"))),
        ("biblatex", bibtex.render(work, replace(options, dialect="biblatex"))),
        ("csl-json", csl.render(work, options)),
        ("key", work.key),
    )


def links(work: Work, items: Iterable[Item]) -> tuple[tuple[str, str], ...]:
    """arXiv, DOI, the proceedings page, the code, then the other links the lists give, each URL once."""
    found: list[tuple[str, str | None]] = []
    arxiv = work.identifier("arxiv")
    if arxiv is not None:
        found.append(("arXiv", f"https://arxiv.org/abs/{arxiv.value}"))
    cited = doi(work)
    if cited and not cited.lower().startswith("10.48550/"):  # arXiv's own DOI: the arXiv link says it
        found.append(("DOI", f"https://doi.org/{cited}"))
    for ident in work.ids:
        if ident.kind in _PROCEEDINGS and not ident.derived:
            found.append((_PROCEEDINGS[ident.kind], canonical_url(ident)))
    item_links = [link for item in items for link in item.links]
    found += [("code", link.url) for link in item_links if link.kind == "code"]
    github = work.identifier("github")
    if github is not None:
        found.append(("code", canonical_url(github)))
    found.append(("page", work.url))
    found += [(_LINK_LABELS.get(link.kind, link.kind), link.url) for link in item_links]
    seen: set[str] = set()
    kept = []
    for label, url in found:
        safe = safe_url(url)
        if safe is not None and safe.rstrip("/") not in seen:
            seen.add(safe.rstrip("/"))
            kept.append((label, safe))
    return tuple(kept)
