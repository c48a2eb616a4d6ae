"""arXiv e-print ids: new style (2304.13712) and old style (hep-th/9901001), the version kept apart."""

from __future__ import annotations

import re

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
