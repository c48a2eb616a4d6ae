"""Zotero RDF (bib/<list>.rdf, bib/all.rdf): what Zotero's RDF import reads from our files.

The expected triples come from the translators of zotero/translators (commit 28143701): "Zotero RDF.js",
Zotero's own export, which fixes the vocabulary, and "RDF.js", the import that reads our files. Each row
names the lines it follows. Files are read back with rdflib, a real RDF/XML parser.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import rdflib
import yaml

from conftest import ROOT, run
from curabib.export import ExportOptions, csl
from curabib.export.zotero_rdf import file, render, render_item
from curabib.ids import Identifier
from curabib.model import CuratedList, Item, Person, Section, Work
from curabib.pipeline import build_bibliographies

BASE = "http://example.org/list.rdf"
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "z": "http://www.zotero.org/namespaces/export#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "bib": "http://purl.org/net/biblio#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prism": "http://prismstandard.org/namespaces/1.2/basic/",
}
RDF_TYPE, ITEM_TYPE = rdflib.URIRef(NS["rdf"] + "type"), rdflib.URIRef(NS["z"] + "itemType")
COLLECTION, HAS_PART = rdflib.URIRef(NS["z"] + "Collection"), rdflib.URIRef(NS["dcterms"] + "hasPart")
TITLE = rdflib.URIRef(NS["dc"] + "title")


def _graph(data: bytes) -> Any:
    graph = rdflib.Graph()
    graph.parse(data=data, format="xml", publicID=BASE)
    return graph


def _short(uri: Any) -> str:
    for prefix, namespace in NS.items():
        if str(uri).startswith(namespace):
            return f"{prefix}:{str(uri)[len(namespace) :]}"
    return str(uri).removeprefix(BASE)


def _paths(graph: Any, node: Any) -> Iterator[tuple[str, ...]]:
    """Every statement below `node` as a path of short names, blank nodes followed: ("dc:publisher",
    "foaf:name", "arXiv"). rdf:li comes back as rdf:_1, rdf:_2, ..."""
    for predicate, value in graph.predicate_objects(node):
        if isinstance(value, rdflib.BNode):
            for path in _paths(graph, value):
                yield (_short(predicate), *path)
        else:
            yield _short(predicate), str(value) if isinstance(value, rdflib.Literal) else _short(value)


def _item_paths(data: dict[str, Any]) -> set[tuple[str, ...]]:
    text = render_csl(data)
    return set(_paths(_graph(text), rdflib.URIRef(BASE + "#item_" + data["id"])))


def render_csl(data: dict[str, Any]) -> bytes:
    """A file of one CSL item, as the build writes it."""
    return b"".join(file([], [render_item(data["id"], data).encode()]))


# CSL item (as export/csl.py writes it) -> paths the item must have, and paths it must not have.
ROWS: list[tuple[str, dict[str, Any], set[tuple[str, ...]], set[tuple[str, ...]]]] = [
    (
        # Zotero RDF.js 138-221 gives a preprint no class (rdf:Description), 225 its z:itemType; its
        # repository (base field publisher) is a foaf:Organization (262-277, 453-463), its archiveID
        # (base number) prism:number on the item (429-432) which RDF.js 1012-1033 reads back as the number;
        # DOI "DOI <doi>" (420-421), URL as dcterms:URI (374-389), Extra as dc:description (409-410).
        "preprint",
        {
            "id": "vaswani2017attention", "citation-key": "vaswani2017attention", "type": "article",
            "title": "Attention Is All You Need", "author": [{"family": "Vaswani", "given": "Ashish"}],
            "issued": {"date-parts": [[2017]]}, "URL": "https://arxiv.org/abs/1706.03762",
            "DOI": "10.48550/arXiv.1706.03762", "publisher": "arXiv", "number": "arXiv:1706.03762",
        },
        {
            ("z:itemType", "preprint"),
            ("prism:number", "arXiv:1706.03762"),
            ("dc:publisher", "rdf:type", "foaf:Organization"),
            ("dc:publisher", "foaf:name", "arXiv"),
            ("dc:identifier", "DOI 10.48550/arXiv.1706.03762"),
            ("dc:identifier", "rdf:type", "dcterms:URI"),
            ("dc:identifier", "rdf:value", "https://arxiv.org/abs/1706.03762"),
            ("bib:authors", "rdf:type", "rdf:Seq"),
            ("bib:authors", "rdf:_1", "rdf:type", "foaf:Person"),
            ("bib:authors", "rdf:_1", "foaf:surname", "Vaswani"),
            ("bib:authors", "rdf:_1", "foaf:givenName", "Ashish"),  # givenName (300), read by RDF.js 150
            ("dc:title", "Attention Is All You Need"),
            ("dc:date", "2017"),
            ("dc:description", "Citation Key: vaswani2017attention"),
        },
        {("rdf:type", "bib:Article")},
    ),
    (
        # conferencePaper: no class, a bib:Journal container (Zotero RDF.js 218-220, RDF.js 503-505) with
        # the proceedings title (422-424) and volume (427-428); pages on the item (406-408).
        "conferencePaper",
        {
            "id": "brown2020language", "type": "paper-conference", "title": "Language Models are Few-Shot Learners",
            "container-title": "Advances in Neural Information Processing Systems", "volume": "33",
            "page": "1877--1901", "issued": {"date-parts": [[2020]]},
        },
        {
            ("z:itemType", "conferencePaper"),
            ("dcterms:isPartOf", "rdf:type", "bib:Journal"),
            ("dcterms:isPartOf", "dc:title", "Advances in Neural Information Processing Systems"),
            ("dcterms:isPartOf", "prism:volume", "33"),
            ("bib:pages", "1877--1901"),
            ("dc:description", "Citation Key: brown2020language"),
        },
        {("rdf:type", "bib:Article"), ("dc:title", "Advances in Neural Information Processing Systems")},
    ),
    (
        # journalArticle: bib:Article in a bib:Journal (145-147); title, volume, issue and DOI on the
        # container (420-432; RDF.js 1140-1152 reads the container's identifiers too).
        "journalArticle",
        {
            "id": "gu2021domain", "type": "article-journal", "title": "Domain-specific language model pretraining",
            "container-title": "ACM Transactions on Computing for Healthcare", "volume": "3", "issue": "1",
            "page": "1--23", "DOI": "10.1145/3458754", "URL": "https://doi.org/10.1145/3458754",
            "note": "arXiv: 2007.15779",
        },
        {
            ("rdf:type", "bib:Article"),
            ("z:itemType", "journalArticle"),
            ("dcterms:isPartOf", "rdf:type", "bib:Journal"),
            ("dcterms:isPartOf", "dc:title", "ACM Transactions on Computing for Healthcare"),
            ("dcterms:isPartOf", "prism:volume", "3"),
            ("dcterms:isPartOf", "prism:number", "1"),
            ("dcterms:isPartOf", "dc:identifier", "DOI 10.1145/3458754"),
            ("bib:pages", "1--23"),
            ("dc:identifier", "rdf:value", "https://doi.org/10.1145/3458754"),
            ("dc:description", "Citation Key: gu2021domain\narXiv: 2007.15779"),
        },
        {("dc:identifier", "DOI 10.1145/3458754")},
    ),
    (
        # webpage: bib:Document in a z:Website (166-168) whose dc:title is the website title; the genre
        # as dc:type (websiteType: 279-282, 486-487; RDF.js 1253-1265).
        "webpage",
        {
            "id": "alpaca", "type": "webpage", "title": "stanford_alpaca", "container-title": "GitHub",
            "genre": "Computer program", "URL": "https://github.com/tatsu-lab/stanford_alpaca",
        },
        {
            ("rdf:type", "bib:Document"),
            ("z:itemType", "webpage"),
            ("dcterms:isPartOf", "rdf:type", "z:Website"),
            ("dcterms:isPartOf", "dc:title", "GitHub"),
            ("dc:type", "Computer program"),
        },
        set(),
    ),
    (
        # blogPost: bib:Document in a z:Blog (193-195).
        "blogPost",
        {
            "id": "fu2022how", "type": "post-weblog", "title": "How does GPT Obtain its Ability?",
            "container-title": "Notion", "issued": {"date-parts": [[2022, 12, 11]]},
        },
        {
            ("rdf:type", "bib:Document"),
            ("z:itemType", "blogPost"),
            ("dcterms:isPartOf", "rdf:type", "z:Blog"),
            ("dcterms:isPartOf", "dc:title", "Notion"),
            ("dc:date", "2022-12-11"),
        },
        set(),
    ),
    (
        # dataset: no class in the translator's table; its repository (base publisher) an organization.
        "dataset",
        {"id": "pile", "type": "dataset", "title": "The Pile", "publisher": "Hugging Face"},
        {("z:itemType", "dataset"), ("dc:publisher", "foaf:name", "Hugging Face")},
        {("rdf:type", "bib:Document")},
    ),
    (
        # computerProgram: bib:Data (213-214); its company (base publisher) an organization; version as
        # prism:edition (393-395).
        "computerProgram",
        {"id": "llama", "type": "software", "title": "llama", "publisher": "GitHub", "version": "2.0"},
        {
            ("rdf:type", "bib:Data"),
            ("z:itemType", "computerProgram"),
            ("dc:publisher", "foaf:name", "GitHub"),
            ("prism:edition", "2.0"),
        },
        set(),
    ),
    (
        # report: bib:Report (176-177); reportNumber (base number) as prism:number on the item.
        "report",
        {"id": "openai2023gpt4", "type": "report", "title": "GPT-4 Technical Report", "publisher": "OpenAI",
         "number": "TR-1", "author": [{"literal": "OpenAI"}]},
        {
            ("rdf:type", "bib:Report"),
            ("z:itemType", "report"),
            ("prism:number", "TR-1"),
            ("dc:publisher", "foaf:name", "OpenAI"),
            # A one-field name: a foaf:Person with a surname only (the translator writes a fieldMode-1
            # creator so, 295-301), which RDF.js 144-155 reads back as one field.
            ("bib:authors", "rdf:_1", "rdf:type", "foaf:Person"),
            ("bib:authors", "rdf:_1", "foaf:surname", "OpenAI"),
        },
        set(),
    ),
    (
        # bookSection: bib:BookSection in a bib:Book (142-144).
        "bookSection",
        {"id": "chap", "type": "chapter", "title": "A Chapter", "container-title": "A Book"},
        {
            ("rdf:type", "bib:BookSection"),
            ("z:itemType", "bookSection"),
            ("dcterms:isPartOf", "rdf:type", "bib:Book"),
            ("dcterms:isPartOf", "dc:title", "A Book"),
        },
        set(),
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "present", "absent"), [row[1:] for row in ROWS], ids=[row[0] for row in ROWS]
)
def test_an_item_is_written_as_zotero_rdf_js_writes_its_type(
    data: dict[str, Any], present: set[tuple[str, ...]], absent: set[tuple[str, ...]]
) -> None:
    paths = _item_paths(data)
    assert present <= paths, present - paths
    assert not absent & paths


def test_a_literal_name_has_no_given_name_and_a_suffix_stays_with_the_given_name() -> None:
    paths = _item_paths(
        {
            "id": "k", "type": "report", "title": "T",
            "author": [{"literal": "OpenAI"}, {"family": "King", "given": "Martin Luther", "suffix": "Jr."}],
        }
    )  # fmt: skip
    assert not any(path[:3] == ("bib:authors", "rdf:_1", "foaf:givenName") for path in paths)
    assert ("bib:authors", "rdf:_2", "foaf:givenName", "Martin Luther, Jr.") in paths


def test_a_work_is_written_as_its_csl_item_is() -> None:
    """`render` writes a work's names from its `Person`s, not through its CSL item: the same text."""
    people = (
        Person("OpenAI", literal=True),
        Person("King", "Martin Luther", suffix="Jr."),
        Person("van der Maaten", "Laurens"),
        Person("Müller & Söhne"),
        Person("Plato", ""),
    )
    for authors in (people, ()):
        work = Work("k", "paper", "T <&>", None, authors, False, 2020, "NeurIPS", None, ())
        assert render(work, ExportOptions()) == render_item("k", csl.item(work))


