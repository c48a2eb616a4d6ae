"""Identifiers of scholarly works: how each kind is spotted in a link or in prose, where it lives.

One module per kind (arxiv.py, doi.py, acl.py, ...) defines its `IdKind`: its canonical shape, its
landing URL, how to read its ids out of a parsed link and, for kinds people also write as bare tokens
(arXiv ids, DOIs), how to read those, and what its ids imply (a paper, a conference, a venue and year).
`registry.KINDS` lists them in the order identifiers are reported; adding a kind is writing its module
and adding one line there (or calling `register` from a plugin). This module holds the lookups that walk
the registry.

Everything here is pure: no network, no files. Values that are only inferred (a DOI computed from an
ACL Anthology id or a Nature article slug) are marked `derived`, for enrichment to confirm.
"""

from __future__ import annotations

from curabib.ids.base import Identifier, IdKind, ParsedUrl, parse_url, unique
from curabib.ids.registry import KINDS, PAPER_KINDS, register, unregister

__all__ = [
    "KINDS",
    "PAPER_KINDS",
    "IdKind",
    "Identifier",
    "ParsedUrl",
    "canonical_url",
    "identifiers_in_text",
    "identifiers_in_url",
    "parse_identifier",
    "register",
    "unregister",
]


def identifiers_in_url(url: str) -> list[Identifier]:
    """Every identifier a link carries: the ones it names first, then those inferred from them."""
    link = parse_url(url)
    if link is None:
        return []
    found = [ident for kind in KINDS.values() for ident in kind.from_url(link)]
    found.sort(key=lambda ident: ident.derived)  # stable, so each group keeps the registry order
    return unique(found)


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
    return unique(ident for _, ident in hits)


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
