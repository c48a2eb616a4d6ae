"""ACL Anthology ids, new (2022.acl-short.16) and old style (N19-1423), with the DOI the ACL gives each.

The DOI is derived from the id, not read: the Anthology assigns DOIs by rule, but not to every paper.
"""

from __future__ import annotations

import re

from curabib.data import venues
from curabib.ids.base import Identifier, IdKind, ParsedUrl, on_host

_ID = r"(?P<id>\d{4}\.[a-z0-9]+(?:-[a-z0-9]+)*\.\d+|[a-z]\d\d-\d{4})"
_TOKEN = re.compile(_ID, re.IGNORECASE)
# Legacy aclweb paths nest the id under its letter and volume: /anthology/N/N19/N19-1423.pdf.
_PATH = re.compile(
    rf"^/(?:anthology/)?(?:[a-z]/[a-z]\d\d/)?{_ID}(?:v\d+)?(?:\.pdf|\.bib|\.xml)?/?$",
    re.IGNORECASE,
)


def _doi(acl_id: str) -> str | None:
    """The DOI the ACL gives a paper: none before 2014, and 2014-15 papers have an older prefix."""
    if acl_id[0].isdigit():
        return f"10.18653/v1/{acl_id}"
    year = int(acl_id[1:3])  # old-style ids ended with 2019, so two digits below 20 mean 20xx
    if 16 <= year <= 19:
        return f"10.18653/v1/{acl_id}"
    if 14 <= year <= 15:
        return f"10.3115/v1/{acl_id}"
    return None


def _identifiers(acl_id: str) -> list[Identifier]:
    # New-style ids are lower case throughout, old-style ones start with an upper-case letter.
    value = acl_id.lower() if acl_id[0].isdigit() else acl_id.upper()
    found = [Identifier("acl", value)]
    doi = _doi(value)
    if doi:
        found.append(Identifier("doi", doi, derived=True))
    return found


def from_token(token: str) -> Identifier | None:
    match = _TOKEN.fullmatch(token.strip())
    return _identifiers(match["id"])[0] if match else None


def from_url(link: ParsedUrl) -> list[Identifier]:
    if not on_host(link.host, "aclanthology.org", "aclweb.org"):
        return []
    match = _PATH.match(link.path)
    return _identifiers(match["id"]) if match else []


_NEW_STYLE = re.compile(r"(?P<year>(?:19|20)\d\d)\.(?P<code>findings-[a-z]+|[a-z]+)")
_OLD_STYLE = re.compile(r"(?P<code>[A-Z])(?P<yy>\d\d)-\d{4}")


def venue(ident: Identifier) -> tuple[str, int | None] | None:
    """The conference or journal of an Anthology id's volume (2022.acl-long: ACL 2022; N19: NAACL 2019),
    when the venue table knows the volume's code."""
    if m := _NEW_STYLE.match(ident.value):
        code, year = m["code"], int(m["year"])
    elif m := _OLD_STYLE.match(ident.value):
        yy = int(m["yy"])
        code, year = m["code"], (2000 + yy if yy < 60 else 1900 + yy)
    else:
        return None
    found = venues.from_anthology(code)
    return (found.short, year) if found else None


KIND = IdKind(
    name="acl",
    description="ACL Anthology id, new (2022.acl-short.16) or old style (N19-1423)",
    pattern=re.compile(r"\d{4}\.[a-z0-9]+(?:-[a-z0-9]+)*\.\d+|[A-Z]\d\d-\d{4}"),
    url_template="https://aclanthology.org/{value}/",
    names_paper=True,
    from_url=from_url,
    from_token=from_token,
    publication="conference",
    venue=venue,
)
