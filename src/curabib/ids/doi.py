"""DOIs: as typed, in prose, behind resolvers, and in publisher links that carry or imply one.

Publisher links are read by `_DoiRule`s, one per site or URL shape. Some sites (Nature, JMIR, the
Lancet, MDPI) carry only enough to compute the DOI; those are marked `derived` for enrichment to confirm.
arXiv's own DataCite DOIs (10.48550/arXiv.…) are reported as the arXiv id they spell.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from curabib.ids import arxiv
from curabib.ids.base import Identifier, IdKind, ParsedUrl, on_host

# Printable ASCII only: a DOI never holds spaces or non-ASCII, so those are prose around it.
_SHAPE = re.compile(r"10\.\d{4,9}/[!-~]+")
_TOKEN = re.compile(
    r"(?:doi:\s*|(?:https?://)?(?:dx\.|www\.)?doi\.org/)?(?P<doi>10\.\d{4,9}(?:/|%2f)\S+)",
    re.IGNORECASE,
)
# Characters allowed in a DOI found in prose; quotes, brackets, `&`, `?` and `#` end it because in
# Markdown and HTML they end the link around it far more often than they belong to a DOI.
_IN_TEXT = re.compile(r"(?<![\w.])(?P<token>10\.\d{4,9}(?:/|%2[fF])[A-Za-z0-9_\-.;()/:%+~@!$*=,]+)")
_ARXIV_DOI_PREFIX = "10.48550/arxiv."  # arXiv's DataCite DOIs are the arXiv id in disguise


def _strip_tail(doi: str) -> str:
    """Drop what prose and links glue onto a DOI: final punctuation, an unbalanced `)`, `.pdf`."""
    # One pass from the end, so that a pathological tail ("))))...") costs linear time.
    lower = doi.lower()
    unbalanced = doi.count(")") - doi.count("(")
    end = len(doi)
    while end:
        if doi[end - 1] in ".,;:/":
            end -= 1
        elif doi[end - 1] == ")" and unbalanced > 0:
            end, unbalanced = end - 1, unbalanced - 1
        elif lower.endswith(".pdf", 0, end):
            end -= 4
        else:
            break
    return doi[:end]


def _canonical(raw: str) -> str | None:
    doi = _strip_tail(unquote(raw.strip())).lower()
    return doi if _SHAPE.fullmatch(doi) else None


def _identifier(raw: str, derived: bool = False) -> Identifier | None:
    doi = _canonical(raw)
    if doi is None:
        return None
    if doi.startswith(_ARXIV_DOI_PREFIX):
        return arxiv.from_token(doi[len(_ARXIV_DOI_PREFIX) :])
    return Identifier("doi", doi, derived=derived)


def from_token(token: str) -> Identifier | None:
    match = _TOKEN.fullmatch(token.strip())
    return _identifier(match["doi"]) if match else None


_NATURE_COMPACT = re.compile(r"(?P<journal>[a-z]+)(?P<year>(?:19|20)\d\d)(?P<number>\d{2,})")
_NATURE_SLUG = re.compile(r"[a-z]\d{5}-\d{3}-\d{4,5}-[0-9a-z]|[a-z]+\.?\d+")


def _nature_doi(match: re.Match[str]) -> str | None:
    slug = match["slug"].lower()
    # Pre-2018 slugs run journal, year and number together ("sdata201635"); the DOI dots them apart.
    compact = _NATURE_COMPACT.fullmatch(slug)
    if compact:
        return f"10.1038/{compact['journal']}.{compact['year']}.{compact['number']}"
    return f"10.1038/{slug}" if _NATURE_SLUG.fullmatch(slug) else None


# MDPI DOIs start with a journal abbreviation the URL does not carry (it has the ISSN instead). Only
# journals whose abbreviation is certain are listed: an unknown ISSN gives no DOI, not a guess.
_MDPI_JOURNALS = {
    "2076-3417": "app",  # Applied Sciences
    "1424-8220": "s",  # Sensors
    "1660-4601": "ijerph",  # Int. J. Environ. Res. Public Health
    "2079-9292": "electronics",
    "2227-9032": "healthcare",
    "2075-4418": "diagnostics",
    "2072-6694": "cancers",
}


def _mdpi_doi(match: re.Match[str]) -> str | None:
    journal = _MDPI_JOURNALS.get(match["issn"].upper())
    if journal is None:
        return None
    volume, issue, article = int(match["volume"]), int(match["issue"]), int(match["article"])
    return f"10.3390/{journal}{volume}{issue:02d}{article:04d}"


@dataclass(frozen=True, slots=True)
class _DoiRule:
    """Where a site's links carry a DOI (`doi` group) or enough to compute one (`build`)."""

    domains: tuple[str, ...]  # hosts and their subdomains; empty for any host
    path: re.Pattern[str]  # searched in the decoded path
    build: Callable[[re.Match[str]], str | None] | None = None
    derived: bool = False


