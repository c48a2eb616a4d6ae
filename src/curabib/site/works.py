"""What the site shows of one work: its type and badge, venue and year, the list's name for it, links and
the texts its Cite dialog copies. Pure; made once per work and shown in every section that lists it.

The type comes from the same rules every export follows (`export.types.publication`): a work the site
calls "published" is one the .bib writes as `@inproceedings`/`@article`/..., a "preprint" one it writes as
an arXiv or other posted preprint, and so on, so the badge never contradicts the files beside it. A paper
whose venue nothing names (a journal's page, a PDF on a company's site) is said to be that, not a preprint,
as the exports say it (`@misc`, CSL `document`): the list may well link the published version.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from urllib.parse import urlsplit

from curabib.export import bibtex, csl
from curabib.export.common import ExportOptions, doi, publication, venue_name
from curabib.ids import canonical_url, identifiers_in_url
from curabib.model import Item, Work

# The filter's values (the `<select id="type">` options after "all"), with their labels.
TYPES = {
    "published": "published",
    "preprint": "preprint",
    "paper": "paper, venue unknown",
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
    "paper": "paper",
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


_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f]")  # white space (Unicode's too) and control characters


def safe_url(url: str | None) -> str | None:
    """`url` when it is an absolute http(s) address a page may link to; otherwise None (`javascript:`,
    `data:`, relative or malformed addresses are dropped, so a list can never put script in a link)."""
    if not url or _UNSAFE.search(url):
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
    label: str  # the name the list gives the work ("Chinchilla") when its title does not say it
    links: tuple[tuple[str, str], ...]  # (label, http(s) URL)
    copies: tuple[str, str, str]  # its BibTeX, biblatex and CSL-JSON entries, as the exporters write them


def entry(work: Work, items: Sequence[Item], reference: str, options: ExportOptions) -> Entry:
    """The work as shown; `items` are the curated items behind it (their links), `reference` its
    formatted reference."""
    kind = publication(work)
    kind_type = _BY_KIND.get(kind, "webpage")
    venue = venue_name(work) or ""
    badge = f"published at {venue}" if kind_type == "published" and venue else TYPES[kind_type]
    year = str(work.year) if work.year else ""
    # The list's name for the work, when the reference does not say it already ("Chinchilla").
    printed = html.unescape(re.sub(r"<[^>]*>", "", reference)).lower()
    label = work.label if work.label and work.label.lower() not in printed else ""
    reference, linked = link_urls(reference)
    return Entry(
        key=work.key,
        type=kind_type,
        badge=badge,
        venue=venue,
        year=year,
        reference=reference,
        label=label,
        links=tuple((text, url) for text, url in links(work, items) if _page(url) not in linked),
        copies=copies(work, options),
    )


# A URL in a formatted reference (escaped HTML: `&` is `&amp;`, and `<`, `>`, `"` cannot occur raw), without
# the punctuation a style may put after it.
_URL = re.compile(r"https?://[^\s<>\"]+?(?=[.,;:)\]]*(?:\s|<|$))")


def link_urls(reference: str) -> tuple[str, set[str]]:
    """The formatted reference with each http(s) URL it prints (a DOI, the page) made a link, as
    citeproc-js does, and the pages they show (`_page`): the links list need not repeat them."""
    linked: set[str] = set()

    def link(match: re.Match[str]) -> str:
        url = safe_url(html.unescape(match.group()))
        if url is None:
            return match.group()
        linked.add(_page(url))
        return f'<a href="{html.escape(url, quote=True)}">{match.group()}</a>'

    return _URL.sub(link, reference), linked


def copies(work: Work, options: ExportOptions) -> tuple[str, str, str]:
    """The texts the Cite dialog copies, rendered by the exporters that write bib/ (one entry: not the
    copies under old keys a .bib file adds after it)."""
    return (
        bibtex.render(work, replace(options, dialect="bibtex")),
        bibtex.render(work, replace(options, dialect="biblatex")),
        csl.render(work, options),
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
        if safe is None:
            continue
        page = _page(safe)
        if page not in seen:
            seen.add(page)
            kept.append((label, safe))
    return tuple(kept)


@lru_cache(maxsize=4096)  # a work's links name its few pages several times: 1,938 calls, 582 URLs on ours
def _page(url: str) -> str:
    """What `url` shows, to link it once: an identifier's own page (an arXiv abstract of any version, or
    through arXiv's DOI, which resolves to it; a GitHub repository in any case; over http or https) is that
    identifier's page, any other URL itself."""
    bare = url.rstrip("/").lower().replace("http://", "https://", 1)
    for ident in identifiers_in_url(url):
        page = canonical_url(ident).lower()
        if bare.removesuffix((ident.version or "").lower()) == page:
            return page
        if ident.kind == "arxiv" and bare.startswith("https://doi.org/"):
            return page
    return url.rstrip("/")
