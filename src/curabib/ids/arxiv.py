"""arXiv e-print ids: new style (2304.13712) and old style (hep-th/9901001), the version kept apart."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from curabib.ids.base import Identifier, IdKind, ParsedUrl

# Old-style ids (before April 2007) only used these archives; listing them keeps `foo/1234567` out.
ARCHIVE = (
    "acc-phys|adap-org|alg-geom|ao-sci|astro-ph|atom-ph|bayes-an|chao-dyn|chem-ph|cmp-lg|"
    "comp-gas|cond-mat|cs|dg-ga|funct-an|gr-qc|hep-ex|hep-lat|hep-ph|hep-th|math|math-ph|"
    "mtrl-th|nlin|nucl-ex|nucl-th|patt-sol|physics|plasm-ph|q-alg|q-bio|quant-ph|solv-int|"
    "stat|supr-con"
)
_YYMM = r"\d\d(?:0[1-9]|1[0-2])"
# The subject class ("math.GT/0309136") is not part of the canonical id; it is matched and dropped.
_ARXIV_ID = (
    rf"(?:(?P<new>{_YYMM}\.\d{{4,5}})(?!\d)"
    rf"|(?P<archive>{ARCHIVE})(?:\.[a-z]+(?:-[a-z]+)?)?/(?P<number>{_YYMM}\d{{3}})(?!\d))"
    r"(?P<version>v\d+)?"
)
_TOKEN = re.compile(rf"(?:arxiv:\s*)?{_ARXIV_ID}", re.IGNORECASE)
_PATH = re.compile(rf"/(?:abs|pdf|html|format)/(?:arxiv:)?{_ARXIV_ID}(?:\.pdf)?(?![\w.-])", re.IGNORECASE)
_IN_TEXT = re.compile(rf"\barxiv(?:\s*:\s*|\.org/(?:abs|pdf)/)(?P<token>{_ARXIV_ID})", re.IGNORECASE)
_HOSTS = ("arxiv.org", "www.arxiv.org", "export.arxiv.org")


def _from_match(match: re.Match[str]) -> Identifier:
    value = match["new"] or f"{match['archive'].lower()}/{match['number']}"
    version = f"v{int(match['version'][1:])}" if match["version"] else None
    return Identifier("arxiv", value, version)


def from_token(token: str) -> Identifier | None:
    """An arXiv id as typed, with or without "arXiv:" and version; doi.py reads arXiv DOIs with it."""
    match = _TOKEN.fullmatch(token.strip())
    return _from_match(match) if match else None


def from_url(link: ParsedUrl) -> list[Identifier]:
    if link.host not in _HOSTS:
        return []
    match = _PATH.match(link.path)
    return [_from_match(match)] if match else []


KIND = IdKind(
    name="arxiv",
    description="arXiv e-print id, new (2304.13712) or old style (hep-th/9901001), no version",
    pattern=re.compile(rf"\d{{4}}\.\d{{4,5}}|(?:{ARCHIVE})/\d{{7}}"),
    url_template="https://arxiv.org/abs/{value}",
    names_paper=True,
    from_url=from_url,
    from_token=from_token,
    in_text=_IN_TEXT,
)


# A January id may be a December paper's: arXiv numbers a month's papers from the last deadline before
# it, which the holiday closure moves up to a week early (1601.00001 was submitted on 26 December 2015).
# A week is under 6,000 five-digit numbers even at 2025's rate (about 28,000 papers a month), and under
# 2,000 four-digit ones (2007-2014); an old-style id's number counts per archive, so any may be.
_DECEMBER_NUMBERS = {5: 6000, 4: 2000}


class Dated(NamedTuple):
    year: int
    month: int
    maybe_december: bool  # a January id numbered early enough to be the previous December's paper


@functools.lru_cache(maxsize=1 << 14)
def dated(value: str) -> Dated | None:
    """The year and month of an id's first version, as the id tells them (`2301.13848`: January 2023;
    `hep-th/9901001`: January 1999); None for a value that is not an arXiv id."""
    match = _NEW_OR_OLD.fullmatch(value)
    if match is None:
        return None
    yymm, number = (match["new"][:4], match["new"][5:]) if match["new"] else (match["yymm"], "")
    yy, month = int(yymm[:2]), int(yymm[2:])
    year = (2000 if yy < 90 else 1900) + yy  # new-style ids start in 2007, old-style ones in 1991
    limit = _DECEMBER_NUMBERS.get(len(number))
    early = month == 1 and (limit is None or int(number) < limit)
    return Dated(year, month, early)


_NEW_OR_OLD = re.compile(rf"(?P<new>{_YYMM}\.\d{{4,5}})|(?:{ARCHIVE})/(?P<yymm>{_YYMM})\d{{3}}")
