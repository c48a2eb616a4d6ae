"""Export formats: each is one module that defines its `FORMAT` (a suffix, a renderer for one work and the
file's frame) and is listed here, in `FORMATS`.

A work is rendered once per format, encoded once, and the bytes reused in every file it appears in: a
format added here gets its field in `layout.Rendered` and its files in `layout.files`. A file's bytes come
in pieces, so that a 100k-work file is streamed to disk rather than built whole.

Formats written once per list and once for all lists, not per section (Zotero RDF, whose one file holds a
list's collection tree), plug in to `LIST_FORMATS` in `layout.py` instead.
"""

from __future__ import annotations

from curabib.export import bibtex, csl
from curabib.export.common import ExportOptions, Format

FORMATS: tuple[Format, ...] = (bibtex.FORMAT, csl.FORMAT)

__all__ = ["FORMATS", "ExportOptions", "Format"]
