"""Markdown tables read by their column headings: which column names the work, which gives its title,
year, authors or organisation, which holds its links, and which only says something about it.

  | 模型 | 最新时间 | 大小 | 项目地址 | 机构单位 |        -> label, year, note, link, authors
  | Name | Year | Paper |                             -> label, year, title (and the paper's link)

A row becomes one work: the cells of the naming, title, year and author columns are its fields, the links
of the naming, title, link and author columns are its links, and a column of another heading is kept in the
work's note as "Heading: value" (a link there names a work of its own, a dataset say, as before, unless
its text only names its kind: "[GitHub](...)"). An organisation is one literal name ("{百川智能}", as BibTeX
braces it); a name column's long text is the title when no column gives one; a short link text under
"Paper" ("[arXiv](...)") names no title when a name column names the work. A header with an empty cell (a
two-row header, a header of groups) names no columns: such a table is read as before, one work per link.
Pure: cells in, facts out; markdown.py turns the links into drafts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from curabib.ingest import citation as ct
from curabib.ingest.citation import Citation, Inline
from curabib.ingest.column_headings import ROLE_HEADINGS
from curabib.model import Link
from curabib.wording import counted

_ROLE_OF = {heading: role for role, headings in ROLE_HEADINGS.items() for heading in headings}
# The columns whose links are the row's work (a note column's links are works of their own).
_OWN_LINKS = ("label", "title", "link", "authors", "organisation")


@dataclass(slots=True)
class Column:
    heading: str
    role: str  # a key of ROLE_HEADINGS, or "note"
    texts: int = 0  # how many cells of it had text, and how many had links (for the report)
    links: int = 0


@dataclass(slots=True)
class TableReading:
    """How one table's columns were read; `columns` is None when its header names no columns."""

    line: int
    columns: list[Column] | None
    empty_headings: int = 0

    def describe(self) -> str:
        if self.columns is None:
            return (
                f"{counted(self.empty_headings, 'empty heading')}, "
                "columns not read by heading: one item per link"
            )
        return ", ".join(f"{c.heading or '(no heading)'} → {_described_role(c)}" for c in self.columns)


@dataclass(slots=True)
class RowFacts:
    label: str | None = None
    title: str | None = None
    year: int | None = None
    authors: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)


def read_header(cells: list[Inline], line: int) -> TableReading:
    headings = [ct.clean(cell.text) for cell in cells]
    empty = sum(1 for h in headings if not h)
    if empty:
        return TableReading(line, None, empty)
    return TableReading(line, [Column(h, column_role(h)) for h in headings])


def column_role(heading: str) -> str:
    """ "最新时间" -> "year", "Size" -> "note"; a heading naming a link kind ("GitHub") is a link column."""
    key = re.sub(r"[^\w#\s]", " ", heading.lower())
    key = re.sub(r"\s+", " ", key).strip()
    if key in _ROLE_OF:
        return _ROLE_OF[key]
    return "link" if ct.kind_word(heading) else "note"


def owns_link(column: Column | None, text: str) -> bool:
    """Whether a link in `column` is the row's work's: a note column's links name works of their own, but
    for a link naming only its kind ("[GitHub](...)")."""
    return (column is not None and column.role in _OWN_LINKS) or ct.kind_word(text) is not None


def read_row(reading: TableReading, cells: list[Inline]) -> RowFacts:
    """The row's fields from the cells of the label, title, year, author and note columns."""
    facts = RowFacts()
    has_title = any(c.role == "title" for c in reading.columns or [])
    has_label = any(c.role == "label" for c in reading.columns or [])
    for column, cell in zip(reading.columns or [], cells, strict=False):
        text = ct.clean(_named_text(cell))
        column.texts += bool(ct.clean(cell.outside_links()))
        column.links += bool(cell.links)
        if not text:
            continue
        if column.role == "label":
            if has_title or ct.is_name_like(text):
                facts.label = facts.label or text
            else:
                facts.title = facts.title or text.rstrip(".")
        elif column.role == "title" and not (has_label and ct.is_name_like(text)):
            facts.title = facts.title or text.rstrip(".")  # "[arXiv](...)" under "Paper" names no title
        elif column.role == "year" and (m := ct.YEAR.search(text)):
            facts.year = facts.year or int(m.group(1))
        elif column.role == "authors":
            facts.authors += ct.split_authors(text)[0]
        elif column.role == "organisation":
            facts.authors += (f"{{{text}}}",)  # one name, never split: BibTeX's braces (names.py)
        elif column.role == "note" or column.role == "year":
            outside = ct.clean(cell.outside_links())
            if outside:
                facts.notes.append(f"{column.heading}: {outside}")
    return facts


def row_citation(reading: TableReading, cells: list[Inline], work_links: list[Link]) -> Citation | None:
    """The row's work as a citation, or None when the row links to no work of its own (its naming, title and
    link columns hold no link other than a person's or organisation's page)."""
    facts = read_row(reading, cells)
    if not work_links:
        return None
    title, label = facts.title, facts.label
    first = work_links[0].text
    if title is None and first and first != label:
        title = first.rstrip(".")  # "Vicuna | [FastChat](...)": the link names the repository
    if title is not None and label is None and ct.is_name_like(title):
        title, label = None, title
    note = "; ".join(facts.notes) or None
    return Citation(
        title=title, label=label, authors=facts.authors, year=facts.year, style="table", note=note
    )


def _named_text(cell: Inline) -> str:
    """The cell's text without the texts of links that only name a kind ("[paper](...)", "[GitHub](...)")."""
    chars = list(cell.text)
    for link in cell.links:
        if ct.kind_word(link.text) or link.text.strip() == link.url.strip():
            chars[link.start : link.end] = " " * (link.end - link.start)
    return "".join(chars)


def _described_role(column: Column) -> str:
    if column.role == "organisation":
        return "authors"
    if column.role == "number":
        return "ignored"
    if column.role == "note" and column.links and not column.texts:
        return "items of their own"
    if column.role == "note" and column.links:
        return "note, links: items of their own"
    return column.role
