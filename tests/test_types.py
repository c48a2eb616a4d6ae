"""Item types by rule (`export/types.py`): every row of the table, stated with its expected outcome in CSL,
BibTeX, biblatex and Zotero, and read the same way by both formats."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from curabib.export import bibtex, csl, zotero_rdf
from curabib.export.common import ExportOptions
from curabib.export.types import TYPES, is_repository, publication
from curabib.ids import Identifier
from curabib.merge.fields import Fetched, merge_fields
from curabib.model import FOUND, Item, Link, Person, Published, Record, Work
from curabib.sources.crossref import SOURCE as CROSSREF

AUTHORS = (Person("Dettmers", "Tim"),)


def work(kind: str = "paper", **fields: Any) -> Work:
    base: dict[str, Any] = {
        "key": "k",
        "kind": kind,
        "title": "A Title",
        "label": None,
        "authors": AUTHORS,
        "et_al": False,
        "year": 2023,
        "venue": None,
        "url": None,
        "ids": (),
    }
    base.update(fields)
    return Work(**base)


def published(kind: str, **fields: Any) -> Published:
    return Published(doi=fields.pop("doi", "10.1/x"), type=kind, **fields)


ARXIV = Identifier("arxiv", "2305.14314")
# what we know -> (our kind, CSL type, BibTeX type, biblatex type, Zotero item type)
ROWS: list[tuple[str, Work, tuple[str, str, str, str, str]]] = [
    ("QLoRA: a paper, no venue, no id", work(), ("paper", "document", "misc", "misc", "document")),
    (
        "a Bioinformatics article on academic.oup.com, venue unknown",
        work(url="https://academic.oup.com/bioinformatics/article-abstract/36/4/1234/5566506"),
        ("paper", "document", "misc", "misc", "document"),
    ),
    ("an arXiv id", work(ids=(ARXIV,)), ("preprint", "article", "misc", "misc", "preprint")),
    (
        "Crossref posted-content (bioRxiv)",
        work(published=published("posted-content", publisher="bioRxiv", year=2020)),
        ("preprint", "article", "misc", "misc", "preprint"),
    ),
    (
        "Crossref journal-article",
        work(published=published("journal-article", container="Nature")),
        ("journal", "article-journal", "article", "article", "journalArticle"),
    ),
    (
        "Crossref proceedings-article",
        work(published=published("proceedings-article", container="ACL")),
        ("conference", "paper-conference", "inproceedings", "inproceedings", "conferencePaper"),
    ),
    *[
        (
            f"Crossref {kind}",
            work(published=published(kind, publisher="Springer")),
            ("book", "book", "book", "book", "book"),
        )
        for kind in ("book", "monograph", "edited-book")
    ],
    (
        "Crossref book-chapter",
        work(published=published("book-chapter", container="Advances", publisher="Springer")),
        ("chapter", "chapter", "incollection", "incollection", "bookSection"),
    ),
    (
        "Crossref dissertation",
        work(published=published("dissertation", publisher="MIT")),
        ("thesis", "thesis", "phdthesis", "phdthesis", "thesis"),
    ),
    (
        "Crossref report",
        work(published=published("report", publisher="RAND")),
        ("report", "report", "techreport", "techreport", "report"),
    ),
    (
        "Crossref dataset",
        work(published=published("dataset", publisher="Zenodo")),
        ("dataset", "dataset", "misc", "dataset", "dataset"),
    ),
    (
        "a Springer book DOI, no record",
        work(ids=(Identifier("doi", "10.1007/978-3-319-19896-5"),)),
        ("book", "book", "misc", "misc", "book"),  # no publisher known: @book would miss a mandatory field
    ),
    (
        "a Springer chapter DOI, no record",
        work(ids=(Identifier("doi", "10.1007/978-3-031-35894-4_13"),)),
        ("chapter", "chapter", "misc", "misc", "bookSection"),
    ),
    (
        "another DOI (derived from a nature.com URL)",
        work(ids=(Identifier("doi", "10.1038/s41591-023-02448-8", derived=True),)),
        ("journal", "article-journal", "misc", "misc", "journalArticle"),
    ),
    (
        "an ACM journal DOI (ACM Transactions on Computing for Healthcare)",
        work(ids=(Identifier("doi", "10.1145/3458754"),)),
        ("journal", "article-journal", "misc", "misc", "journalArticle"),
    ),
    *[
        (
            f"a DOI that does not say whether a journal or a proceedings holds it: {value}",
            work(ids=(Identifier("doi", value),)),
            ("paper", "document", "misc", "misc", "document"),
        )
        for value in (
            "10.1145/3531146.3533234",  # FAccT '22 (our lists), a conference
            "10.1145/1327452.1327492",  # Communications of the ACM (MapReduce, 2008), a journal
            "10.1109/cvpr.2016.90",  # CVPR (ResNet), a conference
            "10.1109/access.2019.2926457",  # the shape of IEEE Access's, a journal
        )
    ],
    *[
        (
            f"a proceedings DOI: {value}",
            work(ids=(Identifier("doi", value),)),
            ("conference", "paper-conference", "misc", "misc", "conferencePaper"),
        )
        for value in ("10.18653/v1/n19-1423", "10.1609/aaai.v34i05.6239", "10.24963/ijcai.2019/1")
    ],
    (
        "an ACL Anthology id, its venue unknown",
        work(ids=(Identifier("acl", "N19-1423"),)),
        # no booktitle known: @inproceedings would miss a mandatory field (BibTeX: "empty booktitle")
        ("conference", "paper-conference", "misc", "misc", "conferencePaper"),
    ),
    (
        "an ACL Anthology id and its venue",
        work(ids=(Identifier("acl", "N19-1423"),), venue="NAACL"),
        ("conference", "paper-conference", "inproceedings", "inproceedings", "conferencePaper"),
    ),
    (
        "a known conference named by the list",
        work(venue="NeurIPS"),
        ("conference", "paper-conference", "inproceedings", "inproceedings", "conferencePaper"),
    ),
    # No author known yet: the venue still says what the work is (BibTeX styles warn "empty author").
    (
        "a known conference named by the list, no author yet",
        work(venue="NeurIPS", authors=()),
        ("conference", "paper-conference", "inproceedings", "inproceedings", "conferencePaper"),
    ),
    (
        "Crossref journal-article, no author yet",
        work(authors=(), published=published("journal-article", container="Nature")),
        ("journal", "article-journal", "article", "article", "journalArticle"),
    ),
    (
        "Crossref book with its publisher, no author yet",
        work(authors=(), published=published("book", publisher="Springer")),
        ("book", "book", "book", "book", "book"),
    ),
    (
        "an arXiv id, no author and no venue",
        work(authors=(), ids=(ARXIV,)),
        ("preprint", "article", "misc", "misc", "preprint"),
    ),
    (
        "a GitHub repository, kind software",
        work("software", url="https://github.com/artidoro/qlora"),
        ("software", "webpage", "misc", "software", "webpage"),
    ),
    (
        "a GitHub folder the list called a blog post (deepspeedchat)",
        work("blog", url="https://github.com/microsoft/DeepSpeedExamples/tree/master/applications/DeepSpeed-Chat"),
        ("software", "webpage", "misc", "software", "webpage"),
    ),
    (
        "a GitHub repository the list called a site",
        work("webpage", url="https://github.com/LAION-AI/Open-Assistant"),
        ("software", "webpage", "misc", "software", "webpage"),
    ),
    (
        "a paper linked only to its repository",
        work(url="https://github.com/GanjinZero/RRHF"),
        ("software", "webpage", "misc", "software", "webpage"),
    ),
    (
        "a dataset hosted on GitHub",
        work("dataset", url="https://github.com/togethercomputer/RedPajama-Data"),
        ("dataset", "dataset", "misc", "dataset", "dataset"),
    ),
    (
        "a document in a repository, listed as a blog post",
        work("blog", url="https://github.com/openai/openai-cookbook/blob/main/techniques.md"),
        ("blog", "post-weblog", "misc", "online", "blogPost"),
    ),
    ("a model page", work("model", url="https://huggingface.co/x/y"), ("model", "webpage", "misc", "online", "webpage")),
    ("a web page", work("webpage", url="https://pile.eleuther.ai/"), ("webpage", "webpage", "misc", "online", "webpage")),
]  # fmt: skip


@pytest.mark.parametrize(("row", "given", "expected"), ROWS, ids=[r[0] for r in ROWS])
def test_each_row_of_the_table(row: str, given: Work, expected: tuple[str, str, str, str, str]) -> None:
    kind, csl_type, bibtex_type, biblatex_type, zotero = expected
    assert publication(given) == kind
    assert (TYPES[kind].csl, TYPES[kind].zotero) == (csl_type, zotero)
    assert json.loads(csl.render(given, ExportOptions()))["type"] == csl_type
    # Zotero RDF names any Zotero type: software is a Computer Program there, where CSL-JSON says webpage.
    in_rdf = "computerProgram" if kind == "software" else zotero
    assert f"<z:itemType>{in_rdf}</z:itemType>" in zotero_rdf.render(given, ExportOptions())
    assert bibtex.render(given, ExportOptions()).startswith(f"@{bibtex_type}{{k,")
    assert bibtex.render(given, ExportOptions(dialect="biblatex")).startswith(f"@{biblatex_type}{{k,")


def test_only_standard_bibtex_types_in_the_default_dialect() -> None:
    standard = {"misc", "article", "inproceedings", "book", "incollection", "phdthesis", "techreport"}
    assert {t.bibtex for t in TYPES.values()} <= standard
    assert "software" not in {t.csl for t in TYPES.values()}  # Zotero refuses a whole file with one


def test_a_posted_preprint_names_its_server_and_keeps_its_year() -> None:
    given = work(year=2020, published=published("posted-content", doi="10.1101/2020.12.01.406702",
                                                publisher="bioRxiv", year=2020))  # fmt: skip
    item = json.loads(csl.render(given, ExportOptions()))
    assert (item["type"], item["publisher"], item["issued"]) == (
        "article",
        "bioRxiv",
        {"date-parts": [[2020]]},
    )
    assert item["DOI"] == "10.1101/2020.12.01.406702"
    assert "howpublished = {bioRxiv}" in bibtex.render(given, ExportOptions())


def _record(fields: dict[str, Any], doi: str = "10.1101/2020.12.01.406702") -> Record:
    return Record("crossref", f"doi:{doi}", FOUND, datetime(2024, 1, 1, tzinfo=UTC).isoformat(), "u", fields)


def test_crossref_posted_content_flows_as_a_preprint_with_its_year() -> None:
    record = _record({"type": "posted-content", "title": "A Title", "publisher": "openRxiv", "year": 2020})
    for prefer in ("published", "preprint"):
        supplied = CROSSREF.supply(record, prefer)
        assert supplied["published"] is None and supplied["year"] == 2020 and supplied["venue"] is None
        assert supplied["posted"] == Published(doi="10.1101/2020.12.01.406702", type="posted-content",
                                               publisher="openRxiv", year=2020)  # fmt: skip
    item = Item("paper", title="A Title", ids=(Identifier("doi", "10.1101/2020.12.01.406702"),))
    merged = merge_fields("k", [item], Fetched({"crossref": record}), "published")
    assert merged.year == 2020 and publication(merged) == "preprint"
    assert json.loads(csl.render(merged, ExportOptions()))["publisher"] == "openRxiv"


def test_a_posted_preprint_gives_way_to_the_venue_the_list_names() -> None:
    record = _record({"type": "posted-content", "title": "A Title", "publisher": "openRxiv", "year": 2020})
    item = Item("paper", title="A Title", venue="NeurIPS", year=2021)
    merged = merge_fields("k", [item], Fetched({"crossref": record}), "published")
    assert publication(merged) == "conference"


def test_repositories() -> None:
    assert is_repository("https://github.com/a/b") and is_repository("https://github.com/a/b/tree/main/x")
    assert not is_repository("https://github.com/a/b/blob/main/x.md")
    assert not is_repository("https://github.com/a") and not is_repository("https://gist.github.com/a/b")
    assert not is_repository("https://github.com/topics/llm") and not is_repository(None)


def test_a_work_listed_as_software_and_as_a_dataset_is_a_dataset_everywhere() -> None:
    url = "https://github.com/togethercomputer/RedPajama-Data"
    items = [Item(kind, title="RedPajama", links=(Link("code", url),)) for kind in ("software", "dataset")]
    merged = merge_fields("k", items, Fetched(), "published")
    assert (merged.kind, publication(merged)) == ("dataset", "dataset")
