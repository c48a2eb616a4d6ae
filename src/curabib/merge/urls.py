"""Which URL a merged work gets: its arXiv abstract page, else the best web link its items stand by."""

from __future__ import annotations

from urllib.parse import urlsplit

from curabib.ids import Identifier, canonical_url, identifiers_in_url
from curabib.model import Item

# Hosts of many works whose home page is never one work's URL.
_PLATFORMS = frozenset(
    {
        "arxiv.org",
        "export.arxiv.org",
        "github.com",
        "gist.github.com",
        "huggingface.co",
        "doi.org",
        "dx.doi.org",
        "openreview.net",
        "aclanthology.org",
        "proceedings.mlr.press",
        "proceedings.neurips.cc",
        "papers.nips.cc",
        "jmlr.org",
        "ncbi.nlm.nih.gov",
        "pubmed.ncbi.nlm.nih.gov",
        "scholar.google.com",
        "semanticscholar.org",
        "paperswithcode.com",
        "medium.com",
        "zhihu.com",
        "zhuanlan.zhihu.com",
        "twitter.com",
        "x.com",
        "youtube.com",
        "dl.acm.org",
        "ieeexplore.ieee.org",
        "link.springer.com",
        "academic.oup.com",
        "sciencedirect.com",
        "nature.com",
        "biorxiv.org",
        "medrxiv.org",
        "ssrn.com",
        "papers.ssrn.com",
        "researchsquare.com",
    }
)
_URL_PREFERENCE = ("paper", "code", "model", "dataset", "blog", "site", "pdf")


def work_url(items: list[Item], ids: list[Identifier], refused: frozenset[str] = frozenset()) -> str | None:
    """The arXiv abstract page, else the first link of the preferred kind (`_URL_PREFERENCE`) that an item
    stands by and that is not a platform's home page."""
    arxiv = next((i for i in ids if i.kind == "arxiv"), None)
    if arxiv is not None:
        return canonical_url(arxiv)
    links = [
        link
        for item in items
        for link in item.links
        if _owned(link.url, item, refused) and not is_bare_host(link.url)
    ]
    for kind in _URL_PREFERENCE:
        for link in links:
            if link.kind == kind:
                return link.url
    return None


def _owned(url: str, item: Item, refused: frozenset[str] = frozenset()) -> bool:
    """A web link the item stands by: not one whose identifier the curator removed as pointing elsewhere,
    nor one whose identifier `refresh` found to be another work's."""
    if not url.startswith(("http://", "https://")):
        return False
    own = [ident for ident in item.ids if record_id(ident) not in refused]
    if any(url == canonical_url(ident) for ident in own):
        return True  # the usual case, decided without parsing the URL
    carried = {(i.kind, i.value) for i in identifiers_in_url(url) if not i.derived and i.kind != "github"}
    return not carried or bool(carried & {(i.kind, i.value) for i in own})


def is_bare_host(url: str) -> bool:
    """A link to a platform's home page (`https://arxiv.org/`, `https://github.com`): it hosts many works
    and is none of them. A project's own home page (`https://pile.eleuther.ai/`) is its URL."""
    parts = urlsplit(url)
    if parts.path.strip("/") or parts.query or parts.fragment:
        return False
    return parts.netloc.lower().removeprefix("www.") in _PLATFORMS


def record_id(ident: Identifier) -> str:
    """As a record names it: "arxiv:1706.03762", "doi:10.1145/3458754"."""
    return f"{ident.kind}:{ident.value}".lower()
