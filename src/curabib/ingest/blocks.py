"""markdown-it-py tokens -> a small tree of blocks whose text runs know their links, bold and italics.

The importer reasons about list items, paragraphs, headings and table rows; markdown-it does the Markdown.
Bare URLs in text become links here (the lists write them on their own lines).
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from markdown_it import MarkdownIt
from markdown_it.token import Token

from curabib.errors import MarkdownImportError
from curabib.ingest.citation import Inline, InlineLink

_BARE_URL = re.compile(r"https?://[^\s<>()\[\]，。、]+[^\s<>()\[\]，。、.,;:!?'\"]")
_HTML_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.I | re.S)


@dataclass(slots=True)
class Block:
    type: str  # heading | paragraph | list | item | table_row | html | code | hr
    line: int  # 1-based line where the block starts
    level: int = 0  # heading level
    inline: Inline | None = None
    children: list[Block] = field(default_factory=list)
    cells: list[Inline] = field(default_factory=list)
    header: bool = False  # a table header row
    raw: str = ""  # html and code blocks


_OPENERS = {
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "list_item_open": "item",
    "heading_open": "heading",
    "paragraph_open": "paragraph",
    "tr_open": "table_row",
}
_LEAVES = {"html_block": "html", "fence": "code", "code_block": "code", "hr": "hr"}
_CONTAINERS = {"bullet_list", "ordered_list", "list_item", "heading", "paragraph", "tr"}


# markdown-it stops parsing, silently, below 100 levels (a bullet takes two: the list and the item): lists
# nest deeper than that. It parses nested blocks recursively, a few Python frames per level, so the parse runs
# under `run_deep`.
MAX_NESTING = 4000
_STACK_BYTES = 512 * 1024 * 1024


def parse_blocks(text: str) -> list[Block]:
    tokens = _tokens(text)
    deepest = max((t for t in tokens), key=lambda t: t.level, default=None)
    if deepest is not None and deepest.level >= MAX_NESTING - 2:
        line = deepest.map[0] + 1 if deepest.map else 1
        raise MarkdownImportError(
            f"line {line}: blocks nested deeper than {MAX_NESTING // 2} levels; the lines below it "
            "would be lost, so nothing is imported: flatten the list"
        )
    root = Block("root", 1)
    stack = [root]
    for token in tokens:
        line = token.map[0] + 1 if token.map else stack[-1].line
        parent = stack[-1]
        if token.type in _OPENERS:
            level = int(token.tag[1:]) if token.type == "heading_open" else 0
            stack.append(_child(parent, Block(_OPENERS[token.type], line, level=level)))
        elif token.type in _LEAVES:
            _child(parent, Block(_LEAVES[token.type], line, raw=token.content))
        elif token.type == "th_open":
            parent.header = True
        elif token.type == "inline":
            run = to_inline(token.children or [])
            if parent.type == "table_row":
                parent.cells.append(run)
            else:
                parent.inline = run
        elif token.nesting == -1 and token.type.replace("_close", "") in _CONTAINERS:
            stack.pop()
    return root.children


def _tokens(text: str) -> list[Token]:
    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table").enable("strikethrough")
    return md.parse(text)


T = TypeVar("T")


def run_deep(work: Callable[[], T]) -> T:
    """`work()` in a thread with a large stack and a recursion limit to match: markdown-it and the importer
    walk nested blocks recursively, a few Python frames per level."""
    result: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as err:  # re-raised in the caller's thread
            failure.append(err)

    limit, stack_size = sys.getrecursionlimit(), threading.stack_size()
    sys.setrecursionlimit(max(limit, 12 * MAX_NESTING))
    threading.stack_size(_STACK_BYTES)  # virtual memory: only the pages a deep list touches are used
    try:
        worker = threading.Thread(target=run, name="curabib-import")
        worker.start()
        worker.join()
    finally:
        threading.stack_size(stack_size)
        sys.setrecursionlimit(limit)
    if failure:
        raise failure[0]
    return result[0]


def _child(parent: Block, block: Block) -> Block:
    parent.children.append(block)
    return block


def to_inline(tokens: list[Token]) -> Inline:
    builder = _InlineBuilder()
    for token in tokens:
        builder.feed(token)
    builder.run.text = "".join(builder.text)
    return builder.run


class _InlineBuilder:
    def __init__(self) -> None:
        self.run = Inline()
        self.text: list[str] = []
        self.pos = 0
        self.open_link: tuple[int, str] | None = None
        self.open_spans: dict[str, int] = {}

    def add(self, piece: str) -> None:
        self.text.append(piece)
        self.pos += len(piece)

    def feed(self, token: Token) -> None:
        kind = token.type
        if kind == "text" and self.open_link is None:
            self.plain_text(token.content)
        elif kind in ("text", "code_inline"):
            self.add(token.content)
        elif kind in ("softbreak", "hardbreak") or (
            kind == "html_inline" and re.match(r"<br\s*/?>", token.content, re.I)
        ):
            self.run.breaks.append(self.pos)  # kept: a line break may start the next reference of a paragraph
            self.add(" ")
        elif kind == "link_open":
            self.open_link = (self.pos, str(token.attrs.get("href", "")))
        elif kind == "link_close" and self.open_link is not None:
            start, url = self.open_link
            self.run.links.append(InlineLink("".join(self.text)[start : self.pos], url, start, self.pos))
            self.open_link = None
        elif kind in ("strong_open", "em_open"):
            self.open_spans[kind] = self.pos
        elif kind in ("strong_close", "em_close"):
            self.close_span(kind.replace("_close", "_open"))

    def plain_text(self, content: str) -> None:
        for piece, url in _split_bare_urls(content):
            start = self.pos
            self.add(piece)
            if url:
                self.run.links.append(InlineLink(piece, url, start, self.pos))

    def close_span(self, opener: str) -> None:
        if opener in self.open_spans:
            spans = self.run.strong if opener == "strong_open" else self.run.emphasis
            spans.append((self.open_spans.pop(opener), self.pos))


def _split_bare_urls(text: str) -> list[tuple[str, str | None]]:
    pieces: list[tuple[str, str | None]] = []
    pos = 0
    for m in _BARE_URL.finditer(text):
        pieces.append((text[pos : m.start()], None))
        pieces.append((m.group(0), m.group(0)))
        pos = m.end()
    pieces.append((text[pos:], None))
    return [(p, u) for p, u in pieces if p]


def html_title(raw: str) -> str | None:
    """The text of an HTML `<h1>` (some lists open with one instead of a Markdown heading)."""
    if m := _HTML_H1.search(raw):
        title = re.sub(r"<[^>]+>", "", m.group(1))
        return re.sub(r"\s+", " ", title).strip() or None
    return None


def merged_inline(paragraphs: list[Block]) -> Inline:
    """The runs of a bullet's paragraphs as one run, a line break between each."""
    merged = Inline()
    for paragraph in paragraphs:
        run = paragraph.inline or Inline()
        offset = len(merged.text) + (1 if merged.text else 0)
        merged.text = f"{merged.text} {run.text}" if merged.text else run.text
        merged.links += [InlineLink(lk.text, lk.url, lk.start + offset, lk.end + offset) for lk in run.links]
        merged.strong += [(a + offset, b + offset) for a, b in run.strong]
        merged.emphasis += [(a + offset, b + offset) for a, b in run.emphasis]
        merged.breaks += ([offset - 1] if offset else []) + [b + offset for b in run.breaks]
    return merged
