"""What the export formats share: options, the kind of publication a work is, site names."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from curabib.export import types
from curabib.model import Work

_SITE_NAMES = {
    "github.com": "GitHub",
    "huggingface.co": "Hugging Face",
    "zhihu.com": "Zhihu",
    "zhuanlan.zhihu.com": "Zhihu",
    "medium.com": "Medium",
    "openai.com": "OpenAI",
    "gist.github.com": "GitHub Gist",
}


WORKS_PER_PIECE = 512


@dataclass(frozen=True, slots=True)
class ExportOptions:
    dialect: str = "bibtex"  # bibtex | biblatex
    terms: frozenset[str] = field(default_factory=frozenset)
    max_authors: int | None = None


@dataclass(frozen=True, slots=True)
class Format:
    """An export format: how one work is written, and the frame of a file of them."""

    name: str
    suffix: str
    render: Callable[[Work, ExportOptions], str]
    # A file: `opening`, the works with `separator` between them, `closing`; just `empty` without works.
    opening: str
    separator: str
    closing: str
    empty: str

    def file(self, rendered: Sequence[bytes]) -> Iterator[bytes]:
        """The file's bytes in pieces, from the works' rendered (UTF-8) texts in file order."""
        if not rendered:
            yield self.empty.encode()
            return
        separator = self.separator.encode()
        yield self.opening.encode()
        for start in range(0, len(rendered), WORKS_PER_PIECE):
            if start:
                yield separator
            yield separator.join(rendered[start : start + WORKS_PER_PIECE])
        yield self.closing.encode()


def publication(work: Work) -> str:
    """The work's publication kind (a key of `types.TYPES`): preprint, paper, conference, journal, book,
    chapter, thesis, report, dataset, software, model, blog or webpage. The rules live in `types.py`."""
    return types.publication(work)


def venue_name(work: Work) -> str | None:
    """The venue: the published container, else the curated hint (both normalized by then)."""
    if work.published is not None and work.published.container:
        return work.published.container
    return work.venue


def doi(work: Work) -> str | None:
    """The DOI to cite: the published version's, else the one curated, else arXiv's own (10.48550) for a
    preprint (a published version without a DOI is not given the preprint's)."""
    if work.published is not None and work.published.doi:
        return work.published.doi
    given = work.identifier("doi")
    if given is not None:
        return given.value
    if work.published is not None:
        return None
    arxiv = work.identifier("arxiv")
    return f"10.48550/arXiv.{arxiv.value}" if arxiv is not None else None


def pages(work: Work) -> str | None:
    """Page ranges with an en dash as BibTeX writes it: 1234--1240."""
    if work.published is None or not work.published.pages:
        return None
    return re.sub(r"\s*[-–—]+\s*", "--", re.sub(r"[^\w\s.,:+–—-]", "", work.published.pages))


def site_name(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).netloc.lower().removeprefix("www.")
    return _SITE_NAMES.get(host, host or None)


def display_title(work: Work) -> str:
    return work.title or work.label or work.key
