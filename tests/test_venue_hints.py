"""Citing the published version the list itself names: venue hints, proceedings links, and what `check`
says about them. All offline: the lists' own words, and records recorded from the real APIs."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, run
from curabib.project import entries

# The works the issue names, as our lists give them: the venue each list writes beside an arXiv link.
ISSUE_EXAMPLES = {
    "Language Models are Few-Shot Learners": ("paper-conference", "Advances in Neural Information Processing Systems"),
    "GLaM: Efficient Scaling of Language Models with Mixture-of-Experts": ("paper-conference", "International Conference on Machine Learning"),
    "Calibrate before use: Improving few-shot performance of language models": ("paper-conference", "International Conference on Machine Learning"),
    "Measuring massive multitask language understanding": ("paper-conference", "International Conference on Learning Representations"),
    "Emergent abilities of large language models": ("article-journal", "Transactions on Machine Learning Research"),
    "Exploring the Limits of Transfer Learning with a Unified Text-to-Text Transformer": ("article-journal", "Journal of Machine Learning Research"),
    "Chain of thought prompting elicits reasoning in large language models": ("paper-conference", "Advances in Neural Information Processing Systems"),
}  # fmt: skip
# The venue hints our lists write beside arXiv links that name a conference or a journal.
PUBLISHED_HINTS = {"neurips", "nips", "icml", "iclr", "jmlr", "tmlr", "emnlp"}


@pytest.fixture(scope="module")
def our_build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("ours")
    shutil.copytree(ROOT / "entries", root / "entries")
    assert run(root, "build").exit_code == 0
    items = json.loads((root / "bib" / "all.json").read_text(encoding="utf-8"))
    return {"root": root, "by_title": {item["title"]: item for item in items}, "items": items}


def test_the_issues_examples_are_cited_as_published(our_build: dict[str, Any]) -> None:
    for title, (kind, container) in ISSUE_EXAMPLES.items():
        item = our_build["by_title"][title]
        assert (item["type"], item["container-title"]) == (kind, container), title
        assert item["note"].startswith("arXiv: "), title  # the free copy stays findable
        assert "DOI" not in item, title  # the arXiv DOI is not the published version's


def test_every_arxiv_work_whose_list_names_a_venue_comes_out_published(our_build: dict[str, Any]) -> None:
    lists = entries.load_all(our_build["root"] / "entries")
    named = {
        str(item.title).lower()
        for curated in lists
        for item in curated.all_items()
        if item.identifier("arxiv") and item.venue and item.venue.lower() in PUBLISHED_HINTS
    }
    assert len(named) >= 9
    by_title = {title.lower(): item for title, item in our_build["by_title"].items()}
    assert named <= set(by_title)  # the same title in two lists may be written in another case
    assert {by_title[t]["type"] for t in named} <= {"paper-conference", "article-journal"}


def test_provenance_says_where_each_published_version_came_from(our_build: dict[str, Any]) -> None:
    provenance = json.loads(
        (our_build["root"] / "bib" / ".curabib" / "provenance.json").read_text(encoding="utf-8")
    )
    sources = {entry.get("published") for entry in provenance.values()}
    assert {"dated hint", "proceedings link"} <= sources
    assert provenance["raffel2019exploring"]["published"] == "dated hint"


ONE_PAPER = """\
list: mine
sections:
- heading: Papers
  items:
  - key: {key}
    kind: paper
    title: {title}
    authors: [{author}]
    year: {year}
{extra}    ids:
      {ids}
    links:
    - {{kind: paper, url: '{url}'}}
