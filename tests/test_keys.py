"""Citation keys: Google Scholar style, unique across lists, ASCII, and pinned once assigned."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import run, write_md
from curabib.keys import assign_keys, base_key, unique_key
from curabib.model import CuratedList, Item, Section
from curabib.project.entries import load


@pytest.mark.parametrize(
    ("authors", "year", "title", "label", "key", "provisional"),
    [
        (
            ("Jingfeng Yang",),
            2023,
            "Harnessing the Power of LLMs in Practice",
            None,
            "yang2023harnessing",
            False,
        ),
        (
            ("Laurens van der Maaten",),
            2008,
            "Visualizing Data using t-SNE",
            None,
            "maaten2008visualizing",
            False,
        ),
        (
            ("Colin Raffel",),
            2019,
            "Exploring the Limits of Transfer Learning",
            "T5",
            "raffel2019exploring",
            False,
        ),
        (
            (),
            2020,
            "BioBERT: a pre-trained biomedical language model",
            "BioBERT",
            "biobert2020pretrained",
            True,
        ),
        ((), 2023, "A Survey of Large Language Models", None, "survey2023large", True),
        ((), None, None, "GPT-2", "gpt2", True),
        (
            (),
            2023,
            "C-Eval: A Multi-Level Multi-Discipline Chinese Evaluation Suite",
            None,
            "ceval2023multilevel",
            True,
        ),
        (("Éric Gaussier",), 2005, "Über die Sache", None, "gaussier2005uber", False),
    ],
)
def test_base_keys(
    authors: tuple[str, ...],
    year: int | None,
    title: str | None,
    label: str | None,
    key: str,
    provisional: bool,
) -> None:
    item = Item(kind="paper", title=title, label=label, authors=authors, year=year)
    assert base_key(item) == (key, provisional)


def test_collisions_get_letter_suffixes() -> None:
    taken = {"smith2020deep", "smith2020deepa"}
    assert unique_key("smith2020deep", taken) == "smith2020deepb"
    assert unique_key("other", taken) == "other"
    many = {"k"} | {f"k{c}" for c in "abcdefghijklmnopqrstuvwxyz"}
    assert unique_key("k", many) == "kaa"


_titles = st.text(min_size=0, max_size=40)
_items = st.builds(
    Item,
    kind=st.just("paper"),
    title=st.one_of(st.none(), _titles),
    label=st.one_of(st.none(), st.text(min_size=1, max_size=12)),
    authors=st.lists(st.text(min_size=1, max_size=20), max_size=2).map(tuple),
    year=st.one_of(st.none(), st.integers(1900, 2099)),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_items, min_size=1, max_size=20))
def test_keys_are_unique_ascii_and_stable(items: list[Item]) -> None:
    items = [i for i in items if i.title or i.label]
    curated, _ = assign_keys(CuratedList("prop", sections=[Section("S", items)]), others=[])
    items = list(curated.all_items())
    keys = [i.key for i in items]
    assert all(k and re.fullmatch(r"[a-z0-9]+", k) for k in keys)
    # Different items may share a key only when they are the same work (same title and year).
    by_key: dict[str, Item] = {}
    for item in items:
        assert item.key is not None
        if item.key in by_key:
            first = by_key[item.key]
            assert (first.title or "").split() and (first.year, item.year) == (first.year, first.year)
        by_key.setdefault(item.key, item)
    # Assigning again with this import as the previous one keeps every key.
    again = CuratedList(
        "prop", sections=[Section("S", [replace(i, key=None, key_provisional=False) for i in items])]
    )
    again, _ = assign_keys(again, others=[], previous=curated)
    assert [i.key for i in again.all_items()] == keys


LIST_V1 = """# Demo
## Papers
- **Attention Is All You Need**, NeurIPS 2017. [Paper](https://arxiv.org/abs/1706.03762)
- **Deep Residual Learning for Image Recognition**, 2016. [Paper](https://arxiv.org/abs/1512.03385)
"""


def test_keys_survive_new_metadata_and_rekey_keeps_the_old_one_as_alias(project: Path) -> None:
    run(project, "import-md", str(write_md(project, LIST_V1)), "--list", "demo")
    first = {i.title: i.key for i in load(project / "entries" / "demo.yaml").all_items()}
    assert first == {
        "Attention Is All You Need": "attention2017need",
        "Deep Residual Learning for Image Recognition": "deep2016residual",
    }
    # The list gains authors and an item before the others: no key moves.
    v2 = LIST_V1.replace(
        "- **Attention",
        "- **New Paper on Things**, 2024. [Paper](https://arxiv.org/abs/2401.00001)\n- **Attention",
    )
    v2 = v2.replace("NeurIPS 2017.", "*Ashish Vaswani et al.* NeurIPS 2017.")
    run(project, "import-md", str(write_md(project, v2)), "--list", "demo")
    second = {i.title: i.key for i in load(project / "entries" / "demo.yaml").all_items()}
    assert second["Attention Is All You Need"] == "attention2017need"
    assert second["Deep Residual Learning for Image Recognition"] == "deep2016residual"
    # Now that authors are known, rekey re-derives the provisional key and keeps the old as an alias.
    result = run(project, "rekey")
    assert "attention2017need -> vaswani2017attention" in result.output
    item = next(i for i in load(project / "entries" / "demo.yaml").all_items() if i.authors)
    assert (item.key, item.aliases, item.key_provisional) == (
        "vaswani2017attention",
        ("attention2017need",),
        False,
    )
    run(project, "build", "--dialect", "biblatex")
    assert "ids = {attention2017need}" in (project / "bib" / "demo.bib").read_text(encoding="utf-8")


def test_same_work_in_two_lists_shares_one_key(project: Path) -> None:
    other = "# Other\n## Misc\n- [Transformers](https://arxiv.org/pdf/1706.03762v5.pdf)\n"
    run(project, "import-md", str(write_md(project, LIST_V1)), "--list", "demo")
    run(project, "import-md", str(write_md(project, other, "other.md")), "--list", "other")
    shared = next(load(project / "entries" / "other.yaml").all_items())
    assert shared.key == "attention2017need"
    run(project, "build")
    assert (project / "bib" / "all.bib").read_text(encoding="utf-8").count(
        "@inproceedings{attention2017need,"
    ) == 1
