"""The key stages take lists and give new ones: what they were given still says what was read.

A caller (`rekey --dry-run`, `check`, a build) can therefore show what a stage would do and write nothing.
"""

from __future__ import annotations

import copy
from pathlib import Path

from conftest import run
from curabib.keys import assign_keys, pin_missing_keys, rekey
from curabib.model import CuratedList, Item, Section
from curabib.pipeline import merge_works
from curabib.project.entries import load

ATTENTION = "Attention Is All You Need"


def _list(*items: Item, name: str = "demo") -> CuratedList:
    return CuratedList(name, sections=[Section("Papers", list(items))])


def test_pin_missing_keys_returns_keyed_lists_and_leaves_its_input_alone() -> None:
    pinned_by_hand = Item("paper", title="Deep Residual Learning", year=2016, key="he2016deep")
    unkeyed = Item("paper", title=ATTENTION, year=2017, line=7)
    lists = [_list(pinned_by_hand, unkeyed), _list(pinned_by_hand, name="other")]
    before = copy.deepcopy(lists)

    pinned, diagnostics = pin_missing_keys(lists)

    assert lists == before
    assert [i.key for i in lists[0].all_items()] == ["he2016deep", None]
    new = list(pinned[0].all_items())
    # No author: a provisional key from the first title word, the year and the next significant word.
    assert [(i.key, i.key_provisional) for i in new] == [("he2016deep", False), ("attention2017need", True)]
    assert [d.lint_line() for d in diagnostics] == [
        "entries/demo.yaml:7: warning: unpinned-key: no key: using 'attention2017need' for this build; "
        "run `curabib pin-keys` to store it"
    ]
    assert pinned[1] == lists[1]


def test_assign_keys_returns_a_keyed_list_and_leaves_its_input_alone() -> None:
    curated = _list(Item("paper", title=ATTENTION, authors=("Ashish Vaswani",), year=2017))
    other_list = [Item("paper", title="Something", year=2017, key="vaswani2017attention")]
    before = copy.deepcopy(curated)

    keyed, _ = assign_keys(curated, others=other_list)

    assert curated == before
    # The other list holds the key already (another work): this one gets the next suffix.
    assert [i.key for i in keyed.all_items()] == ["vaswani2017attentiona"]


def test_rekey_returns_renamed_lists_and_leaves_its_input_alone() -> None:
    item = Item(
        "paper",
        title=ATTENTION,
        authors=("Ashish Vaswani",),
        year=2017,
        key="attention2017need",
        key_provisional=True,
    )
    lists = [_list(item)]
    before = copy.deepcopy(lists)

    rekeyed, renames, _ = rekey(lists, merge_works(lists))

    assert lists == before
    assert renames == {"attention2017need": "vaswani2017attention"}
    (new,) = rekeyed[0].all_items()
    assert (new.key, new.aliases, new.key_provisional) == (
        "vaswani2017attention",
        ("attention2017need",),
        False,
    )


PROVISIONAL = """list: demo
sections:
- heading: Papers
  items:
  - key: attention2017need
    key_provisional: true
    title: Attention Is All You Need
    authors:
    - Ashish Vaswani
    year: 2017
  - title: Added By Hand Without A Key
    year: 2024
"""


def test_rekey_dry_run_shows_the_renames_and_writes_nothing(project: Path) -> None:
    path = project / "entries" / "demo.yaml"
    path.write_text(PROVISIONAL, encoding="utf-8")

    result = run(project, "rekey", "--dry-run")

    assert result.exit_code == 0, result.output
    assert "  attention2017need -> vaswani2017attention" in result.output
    assert "Would rename 1 provisional key in 1 list" in result.output
    assert path.read_text(encoding="utf-8") == PROVISIONAL

    assert "Renamed 1 provisional key in 1 list" in run(project, "rekey").output
    first, second = load(path).all_items()
    assert (first.key, first.aliases) == ("vaswani2017attention", ("attention2017need",))
    assert second.key is not None  # pinned on the way, as the build would have keyed it


def test_pin_keys_stores_the_keys_a_build_would_use(project: Path) -> None:
    path = project / "entries" / "demo.yaml"
    path.write_text(PROVISIONAL, encoding="utf-8")
    build = run(project, "build")
    assert "using 'added2024hand' for this build" in build.output

    assert "Pinned 1 key in 1 file" in run(project, "pin-keys").output

    keys = [i.key for i in load(path).all_items()]
    assert keys == ["attention2017need", "added2024hand"]
    assert "Pinned 0 keys in 0 files" in run(project, "pin-keys").output
