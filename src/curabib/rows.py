"""Lists and first passes as rows of plain tuples, and back: what a build's helper processes send.

`marshal` writes and reads tuples of strings, numbers and bytes in C; pickling the same data as
dataclasses runs Python code for every item, link and identifier. For a helper's 50k entries and their
rendered works that was a second, with the other process waiting for it. Round trips are exact
(tests check them on every kind of field).
"""

from __future__ import annotations

import marshal
from collections.abc import Iterator
from typing import Any

from curabib.build import Rendered
from curabib.dedupe import Candidate
from curabib.identifiers import Identifier
from curabib.model import CuratedList, Diagnostic, Item, Link, Section
from curabib.works import First

MARSHAL_VERSION = 2  # no shared-object references: faster, and nothing here is shared
PER_PIECE = 500  # items or first passes: a piece fits in the pipe, so its sender goes on to the next

Row = tuple[Any, ...]
Share = tuple[list[CuratedList], dict[str, First[Rendered]]]  # a helper's lists and first passes


def encode(share: Share) -> Iterator[bytes]:
    """The lists' outlines (names, headings, how many items where), their items, then the first passes,
    each a few hundred at a time: the receiver decodes a piece while the next is encoded."""
    lists, firsts = share
    yield marshal.dumps([_list_outline(lst) for lst in lists], MARSHAL_VERSION)
    items = [item for lst in lists for item in lst.all_items()]
    for start in range(0, len(items), PER_PIECE):
        yield marshal.dumps([_item_row(item) for item in items[start : start + PER_PIECE]], MARSHAL_VERSION)
    keys = list(firsts)
    for start in range(0, len(keys), PER_PIECE):
        rows = []
        for key in keys[start : start + PER_PIECE]:
            candidate, rendered, diagnostics = firsts[key]
            rows.append((key, tuple(candidate), tuple(rendered), tuple(map(_diagnostic_row, diagnostics))))
        yield marshal.dumps(rows, MARSHAL_VERSION)


def decode(pieces: Iterator[bytes]) -> Share:
    outlines = marshal.loads(next(pieces))
    count = sum(_item_count(outline) for outline in outlines)
    items: list[Item] = []
    while len(items) < count:
        items += [_item_from_row(row) for row in marshal.loads(next(pieces))]
    in_order = iter(items)
    lists = [_list_from_outline(outline, in_order) for outline in outlines]
    firsts: dict[str, First[Rendered]] = {
        key: (Candidate(*candidate), Rendered(*rendered), [Diagnostic(*d) for d in diagnostics])
        for piece in pieces
        for key, candidate, rendered, diagnostics in marshal.loads(piece)
    }
    return lists, firsts


# An outline: a list's or a section's own fields, how many items it has, and its sections' outlines.
# Items come apart, in `all_items` order: the list's own, then each section's, subsections after.


def _list_outline(lst: CuratedList) -> Row:
    return (
        lst.name,
        lst.title,
        lst.source,
        lst.source_url,
        len(lst.items),
        [_section_outline(s) for s in lst.sections],
    )


def _section_outline(section: Section) -> Row:
    return (section.heading, len(section.items), [_section_outline(s) for s in section.sections])


def _item_count(outline: Row) -> int:
    *_, own, sections = outline
    return int(own) + sum(_item_count(s) for s in sections)


def _list_from_outline(outline: Row, items: Iterator[Item]) -> CuratedList:
    name, title, source, source_url, own, sections = outline
    return CuratedList(
        name,
        title,
        source,
        source_url,
        [next(items) for _ in range(own)],
        [_section_from_outline(s, items) for s in sections],
    )


def _section_from_outline(outline: Row, items: Iterator[Item]) -> Section:
    heading, own, sections = outline
    return Section(
        heading, [next(items) for _ in range(own)], [_section_from_outline(s, items) for s in sections]
    )


def _item_row(item: Item) -> Row:
    return (
        item.kind,
        item.title,
        item.label,
        item.authors,
        item.et_al,
        item.year,
        item.venue,
        tuple((link.kind, link.url, link.text) for link in item.links),
        tuple((i.kind, i.value, i.version, i.derived) for i in item.ids),
        item.key,
        item.key_provisional,
        item.aliases,
        item.note,
        item.line,
    )


def _item_from_row(row: Row) -> Item:
    kind, title, label, authors, et_al, year, venue, links, ids, key, provisional, aliases, note, line = row
    return Item(
        kind,
        title,
        label,
        authors,
        et_al,
        year,
        venue,
        tuple(Link(*link) for link in links),
        tuple(Identifier(*i) for i in ids),
        key,
        provisional,
        aliases,
        note,
        line,
    )


def _diagnostic_row(diagnostic: Diagnostic) -> Row:
    return (diagnostic.level, diagnostic.where, diagnostic.message, diagnostic.code)
