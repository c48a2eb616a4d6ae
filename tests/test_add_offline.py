"""`curabib add` by the fields a user types (no network), and `add` by identifier asking DBLP once the title is
known, as a user meets them.

The work typed in is Vaswani et al. 2017, "Attention Is All You Need" (NeurIPS 2017; arXiv:1706.03762), with
its authors in order as the recorded arXiv answer lists them (tests/fixtures/recorded/arxiv/id_list-1706.03762.xml).
The network tests run against the recorded server: DBLP's recorded answer to the query "attention is all you
need" (tests/fixtures/recorded/dblp/) holds three other papers, none of which may be taken for this one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import FakeClock, run
from curabib.fetch import connect
from curabib.sources.dblp import SOURCE as DBLP
from recorded_server import RecordedServer
from test_offline import offline

TITLE = "Attention Is All You Need"
AUTHORS = [
    "Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit", "Llion Jones", "Aidan N. Gomez",
    "Lukasz Kaiser", "Illia Polosukhin",
]  # fmt: skip
BIBTEX_AUTHORS = (
    "Vaswani, Ashish and Shazeer, Noam and Parmar, Niki and Uszkoreit, Jakob and Jones, Llion and "
    "Gomez, Aidan N. and Kaiser, Lukasz and Polosukhin, Illia"
)


def typed(*extra: str) -> list[str]:
    args = ["add", "--title", TITLE]
    for author in AUTHORS:
        args += ["--author", author]
    return [*args, *extra]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> FakeClock:
    """Every API on a closed port, and connecting a client at all an error: a typed work needs neither."""
    offline(monkeypatch, "arxiv", "crossref", "dblp")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("add by typed fields connected a client")

    monkeypatch.setattr(connect, "connect", refuse)
    return clock


def test_typed_fields_add_the_work_offline_and_print_its_bibtex(project: Path, no_network: FakeClock) -> None:
    result = run(project, *typed("--year", "2017", "--venue", "NeurIPS", "--list", "reading"))
    assert result.exit_code == 0, result.output
    assert (
        result.output
        == (
            "@inproceedings{vaswani2017attention,\n"
            f"  author = {{{BIBTEX_AUTHORS}}},\n"
            "  title = {Attention Is All You Need},\n"
            "  booktitle = {Advances in Neural Information Processing Systems},\n"  # NeurIPS, as data/venues.yaml names it
            "  volume = {30},\n"  # NeurIPS 2017's proceedings volume
            "  year = {2017}\n"
            "}\n"
            "\n"
            f"Added vaswani2017attention to {project / 'entries' / 'reading.yaml'}, section 'Added'; "
            "run `curabib build` to export it\n"
        )
    )
    assert no_network.sleeps == []  # nothing was tried either
    data = yaml.safe_load((project / "entries" / "reading.yaml").read_text(encoding="utf-8"))
    assert data["sections"] == [
        {
            "heading": "Added",
            "items": [
                {
                    "key": "vaswani2017attention",
                    "kind": "paper",
                    "title": TITLE,
                    "authors": AUTHORS,
                    "year": 2017,
                    "venue": "NeurIPS",
                    "pinned": ["year", "venue"],  # typed by hand: no fetched evidence overrules them
                }
            ],
        }
    ]
    built = run(project, "build")
    assert built.exit_code == 0, built.output
    assert "booktitle = {Advances in Neural Information Processing Systems}" in (
        project / "bib" / "reading.bib"
    ).read_text(encoding="utf-8")


def test_a_title_alone_is_enough_and_gives_a_provisional_key(project: Path, no_network: FakeClock) -> None:
    result = run(project, "add", "--title", TITLE, "--section", "Transformers")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "@misc{attention"
    )  # no author, year or venue: what the exporter does today
    assert "  title = {Attention Is All You Need}\n" in result.output
    item = yaml.safe_load((project / "entries" / "added.yaml").read_text(encoding="utf-8"))["sections"][0][
        "items"
    ][0]
    assert item["key_provisional"] is True and "pinned" not in item


def test_the_same_title_twice_in_one_section_adds_nothing(project: Path, no_network: FakeClock) -> None:
    assert run(project, *typed("--list", "reading")).exit_code == 0  # no year: key "vaswani" + "attention"
    before = (project / "entries" / "reading.yaml").read_text(encoding="utf-8")
    again = run(project, "add", "--title", "attention is all you need", "--list", "reading")
    assert again.exit_code == 0
    assert again.output == (
        "'attention is all you need': already in reading/Added as vaswaniattention; nothing was added\n"
    )
    assert (project / "entries" / "reading.yaml").read_text(encoding="utf-8") == before
    elsewhere = run(project, *typed("--list", "later"))  # another list is another place: added there
    assert (
        elsewhere.exit_code == 0
        and f"to {project / 'entries' / 'later.yaml'}, section 'Added'" in elsewhere.output
    )


def test_add_needs_an_identifier_or_a_title(project: Path) -> None:
    result = run(project, "add", "--author", "Ashish Vaswani", "--year", "2017")
    assert result.exit_code == 2
    assert "give an arXiv id, DOI or URL, or --title for a work added by its fields" in result.output
    assert run(project, "add", "--title", TITLE, "--year", "17").exit_code == 2  # not a year
    assert list((project / "entries").iterdir()) == []


def test_add_by_arxiv_id_asks_dblp_for_the_published_version(project: Path, online: RecordedServer) -> None:
    result = run(project, "add", "arXiv:1706.03762", "--list", "reading")
    assert result.exit_code == 0, result.output
    asked = online.requests("dblp")
    assert len(asked) == 1 and asked[0].query["q"] == [TITLE]  # the title arXiv gave
    # DBLP's three hits are other papers (DAC 2021, CoRR 2024, IEEE Access 2025): none is taken
    assert result.output.startswith("@misc{vaswani2017attention,\n")
    assert "eprint = {1706.03762}" in result.output
    for other in ("DAC", "IEEE Access", "CoRR", "2407.15516"):
        assert other not in result.output
    searched = list((project / "entries" / "fetched" / "dblp-search").glob("*.json"))
    assert len(searched) == 1
    record = json.loads(searched[0].read_text(encoding="utf-8"))
    assert record["status"] == "not-found" and record["fields"]["query"] == TITLE
    assert record["url"] == DBLP.default_url + "/search/publ/api?q=Attention+Is+All+You+Need&format=json&h=10"


def test_typed_fields_win_over_the_fetched_ones(project: Path, online: RecordedServer) -> None:
    result = run(
        project, "add", "arXiv:1706.03762", "--venue", "NeurIPS", "--year", "2017", "--list", "reading"
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("@inproceedings{vaswani2017attention,\n")
    assert f"  author = {{{BIBTEX_AUTHORS}}},\n" in result.output  # the fetched authors: none were typed
    assert "  booktitle = {Advances in Neural Information Processing Systems},\n" in result.output
    assert "  eprint = {1706.03762},\n" in result.output
    item = yaml.safe_load((project / "entries" / "reading.yaml").read_text(encoding="utf-8"))["sections"][0][
        "items"
    ][0]
    assert (
        item["venue"] == "NeurIPS"
        and item["pinned"] == ["year", "venue"]
        and item["ids"] == {"arxiv": "1706.03762"}
    )


def test_dblp_unreachable_still_adds_and_says_so(
    project: Path, server: RecordedServer, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CURABIB_ARXIV_URL", server.arxiv_url)
    monkeypatch.setenv("CURABIB_CROSSREF_URL", server.crossref_url)
    hosts = offline(monkeypatch, "dblp")
    result = run(project, "add", "arXiv:1706.03762", "--list", "reading")
    assert result.exit_code == 0, result.output
    assert (
        f"DBLP was not asked (cannot reach {hosts['dblp']}: connection refused); `curabib refresh` asks it later"
    ) in result.output
    assert f"Added vaswani2017attention to {project / 'entries' / 'reading.yaml'}" in result.output
