"""NeurIPS proceedings papers: year and paper hash, the same for a paper's abstract page and its PDF."""

from __future__ import annotations

import re

from curabib.ids.base import Identifier, IdKind, ParsedUrl

# A paper's abstract page and PDF share its year and hash, whatever the path prefix or file suffix.
_PATH = re.compile(
    r"^/(?:paper_files/)?paper/(?P<year>\d{4})/(?:hash|file)/(?P<hash>[0-9a-f]{32})-",
    re.IGNORECASE,
)


def from_url(link: ParsedUrl) -> list[Identifier]:
    if link.host not in ("proceedings.neurips.cc", "papers.nips.cc", "papers.neurips.cc"):
        return []
    match = _PATH.match(link.path)
    return [Identifier("neurips", f"{match['year']}/{match['hash'].lower()}")] if match else []


def venue(ident: Identifier) -> tuple[str, int | None]:
    return "NeurIPS", int(ident.value[:4])


KIND = IdKind(
    name="neurips",
    description="NeurIPS proceedings year and paper hash (2020/1457c0d6…)",
    pattern=re.compile(r"(?P<year>\d{4})/(?P<hash>[0-9a-f]{32})"),
    url_template="https://proceedings.neurips.cc/paper_files/paper/{year}/hash/{hash}-Abstract.html",
    names_paper=True,
    from_url=from_url,
    publication="conference",
    venue=venue,
)
