"""Identifiers of scholarly works: how each kind is spotted in a link or in prose, where it lives.

`KINDS` is the registry, one `IdKind` per kind of identifier, in the order identifiers are reported.
Each entry knows its canonical shape, its landing URL and how to read its ids out of a parsed link;
kinds that people also write as bare tokens (arXiv ids, DOIs) know how to read those too. Adding a
kind is writing its URL reader and adding one entry to the table.

Everything here is pure: no network, no files. Values that are only inferred (a DOI computed from an
ACL Anthology id or a Nature article slug) are marked `derived`, for enrichment to confirm.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from urllib.parse import parse_qs, quote, unquote, urlsplit


@dataclass(frozen=True, slots=True, order=True)
class Identifier:
    kind: str
    value: str  # canonical form, see the kind's `pattern`
    version: str | None = None  # arXiv version ("v2"): kept apart so all versions share one value
    derived: bool = False  # inferred from another id or a URL slug; enrichment must confirm it


@dataclass(frozen=True, slots=True)
class ParsedUrl:
    """An http(s) link cut into what the URL readers need."""

    host: str  # lower-cased, no port, no trailing dot
    path: str  # percent-decoded, so that `%2F` in a DOI reads as `/`
    query: Mapping[str, str]  # first value of each parameter


# RFC 3986 characters that may stay as they are in a path; DOIs use many ((), `;`, `:`).
_URL_SAFE = "/:;()[]@!$&'*+,=-._~"


UrlReader = Callable[[ParsedUrl], list[Identifier]]
TokenReader = Callable[[str], Identifier | None]


@dataclass(frozen=True, slots=True)
class IdKind:
    name: str
    description: str
    pattern: re.Pattern[str]  # a canonical value, matched whole; named groups fill `url_template`
    url_template: str  # `{value}` plus any named group of `pattern`
    from_url: UrlReader
    from_token: TokenReader | None = None  # one id as a user types it ("arXiv:2304.13712")
    # Where such ids hide in prose; the "token" group of each match goes to `from_token`.
    in_text: re.Pattern[str] | None = None

    def url(self, value: str) -> str:
        """Canonical landing URL for a canonical value."""
        match = self.pattern.fullmatch(value)
        groups = match.groupdict() if match else {}
        fields = {k: quote(v, safe=_URL_SAFE) for k, v in groups.items() if v is not None}
        try:
            return self.url_template.format(value=quote(value, safe=_URL_SAFE), **fields)
        except KeyError:
            raise ValueError(f"{value!r} is not a canonical {self.name} value") from None


def _on(host: str, *domains: str) -> bool:
    """Whether `host` is one of `domains` or a subdomain of one."""
    return any(host == d or host.endswith("." + d) for d in domains)


def _unique(idents: Iterable[Identifier]) -> list[Identifier]:
    # One entry per (kind, value): a second spelling of the same id (another version, a derived copy
    # of a direct id) adds nothing, and the first one seen is the most direct.
    seen: set[tuple[str, str]] = set()
    out: list[Identifier] = []
    for ident in idents:
        if (ident.kind, ident.value) not in seen:
            seen.add((ident.kind, ident.value))
            out.append(ident)
    return out


# --- arXiv ---------------------------------------------------------------------------------------

# Old-style ids (before April 2007) only used these archives; listing them keeps `foo/1234567` out.
_ARCHIVE = (
    "acc-phys|adap-org|alg-geom|ao-sci|astro-ph|atom-ph|bayes-an|chao-dyn|chem-ph|cmp-lg|"
    "comp-gas|cond-mat|cs|dg-ga|funct-an|gr-qc|hep-ex|hep-lat|hep-ph|hep-th|math|math-ph|"
    "mtrl-th|nlin|nucl-ex|nucl-th|patt-sol|physics|plasm-ph|q-alg|q-bio|quant-ph|solv-int|"
    "stat|supr-con"
)
_YYMM = r"\d\d(?:0[1-9]|1[0-2])"
# The subject class ("math.GT/0309136") is not part of the canonical id; it is matched and dropped.
_ARXIV_ID = (
    rf"(?:(?P<new>{_YYMM}\.\d{{4,5}})(?!\d)"
    rf"|(?P<archive>{_ARCHIVE})(?:\.[a-z]+(?:-[a-z]+)?)?/(?P<number>{_YYMM}\d{{3}})(?!\d))"
    r"(?P<version>v\d+)?"
)
_ARXIV_TOKEN = re.compile(rf"(?:arxiv:\s*)?{_ARXIV_ID}", re.IGNORECASE)
_ARXIV_PATH = re.compile(
    rf"/(?:abs|pdf|html|format)/(?:arxiv:)?{_ARXIV_ID}(?:\.pdf)?(?![\w.-])", re.IGNORECASE
)
_ARXIV_IN_TEXT = re.compile(rf"\barxiv(?:\s*:\s*|\.org/(?:abs|pdf)/)(?P<token>{_ARXIV_ID})", re.IGNORECASE)
_ARXIV_HOSTS = ("arxiv.org", "www.arxiv.org", "export.arxiv.org")


def _arxiv_from_match(match: re.Match[str]) -> Identifier:
    value = match["new"] or f"{match['archive'].lower()}/{match['number']}"
    version = f"v{int(match['version'][1:])}" if match["version"] else None
    return Identifier("arxiv", value, version)


def _arxiv_from_token(token: str) -> Identifier | None:
    match = _ARXIV_TOKEN.fullmatch(token.strip())
    return _arxiv_from_match(match) if match else None


def _arxiv_from_url(link: ParsedUrl) -> list[Identifier]:
    if link.host not in _ARXIV_HOSTS:
        return []
    match = _ARXIV_PATH.match(link.path)
    return [_arxiv_from_match(match)] if match else []


# --- DOI -----------------------------------------------------------------------------------------

# Printable ASCII only: a DOI never holds spaces or non-ASCII, so those are prose around it.
_DOI_SHAPE = re.compile(r"10\.\d{4,9}/[!-~]+")
_DOI_TOKEN = re.compile(
    r"(?:doi:\s*|(?:https?://)?(?:dx\.|www\.)?doi\.org/)?(?P<doi>10\.\d{4,9}(?:/|%2f)\S+)",
    re.IGNORECASE,
)
# Characters allowed in a DOI found in prose; quotes, brackets, `&`, `?` and `#` end it because in
# Markdown and HTML they end the link around it far more often than they belong to a DOI.
_DOI_IN_TEXT = re.compile(r"(?<![\w.])(?P<token>10\.\d{4,9}(?:/|%2[fF])[A-Za-z0-9_\-.;()/:%+~@!$*=,]+)")
_ARXIV_DOI_PREFIX = "10.48550/arxiv."  # arXiv's DataCite DOIs are the arXiv id in disguise


def _strip_doi_tail(doi: str) -> str:
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


def _canonical_doi(raw: str) -> str | None:
    doi = _strip_doi_tail(unquote(raw.strip())).lower()
    return doi if _DOI_SHAPE.fullmatch(doi) else None


def _doi_identifier(raw: str, derived: bool = False) -> Identifier | None:
    doi = _canonical_doi(raw)
    if doi is None:
        return None
    if doi.startswith(_ARXIV_DOI_PREFIX):
        return _arxiv_from_token(doi[len(_ARXIV_DOI_PREFIX) :])
    return Identifier("doi", doi, derived=derived)


def _doi_from_token(token: str) -> Identifier | None:
    match = _DOI_TOKEN.fullmatch(token.strip())
    return _doi_identifier(match["doi"]) if match else None


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
_DOI_RULES = (
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


def _doi_from_url(link: ParsedUrl) -> list[Identifier]:
    found: list[Identifier] = []
    for rule in _DOI_RULES:
        if rule.domains and not _on(link.host, *rule.domains):
            continue
        match = rule.path.search(link.path)
        raw = (rule.build(match) if rule.build else match["doi"]) if match else None
        ident = _doi_identifier(raw, rule.derived) if raw else None
        if ident:
            found.append(ident)
    return found


# --- ACL Anthology -------------------------------------------------------------------------------

_ACL_ID = r"(?P<id>\d{4}\.[a-z0-9]+(?:-[a-z0-9]+)*\.\d+|[a-z]\d\d-\d{4})"
_ACL_TOKEN = re.compile(_ACL_ID, re.IGNORECASE)
# Legacy aclweb paths nest the id under its letter and volume: /anthology/N/N19/N19-1423.pdf.
_ACL_PATH = re.compile(
    rf"^/(?:anthology/)?(?:[a-z]/[a-z]\d\d/)?{_ACL_ID}(?:v\d+)?(?:\.pdf|\.bib|\.xml)?/?$",
    re.IGNORECASE,
)


def _acl_doi(acl_id: str) -> str | None:
    """The DOI the ACL gives a paper: none before 2014, and 2014-15 papers have an older prefix."""
    if acl_id[0].isdigit():
        return f"10.18653/v1/{acl_id}"
    year = int(acl_id[1:3])  # old-style ids ended with 2019, so two digits below 20 mean 20xx
    if 16 <= year <= 19:
        return f"10.18653/v1/{acl_id}"
    if 14 <= year <= 15:
        return f"10.3115/v1/{acl_id}"
    return None


def _acl_identifiers(acl_id: str) -> list[Identifier]:
    # New-style ids are lower case throughout, old-style ones start with an upper-case letter.
    value = acl_id.lower() if acl_id[0].isdigit() else acl_id.upper()
    found = [Identifier("acl", value)]
    doi = _acl_doi(value)
    if doi:
        found.append(Identifier("doi", doi, derived=True))
    return found


def _acl_from_token(token: str) -> Identifier | None:
    match = _ACL_TOKEN.fullmatch(token.strip())
    return _acl_identifiers(match["id"])[0] if match else None


def _acl_from_url(link: ParsedUrl) -> list[Identifier]:
    if not _on(link.host, "aclanthology.org", "aclweb.org"):
        return []
    match = _ACL_PATH.match(link.path)
    return _acl_identifiers(match["id"]) if match else []


# --- OpenReview, PMLR, NeurIPS, PMC --------------------------------------------------------------

_OPENREVIEW_ID = re.compile(r"[A-Za-z0-9_-]+")


def _openreview_from_url(link: ParsedUrl) -> list[Identifier]:
    if link.host not in ("openreview.net", "www.openreview.net"):
        return []
    if link.path.rstrip("/") not in ("/forum", "/pdf", "/attachment"):
        return []
    paper = link.query.get("id", "")
    return [Identifier("openreview", paper)] if _OPENREVIEW_ID.fullmatch(paper) else []


_PMLR_PATH = re.compile(r"^/(?P<volume>v\d+)/(?P<key>[A-Za-z0-9][A-Za-z0-9_-]*?)(?:\.html|\.pdf)?(?:/.*)?$")


def _pmlr_from_url(link: ParsedUrl) -> list[Identifier]:
    if link.host != "proceedings.mlr.press":
        return []
    match = _PMLR_PATH.match(link.path)
    return [Identifier("pmlr", f"{match['volume']}/{match['key']}")] if match else []


# A paper's abstract page and PDF share its year and hash, whatever the path prefix or file suffix.
_NEURIPS_PATH = re.compile(
    r"^/(?:paper_files/)?paper/(?P<year>\d{4})/(?:hash|file)/(?P<hash>[0-9a-f]{32})-",
    re.IGNORECASE,
)


def _neurips_from_url(link: ParsedUrl) -> list[Identifier]:
    if link.host not in ("proceedings.neurips.cc", "papers.nips.cc", "papers.neurips.cc"):
        return []
    match = _NEURIPS_PATH.match(link.path)
    return [Identifier("neurips", f"{match['year']}/{match['hash'].lower()}")] if match else []


_PMC_PATH = re.compile(r"^(?:/pmc)?/articles?/(?:pmc/)?(?P<id>pmc\d+)(?!\d)", re.IGNORECASE)
_PMC_TOKEN = re.compile(r"pmc\d+", re.IGNORECASE)


def _pmc_from_token(token: str) -> Identifier | None:
    token = token.strip()
    return Identifier("pmc", token.upper()) if _PMC_TOKEN.fullmatch(token) else None


def _pmc_from_url(link: ParsedUrl) -> list[Identifier]:
    if not _on(link.host, "ncbi.nlm.nih.gov", "europepmc.org"):
        return []
    match = _PMC_PATH.match(link.path)
    return [Identifier("pmc", match["id"].upper())] if match else []


# --- GitHub --------------------------------------------------------------------------------------

# First path segments that are GitHub's own pages, not user or organisation names.
_GITHUB_RESERVED = re.compile(
    "about|account|advisories|apps|blog|codespaces|collections|contact|copilot|"
    "customer-stories|dashboard|enterprise|events|explore|features|git-guides|issues|join|"
    "login|logout|marketplace|mobile|new|nonprofit|notifications|orgs|organizations|"
    "password_reset|premium-support|pricing|pulls|readme|resources|search|security|sessions|"
    "settings|site|solutions|sponsors|stars|team|topics|trending|users|watching"
)
_GITHUB_OWNER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_GITHUB_REPO = re.compile(r"[A-Za-z0-9._-]+")


def _github_from_url(link: ParsedUrl) -> list[Identifier]:
    if link.host not in ("github.com", "www.github.com"):
        return []
    segments = [s for s in link.path.split("/") if s]
    if len(segments) < 2:
        return []
    owner, repo = segments[0], segments[1].removesuffix(".git")
    if _GITHUB_RESERVED.fullmatch(owner.lower()) or repo in ("", ".", ".."):
        return []
    if not (_GITHUB_OWNER.fullmatch(owner) and _GITHUB_REPO.fullmatch(repo)):
        return []
    return [Identifier("github", f"{owner}/{repo}".lower())]


# --- the registry --------------------------------------------------------------------------------

KINDS: Mapping[str, IdKind] = MappingProxyType(
    {
        kind.name: kind
        for kind in (
            IdKind(
                "arxiv",
                "arXiv e-print id, new (2304.13712) or old style (hep-th/9901001), no version",
                re.compile(rf"\d{{4}}\.\d{{4,5}}|(?:{_ARCHIVE})/\d{{7}}"),
                "https://arxiv.org/abs/{value}",
                _arxiv_from_url,
                _arxiv_from_token,
                _ARXIV_IN_TEXT,
            ),
            IdKind(
                "doi",
                "Digital Object Identifier, lower-cased, without resolver",
                re.compile(r"10\.\d{4,9}/\S+"),
                "https://doi.org/{value}",
                _doi_from_url,
                _doi_from_token,
                _DOI_IN_TEXT,
            ),
            IdKind(
                "acl",
                "ACL Anthology id, new (2022.acl-short.16) or old style (N19-1423)",
                re.compile(r"\d{4}\.[a-z0-9]+(?:-[a-z0-9]+)*\.\d+|[A-Z]\d\d-\d{4}"),
                "https://aclanthology.org/{value}/",
                _acl_from_url,
                _acl_from_token,
            ),
            IdKind(
                "openreview",
                "OpenReview forum id",
                re.compile(r"[A-Za-z0-9_-]+"),
                "https://openreview.net/forum?id={value}",
                _openreview_from_url,
            ),
            IdKind(
                "pmlr",
                "Proceedings of Machine Learning Research volume and paper key (v139/zhao21c)",
                re.compile(r"v\d+/[A-Za-z0-9][A-Za-z0-9_-]*"),
                "https://proceedings.mlr.press/{value}.html",
                _pmlr_from_url,
            ),
            IdKind(
                "neurips",
                "NeurIPS proceedings year and paper hash (2020/1457c0d6…)",
                re.compile(r"(?P<year>\d{4})/(?P<hash>[0-9a-f]{32})"),
                "https://proceedings.neurips.cc/paper_files/paper/{year}/hash/{hash}-Abstract.html",
                _neurips_from_url,
            ),
            IdKind(
                "pmc",
                "PubMed Central id (PMC10020064)",
                re.compile(r"PMC\d+"),
                "https://www.ncbi.nlm.nih.gov/pmc/articles/{value}/",
                _pmc_from_url,
                _pmc_from_token,
            ),
            IdKind(
                "github",
                "GitHub repository, owner/repo lower-cased",
                re.compile(r"[a-z0-9][a-z0-9_-]*/[a-z0-9._-]+"),
                "https://github.com/{value}",
                _github_from_url,
            ),
        )
    }
)


# --- public functions ----------------------------------------------------------------------------


def _parse_url(url: str) -> ParsedUrl | None:
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    except ValueError:  # malformed netloc such as an unclosed "[" IPv6 literal
        return None
    # A link without a host is relative (./papers/x.pdf): it names a file, not a work.
    if parts.scheme not in ("http", "https", "") or not host:
        return None
    return ParsedUrl(host.rstrip("."), unquote(parts.path), query)


def identifiers_in_url(url: str) -> list[Identifier]:
    """Every identifier a link carries: the ones it names first, then those inferred from them."""
    link = _parse_url(url)
    if link is None:
        return []
    found = [ident for kind in KINDS.values() for ident in kind.from_url(link)]
    found.sort(key=lambda ident: ident.derived)  # stable, so each group keeps the registry order
    return _unique(found)


def identifiers_in_text(text: str) -> list[Identifier]:
    """Identifiers written out in prose ("arXiv:2304.13712", "doi:10.1000/xyz"), in order."""
    hits: list[tuple[int, Identifier]] = []
    for kind in KINDS.values():
        if kind.in_text is None or kind.from_token is None:
            continue
        for match in kind.in_text.finditer(text):
            ident = kind.from_token(match["token"])
            if ident:
                hits.append((match.start(), ident))
    hits.sort(key=lambda hit: hit[0])
    return _unique(ident for _, ident in hits)


def parse_identifier(text: str) -> Identifier | None:
    """One identifier as typed on the command line: a bare id, a prefixed id or a URL."""
    token = text.strip()
    for kind in KINDS.values():
        ident = kind.from_token(token) if kind.from_token else None
        if ident:
            return ident
    # People paste links without their scheme ("arxiv.org/abs/…"); a bare id never reaches here.
    url = token if "://" in token or token.startswith("//") else f"https://{token}"
    found = identifiers_in_url(url)
    return found[0] if found else None


def canonical_url(ident: Identifier) -> str:
    return KINDS[ident.kind].url(ident.value)
