"""Import stage: an awesome-list Markdown file -> a `CuratedList` of sections and items.

Pure: text in, list and a report of what was skipped out. Keys are assigned later (keys.py), by the
caller that knows the other lists. This module walks the document and decides which links belong to a work;
items.py turns each work's draft into an `Item`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from curabib.errors import MarkdownImportError
from curabib.ids import identifiers_in_text
from curabib.ingest import citation as ct
from curabib.ingest import reference, tables
from curabib.ingest.blocks import Block, html_title, merged_inline, parse_blocks, run_deep
from curabib.ingest.citation import Inline, InlineLink
from curabib.ingest.items import Draft, ImportReport, to_item, typed_links, usable_links
from curabib.model import CuratedList, Link, Section

__all__ = ["ImportReport", "import_markdown"]

_IGNORE_BELOW = re.compile(r"^\W*ignore\s+(everything\s+)?below\W*$", re.I)
_BOILERPLATE_HEADING = re.compile(
    r"^\W*(latest\s+)?(news|updates?|changelog|catalog(ue)?|(table\s+of\s+)?contents|toc|目录|"
    r"star\s+history|citation|cite|how\s+to\s+cite|contributing|contributors?|acknowledge?ments?|contact)\W*$",
    re.I,
)
_HEADING_NUMBER = re.compile(r"^\s*\d+(\.\d+)*\.?\s+")


@dataclass(slots=True)
class _Context:
    section: list[Draft]  # the drafts of the current section, in curated order
    owner: Draft | None = None  # the work that kind-only links ("[GitHub](...)") belong to
    group: str | None = None  # a grouping bullet's kind: "- Paper" / "- GitHub" above the links
    parent_name: str | None = None  # a bullet naming a model gives its name to the works under it
    depth: int = 0


def import_markdown(text: str, name: str, source: str | None = None) -> tuple[CuratedList, ImportReport]:
    if "\x00" in text:
        raise MarkdownImportError("this is not a text file (it contains NUL bytes)")
    # Nested bullets are walked recursively: a list may nest a thousand deep (`blocks.MAX_NESTING`).
    return run_deep(lambda: _import(text, name, source))


def _import(text: str, name: str, source: str | None) -> tuple[CuratedList, ImportReport]:
    blocks = parse_blocks(text)
    report = ImportReport(source)
    curated = CuratedList(name=name, source=source)
    _Importer(curated, report).run(blocks)
    if not any(True for _ in curated.all_items()):
        raise MarkdownImportError(
            "no items found: expected Markdown list items, table rows or links to papers under headings"
        )
    return curated, report


class _Importer:
    def __init__(self, curated: CuratedList, report: ImportReport) -> None:
        self.curated = curated
        self.report = report
        self.drafts: dict[int, list[Draft]] = {}  # id(section or root) -> drafts
        self.sections: dict[int, Section | None] = {}
        self.heading_work: dict[int, Draft] = {}
        self.stack: list[tuple[int, Section]] = []
        self.skipping_section: tuple[int, str] | None = None
        self.seen_heading = False
        self.table: tables.TableReading | None = None  # the header of the table being read

    # -- the document ------------------------------------------------------------------------
    def run(self, blocks: list[Block]) -> None:
        title_h1 = self._title_heading(blocks)
        for index, block in enumerate(blocks):
            if block.type == "heading":
                if index == title_h1:
                    self.curated.title = ct.clean(_text(block)) or None
                    continue
                self._heading(block)
            elif self.skipping_section is not None:
                self.report.skip(block.line, f"section '{self.skipping_section[1]}' is boilerplate")
            elif block.type == "paragraph" and _IGNORE_BELOW.match(_text(block)):
                self._ignore_rest(blocks[index + 1 :])
                break
            else:
                self._block(block)
        self._finish()

    def _title_heading(self, blocks: list[Block]) -> int | None:
        """A lone H1 opening the document is the list's title, not a section."""
        headings = [(i, b) for i, b in enumerate(blocks) if b.type == "heading"]
        h1 = [i for i, b in headings if b.level == 1]
        if len(h1) == 1 and headings and headings[0][0] == h1[0]:
            return h1[0]
        for block in blocks:
            if block.type == "html" and (title := html_title(block.raw)):
                self.curated.title = title
                break
        return None

    def _ignore_rest(self, rest: list[Block]) -> None:
        for block in rest:
            self.report.skip(block.line, "after the 'ignore below' marker")

    def _heading(self, block: Block) -> None:
        text = ct.clean(_text(block))
        if self.skipping_section is not None and block.level > self.skipping_section[0]:
            self.report.skip(block.line, f"section '{self.skipping_section[1]}' is boilerplate")
            return
        self.skipping_section = None
        if _BOILERPLATE_HEADING.match(re.sub(r"[^A-Za-z0-9\s\u4e00-\u9fff]", " ", text)):
            self.skipping_section = (block.level, text)
            self.report.skip(block.line, f"section '{text}' is boilerplate")
            return
        self.seen_heading = True
        section = Section(heading=text or f"(untitled, line {block.line})")
        while self.stack and self.stack[-1][0] >= block.level:
            self.stack.pop()
        siblings = self.stack[-1][1].sections if self.stack else self.curated.sections
        siblings.append(section)
        self.stack.append((block.level, section))

    def _current(self) -> list[Draft]:
        section = self.stack[-1][1] if self.stack else None
        key = id(section) if section else 0
        self.sections[key] = section
        return self.drafts.setdefault(key, [])

    def _block(self, block: Block) -> None:
        if block.type == "list":
            self._list(block, _Context(section=self._current()))
        elif block.type == "paragraph":
            self._paragraph(block)
        elif block.type == "table_row":
            self._table_row(block)
        elif block.type in ("html", "code"):
            self.report.skip(block.line, f"{block.type} block")
        elif block.type == "hr":
            pass
        for child in block.children if block.type not in ("list", "item") else ():
            self._block(child)

    # -- lists -------------------------------------------------------------------------------
    def _list(self, block: Block, ctx: _Context) -> None:
        for item in block.children:
            self._item(item, ctx)

    def _item(self, block: Block, ctx: _Context) -> None:
        inline = merged_inline([b for b in block.children if b.type == "paragraph"])
        nested = [b for b in block.children if b.type == "list"]
        links = usable_links(inline.links, block.line, self.report)
        text = ct.clean(inline.outside_links())
        kind_links = [lk for lk in links if ct.kind_word(lk.text)]
        named_links = [lk for lk in links if not ct.kind_word(lk.text)]

        def children(child_ctx: _Context) -> None:
            for sub in nested:
                self._list(sub, child_ctx)

        if (last := self._references(inline, block.line, ctx.section)) is not None:
            children(_Context(ctx.section, last, None, None, ctx.depth + 1))
            return

        if not links and not re.search(r"\w", text):
            if inline.links:
                self.report.skip(block.line, "table of contents entry")
            elif not nested:
                self.report.skip(block.line, "empty placeholder bullet")
            children(_Context(ctx.section, ctx.owner, ctx.group, ctx.parent_name, ctx.depth + 1))
            return
        if not links:
            self._linkless_item(block, inline, text, ctx, children)
            return
        if not named_links and not text and ctx.owner is not None:
            ctx.owner.attach(typed_links(kind_links))
            children(_Context(ctx.section, ctx.owner, None, ctx.parent_name, ctx.depth + 1))
            return
        if ctx.owner is not None and ctx.group in ("code", "site", "model", "dataset") and not text:
            ctx.owner.attach(typed_links(links))
            children(_Context(ctx.section, ctx.owner, None, ctx.parent_name, ctx.depth + 1))
            return
        if not text and len(named_links) > 1:
            for link in named_links:
                draft = self._draft_from_link(link, block.line, ctx)
                ctx.section.append(draft)
            children(_Context(ctx.section, None, None, None, ctx.depth + 1))
            return
        draft = self._work_draft(inline, text, links, named_links, block.line, ctx)
        ctx.section.append(draft)
        children(_Context(ctx.section, draft, None, None, ctx.depth + 1))

    def _linkless_item(
        self, block: Block, inline: Inline, text: str, ctx: _Context, children: Callable[[_Context], None]
    ) -> None:
        group = ct.kind_word(text)
        if group is not None:
            children(_Context(ctx.section, ctx.owner, group, ctx.parent_name, ctx.depth + 1))
            return
        citation = ct.parse(inline)
        if citation.style in ("year-prefix", "trailing-year", "strong") or (
            ctx.depth == 0 and ct.looks_like_citation(text)
        ):
            draft = Draft(block.line, citation, kind_hint="paper")
            draft.text_ids = identifiers_in_text(text)
            ctx.section.append(draft)
            children(_Context(ctx.section, draft, None, None, ctx.depth + 1))
            return
        # A name ("- T5", "- Koala: ...") owns the typed links below it; unclaimed, it is only a note.
        if ct.is_name_like(text):
            citation = ct.Citation(label=text, style="plain")
        elif citation.title is None:
            citation = ct.Citation(title=text, style="plain")
        draft = Draft(
            block.line, citation, kind_hint=ctx.group if ctx.group in ("dataset", "model") else None
        )
        position = len(ctx.section)
        children(_Context(ctx.section, draft, None, text if ct.is_name_like(text) else None, ctx.depth + 1))
        if draft.links:
            ctx.section.insert(position, draft)
        elif len(ctx.section) > position:
            self.report.skip(block.line, "a name grouping the works below it")
        else:
            self.report.skip(block.line, "a name or note without a link")

    def _work_draft(
        self,
        inline: Inline,
        text: str,
        links: list[InlineLink],
        named_links: list[InlineLink],
        line: int,
        ctx: _Context,
    ) -> Draft:
        citation = ct.parse(inline)
        if citation.style in ("plain", "none") and named_links:
            first = named_links[0].text
            outside_label = citation.label
            if ct.is_name_like(first):
                citation = ct.Citation(label=ct.clean(first), style="link")
            else:
                citation = ct.Citation(title=ct.clean(first).rstrip("."), style="link")
                citation.label = outside_label
        if citation.label is None and ctx.parent_name and ctx.group is None:
            citation.label = ctx.parent_name
        draft = Draft(line, citation, typed_links(links))
        draft.text_ids = identifiers_in_text(text)
        return draft

    def _draft_from_link(self, link: InlineLink, line: int, ctx: _Context) -> Draft:
        name = ct.clean(link.text).rstrip(".")
        citation = (
            ct.Citation(label=name, style="link")
            if ct.is_name_like(name) or name == link.url
            else ct.Citation(title=name, style="link")
        )
        if name == link.url or not name:
            citation = ct.Citation(style="link")
        return Draft(line, citation, typed_links([link]))

    # -- paragraphs and tables -----------------------------------------------------------------
    def _paragraph(self, block: Block) -> None:
        inline = block.inline or Inline()
        if self._references(inline, block.line, self._current()) is not None:
            return
        links = usable_links(inline.links, block.line, self.report)
        if not links:
            return
        if not self.seen_heading and all(lk.text == lk.url for lk in links):
            self.curated.source_url = self.curated.source_url or links[0].url
            self.report.skip(block.line, "the list's own address")
            return
        section = self._current()
        kind_links = [lk for lk in links if ct.kind_word(lk.text)]
        if kind_links and self.stack:
            self._heading_draft(block.line).attach(typed_links(kind_links))
        elif kind_links:
            self.report.skip(block.line, "a '[Paper]'-style link in prose with no heading naming its work")
        for link in links:
            if not ct.kind_word(link.text):
                section.append(self._draft_from_link(link, block.line, _Context(section)))

    def _references(self, inline: Inline, line: int, section: list[Draft]) -> Draft | None:
        """One draft per full reference in the run (reference.py reads them), in order; None, and nothing
        added, when the run holds none. Links of a part that is no reference (a link line below one)
        belong to the reference before it."""
        parts = [(lines, part, reference.parse(part)) for lines, part in reference.split(inline)]
        if not any(citation for _, _, citation in parts):
            return None
        last: Draft | None = None
        for lines, part, citation in parts:
            links = usable_links(part.links, line + lines, self.report)
            if citation is not None:
                self.report.references += 1
                last = Draft(line + lines, citation, typed_links(links), kind_hint="paper")
                last.text_ids = identifiers_in_text(ct.clean(part.outside_links()))
                section.append(last)
            elif last is not None:
                last.attach(typed_links(links))
            else:
                named = [lk for lk in links if not ct.kind_word(lk.text)]  # a "[pdf]" names no work
                section.extend(self._draft_from_link(lk, line + lines, _Context(section)) for lk in named)
        return last

    def _heading_draft(self, line: int) -> Draft:
        """The work a section heading names ("### 1. C-Eval" followed by [[论文](...)] [[Github](...)])."""
        section = self.stack[-1][1] if self.stack else None
        key = id(section) if section else 0
        if key not in self.heading_work:
            name = _HEADING_NUMBER.sub("", section.heading) if section else (self.curated.title or "")
            citation = (
                ct.Citation(label=name, style="heading")
                if ct.is_name_like(name)
                else ct.Citation(title=name, style="heading")
            )
            draft = Draft(line, citation)
            self._current().append(draft)
            self.heading_work[key] = draft
        return self.heading_work[key]

    def _table_row(self, block: Block) -> None:
        if block.header:
            self.table = tables.read_header(block.cells, block.line)
            self.report.tables.append(self.table)
        elif self.table is not None and self.table.columns is not None:
            self._column_row(block, self.table)
        else:
            self._link_row(block)

    def _link_row(self, block: Block) -> None:
        """A row of a table whose header names no columns: one work per link, the first cell its name."""
        first = block.cells[0] if block.cells else Inline()
        row_label = ct.clean(first.text) if first.text and not first.links else None
        row_draft: Draft | None = None
        section = self._current()
        for cell in block.cells:
            if self._references(cell, block.line, section) is not None:
                continue  # a cell holding a full reference is that work, whatever links it has
            for link in usable_links(cell.links, block.line, self.report, table=True):
                if ct.is_account_page(link.url):
                    if row_draft is not None:
                        row_draft.attach([Link("site", link.url, ct.clean(link.text) or None)])
                    continue
                draft = self._draft_from_link(link, block.line, _Context(section))
                kind = ct.link_kind(link.url, link.text)
                if row_draft is None and row_label and kind in ("code", "model"):
                    if draft.citation.label and draft.citation.label != row_label:
                        draft.citation.title = draft.citation.label
                    draft.citation.label = row_label
                row_draft = row_draft or draft
                section.append(draft)

    def _column_row(self, block: Block, reading: tables.TableReading) -> None:
        """A row of a table read by its headings (tables.py): one work with the row's fields and the links
        of its naming, title, link and author columns, before the works a note column links to."""
        section = self._current()
        position = len(section)
        own: list[Link] = []
        columns = reading.columns or []
        cited: Draft | None = None  # a cell holding a full reference is that work, with the row's links
        for n, cell in enumerate(block.cells):
            if (last := self._references(cell, block.line, section)) is not None:
                cited = cited or last
                continue
            for link in usable_links(cell.links, block.line, self.report, table=True):
                if ct.is_account_page(link.url):
                    own.append(Link("site", link.url, ct.clean(link.text) or None))
                elif tables.owns_link(columns[n] if n < len(columns) else None, link.text):
                    own.extend(typed_links([link]))
                else:
                    section.append(self._draft_from_link(link, block.line, _Context(section)))
        if cited is not None:
            cited.attach(own)
            return
        work_links = [lk for lk in own if not ct.is_account_page(lk.url)]
        citation = tables.row_citation(reading, block.cells, work_links)
        if citation is None:
            self.report.skip(block.line, "a table row without a link to its work")
            return
        draft = Draft(block.line, citation, own)
        draft.text_ids = identifiers_in_text(" ".join(ct.clean(c.outside_links()) for c in block.cells))
        section.insert(position, draft)

    # -- the result ----------------------------------------------------------------------------
    def _finish(self) -> None:
        for key, drafts in self.drafts.items():
            items = [item for d in drafts if (item := to_item(d, self.report)) is not None]
            section = self.sections.get(key)
            if section is None:
                self.curated.items.extend(items)
            else:
                section.items.extend(items)


def _text(block: Block) -> str:
    return block.inline.text if block.inline else ""
