"""GitHub repositories (owner/repo, lower-cased): code, so an id that does not name a paper."""

from __future__ import annotations

import re

from curabib.ids.base import Identifier, IdKind, ParsedUrl

# First path segments that are GitHub's own pages, not user or organisation names.
_RESERVED = re.compile(
    "about|account|advisories|apps|blog|codespaces|collections|contact|copilot|"
    "customer-stories|dashboard|enterprise|events|explore|features|git-guides|issues|join|"
    "login|logout|marketplace|mobile|new|nonprofit|notifications|orgs|organizations|"
    "password_reset|premium-support|pricing|pulls|readme|resources|search|security|sessions|"
    "settings|site|solutions|sponsors|stars|team|topics|trending|users|watching"
)
_OWNER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_REPO = re.compile(r"[A-Za-z0-9._-]+")


def from_url(link: ParsedUrl) -> list[Identifier]:
    if link.host not in ("github.com", "www.github.com"):
        return []
    segments = [s for s in link.path.split("/") if s]
    if len(segments) < 2:
        return []
    owner, repo = segments[0], segments[1].removesuffix(".git")
    if _RESERVED.fullmatch(owner.lower()) or repo in ("", ".", ".."):
        return []
    if not (_OWNER.fullmatch(owner) and _REPO.fullmatch(repo)):
        return []
    return [Identifier("github", f"{owner}/{repo}".lower())]


KIND = IdKind(
    name="github",
    description="GitHub repository, owner/repo lower-cased",
    pattern=re.compile(r"[a-z0-9][a-z0-9_-]*/[a-z0-9._-]+"),
    url_template="https://github.com/{value}",
    names_paper=False,
    from_url=from_url,
    item_kind="software",
    link_kind="code",
)
