"""Journal of Machine Learning Research papers: volume and paper id (v21/20-074), from jmlr.org's pages
(`/papers/v21/20-074.html`) and PDFs (`/papers/volume21/20-074/20-074.pdf`)."""

from __future__ import annotations

import re

from curabib.data import venues
from curabib.ids.base import Identifier, IdKind, ParsedUrl

_PATH = re.compile(
    r"^/papers/(?:v(?P<v>\d+)/(?P<id>[\w.-]+?)(?:\.html|\.pdf)?|volume(?P<vol>\d+)/(?P<dir>[\w.-]+)/[^/]*)/?$"
)


def from_url(link: ParsedUrl) -> list[Identifier]:
    if link.host not in ("jmlr.org", "www.jmlr.org"):
        return []
    match = _PATH.match(link.path)
    if not match:
        return []
    return [Identifier("jmlr", f"v{match['v'] or match['vol']}/{match['id'] or match['dir']}")]


def venue(ident: Identifier) -> tuple[str, int | None] | None:
    """JMLR and the year of the id's volume."""
    jmlr = venues.recognise("jmlr")
    return (jmlr.short, jmlr.year_of(ident.value.split("/", 1)[0].removeprefix("v"))) if jmlr else None


KIND = IdKind(
    name="jmlr",
    description="Journal of Machine Learning Research volume and paper id (v21/20-074)",
    pattern=re.compile(r"v\d+/[\w.-]+"),
    url_template="https://jmlr.org/papers/{value}.html",
    names_paper=True,
    from_url=from_url,
    venue=venue,
)