def test_an_arxiv_work_renders_as_a_preprint_with_its_archive_id() -> None:
    work = Work(
        key="hu2021lora", kind="paper", title="LoRA: Low-Rank Adaptation of Large Language Models", label="LoRA",
        authors=(Person("Hu", "Edward J."),), et_al=True, year=2021, venue=None,
        url="https://arxiv.org/abs/2106.09685", ids=(Identifier("arxiv", "2106.09685"),),
    )  # fmt: skip
    graph = _graph(b"".join(file([], [render(work, ExportOptions()).encode()])))
    paths = set(_paths(graph, rdflib.URIRef(BASE + "#item_hu2021lora")))
    assert {("z:itemType", "preprint"), ("prism:number", "arXiv:2106.09685")} <= paths
    assert ("dc:publisher", "foaf:name", "arXiv") in paths


def test_text_is_escaped_unicode_kept_and_characters_xml_cannot_hold_dropped() -> None:
    title = 'Q&A <tags> "quoted" 大模型\x01 😀'
    paths = _item_paths({"id": "odd", "type": "webpage", "title": title})
    assert ("dc:title", 'Q&A <tags> "quoted" 大模型 😀') in paths


# -- collections ---------------------------------------------------------------------------------------
def _paper(key: str) -> Item:
    return Item(kind="paper", title=f"Paper {key}", key=key, year=2020, authors=("Ada Lovelace",))


