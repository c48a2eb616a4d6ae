"""Export formats: each plugs in here once, as a suffix, a renderer for one work and the file's frame.

A work is rendered once, encoded once, and the bytes reused in every file it appears in. A file's bytes
come in pieces of a few hundred works, so that a 100k-work file is streamed to disk rather than built whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from curabib.export import bibtex, csl
from curabib.export.common import ExportOptions
from curabib.model import Work

WORKS_PER_PIECE = 512


@dataclass(frozen=True, slots=True)
class Format:
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


FORMATS: tuple[Format, ...] = (
    # Entries separated by a blank line.
    Format("bibtex", ".bib", bibtex.render, opening="", separator="\n", closing="", empty=""),
    # A JSON array with one item per line: diffs show which works changed.
    Format("csl-json", ".json", csl.render, opening="[\n", separator=",\n", closing="\n]\n", empty="[]\n"),
)

__all__ = ["FORMATS", "ExportOptions", "Format"]
