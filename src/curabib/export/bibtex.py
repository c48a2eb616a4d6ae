"""BibTeX / biblatex export, laid out as bibtexparser's writer lays it out.

Accepted by BibTeX, biber, bibtexparser and pybtex: specials escaped in every field but url/doi, case kept
with per-word braces, arXiv preprints as `eprinttype = {arxiv}` + `eprint` (the one form BibTeX styles,
biber, pandoc and Zotero's BibTeX import all keep; biber warns when archivePrefix/primaryClass are also
present), and non-paper works as @misc with howpublished + url (@software/@online make BibTeX styles warn),
with the biblatex types under `--dialect biblatex`. Entry types come from the one table in `types.py`.

Entries are formatted here, not through bibtexparser's writer: its general machinery (a Library, a Field
object per value, per-field layout options) was a third of rendering 100k works, and our layout is fixed.
Tests hold every file to what bibtexparser's writer gives for it, byte for byte.
"""

from __future__ import annotations

import functools
import re

from curabib.export.common import (
    ExportOptions,
    Format,
    display_title,
    doi,
    pages,
    publication,
    site_name,
    venue_name,
)
from curabib.export.latex import escape, protect_title
from curabib.export.types import TYPES
from curabib.model import Person, Work

# Only these carry a published version's volume, number, pages and publisher (biber validates fields by type).
_WITH_PUBLISHED_FIELDS = ("inproceedings", "incollection", "article")
_INSTITUTION_FIELD = {"phdthesis": "school", "techreport": "institution"}
_ON_A_SITE = ("software", "dataset", "blog", "webpage", "model")  # @misc + howpublished = the site's name


def render(work: Work, options: ExportOptions) -> str:
    """One entry: `@type{key,`, a `  name = {value}` line per field present, and `}`."""
    entry_type, fields = _entry(work, options)
    lines = [f"  {name} = {{{value}}}" for name, value in fields if value]
    body = ",\n".join(lines) + "\n" if lines else ""
    return f"@{entry_type}{{{work.key},\n{body}}}\n"


def _entry(work: Work, options: ExportOptions) -> tuple[str, list[tuple[str, str | None]]]:
    kind = publication(work)
    title = protect_title(display_title(work), options.terms, keep_math=work.math_title)
    authors = _authors(work, options)
    fields: list[tuple[str, str | None]] = [
        ("author", authors),
        # Without an author, BibTeX styles sort and label by `key` ("to sort, need author or key").
        ("key", escape(work.label or display_title(work)) if authors is None else None),
        ("title", title),
    ]
    entry_type, typed = _typed(work, kind, options)
    fields += typed
    if entry_type in _WITH_PUBLISHED_FIELDS and work.published is not None:
        fields += [
            ("volume", escape(work.published.volume or "")),
            ("number", escape(work.published.issue or "")),
            ("pages", pages(work)),  # digits and "--": escaping would split the en dash
            ("publisher", escape(work.published.publisher or "") if kind != "journal" else None),
        ]
    fields.append(("year", str(work.year) if work.year else None))
    fields.extend(_identifier_fields(work, options))
    fields.append(("url", work.url))
    if options.dialect == "biblatex" and work.aliases:
        fields.append(("ids", ",".join(work.aliases)))
    return entry_type, fields


def _typed(work: Work, kind: str, options: ExportOptions) -> tuple[str, list[tuple[str, str | None]]]:
    """The entry type the table gives (`types.TYPES`) when the work has the fields that type requires,
    else `@misc`: BibTeX styles and biber warn about a missing mandatory field, never about @misc."""
    wanted = TYPES[kind].biblatex if options.dialect == "biblatex" else TYPES[kind].bibtex
    venue = venue_name(work)
    publisher = work.published.publisher if work.published is not None else None
    if work.authors:
        if wanted == "inproceedings":
            return wanted, [("booktitle", escape(venue) if venue else None)]
        if wanted == "incollection" and venue:
            return wanted, [("booktitle", escape(venue))]
        if wanted == "article" and venue:
            return wanted, [("journal", escape(venue))]
        if wanted == "book" and publisher:
            return wanted, [("publisher", escape(publisher))]
        if wanted in _INSTITUTION_FIELD and publisher:
            return wanted, [(_INSTITUTION_FIELD[wanted], escape(publisher))]
    if wanted in ("software", "dataset", "online"):
        return wanted, []
    if kind in _ON_A_SITE:
        return "misc", [("howpublished", escape(site_name(work.url) or ""))]
    if kind == "preprint" and work.identifier("arxiv") is not None:
        return "misc", []  # the eprint fields say where
    # An unpublished paper, a posted preprint, or a published one without the fields its type needs:
    # where it appeared, as the list or the record names it.
    where = venue or publisher
    return "misc", [("howpublished", escape(where) if where else None)]


def _identifier_fields(work: Work, options: ExportOptions) -> list[tuple[str, str | None]]:
    """The arXiv eprint fields stay on a published version too: readers find the free copy."""
    arxiv = work.identifier("arxiv")
    fields: list[tuple[str, str | None]] = []
    if arxiv is not None:
        fields += [("eprinttype", "arxiv"), ("eprint", arxiv.value)]
        if options.dialect == "biblatex" and work.arxiv_class:
            fields.append(("eprintclass", work.arxiv_class))
    fields.append(("doi", doi(work)))
    return fields


def _authors(work: Work, options: ExportOptions) -> str | None:
    people = list(work.authors)
    cut = options.max_authors is not None and len(people) > options.max_authors
    if cut:
        people = people[: options.max_authors]
    names = [_name(p) for p in people]
    if names and (work.et_al or cut):
        names.append("others")
    return " and ".join(names) or None


@functools.lru_cache(maxsize=1 << 16)  # the same authors recur across a list's works
def _name(person: Person) -> str:
    """`Family, Given` (`van der Maaten, Laurens`; `King, Jr., Martin Luther`); organisations braced whole."""
    family = _name_part(person.family)
    if person.literal:
        return "{" + escape(person.family) + "}"
    parts = [
        family,
        *([_name_part(person.suffix)] if person.suffix else []),
        *([_name_part(person.given)] if person.given else []),
    ]
    return ", ".join(parts) if len(parts) > 1 else family


_SPLITS_NAMES = re.compile(r"\band\b|,", re.IGNORECASE)


def _name_part(text: str) -> str:
    # A literal " and " or a comma would split the name list or the name itself: keep them inside braces.
    escaped = escape(text)
    return "{" + escaped + "}" if _SPLITS_NAMES.search(text) else escaped


# Entries separated by a blank line.
FORMAT = Format("bibtex", ".bib", render, opening="", separator="\n", closing="", empty="")
