"""Every export format, read back by a consumer of that format: the one table a new format joins.

A row names a format and how a real reader of that format lists the (key, title) of each work in a file.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import bibtexparser
import pytest

from curabib.export import FORMATS, ExportOptions, Format
from curabib.ids import Identifier
from curabib.model import Person, Work


def _bibtex_works(text: str) -> list[tuple[str, str]]:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    return [(entry.key, entry["title"]) for entry in library.entries]


def _csl_works(text: str) -> list[tuple[str, str]]:
    return [(item["id"], item["title"]) for item in json.loads(text)]


READERS: dict[str, tuple[str, Callable[[str], list[tuple[str, str]]]]] = {
    # format name: (file suffix, how its consumer reads a file back)
    "bibtex": (".bib", _bibtex_works),
    "csl-json": (".json", _csl_works),
}

# Values as the seed lists write them.
WORKS = [
    Work(
        key="vaswani2017attention", kind="paper", title="Attention Is All You Need", label=None,
        authors=(Person("Vaswani", "Ashish"),), et_al=True, year=2017, venue=None,
        url="https://arxiv.org/abs/1706.03762", ids=(Identifier("arxiv", "1706.03762"),),
    ),
    Work(
        key="hu2021lora", kind="paper", title="LoRA: Low-Rank Adaptation of Large Language Models",
        label="LoRA", authors=(Person("Hu", "Edward J."),), et_al=True, year=2021, venue=None,
        url="https://arxiv.org/abs/2106.09685", ids=(Identifier("arxiv", "2106.09685"),),
    ),
]  # fmt: skip


def _file(fmt: Format, works: list[Work]) -> str:
    rendered = [fmt.render(work, ExportOptions()).encode("utf-8") for work in works]
    return b"".join(fmt.file(rendered)).decode("utf-8")


def test_every_format_has_a_row() -> None:
    assert {fmt.name for fmt in FORMATS} == set(READERS)
    assert len({fmt.suffix for fmt in FORMATS}) == len(FORMATS)  # one file name per format


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda fmt: fmt.name)
def test_a_file_of_works_reads_back_as_those_works(fmt: Format) -> None:
    suffix, read = READERS[fmt.name]
    assert fmt.suffix == suffix
    works = read(_file(fmt, WORKS))
    assert [key for key, _ in works] == ["vaswani2017attention", "hu2021lora"]
    # Titles come back as written, whatever case protection the format adds (BibTeX braces "{LoRA}").
    assert [title.replace("{", "").replace("}", "") for _, title in works] == [w.title for w in WORKS]


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda fmt: fmt.name)
def test_a_file_of_no_works_is_still_a_valid_file(fmt: Format) -> None:
    _, read = READERS[fmt.name]
    assert read(_file(fmt, [])) == []
