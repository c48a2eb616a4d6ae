"""From drafts to items: what the importer collected about one work becomes an `Item`.

The importer (markdown.py) walks the document and gathers, per work, a `Draft`: the citation text it
read and the links it found. Here links get their kind ("paper", "code", ...), identifiers are taken
from links and text, and each draft becomes an `Item` with a work kind, or is reported as skipped.
`ImportReport` lives here too because both halves record skips in it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from curabib.ids import PAPER_KINDS, Identifier, identifiers_in_url
from curabib.ingest import citation as ct
from curabib.ingest.citation import InlineLink
from curabib.ingest.tables import TableReading
from curabib.model import Diagnostic, Item, Link

_KIND_ORDER = ("paper", "pdf", "code", "model", "dataset", "blog", "site")
_WORK_KIND = {
    "paper": "paper",
    "pdf": "paper",
    "code": "software",
    "model": "model",
    "dataset": "dataset",
    "blog": "blog",
    "site": "webpage",
}


@dataclass(slots=True)
class ImportReport:
    """What the import left out: one `skipped` diagnostic per line, pointing at the Markdown file."""

    source: str | None = None  # the Markdown file's name
    skipped: list[Diagnostic] = field(default_factory=list)
    tables: list[TableReading] = field(default_factory=list)  # how each table's columns were read
    references: int = 0  # full references (authors first, reference.py) read as items

    def table_lines(self) -> list[str]:
        """ "table at README.md:40: 模型 → label, 最新时间 → year, ..." for each table, in order."""
        return [f"table at {self.source or 'line'}:{t.line}: {t.describe()}" for t in self.tables]

    def skip(self, line: int, reason: str) -> None:
        self.skipped.append(Diagnostic("info", "skipped", reason, file=self.source, line=line))

    def reasons(self) -> Counter[str]:
        return Counter(s.message for s in self.skipped)


@dataclass(slots=True)
class Draft:
    """An item being assembled; becomes an `Item` when it turns out to be a work."""

    line: int
    citation: ct.Citation
    links: list[Link] = field(default_factory=list)
    text_ids: list[Identifier] = field(default_factory=list)
    kind_hint: str | None = None

    def attach(self, links: list[Link]) -> None:
        self.links.extend(links)


def typed_links(links: list[InlineLink]) -> list[Link]:
    typed = []
    for link in links:
        text = ct.clean(link.text)
        described = text if text and not ct.kind_word(text) and text != link.url else None
        typed.append(Link(ct.link_kind(link.url, link.text), link.url.strip(), described))
    return typed


def usable_links(
    links: list[InlineLink], line: int, report: ImportReport, table: bool = False
) -> list[InlineLink]:
    """The links that may name a work or belong to one: no anchors, images, badges or local files other
    than PDFs; a person's or organisation's page only in a table (where it says who made the row's work);
    no licence in a table. What is left out for a reason is reported."""
    usable = []
    for link in links:
        url = link.url.strip()
        if not url or ct.is_anchor_or_image(url) or "img.shields.io" in url:
            continue
        if ct.is_local(url) and not url.lower().endswith(".pdf"):
            report.skip(line, "link to a local file that is not a PDF")
        elif ct.is_account_page(url) and not ct.kind_word(link.text) and not table:
            report.skip(line, "link to a person's or organisation's page")
        elif table and ct.is_license(link.text, url):
            report.skip(line, "licence link")
        else:
            usable.append(InlineLink(link.text, url, link.start, link.end))
    return usable


def to_item(draft: Draft, report: ImportReport) -> Item | None:
    links = _unique_links(draft.links)
    citation = draft.citation
    title, label, year, venue = citation.title, citation.label, citation.year, citation.venue
    for link in links:
        from_name = ct.parse_pdf_name(link.url)
        if from_name and (title is None or from_name.title == title):
            title = title or from_name.title
            year = year or from_name.year
            venue = venue or from_name.venue
    ids = _identifiers(links, draft.text_ids)
    if title is None and label is None:
        label = _label_from_address(ids, links)
    if title is None and label is None:
        report.skip(draft.line, "no title, name or usable link")
        return None
    return Item(
        kind=_work_kind(links, ids, draft.kind_hint),
        title=title,
        label=label,
        authors=citation.authors,
        et_al=citation.et_al,
        year=year,
        venue=venue,
        links=tuple(links),
        ids=tuple(ids),
        note=citation.note,
        line=draft.line,
        source_line=draft.line,
    )


def _unique_links(links: list[Link]) -> list[Link]:
    seen: set[str] = set()
    unique = []
    for link in links:
        if link.url not in seen:
            seen.add(link.url)
            unique.append(link)
    return unique


def _identifiers(links: list[Link], text_ids: list[Identifier]) -> list[Identifier]:
    """One identifier per kind, from the first link that carries it; a direct one beats a derived one."""
    found: dict[str, Identifier] = {}
    for ident in [i for link in links for i in identifiers_in_url(link.url)] + text_ids:
        current = found.get(ident.kind)
        if current is None or (current.derived and not ident.derived):
            found[ident.kind] = ident
    return list(found.values())


def _label_from_address(ids: list[Identifier], links: list[Link]) -> str | None:
    """A name taken from the address itself, for a bare URL: "arXiv:2304.13712", a repository's name."""
    for ident in ids:
        if ident.kind == "github":
            return ident.value.split("/", 1)[1]
        if ident.kind == "arxiv":
            return f"arXiv:{ident.value}"
        if not ident.derived:
            return f"{ident.kind}:{ident.value}"
    for link in links:
        if not ct.is_local(link.url):
            return re.sub(r"^https?://(www\.)?", "", link.url).rstrip("/") or None
    return None


def _work_kind(links: list[Link], ids: list[Identifier], hint: str | None) -> str:
    # An id that names a paper settles it; a repository id does not (a model's page links its code).
    names_paper = any(i.kind in PAPER_KINDS for i in ids)
    if hint in ("dataset", "model") and not names_paper:
        return hint
    if names_paper:
        return "paper"
    kinds = {link.kind for link in links}
    for kind in _KIND_ORDER:
        if kind in kinds:
            return _WORK_KIND[kind]
    return hint if hint is not None and hint in _WORK_KIND.values() else "paper"
