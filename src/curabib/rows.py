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
FIRSTS_PER_PIECE = 1000

Row = tuple[Any, ...]


Share = tuple[list[CuratedList], dict[str, First[Rendered]]]  # a helper's lists and first passes


def encode(share: Share) -> Iterator[bytes]:
    """How many lists, each list, then the first passes a few thousand at a time: the receiver decodes
    each piece while the next is encoded."""
    lists, firsts = share
    yield marshal.dumps(len(lists), MARSHAL_VERSION)
    for lst in lists:
        yield marshal.dumps(_list_row(lst), MARSHAL_VERSION)
    keys = list(firsts)
    for start in range(0, len(keys), FIRSTS_PER_PIECE):
        rows = []
        for key in keys[start : start + FIRSTS_PER_PIECE]:
            candidate, rendered, diagnostics = firsts[key]
            rows.append((key, tuple(candidate), tuple(rendered), tuple(map(_diagnostic_row, diagnostics))))
        yield marshal.dumps(rows, MARSHAL_VERSION)


def decode(pieces: Iterator[bytes]) -> Share:
    lists = [_list_from_row(marshal.loads(next(pieces))) for _ in range(marshal.loads(next(pieces)))]
    firsts: dict[str, First[Rendered]] = {
        key: (Candidate(*candidate), Rendered(*rendered), [Diagnostic(*d) for d in diagnostics])
        for piece in pieces
        for key, candidate, rendered, diagnostics in marshal.loads(piece)
    }
    return lists, firsts


def _list_row(lst: CuratedList) -> Row:
    return (
        lst.name,
        lst.title,
        lst.source,
        lst.source_url,
        tuple(_item_row(i) for i in lst.items),
        tuple(_section_row(s) for s in lst.sections),
    )


def _list_from_row(row: Row) -> CuratedList:
    name, title, source, source_url, items, sections = row
    return CuratedList(
        name,
        title,
        source,
        source_url,
        [_item_from_row(i) for i in items],
        [_section_from_row(s) for s in sections],
    )


def _section_row(section: Section) -> Row:
    return (
        section.heading,
        tuple(_item_row(i) for i in section.items),
        tuple(_section_row(s) for s in section.sections),
    )


def _section_from_row(row: Row) -> Section:
    heading, items, sections = row
    return Section(heading, [_item_from_row(i) for i in items], [_section_from_row(s) for s in sections])


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