def _lists() -> list[CuratedList]:
    nested = CuratedList(
        name="nested",
        title="A Nested List",
        items=[_paper("a")],  # before the first heading: filed in the list's own collection
        sections=[
            Section("One", [_paper("b")], [Section("One.A", [_paper("c")])]),
            Section("Empty", [], [Section("Empty too")]),  # no works: no collection
            Section("Two", [_paper("b"), _paper("d")]),  # b again: filed in both sections
        ],
    )
    other = CuratedList(name="other", items=[_paper("b")], sections=[Section("大模型", [_paper("e")])])
    return [nested, other]


def _built() -> dict[str, bytes]:
    built = build_bibliographies(_lists(), {}, ExportOptions())
    return {path: b"".join(pieces) for path, pieces in built.files() if path.endswith(".rdf")}


def _tree(graph: Any) -> dict[str, tuple[str, list[str]]]:
    """Each collection's URI -> (title, the URIs of its parts)."""
    return {
        _short(node): (
            str(graph.value(node, TITLE)),
            sorted(_short(part) for part in graph.objects(node, HAS_PART)),
        )
        for node in graph.subjects(RDF_TYPE, COLLECTION)
    }


def _described(graph: Any) -> list[str]:
    return sorted(_short(subject) for subject, _ in graph.subject_objects(ITEM_TYPE))