_DOI = r"(?P<doi>10\.\d{4,9}/.+)"
_RULES = (
    _DoiRule(("doi.org",), re.compile(rf"^/{_DOI}")),
    _DoiRule(
        ("link.springer.com",),
        re.compile(rf"^/(?:article|chapter|book|content/pdf|referenceworkentry|protocol)/{_DOI}"),
    ),
    # bioRxiv/medRxiv paths append a version and a view (`v2.full.pdf`) to the DOI.
    _DoiRule(
        ("biorxiv.org", "medrxiv.org"),
        re.compile(r"^/content/(?:early/\d{4}/\d\d/\d\d/)?(?P<doi>10\.1101/(?:\d{4}\.\d\d\.\d\d\.)?\d{6,8})"),
    ),
    # ACM, Wiley, Taylor & Francis, SAGE, Science, ACS and many more: `/doi/[view/]10.…`.
    _DoiRule((), re.compile(rf"/doi/(?:[a-z]+/)?{_DOI}")),
    _DoiRule(
        ("nature.com",),
        re.compile(r"^/articles/(?P<slug>[A-Za-z0-9.-]+?)(?:\.pdf)?(?:/.*)?$"),
        _nature_doi,
        derived=True,
    ),
    _DoiRule(
        ("jmir.org",),
        re.compile(r"^/\d{4}/\d+/e(?P<number>\d+)(?:/|$)"),
        lambda m: f"10.2196/{m['number']}",
        derived=True,
    ),
    # Lancet URLs carry the PII, which the Lancet journals use verbatim as their DOI suffix.
    _DoiRule(
        ("thelancet.com",),
        re.compile(r"/PII(?P<pii>S\d{4}-\d{3}[\dX]\(\d\d\)\d{5}-[\dX])", re.IGNORECASE),
        lambda m: f"10.1016/{m['pii']}",
        derived=True,
    ),
    _DoiRule(
        ("mdpi.com",),
        re.compile(r"^/(?P<issn>\d{4}-\d{3}[\dXx])/(?P<volume>\d+)/(?P<issue>\d+)/(?P<article>\d+)(?:/|$)"),
        _mdpi_doi,
        derived=True,
    ),
)


def from_url(link: ParsedUrl) -> list[Identifier]:
    found: list[Identifier] = []
    for rule in _RULES:
        if rule.domains and not on_host(link.host, *rule.domains):
            continue
        match = rule.path.search(link.path)
        raw = (rule.build(match) if rule.build else match["doi"]) if match else None
        ident = _identifier(raw, rule.derived) if raw else None
        if ident:
            found.append(ident)
    return found


# What a DOI's shape says of the work's publication: Springer's and other publishers' book DOIs carry the
# ISBN, and a chapter's adds `_<number>`; the ACL Anthology's, AAAI's and IJCAI's DOIs are proceedings
# papers. Some publishers give their proceedings papers and some of their journals' papers one shape, so
# that the DOI says neither: ACM's `10.1145/<proceedings>.<paper>` (FAccT '22: 10.1145/3531146.3533234;
# CACM's older papers too: 10.1145/1327452.1327492) and every IEEE DOI (CVPR's 10.1109/CVPR.2016.90, IEEE
# Access's 10.1109/ACCESS.<year>.<number>): a journal article written as `@misc` is a miss, a conference
# paper written as `@article` would be wrong, and `curabib refresh` asks Crossref, which types each one.
# Any other DOI: a journal's.
_BOOK = re.compile(r"10\.\d{4,9}/978-?\d[\d-]{8,}")
_CHAPTER = re.compile(r"10\.\d{4,9}/978-?\d[\d-]{8,}_\d+")
_PROCEEDINGS = re.compile(r"10\.(?:18653/v1/|1609/aaai\.|24963/ijcai\.)")
_UNTOLD = re.compile(r"10\.(?:1145/\d+\.\d+|1109/)")


def publication_of(doi: str) -> str | None:
    """What a (canonical, lower-cased) DOI says the work is: "book", "chapter", "conference", "journal",
    or None where its publisher's shapes say nothing."""
    if _CHAPTER.fullmatch(doi):
        return "chapter"
    if _BOOK.fullmatch(doi):
        return "book"
    if _PROCEEDINGS.match(doi):
        return "conference"
    return None if _UNTOLD.match(doi) else "journal"


KIND = IdKind(
    name="doi",
    description="Digital Object Identifier, lower-cased, without resolver",
    pattern=re.compile(r"10\.\d{4,9}/\S+"),
    url_template="https://doi.org/{value}",
    names_paper=True,
    from_url=from_url,
    from_token=from_token,
    in_text=_IN_TEXT,
    publication_of=publication_of,
)
