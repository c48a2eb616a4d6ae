"""The importer on the five real seed lists: counts checked by hand against the Markdown, then pinned."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from conftest import SEED_LISTS, SEEDS, Built
from curabib.ids import identifiers_in_url
from curabib.model import CuratedList, Item
from curabib.project.entries import load

# An arXiv address used as a link target or bare; not the copy of it written as a link's text: `[url](url)`.
ARXIV_LINK = re.compile(r"(?<!\[)https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})")

# list -> (items, sections, items by kind), counted by hand from the Markdown and pinned here.
EXPECTED = {
    "healthcare-llms": (70, 24, {"paper": 68, "software": 1, "webpage": 1}),
    "llms-practical-guide": (136, 24, {"paper": 115, "blog": 11, "software": 9, "webpage": 1}),
    "my-llm": (178, 51, {"paper": 90, "software": 55, "blog": 20, "webpage": 8, "dataset": 4, "model": 1}),
    "llms-study": (150, 47, {"paper": 115, "software": 23, "blog": 10, "webpage": 2}),
    "llm-history-notes": (
        29,
        15,
        {"paper": 9, "blog": 8, "webpage": 6, "dataset": 3, "software": 2, "model": 1},
    ),
}


def _list(built: Built, name: str) -> CuratedList:
    return load(built.root / "entries" / f"{name}.yaml")


def _imported_markdown(seed: str) -> str:
    text = (SEEDS / seed).read_text(encoding="utf-8")
    # The healthcare list says "***Ignore Below***" before the template's general sections.
    return text.split("***Ignore Below***")[0]


@pytest.mark.parametrize("name", EXPECTED)
def test_item_section_and_kind_counts(seeds_built: Built, name: str) -> None:
    items_expected, sections_expected, kinds_expected = EXPECTED[name]
    curated = _list(seeds_built, name)
    items = list(curated.all_items())
    assert len(items) == items_expected
    assert sum(1 for _ in curated.walk_sections()) == sections_expected
    assert Counter(i.kind for i in items) == kinds_expected


@pytest.mark.parametrize(("seed", "name"), SEED_LISTS.items())
def test_every_arxiv_link_comes_through(seeds_built: Built, seed: str, name: str) -> None:
    markdown = _imported_markdown(seed)
    links_in_markdown = ARXIV_LINK.findall(markdown)
    items = list(_list(seeds_built, name).all_items())
    ids_in_entries = {i.value for item in items for i in item.ids if i.kind == "arxiv"}
    linked_in_entries = [
        i.value
        for item in items
        for link in item.links
        for i in identifiers_in_url(link.url)
        if i.kind == "arxiv"
    ]
    assert set(links_in_markdown) == ids_in_entries
    # Every link is kept, except that one work's links are listed once: llms-study links C-Eval's paper
    # both in the prose under "### 1. C-Eval" and in the link line below it.
    merged = Counter(links_in_markdown) - Counter(linked_in_entries)
    assert merged == (Counter({"2305.08322": 1}) if name == "llms-study" else Counter())
    assert not Counter(linked_in_entries) - Counter(links_in_markdown)


def test_ignore_below_marker_and_placeholders_are_skipped_and_reported(seeds_built: Built) -> None:
    output = seeds_built.imports["healthcare-llms"].output
    assert re.search(r"\b56\s+after the 'ignore below' marker", output)
    assert re.search(r"\b52\s+empty placeholder bullet", output)
    titles = {i.display_title for i in _list(seeds_built, "healthcare-llms").all_items()}
    assert "Alpaca" not in titles  # only under the ignored template sections


def _find(curated: CuratedList, **fields: object) -> Item:
    matches = [i for i in curated.all_items() if all(getattr(i, k) == v for k, v in fields.items())]
    assert matches, f"no item with {fields}"
    return matches[0]


def test_nested_model_bullet_is_one_work_with_typed_links(seeds_built: Built) -> None:
    my_llm = _list(seeds_built, "my-llm")
    t5 = _find(my_llm, label="T5")
    # "- T5 / - [Paper](./papers/...2020-JMLR-Exploring%20the%20Limits...pdf)": the file name carries the title.
    assert t5.title == "Exploring the Limits of Transfer Learning with a Unified Text-to-Text Transformer"
    assert (t5.year, t5.venue) == (2020, "JMLR")
    koala = _find(my_llm, title="Koala: A Dialogue Model for Academic Research")
    assert [link.kind for link in koala.links] == ["blog", "code", "code"]
    gpt3 = _find(my_llm, label="GPT-3")
    assert [(i.kind, i.value) for i in gpt3.ids] == [("arxiv", "2005.14165")]


def test_year_prefixed_titles_restore_colons(seeds_built: Built) -> None:
    my_llm = _list(seeds_built, "my-llm")
    lima = _find(my_llm, title="LIMA: Less Is More for Alignment")
    assert lima.year == 2023
    trpo = _find(my_llm, title="Trust Region Policy Optimization")
    assert (trpo.year, trpo.venue) == (2015, "mlr")
    webgpt = _find(my_llm, title="Webgpt: Browser-assisted question-answering with human feedback")
    assert webgpt.links == ()  # listed without a link: kept, to be found by title later


def test_bold_title_style_with_label_authors_and_venue(seeds_built: Built) -> None:
    guide = _list(seeds_built, "llms-practical-guide")
    palm = _find(guide, label="PaLM")
    assert palm.title == "PaLM: Scaling Language Modeling with Pathways"
    assert palm.authors == ("Aakanksha Chowdhery",) and palm.et_al
    assert (palm.year, palm.venue) == (2022, "arXiv")
    helm = _find(guide, label="HELM")
    assert helm.title == "Holistic evaluation of language models"


def test_wrong_link_is_reported_and_kept_apart(seeds_built: Built) -> None:
    output = seeds_built.imports["llms-practical-guide"].output
    assert "arxiv:1910.02054 is also linked from 'ZeRO" in output
    guide = _list(seeds_built, "llms-practical-guide")
    megatron = _find(
        guide, title="Megatron-LM: Training Multi-Billion Parameter Language Models Using Model Parallelism"
    )
    zero = _find(guide, title="ZeRO: Memory Optimizations Toward Training Trillion Parameter Models")
    assert megatron.key != zero.key


def test_tables_headings_and_chinese_text(seeds_built: Built) -> None:
    study = _list(seeds_built, "llms-study")
    vicuna = _find(study, label="Vicuna", kind="software")
    assert vicuna.title == "FastChat"  # the row names the model, the link the repository
    assert [link.kind for link in vicuna.links] == ["code", "site"]  # the organisation's page rides along
    ceval = _find(
        study, label="C-Eval"
    )  # "### 1. C-Eval" then "[[官方网站](...)] [[Github](...)] [[论文](...)]"
    assert {i.kind for i in ceval.ids} == {"arxiv", "github"}
    headings = [path[-1] for path, _ in study.walk_sections()]
    assert (
        "大模型推荐" in headings and "BERT-style Language Models: Encoder-Decoder or Encoder-only" in headings
    )


def test_mojibake_is_repaired(seeds_built: Built) -> None:
    guide = _list(seeds_built, "llms-practical-guide")
    cost = _find(guide, title="Openai’s gpt-3 language model: A technical overview")
    assert cost.kind == "blog"
    healthcare = _list(seeds_built, "healthcare-llms")
    assert not any("‚Äì" in (i.title or "") for i in healthcare.all_items())  # ftfy: Mac Roman mojibake
    assert any("human–human" in (i.title or "") for i in healthcare.all_items())


def test_links_in_table_cells_and_prose(seeds_built: Built) -> None:
    notes = _list(seeds_built, "llm-history-notes")
    stack = _find(notes, label="The Stack")
    assert [(i.kind, i.value) for i in stack.ids] == [("arxiv", "2211.15533")]
    prose = _find(notes, title="On the Role of Bidirectionality in Language Model Pre-Training")
    assert prose.ids[0].value == "2205.11726"
    assert "licence link" in seeds_built.imports["llm-history-notes"].output


def test_non_papers_are_kept_as_their_own_kind(seeds_built: Built) -> None:
    my_llm = _list(seeds_built, "my-llm")
    assert _find(my_llm, label="thai-buffala-lora-7b-v0-1").kind == "model"
    assert _find(my_llm, label="ChatGPT").kind == "blog"
    assert _find(my_llm, label="Transformer Circuits Thread").kind == "webpage"
    assert _find(my_llm, label="FlagInstruct").kind == "software"


def test_reimport_is_byte_identical(seeds_built: Built) -> None:
    from conftest import run

    path = seeds_built.root / "entries" / "my-llm.yaml"
    before = path.read_bytes()
    result = run(seeds_built.root, "import-md", str(SEEDS / "002_6d5a6e76c99260a6.txt"), "--list", "my-llm")
    assert result.exit_code == 0
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("healthcare-llms", "68 paper items; from the text 0 got authors, 0 venue, 66 year"),
        ("llms-practical-guide", "115 paper items; from the text 3 got authors, 86 venue, 114 year"),
        ("my-llm", "90 paper items; from the text 0 got authors, 17 venue, 77 year"),
        ("llms-study", "115 paper items; from the text 3 got authors, 85 venue, 112 year"),
        ("llm-history-notes", "9 paper items; from the text 0 got authors, 0 venue, 0 year"),
    ],
)
def test_import_reports_what_the_text_gave_paper_items(seeds_built: Built, name: str, line: str) -> None:
    # None of our lists writes full references (authors first), so only the informal styles contribute.
    assert f"  citations: {line}\n" in seeds_built.imports[name].output