def test_a_list_file_holds_its_sections_as_nested_collections() -> None:
    graph = _graph(_built()["nested.rdf"])
    assert _tree(graph) == {
        "#collection_nested": (
            "A Nested List",
            ["#collection_nested/one", "#collection_nested/two", "#item_a"],
        ),
        "#collection_nested/one": ("One", ["#collection_nested/one/one-a", "#item_b"]),
        "#collection_nested/one/one-a": ("One.A", ["#item_c"]),
        "#collection_nested/two": ("Two", ["#item_b", "#item_d"]),
    }
    # Every item described once, however many collections file it (b is in One and Two).
    assert _described(graph) == ["#item_a", "#item_b", "#item_c", "#item_d"]
    # RDF.js 1552-1560: only collections nothing has as a part become top collections.
    assert _tops(graph) == ["A Nested List"]


def _tops(graph: Any) -> list[str]:
    parts = set(graph.objects(None, HAS_PART))
    return sorted(str(graph.value(c, TITLE)) for c in graph.subjects(RDF_TYPE, COLLECTION) if c not in parts)


def test_all_rdf_has_one_top_collection_per_list_and_each_work_once() -> None:
    graph = _graph(_built()["all.rdf"])
    assert _tops(graph) == ["A Nested List", "other"]  # a list without a title is named by its name
    assert _described(graph) == ["#item_a", "#item_b", "#item_c", "#item_d", "#item_e"]
    assert _tree(graph)["#collection_other/da-mo-xing"] == ("大模型", ["#item_e"])
    assert _tree(graph)["#collection_other"][1] == ["#collection_other/da-mo-xing", "#item_b"]


