"""A build spread over processes gives what one process gives, and what its helpers send arrives whole."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import ROOT
from curabib import entries, rows
from curabib.build import Rendered
from curabib.dedupe import Candidate
from curabib.export import ExportOptions
from curabib.forked import Codec, map_in_processes
from curabib.identifiers import Identifier
from curabib.latex import load_terms
from curabib.model import CuratedList, Diagnostic, Item, Link, Section
from curabib.pipeline import build_bibliography, deal
from curabib.works import collect_works, pin_missing_keys

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
OPTIONS = ExportOptions(terms=load_terms())

EVERY_FIELD = Item(
    kind="software",
    title="A title: with 'quotes' and ünïcödé",
    label="Label",
    authors=("Laurens van der Maaten", "OpenAI"),
    et_al=True,
    year=2023,
    venue="EMNLP findings",
    links=(
        Link("code", "https://github.com/org/repo", "repo"),
        Link("paper", "https://arxiv.org/abs/2304.13712"),
    ),
    ids=(Identifier("arxiv", "2304.13712", version="v2"), Identifier("doi", "10.1/x", derived=True)),
    key="vandermaaten2023title",
    key_provisional=True,
    aliases=("old2023key",),
    note="corrected by hand",
    line=12,
)


def test_lists_and_first_passes_arrive_as_they_were_sent() -> None:
    ours = entries.load_all(ROOT / "entries", jobs=1)
    handmade = CuratedList(
        "handmade",
        title="Hand made",
        source="README.md",
        source_url="https://example.org",
        items=[EVERY_FIELD],
        sections=[Section("A", [Item("paper", title="Only a title")], [Section("A.1", [EVERY_FIELD])])],
    )
    lists = [*ours, handmade]
    work = collect_works([CuratedList("one", items=[EVERY_FIELD])]).works["vandermaaten2023title"]
    conflict = Diagnostic("warning", "k", "a fetched record contradicts the curated title", code="conflict")
    firsts = {
        "k": (Candidate.of(work), Rendered.of(work, OPTIONS), [conflict]),
        "j": (Candidate.of(work), Rendered.of(work, OPTIONS), []),
    }
    pieces = list(rows.encode((lists, firsts)))
    items = sum(1 for lst in lists for _ in lst.all_items())
    assert len(pieces) == 1 + -(-items // rows.PER_PIECE) + 1  # outlines, items in pieces, first passes
    assert rows.decode(iter(pieces)) == (lists, firsts)


def test_a_helper_sends_its_results_in_pieces_through_a_codec() -> None:
    # Each number goes as one piece per digit: this process puts them together again.
    codec = Codec(lambda n: (digit.encode() for digit in str(n)), lambda pieces: int(b"".join(pieces)))
    results = map_in_processes(lambda n: n * 1001, range(10), jobs=2, codec=codec)
    assert results == [n * 1001 for n in range(10)]


def test_shares_are_alike_in_size(tmp_path: Path) -> None:
    sizes = {"a": 900, "b": 500, "c": 400, "d": 100}
    paths = []
    for name, size in sizes.items():
        paths.append(tmp_path / f"{name}.yaml")
        paths[-1].write_text("x" * size, encoding="utf-8")
    assert deal(paths, 2) == [[paths[0], paths[3]], [paths[1], paths[2]]]  # 1000 and 900 bytes
    assert deal(paths, 9) == [[p] for p in paths]


def test_works_spread_over_processes_are_those_of_one_process(tmp_path: Path) -> None:
    # The same paper in two lists read by two processes, an item without a key, and a duplicate. Only a
    # work merged from both lists has the year of the first and the author of the second.
    shared = Item("paper", title="Attention Is All You Need", year=2017, ids=(Identifier("arxiv", "1706.03762"),),
                  key="vaswani2017attention")  # fmt: skip
    more = Item(
        "paper", title="Attention Is All You Need", authors=("Ashish Vaswani",), key="vaswani2017attention"
    )
    twin = Item("paper", title="Attention is all you need.", authors=("A. Vaswani",), year=2017,
                ids=(Identifier("arxiv", "1706.03762"),), key="vaswani2017twin")  # fmt: skip
    unkeyed = Item("paper", title="A paper added by hand", authors=("Jane Doe",), year=2024)
    first = CuratedList("first", sections=[Section("One", [shared, unkeyed])])
    second = CuratedList(
        "second", sections=[Section("Two", [Item("paper", title="Other", key="other"), more])]
    )
    third = CuratedList("third", sections=[Section("Three", [twin])])
    folder = tmp_path / "entries"
    for lst in (first, second, third):
        entries.save(lst, folder)
    paths = entries.list_paths(folder)
    assert len(deal(paths, 3)) == 3

    spread = build_bibliography(paths, {}, "published", "long", OPTIONS, jobs=3)
    alone = build_bibliography(paths, {}, "published", "long", OPTIONS, jobs=1)
    assert spread == alone
    lists = entries.load_all(folder, jobs=1)
    pin_missing_keys(lists)
    plain = collect_works(lists)
    lists_read, warnings, bibliography = spread
    assert lists_read == lists  # in path order, the unkeyed item given the same key
    assert len(warnings) == 1
    assert bibliography.canonical == plain.canonical
    assert bibliography.canonical["vaswani2017twin"] == "vaswani2017attention"
    assert bibliography.works == {key: Rendered.of(work, OPTIONS) for key, work in plain.works.items()}
    bibtex = bibliography.works["vaswani2017attention"].texts[0]
    assert b"author = {Vaswani, Ashish}" in bibtex
    assert b"year = {2017}" in bibtex
