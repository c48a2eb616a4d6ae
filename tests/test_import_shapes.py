"""Shapes of real lists the importer met (issue 22): numbered references written carelessly, and tables read
by their column headings; what `import-md` says about them, and the list name it picks by itself.

Every Markdown text here is copied from a real list: tests/fixtures/lists/MANIFEST.md says where from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run, write_md
from curabib.ingest.markdown import import_markdown
from curabib.model import Item

LISTS = ROOT / "tests" / "fixtures" / "lists"


def _items(name: str) -> list[Item]:
    curated, _ = import_markdown((LISTS / name).read_text(encoding="utf-8"), "t", source=name)
    return list(curated.all_items())


def _by_line(items: list[Item]) -> dict[int, Item]:
    lines = [i.source_line for i in items]
    assert len(set(lines)) == len(lines), "two items read from one line"
    return {i.source_line or 0: i for i in items}


# -- every numbered reference is one item ---------------------------------------------------------------


def test_every_numbered_reference_of_the_roadmap_is_an_item_of_its_own() -> None:
    text = (LISTS / "reading-roadmap.md").read_text(encoding="utf-8")
    numbered = [n for n, line in enumerate(text.splitlines(), 1) if re.match(r"\*\*\[\d+\]\*\*", line)]
    items = _by_line(_items("reading-roadmap.md"))
    assert sorted(items) == numbered
    assert all(item.kind == "paper" or item.links[0].kind == "blog" for item in items.values())
    assert all(item.authors and item.title and item.year for item in items.values())


# line of the fixture -> (title, authors, et_al, venue, year, arXiv id)
REFERENCES = {
    "a title not in bold; the surname's particles after the given name": (
        11,
        "Conditional image generation with PixelCNN decoders",
        ("Aaron van den Oord",),
        True,
        "arXiv preprint arXiv:1606.05328",
        2016,
        "1606.05328",
    ),
    "a closing quote after the bold title; a surname alone before et al.": (
        23,
        "Neural Machine Translation of Rare Words with Subword Units",
        ("Sennrich",),
        True,
        "In arXiv preprint arXiv:1508.07909",
        2015,
        "1508.07909",
    ),
    "no space before the quote": (
        35,
        "Controlling Perceptual Factors in Neural Style Transfer",
        ("Leon Gatys", "Ecker"),
        True,
        "arXiv preprint arXiv:1611.07865",
        2016,
        "1611.07865",
    ),
    "a year glued to the arXiv id; 'Surname, Given and Surname, Given'": (
        37,
        "Texture Networks: Feed-forward Synthesis of Textures and Stylized Images",
        ("Dmitry Ulyanov", "Vadim Lebedev"),
        True,
        "arXiv preprint arXiv:1603.03417",
        2016,
        "1603.03417",
    ),
    "no full stop after the authors": (
        5,
        "Achieving Human Parity in Conversational Speech Recognition",
        ("W. Xiong", "J. Droppo", "X. Huang", "F. Seide", "M. Seltzer", "A. Stolcke", "D. Yu", "G. Zweig"),
        False,
        "arXiv preprint arXiv:1610.05256",
        2016,
        "1610.05256",
    ),
    "an affiliation in brackets after the authors": (
        39,
        "A Closed-form Solution to Photorealistic Image Stylization",
        ("Yijun Li", "Ming-Yu Liu", "Xueting Li", "Ming-Hsuan Yang", "Jan Kautz"),
        False,
        "arXiv preprint arXiv:1802.06474",
        2018,
        "1802.06474",
    ),
    "surnames only, all cut short": (
        29,
        "Google's Neural Machine Translation System: Bridging the Gap between Human and Machine Translation",
        ("Wu", "Schuster", "Chen", "Le"),
        True,
        "In arXiv preprint arXiv:1609.08144v2",
        2016,
        "1609.08144",
    ),
}


@pytest.mark.parametrize("shape", REFERENCES)
def test_each_careless_reference_shape_reads_its_own_fields(shape: str) -> None:
    line, title, authors, et_al, venue, year, arxiv = REFERENCES[shape]
    item = _by_line(_items("reading-roadmap.md"))[line]
    assert (item.title, item.authors, item.et_al) == (title, authors, et_al)
    assert (item.venue, item.year) == (venue, year)
    ident = item.identifier("arxiv")
    assert ident is not None and ident.value == arxiv


def test_semicolons_between_inverted_names_and_a_stray_quote_in_the_title() -> None:
    items = _by_line(_items("reading-roadmap.md"))
    assert items[33].authors == ("Alexander Mordvintsev", "Christopher Olah", "Mike Tyka")
    assert (items[33].title, items[33].year) == ("Inceptionism: Going Deeper into Neural Networks", 2015)
    assert items[19].title == "Sequence to sequence learning with neural networks"  # `"**“Sequence...`
    assert (items[19].authors, items[19].et_al, items[19].year) == (("Sutskever",), True, 2014)


# -- tables read by their headings ------------------------------------------------------------------------


def test_the_llmsstudy_model_table_gives_name_year_organisation_and_size() -> None:
    items = _items("llmsstudy-models.md")
    assert [i.label for i in items] == [
        "Baichuan2", "WizardLM", "Vicuna", "YuLan", "InternLM", "TigerBot", "Baichuan", "ChatGLM",
        "Chinese-LLaMA-Alpaca-2",
    ]  # fmt: skip
    baichuan2, wizardlm, vicuna = items[:3]
    # An organisation is one name, never split into a given and a family name (braces, as BibTeX writes it).
    assert baichuan2.authors == ("{百川智能}",)
    assert wizardlm.authors == ("{微软}",)
    assert vicuna.authors == ("{Large Model Systems Organization}",)
    assert [i.year for i in items] == [2023] * 9  # "2023-09" is 2023
    assert baichuan2.note == "大小: 7/13B"
    # The project column stays the item's link; the organisation's page stays a site link.
    assert [(lk.kind, lk.url) for lk in vicuna.links] == [
        ("code", "https://github.com/lm-sys/FastChat"),
        ("site", "https://github.com/lm-sys"),
    ]
    assert (vicuna.title, vicuna.kind) == ("FastChat", "software")


def test_a_name_year_paper_table_keeps_the_name_and_the_year() -> None:
    items = _items("har-datasets.md")
    assert len(items) == 8
    wisdm = items[0]
    assert (wisdm.label, wisdm.year) == ("WISDM", 2010)
    assert wisdm.title == "Activity Recognition using Cell Phone Accelerometers"
    assert [lk.url for lk in wisdm.links] == ["https://www.cis.fordham.edu/wisdm/dataset.php"]
    assert wisdm.note == "Supported: ✅; Citations: 3862"
    assert items[3].title == "Transition-aware human activity recognition using smartphones"


def test_a_table_with_a_header_of_groups_is_read_one_item_per_link_as_before() -> None:
    # The licence table of seed 004: "| LLMs | Model |  |  | Data |  |", its real headings in the next row.
    seed = (ROOT / "tests" / "fixtures" / "seeds" / "004_04855081760e47e5.txt").read_text(encoding="utf-8")
    curated, report = import_markdown(seed, "t", source="notes.md")
    [table] = report.table_lines()
    assert table == "table at notes.md:97: 3 empty headings, columns not read by heading: one item per link"
    falcon = next(i for i in curated.all_items() if i.label == "falcon")
    assert (falcon.kind, falcon.authors, falcon.year, falcon.note) == ("model", (), None, None)


# -- what import-md says, and the list name it picks ------------------------------------------------------


def test_import_reports_how_each_table_was_read_and_the_references(project: Path) -> None:
    for name in ("llmsstudy-models.md", "reading-roadmap.md"):
        write_md(project, (LISTS / name).read_text(encoding="utf-8"), name)
    table = run(project, "import-md", str(project / "llmsstudy-models.md"))
    assert table.exit_code == 0, table.output
    assert (
        "  table at llmsstudy-models.md:5: 模型 → label, 最新时间 → year, 大小 → note, 项目地址 → link, "
        "机构单位 → authors\n"
    ) in table.output
    assert "Imported 9 items in 1 section into" in table.output
    assert "full references: 0 items read" in table.output
    refs = run(project, "import-md", str(project / "reading-roadmap.md"))
    assert "full references: 14 items read from references written authors first" in refs.output
    assert "keys: 14 for 14 items (a work listed again keeps its key), 0 provisional" in refs.output


def test_one_item_is_said_in_the_singular(project: Path) -> None:
    md = write_md(project, "- [Attention](https://arxiv.org/abs/1706.03762)\n", "one.md")
    result = run(project, "import-md", str(md))
    assert "Imported 1 item in 0 sections" in result.output
    assert "1 paper item;" in result.output
    assert "keys: 1 for 1 item (a work listed again keeps its key), 1 provisional" in result.output


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("Awesome-LLM.md", "awesome-llm"),
        ("LLMsStudy/README.md", "llmsstudy"),
        ("Awesome LLM Papers/readme.MD", "awesome-llm-papers"),
        ("lists/__Reading List (2024)__.markdown", "reading-list-2024"),
    ],
)
def test_the_list_name_defaults_to_the_file_or_its_folder(project: Path, path: str, name: str) -> None:
    md = project / path
    md.parent.mkdir(parents=True, exist_ok=True)
    md.write_text("- [Attention](https://arxiv.org/abs/1706.03762)\n", encoding="utf-8")
    result = run(project, "import-md", str(md))
    assert result.exit_code == 0, result.output
    saved = yaml.safe_load((project / "entries" / f"{name}.yaml").read_text(encoding="utf-8"))
    assert saved["list"] == name


@pytest.mark.parametrize("path", ["大模型.md", "all.md", "模型/README.md"])
def test_a_file_name_that_makes_no_list_name_asks_for_list(project: Path, path: str) -> None:
    md = project / path
    md.parent.mkdir(parents=True, exist_ok=True)
    md.write_text("- [Attention](https://arxiv.org/abs/1706.03762)\n", encoding="utf-8")
    result = run(project, "import-md", str(md))
    assert result.exit_code == 2
    assert "give --list NAME" in result.output
    assert list((project / "entries").iterdir()) == []