"""


def _project(project: Path, *, extra: str = "", **fields: str) -> Path:
    text = ONE_PAPER.format(extra=extra, **fields)
    (project / "entries" / "mine.yaml").write_text(text, encoding="utf-8")
    return project


def _entry(project: Path, *options: str) -> str:
    result = run(project, "build", *options)
    assert result.exit_code == 0, result.output
    return (project / "bib" / "mine.bib").read_text(encoding="utf-8")


# Proceedings links as our lists write them (JMLR's as the journal writes it); the year is the link's.
@pytest.mark.parametrize(
    ("ids", "url", "container", "year", "volume"),
    [
        ("neurips: 2020/1457c0d6bfcb4967418bfb8ac142f64a",
         "https://proceedings.neurips.cc/paper/2020/hash/1457c0d6bfcb4967418bfb8ac142f64a-Abstract.html",
         "booktitle = {Advances in Neural Information Processing Systems}", "2020", "33"),
        ("pmlr: v139/zhao21c", "http://proceedings.mlr.press/v139/zhao21c/zhao21c.pdf",
         "booktitle = {International Conference on Machine Learning}", "2021", "139"),
        ("jmlr: v21/20-074", "https://jmlr.org/papers/v21/20-074.html",
         "journal = {Journal of Machine Learning Research}", "2020", "21"),
        ("acl: N19-1423", "https://aclanthology.org/N19-1423.pdf",
         "booktitle = {Conference of the North American Chapter of the Association for Computational Linguistics}",
         "2019", None),
        ("acl: 2021.findings-emnlp.354", "https://aclanthology.org/2021.findings-emnlp.354/",
         "booktitle = {Findings of the Association for Computational Linguistics: EMNLP}", "2021", None),
    ],
)  # fmt: skip
def test_a_proceedings_link_names_the_venue_and_its_year(
    project: Path, ids: str, url: str, container: str, year: str, volume: str | None
) -> None:
    _project(project, key="paper2018", title="A Paper", author="Jane Doe", year="2018", ids=ids, url=url)
    bib = _entry(project)
    assert bib.startswith("@article{paper2018," if "journal =" in container else "@inproceedings{paper2018,")
    assert container in bib
    assert f"year = {{{year}}}" in bib  # the link's year, not the curated 2018 (a preprint's year)
    assert (f"volume = {{{volume}}}" in bib) if volume else "volume =" not in bib
    provenance = json.loads((project / "bib" / ".curabib" / "provenance.json").read_text(encoding="utf-8"))
    assert provenance["paper2018"]["published"] == provenance["paper2018"]["year"] == "proceedings link"


def test_a_hint_beside_an_arxiv_link_keeps_the_eprint_and_follows_the_venue_style(project: Path) -> None:
    _project(
        project, key="brown2020language", title="Language Models are Few-Shot Learners", author="Tom B. Brown",
        year="2020", extra="    venue: NeurIPS\n", ids="arxiv: '2005.14165'", url="https://arxiv.org/abs/2005.14165",
    )  # fmt: skip
    long = _entry(project)
    assert long.startswith("@inproceedings{brown2020language,")
    assert "booktitle = {Advances in Neural Information Processing Systems}" in long
    assert "eprinttype = {arxiv}" in long and "eprint = {2005.14165}" in long
    # The hint is dated by its item (2020): NeurIPS 2020 is volume 33.
    assert "volume = {33}" in long and "year = {2020}" in long and "doi =" not in long
    assert "booktitle = {NeurIPS}" in _entry(project, "--venue", "short")


def test_prefer_preprint_exports_the_arxiv_version(project: Path) -> None:
    _project(
        project, key="brown2020language", title="Language Models are Few-Shot Learners", author="Tom B. Brown",
        year="2020", extra="    venue: NeurIPS\n", ids="arxiv: '2005.14165'", url="https://arxiv.org/abs/2005.14165",
    )  # fmt: skip
    (project / "curabib.yaml").write_text("prefer: preprint\n", encoding="utf-8")
    bib = _entry(project)
    assert bib.startswith("@misc{brown2020language,") and "booktitle" not in bib
    assert "doi = {10.48550/arXiv.2005.14165}" in bib


RECORDED = ROOT / "examples" / "recorded" / "entries" / "fetched" / "crossref"


def _with_recorded_crossref_record(project: Path, venue: str) -> Path:
    """The Crossref record recorded for 10.1038/s42256-024-00832-8 (Nature Machine Intelligence, 2024)."""
    store = project / "entries" / "fetched" / "crossref"
    store.mkdir(parents=True)
    shutil.copy(RECORDED / "10.1038%2Fs42256-024-00832-8.json", store)
    return _project(
        project, key="bran2024augmenting", title="Augmenting large language models with chemistry tools",
        author="Andres M. Bran", year="2024", extra=f"    venue: {venue}\n",
        ids="doi: 10.1038/s42256-024-00832-8", url="https://www.nature.com/articles/s42256-024-00832-8",
    )  # fmt: skip


def test_a_fetched_record_beats_the_hint_and_check_reports_the_contradiction(project: Path) -> None:
    _with_recorded_crossref_record(project, "NeurIPS")
    bib = _entry(project)
    assert bib.startswith("@article{bran2024augmenting,")
    assert "journal = {Nature Machine Intelligence}" in bib and "NeurIPS" not in bib
    result = run(project, "check")
    assert re.search(
        r"entries/mine.yaml:5: warning: venue-hint-conflict: the list says NeurIPS 2024 \(the venue hint "
        r"'NeurIPS' at .*entries/mine.yaml:5\), the fetched published record doi:10.1038/s42256-024-00832-8 "
        r"says Nature Machine Intelligence 2024",
        result.output,
    )


def test_a_fetched_record_that_agrees_with_the_hint_is_not_reported(project: Path) -> None:
    _with_recorded_crossref_record(project, "Nature Machine Intelligence")
    assert "venue-hint-conflict" not in run(project, "check").output


def test_check_reports_venues_on_a_hint_alone_and_preprints_with_a_known_venue(project: Path) -> None:
    text = """\
