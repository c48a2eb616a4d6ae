"""Proceedings of Machine Learning Research papers: volume and paper key (v139/zhao21c)."""

from __future__ import annotations

import re

from curabib.data import venues
from curabib.ids.base import Identifier, IdKind, ParsedUrl

_PATH = re.compile(r"^/(?P<volume>v\d+)/(?P<key>[A-Za-z0-9][A-Za-z0-9_-]*?)(?:\.html|\.pdf)?(?:/.*)?$")


def from_url(link: ParsedUrl) -> list[Identifier]:
    if link.host != "proceedings.mlr.press":
        return []
    match = _PATH.match(link.path)
    return [Identifier("pmlr", f"{match['volume']}/{match['key']}")] if match else []


def venue(ident: Identifier) -> tuple[str, int | None] | None:
    """The conference a PMLR volume holds (v139: ICML 2021), when the venue table knows it."""
    found = venues.from_pmlr_volume(ident.value.split("/", 1)[0].removeprefix("v"))
    return (found[0].short, found[1]) if found else None


KIND = IdKind(
    name="pmlr",
    description="Proceedings of Machine Learning Research volume and paper key (v139/zhao21c)",
    pattern=re.compile(r"v\d+/[A-Za-z0-9][A-Za-z0-9_-]*"),
    url_template="https://proceedings.mlr.press/{value}.html",
    names_paper=True,
    from_url=from_url,
    publication="conference",
    venue=venue,
)
