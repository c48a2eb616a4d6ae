"""OpenReview forum ids, read from forum, PDF and attachment links (`?id=…`)."""

from __future__ import annotations

import re

from curabib.ids.base import Identifier, IdKind, ParsedUrl

_ID = re.compile(r"[A-Za-z0-9_-]+")


def from_url(link: ParsedUrl) -> list[Identifier]:
    if link.host not in ("openreview.net", "www.openreview.net"):
        return []
    if link.path.rstrip("/") not in ("/forum", "/pdf", "/attachment"):
        return []
    paper = link.query.get("id", "")
    return [Identifier("openreview", paper)] if _ID.fullmatch(paper) else []


KIND = IdKind(
    name="openreview",
    description="OpenReview forum id",
    pattern=_ID,
    url_template="https://openreview.net/forum?id={value}",
    names_paper=True,
    from_url=from_url,
)