list: mine
sections:
- heading: Papers
  items:
  - key: brown2020language
    kind: paper
    title: Language Models are Few-Shot Learners
    year: 2020
    venue: NeurIPS
    ids:
      arxiv: '2005.14165'
  - key: devlin2018bert
    kind: paper
    title: 'BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding'
    year: 2018
    venue: Arxiv
    ids:
      acl: N19-1423
    links:
    - {kind: paper, url: 'https://aclanthology.org/N19-1423.pdf'}
"""
    (project / "entries" / "mine.yaml").write_text(text, encoding="utf-8")
    output = run(project, "check").output
    assert re.search(r"entries/mine.yaml:5: info: venue-from-hint: .*Advances in Neural Information", output)
    assert re.search(
        r"entries/mine.yaml:12: info: published-version-known: .* is listed as Arxiv but was published in "
        r"Conference of the North American Chapter .* 2019 \(its proceedings link\)",
        output,
    )
    assert "entries/mine.yaml:12: info: venue-from-hint" not in output  # the link, not a hint


def test_the_venue_a_preprint_record_names_dates_its_citation() -> None:
    """arXiv's comment "Published as a conference paper at ICLR 2021" (the form ICLR asks authors to use)."""
    from curabib.ids import Identifier
    from curabib.merge.works import merge_items
    from curabib.model import Item, Record

    item = Item(kind="paper", title="A Paper", ids=(Identifier("arxiv", "2010.11929"),), key="paper2020")
    fields = {"title": "A Paper", "authors": ["Jane Doe"], "published": "2020-10-22",
              "comment": "Published as a conference paper at ICLR 2021"}  # fmt: skip
    record = Record("arxiv", "arxiv:2010.11929", "found", "2026-11-30T00:00:00+00:00", "", fields)
    work, conflicts = merge_items(
        "paper2020", [item], {"arxiv|arxiv:2010.11929": record}, "published", "long"
    )
    assert work.published is not None and conflicts == []
    assert (work.published.container, work.published.year) == (
        "International Conference on Learning Representations",
        2021,
    )
    assert dict(work.provenance)["published"] == dict(work.provenance)["year"] == "arxiv"
    assert (
        work.year == 2021
    )  # the venue's year, not the first version's (2020): no curated year says otherwise
