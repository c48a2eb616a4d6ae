"""What every identifier kind is built from: `Identifier`, `IdKind`, `ParsedUrl` and small helpers.

The kind modules (arxiv.py, doi.py, ...) import from here and from nothing else in the package except,
where one kind's ids hide inside another's, that other kind's module; the registry imports them all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
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
# The venue (its short name, as `data/venues.yaml` has it) and year an id names, when it names them.
VenueReader = Callable[[Identifier], tuple[str, int | None] | None]


# Keyword-only, so that a kind's entry reads as a form and `names_paper` is never left to a default.
@dataclass(frozen=True, slots=True, kw_only=True)
class IdKind:
    """One kind of identifier: what its canonical values look like, where they live, how to find them."""

    name: str
    description: str
    pattern: re.Pattern[str]  # a canonical value, matched whole; named groups fill `url_template`
    url_template: str  # `{value}` plus any named group of `pattern`
    # Whether an id of this kind says which paper an item is. A code repository's id does not: a paper
    # and its code are two works, and a paper without a paper id still needs looking up by title.
    names_paper: bool
    from_url: UrlReader
    from_token: TokenReader | None = None  # one id as a user types it ("arXiv:2304.13712")
    # Where such ids hide in prose; the "token" group of each match goes to `from_token`.
    in_text: re.Pattern[str] | None = None
    # What an id says of the work's publication, for the exports: "conference", "journal", "book" or
    # "chapter" (None: it does not say), and the venue and year a proceedings id names (a list's evidence,
    # `merge/`). `publication_of` answers for a kind whose values say different things (a DOI's shape).
    publication: str | None = None
    publication_of: Callable[[str], str | None] | None = None
    venue: VenueReader | None = None

    def says(self, value: str) -> str | None:
        """What an id of this kind with `value` says of the work's publication."""
        return self.publication_of(value) if self.publication_of is not None else self.publication

    # What `curabib add <id>` makes of a work it names: the item's kind and its link's kind.
    item_kind: str = "paper"
    link_kind: str = "paper"

    def url(self, value: str) -> str:
        """Canonical landing URL for a canonical value."""
        match = self.pattern.fullmatch(value)
        groups = match.groupdict() if match else {}
        fields = {k: quote(v, safe=_URL_SAFE) for k, v in groups.items() if v is not None}
        try:
            return self.url_template.format(value=quote(value, safe=_URL_SAFE), **fields)
        except KeyError:
            raise ValueError(f"{value!r} is not a canonical {self.name} value") from None


def on_host(host: str, *domains: str) -> bool:
    """Whether `host` is one of `domains` or a subdomain of one."""
    return any(host == d or host.endswith("." + d) for d in domains)


def parse_url(url: str) -> ParsedUrl | None:
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


def unique(idents: Iterable[Identifier]) -> list[Identifier]:
    # One entry per (kind, value): a second spelling of the same id (another version, a derived copy
    # of a direct id) adds nothing, and the first one seen is the most direct.
    seen: set[tuple[str, str]] = set()
    out: list[Identifier] = []
    for ident in idents:
        if (ident.kind, ident.value) not in seen:
            seen.add((ident.kind, ident.value))
            out.append(ident)
    return out
