"""Full references (ingest/reference.py): one item per cited work, with authors, title, venue, year, note.

Every example here is invented; each shape is one row of the table."""

from __future__ import annotations

import pytest

from curabib.ingest.blocks import parse_blocks
from curabib.ingest.markdown import import_markdown
from curabib.ingest.reference import parse
from curabib.model import Item


def _items(markdown: str) -> list[Item]:
    curated, _ = import_markdown(f"## Reading\n\n{markdown}\n", "t")
    return list(curated.all_items())


# markdown -> (title, authors, et_al, venue, year, note, links)
SHAPES = {
    "numbered, MLA (Google Scholar), quoted bold title, rating": (
        '**[12]** Ridley, Ann, Bo Chen, and Carla D. Moreno. "**A quiet method for stochastic descent**." '
        "Advances in neural information processing systems. 2013. [[pdf]](https://arxiv.org/pdf/1234.56789.pdf) "
        "**(Adam's ancestor)** :star::star::star:",
        (
            "A quiet method for stochastic descent",
            ("Ann Ridley", "Bo Chen", "Carla D. Moreno"),
            False,
            "Advances in neural information processing systems",
            2013,
            "Adam's ancestor; rated 3 stars",
            ("https://arxiv.org/pdf/1234.56789.pdf",),
        ),
    ),
    "numbered, et al., year in parentheses after the venue": (
        '[13] Okafor, Dayo, et al. "Lanterns: steady training of deep networks." '
        "arXiv preprint arXiv:1301.00001 (2013). [[pdf]](https://example.org/lanterns.pdf)",
        (
            "Lanterns: steady training of deep networks",
            ("Dayo Okafor",),
            True,
            "arXiv preprint arXiv:1301.00001",
            2013,
            None,
            ("https://example.org/lanterns.pdf",),
        ),
    ),
    "APA": (
        "Ridley, A., & Chen, B. (2020). Quiet descent in practice. Journal of Quiet Things, 3(1), 1-9. "
        "[pdf](https://example.org/c.pdf)",
        (
            "Quiet descent in practice",
            ("A. Ridley", "B. Chen"),
            False,
            "Journal of Quiet Things, 3(1), 1-9",
            2020,
            None,
            ("https://example.org/c.pdf",),
        ),
    ),
    "plain: initials first, Authors. Title. Venue, Year.": (
        "A. Ridley, B. Chen and C. Moreno. Lanterns revisited. Proceedings of the Lantern Workshop, 2019. "
        "[paper](https://example.org/d.pdf)",
        (
            "Lanterns revisited",
            ("A. Ridley", "B. Chen", "C. Moreno"),
            False,
            "Proceedings of the Lantern Workshop",
            2019,
            None,
            ("https://example.org/d.pdf",),
        ),
    ),
    "bold title without quotes, full names": (
        "Dayo Okafor and Bo Chen. **Table tennis for transformers**. ICML 2021. "
        "[paper](https://arxiv.org/abs/2101.00001) ⭐⭐",
        (
            "Table tennis for transformers",
            ("Dayo Okafor", "Bo Chen"),
            False,
            "ICML",
            2021,
            "rated 2 stars",
            ("https://arxiv.org/abs/2101.00001",),
        ),
    ),
    "APA, several initials and a surname with particles": (
        "Ridley, A. B., Chen, B., & van der Berg, C. (2019). Deep quiet: a study. In Proceedings of Quiet "
        "(pp. 1-9). [paper](https://example.org/q.pdf)",
        (
            "Deep quiet: a study",
            ("A. B. Ridley", "B. Chen", "C. van der Berg"),
            False,
            "In Proceedings of Quiet (pp. 1-9)",
            2019,
            None,
            ("https://example.org/q.pdf",),
        ),
    ),
    "MLA journal article: volume and pages stay in the venue": (
        '[3] Moreno, Carla, and Bo Chen. "On lanterns." Journal of Light 12.3 (2011): 45-67. '
        "[pdf](https://example.org/l.pdf)",
        (
            "On lanterns",
            ("Carla Moreno", "Bo Chen"),
            False,
            "Journal of Light 12.3: 45-67",
            2011,
            None,
            ("https://example.org/l.pdf",),
        ),
    ),
}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("container", ["paragraph", "bullet", "table cell"])
def test_each_reference_shape_gives_one_item(shape: str, container: str) -> None:
    markdown, (title, authors, et_al, venue, year, note, links) = SHAPES[shape]
    if container == "bullet":
        markdown = f"- {markdown}"
    elif container == "table cell":
        markdown = f"| # | Reference |\n|---|---|\n| 1 | {markdown} |"
    [item] = _items(markdown)
    assert item.kind == "paper"
    assert (item.title, item.authors, item.et_al) == (title, authors, et_al)
    assert (item.venue, item.year, item.note) == (venue, year, note)
    assert tuple(link.url for link in item.links) == links


def test_a_paragraph_with_two_numbered_references_gives_two_items() -> None:
    items = _items(
        '**[14]** Ridley, Ann. "First steps." Venue A. 2014. [[pdf]](https://example.org/a.pdf) '
        '**[15]** Chen, Bo, and Dayo Okafor. "Second steps." Venue B. 2015. [[pdf]](https://example.org/b.pdf)'
    )
    assert [(i.title, i.authors, i.venue, i.year) for i in items] == [
        ("First steps", ("Ann Ridley",), "Venue A", 2014),
        ("Second steps", ("Bo Chen", "Dayo Okafor"), "Venue B", 2015),
    ]
    assert [[link.url for link in i.links] for i in items] == [
        ["https://example.org/a.pdf"],
        ["https://example.org/b.pdf"],
    ]


def test_a_run_of_reference_lines_under_a_heading_gives_one_item_each_with_its_line() -> None:
    curated, _ = import_markdown(
        "## Reading\n\n"
        "Ridley, A., & Chen, B. (2020). Quiet descent. Journal of Quiet Things. [pdf](https://example.org/c.pdf)\n"
        "A. Ridley and C. Moreno. Loud descent. Workshop on Noise, 2021. [pdf](https://example.org/d.pdf)\n"
        "[code](https://github.com/example/loud)\n",
        "t",
    )
    items = list(curated.all_items())
    assert [(i.title, i.year, i.line) for i in items] == [
        ("Quiet descent", 2020, 3),
        ("Loud descent", 2021, 4),
    ]
    # A link line that is no reference belongs to the reference above it.
    assert [link.kind for link in items[1].links] == ["pdf", "code"]


@pytest.mark.parametrize(
    "line",
    [
        "BERT **BERT: Pre-training of Deep Bidirectional Transformers**, 2018, [Paper](https://example.org/b)",
        "BioGPT: generative pre-trained transformer for text mining. 2022. [paper](https://example.org/g)",
        "2023-ICLR-GLM- An Open Model [paper](https://example.org/p.pdf)",
        "We trained it. Then it worked well enough. [blog](https://example.org/blog)",
    ],
)
def test_informal_lines_are_not_read_as_full_references(line: str) -> None:
    block = parse_blocks(line)[0]
    assert block.inline is not None
    assert parse(block.inline) is None
