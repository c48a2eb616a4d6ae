"""entries/*.yaml: bad input gets `file:line: what is wrong` and exit 2, and nothing is written."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from conftest import run
from curabib.errors import EntryError
from curabib.ids import Identifier
from curabib.model import CuratedList, Item, Link, Section
from curabib.project.entries import load
from curabib.project.writing import dump

GOOD = """\
list: demo
sections:
- heading: Models
  items:
  - key: vaswani2017attention
    kind: paper
    title: Attention Is All You Need
    authors: [Ashish Vaswani, Noam Shazeer]
    year: 2017
    ids:
      arxiv: '1706.03762'
    links:
    - {kind: paper, url: 'https://arxiv.org/abs/1706.03762'}
"""


def _write(project: Path, text: str, name: str = "demo") -> Path:
    path = project / "entries" / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            GOOD.replace("    year: 2017", "    year: 2017\n    colour: red"),
            10,
            "unknown field 'colour' in an item",
        ),
        (GOOD.replace("year: 2017", "year: last year"), 9, "'year' must be a four-digit year"),
        (GOOD.replace("kind: paper\n", "kind: poem\n", 1), 6, "kind 'poem' is not one of"),
        (
            GOOD.replace("  - key: vaswani", "  - key: vas wani"),
            5,
            "key 'vas wani2017attention' has characters",
        ),
        (
            GOOD.replace("    authors: [Ashish Vaswani, Noam Shazeer]", "    authors: [Ashish Vaswani"),
            9,
            "YAML syntax error",
        ),
        (GOOD.replace("    title: Attention Is All You Need\n", ""), 5, "needs a 'title' or a 'label'"),
        (GOOD.replace("list: demo", "list: other"), 1, "differs from the file name"),
        (GOOD.replace("{kind: paper, url:", "{kind: tweet, url:"), 13, "link kind 'tweet'"),
        (
            GOOD.replace("    ids:\n      arxiv: '1706.03762'\n", "    ids: [1706.03762]\n"),
            10,
            "ids must be a mapping",
        ),
    ],
)
def test_bad_entries_name_file_and_line(project: Path, text: str, line: int, message: str) -> None:
    path = _write(project, text)
    with pytest.raises(EntryError) as err:
        load(path)
    assert err.value.line == line
    assert message in err.value.detail
    assert str(err.value).startswith(f"{path}:{line}: ")


def test_build_on_bad_input_exits_2_and_leaves_bib_untouched(project: Path) -> None:
    _write(project, GOOD)
    assert run(project, "build").exit_code == 0
    before = {p: p.read_bytes() for p in (project / "bib").rglob("*") if p.is_file()}
    _write(project, GOOD.replace("year: 2017", "year: 17"))
    result = run(project, "build")
    assert result.exit_code == 2
    assert "demo.yaml:9: 'year' must be a four-digit year" in result.output
    after = {p: p.read_bytes() for p in (project / "bib").rglob("*") if p.is_file()}
    assert after == before


def test_ids_stay_text_even_when_they_look_like_numbers(project: Path) -> None:
    # Unquoted, 2301.10010 is a YAML float (2301.1001); the loader reads the text as written.
    path = _write(project, GOOD.replace("arxiv: '1706.03762'", "arxiv: 2301.10010"))
    item = next(load(path).all_items())
    assert item.ids == (Identifier("arxiv", "2301.10010"),)


def test_dump_and_load_round_trip(tmp_path: Path) -> None:
    item = Item(
        kind="paper",
        title="Émile's « quoted » title: 2301.10010, yes/no?",
        label="X-1",
        authors=("Laurens van der Maaten",),
        et_al=True,
        year=2008,
        venue="JMLR",
        links=(Link("paper", "https://example.org/a?b=1#c", "a link"),),
        ids=(Identifier("doi", "10.18653/v1/n19-1423", derived=True), Identifier("arxiv", "0704.0001", "v2")),
        key="maaten2008visualizing",
        aliases=("old2008",),
    )
    curated = CuratedList("round-trip", title="T", sections=[Section("S", [item], [Section("Sub")])])
    path = tmp_path / "round-trip.yaml"
    path.write_text(dump(curated), encoding="utf-8")
    loaded = load(path)
    again = next(loaded.all_items())
    assert replace(again, line=None) == item
    assert dump(loaded) == dump(curated)