# -- our own lists -------------------------------------------------------------------------------------
def _sections_with_works(sections: list[dict[str, Any]]) -> int:
    def has_works(section: dict[str, Any]) -> bool:
        return bool(section.get("items")) or any(has_works(s) for s in section.get("sections") or [])

    return sum(has_works(s) + _sections_with_works(s.get("sections") or []) for s in sections)


@pytest.fixture(scope="module")
def our_bib(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ours")
    shutil.copytree(ROOT / "entries", root / "entries")
    assert run(root, "build").exit_code == 0
    return root


def test_our_lists_build_rdf_files_that_parse_with_a_collection_per_section(our_bib: Path) -> None:
    bib = our_bib / "bib"
    index = json.loads((bib / ".curabib" / "index.json").read_text(encoding="utf-8"))["files"]
    rdf_files = {path: meta for path, meta in index.items() if meta["format"] == "zotero-rdf"}
    lists = sorted(p.stem for p in (our_bib / "entries").glob("*.yaml"))
    assert sorted(rdf_files) == sorted(["all.rdf", *(f"{name}.rdf" for name in lists)])
    counts = {}
    entries = {
        name: yaml.safe_load((our_bib / "entries" / f"{name}.yaml").read_text(encoding="utf-8"))
        for name in lists
    }
    titles = [entry.get("title") or name for name, entry in entries.items()]
    assert len(set(titles)) < len(titles)  # two of our lists share their template's title
    for name, entry in entries.items():
        graph = _graph((bib / f"{name}.rdf").read_bytes())
        counts[name] = len(_tree(graph))
        assert counts[name] == _sections_with_works(entry.get("sections") or []) + 1, name
        title = entry.get("title") or name
        # A title two lists share (a template's) is followed by the list's name: two Zotero collections.
        assert _tops(graph) == [title if titles.count(title) == 1 else f"{title} ({name})"]
        described = _described(graph)
        assert len(described) == len(set(described)) == rdf_files[f"{name}.rdf"]["entries"]
    graph = _graph((bib / "all.rdf").read_bytes())
    assert len(_tree(graph)) == sum(counts.values())
    assert len(set(_tops(graph))) == len(lists)
    every = set(_described(graph))
    assert len(every) == rdf_files["all.rdf"]["entries"]
    filed = {_short(part) for part in graph.objects(None, HAS_PART)}
    assert {uri for uri in filed if uri.startswith("#item_")} == every  # each work filed, none undescribed


def test_rdf_files_are_byte_identical_on_rebuild(our_bib: Path) -> None:
    before = {p.name: p.read_bytes() for p in (our_bib / "bib").glob("*.rdf")}
    assert run(our_bib, "build").exit_code == 0
    assert {p.name: p.read_bytes() for p in (our_bib / "bib").glob("*.rdf")} == before
