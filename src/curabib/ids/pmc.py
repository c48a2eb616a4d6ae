"""PubMed Central ids (PMC10020064), typed or read from NCBI and Europe PMC links."""

from __future__ import annotations

import re

from curabib.ids.base import Identifier, IdKind, ParsedUrl, on_host

_PATH = re.compile(r"^(?:/pmc)?/articles?/(?:pmc/)?(?P<id>pmc\d+)(?!\d)", re.IGNORECASE)
_TOKEN = re.compile(r"pmc\d+", re.IGNORECASE)


def from_token(token: str) -> Identifier | None:
    token = token.strip()
    return Identifier("pmc", token.upper()) if _TOKEN.fullmatch(token) else None


def from_url(link: ParsedUrl) -> list[Identifier]:
    if not on_host(link.host, "ncbi.nlm.nih.gov", "europepmc.org"):
        return []
    match = _PATH.match(link.path)
    return [Identifier("pmc", match["id"].upper())] if match else []


KIND = IdKind(
    name="pmc",
    description="PubMed Central id (PMC10020064)",
    pattern=re.compile(r"PMC\d+"),
    url_template="https://www.ncbi.nlm.nih.gov/pmc/articles/{value}/",
    names_paper=True,
    from_url=from_url,
    from_token=from_token,
    publication="journal",
)
