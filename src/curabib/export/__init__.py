"""Export formats: each plugs in here once, as a suffix with a renderer for one work and a joiner.

A work is rendered once and the text reused in every file it appears in. A joiner gives a file's text
as pieces, so that a 100k-work file is streamed to disk rather than built as one string first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from curabib.export import bibtex, csl
from curabib.export.common import ExportOptions
from curabib.model import Work


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    suffix: str
    render: Callable[[Work, ExportOptions], str]
    join: Callable[[Sequence[str]], Iterable[str]]


FORMATS: tuple[Format, ...] = (
    Format("bibtex", ".bib", bibtex.render, bibtex.join),
    Format("csl-json", ".json", csl.render, csl.join),
)

__all__ = ["FORMATS", "ExportOptions", "Format"]
