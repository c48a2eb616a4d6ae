"""Right year, right venue: every statement about when and where a work was published is weighed in one
order (`merge/evidence.py`), and what the export overrules is reported by `check` with every place.

With the real text of our lists (entries/), with identifiers' own dates, and with records recorded from
arXiv, Crossref and DBLP, served by the local server to the real clients.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, run
from recorded_server import RecordedServer


def _lists(project: Path, **lists: str) -> Path:
    """Write each list (`name=items`, the YAML of its items) as entries/<name>.yaml, one section each."""
    for name, items in lists.items():
        text = f"list: {name}\nsource: {name}.md\nsections:\n- heading: Papers\n  items:\n{items}"
        (project / "entries" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return project


def _item(key: str, title: str, *, year: int | None = None, venue: str | None = None, arxiv: str = "",
          extra: str = "", line: int | None = None) -> str:  # fmt: skip
    text = f"  - key: {key}\n    kind: paper\n    title: '{title}'\n"
    text += f"    year: {year}\n" if year is not None else ""
    text += f"    venue: {venue}\n" if venue else ""
    text += extra
    text += f"    ids:\n      arxiv: '{arxiv}'\n" if arxiv else ""
    text += f"    source_line: {line}\n" if line else ""
    return text


def _built(project: Path) -> dict[str, dict[str, Any]]:
    result = run(project, "build")
    assert result.exit_code == 0, result.output
    works = json.loads((project / "bib" / "all.json").read_text(encoding="utf-8"))
    return {work["id"]: work for work in works}


def _provenance(project: Path) -> dict[str, dict[str, str]]:
    path = project / "bib" / ".curabib" / "provenance.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))


def _year(work: dict[str, Any]) -> int | None:
    issued = work.get("issued")
    return int(issued["date-parts"][0][0]) if issued else None


def _check(project: Path) -> list[str]:
    """What `check` prints, with the places as a user in the project folder reads them."""
    return run(project, "check").output.replace(f"{project}/", "").splitlines()


def _findings(lines: list[str], code: str) -> list[str]:
    return [line for line in lines if f": {code}: " in line]


# -- our own lists -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ours(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ours")
    shutil.copytree(ROOT / "entries", root / "entries")
    return root


def test_flan_is_iclr_2022_as_the_list_that_names_iclr_says(ours: Path) -> None:
    """my-llm names ICLR with 2022 ("2022-iclr-FINETUNED ..."); two other lists give 2021, its arXiv year."""
    works = _built(ours)
    flan = works["flan2021finetuned"]
    assert (flan["type"], flan["container-title"], _year(flan)) == (
        "paper-conference", "International Conference on Learning Representations", 2022,
    )  # fmt: skip
    provenance = _provenance(ours)["flan2021finetuned"]
    assert provenance["year"] == provenance["published"] == "dated hint"
    assert provenance["year_evidence"] == provenance["venue_evidence"] == "my-llm/flan2022finetuned"
    # The same for T0 and GLM-130B (ICLR 2023, where two lists give its arXiv year 2022).
    assert (_year(works["t02021multitask"]), _year(works["glm2022glm130b"])) == (2022, 2023)


def test_check_names_every_place_behind_flans_years(ours: Path) -> None:
    lines = _check(ours)
    (flan,) = [line for line in _findings(lines, "year-conflict") if "Finetuned Language Models" in line]
    # At the first list that says 2021, with its YAML line and the Markdown line it was imported from.
    assert flan.startswith("entries/llms-practical-guide.yaml:1175: warning: year-conflict: ")
    assert "exported as 2022 (ICLR 2022, the venue hint 'iclr' at entries/my-llm.yaml:463 " in flan
    assert (
        "entries/llms-practical-guide.yaml:1175 (tests/fixtures/seeds/001_6adda429c211ee22.txt:230)" in flan
    )
    assert "entries/llms-study.yaml:1387 (tests/fixtures/seeds/003_9b67356778e838e4.txt:393)" in flan
    assert "the year of its preprint, arxiv:2109.01652" in flan
    assert "pinned: [year]" in flan  # how to settle it


def test_preprints_are_never_dated_before_their_arxiv_id(ours: Path) -> None:
    works = _built(ours)
    # 2301.13848 is January 2023 (numbered late in the month); both lists say 2022.
    assert _year(works["benchmarking2022large"]) == 2023
    # LaMDA (2201.08239) and MT-NLG (2201.11990): January 2022, listed as 2021.
    assert _year(works["lamda2021language"]) == _year(works["mtnlg2021deepspeed"]) == 2022
    # The Pile, 2101.00027, was submitted on 31 December 2020: a January id numbered that early may be
    # December's, so the lists' 2020 stands until the arXiv record says.
    assert _year(works["pile2020800gb"]) == 2020
    assert _provenance(ours)["benchmarking2022large"]["year"] == "arxiv id"
    conflicts = "\n".join(_findings(_check(ours), "year-conflict"))
    assert (
        "'Benchmarking large language models for news summarization' is exported as 2023 (its arXiv id "
        "2301.13848 (January 2023)), but 2022 by the list at entries/llms-practical-guide.yaml:" in conflicts
    )
    assert "Pile" not in conflicts


def test_every_work_published_before_is_still_published(ours: Path) -> None:
    works = _built(ours)
    published = [
        w for w in works.values() if w["type"] in ("paper-conference", "article-journal", "book", "chapter")
    ]
    assert len(published) >= 59


# -- the rules, one at a time --------------------------------------------------------------------------
FLAN = "Finetuned Language Models Are Zero-Shot Learners"


def test_a_dated_hint_dates_the_venue_not_another_items_year(project: Path) -> None:
    _lists(
        project,
        a=_item("flan2021", FLAN, year=2021, venue="Arxiv", arxiv="2109.01652", line=230),
        b=_item("flan2022", FLAN, year=2022, venue="iclr", arxiv="2109.01652", line=175),
    )
    work = _built(project)["flan2021"]
    assert (work["container-title"], _year(work)) == (
        "International Conference on Learning Representations",
        2022,
    )


def test_an_undated_hint_takes_the_year_of_a_dated_one_for_the_same_venue(project: Path) -> None:
    _lists(
        project,
        a=_item("flan", FLAN, venue="ICLR", arxiv="2109.01652"),
        b=_item("flan", FLAN, year=2022, venue="ICLR", arxiv="2109.01652"),
    )
    assert _year(_built(project)["flan"]) == 2022


def test_an_undated_hint_is_never_dated_by_another_items_year(project: Path) -> None:
    """One list names ICLR without a year, another gives the arXiv year: no year beats a wrong one."""
    _lists(
        project,
        a=_item("flan", FLAN, venue="ICLR", arxiv="2109.01652", line=3),
        b=_item("flan", FLAN, year=2021, venue="Arxiv", arxiv="2109.01652", line=9),
    )
    work = _built(project)["flan"]
    assert work["container-title"] == "International Conference on Learning Representations"
    assert "issued" not in work
    (undated,) = _findings(_check(project), "venue-undated")
    assert undated.startswith("entries/a.yaml:6: warning: venue-undated: ")
    assert "the venue hint 'ICLR' at entries/a.yaml:6 (a.md:3)" in undated


@pytest.mark.parametrize(("hint", "year"), [("ICLR 2022", 2022), ("2022-iclr", 2022), ("ICLR'22", 2022)])
def test_a_year_in_the_hint_text_dates_it(project: Path, hint: str, year: int) -> None:
    _lists(project, a=_item("flan", FLAN, year=2021, venue=f'"{hint}"', arxiv="2109.01652"))
    work = _built(project)["flan"]
    assert (work["container-title"], _year(work)) == (
        "International Conference on Learning Representations",
        year,
    )


def test_a_proceedings_link_beats_a_hint_and_both_are_reported(project: Path) -> None:
    pmlr = "    links:\n    - {kind: paper, url: 'http://proceedings.mlr.press/v139/zhao21c/zhao21c.pdf'}\n"
    _lists(
        project,
        a=_item("calibrate", "Calibrate Before Use", year=2021, venue="NeurIPS", arxiv="2102.09690"),
        b=_item("calibrate", "Calibrate Before Use", year=2021, arxiv="2102.09690", extra=pmlr).replace(
            "    ids:\n", "    ids:\n      pmlr: v139/zhao21c\n"
        ),
    )
    work = _built(project)["calibrate"]
    assert (work["container-title"], _year(work), work["volume"]) == (
        "International Conference on Machine Learning", 2021, "139",
    )  # fmt: skip
    (conflict,) = _findings(_check(project), "venue-conflict")
    assert conflict.startswith("entries/a.yaml:")
    assert "exported as ICML (the proceedings link pmlr:v139/zhao21c at entries/b.yaml:" in conflict
    assert "NeurIPS by the venue hint 'NeurIPS' at entries/a.yaml:" in conflict


def test_two_dated_hints_of_one_venue_take_the_later_year_and_are_reported(project: Path) -> None:
    """T5 in our lists: JMLR with 2019 (its arXiv year) in two lists, JMLR 2020 (volume 21) in a third."""
    title = "Exploring the Limits of Transfer Learning with a Unified Text-to-Text Transformer"
    _lists(
        project,
        a=_item("t5", title, year=2019, venue="JMLR", arxiv="1910.10683"),
        b=_item("t5", title, year=2020, venue="JMLR", arxiv="1910.10683"),
    )
    work = _built(project)["t5"]
    assert (_year(work), work["volume"]) == (2020, "21")
    (conflict,) = _findings(_check(project), "year-conflict")
    assert "2019 by the venue hint 'JMLR' at entries/a.yaml:" in conflict


def test_a_claim_a_venue_cycle_before_the_first_version_is_implausible(project: Path) -> None:
    _lists(project, a=_item("flan", FLAN, year=2019, venue="ICLR", arxiv="2109.01652"))
    (finding,) = _findings(_check(project), "implausible-year")
    assert "exported as ICLR 2019" in finding and "first arXiv version is of September 2021" in finding


def test_a_conference_shortly_before_the_preprint_is_plausible(project: Path) -> None:
    """ICML meets in July; a camera-ready posted on arXiv in September is common."""
    _lists(project, a=_item("paper", "A Paper", year=2021, venue="ICML", arxiv="2109.01652"))
    assert not _findings(_check(project), "implausible-year")


@pytest.mark.parametrize(
    ("arxiv", "listed", "exported"),
    [
        ("2301.13848", 2022, 2023),  # late January: the id's year
        ("2101.00027", 2020, 2020),  # early January: may be December's
        ("2101.00027", None, None),  # ... and without a list's year, unknown until fetched
        ("2109.01652", 2023, 2021),  # a preprint is dated by its first version
        ("astro-ph/9812133", 1997, 1998),  # old-style ids date too
        ("hep-th/9901001", 1998, 1998),  # an old-style January id may be December's
    ],
)
def test_the_arxiv_id_dates_a_preprint(
    project: Path, arxiv: str, listed: int | None, exported: int | None
) -> None:
    _lists(project, a=_item("paper", "A Paper", year=listed, venue="Arxiv", arxiv=arxiv))
    assert _year(_built(project)["paper"]) == exported


# -- pinned facts -------------------------------------------------------------------------------------------
def test_a_pinned_year_wins_and_settles_the_conflict(project: Path) -> None:
    _lists(
        project,
        a=_item("flan", FLAN, year=2021, venue="ICLR", arxiv="2109.01652", extra="    pinned: [year]\n"),
        b=_item("flan", FLAN, year=2022, venue="ICLR", arxiv="2109.01652"),
    )
    assert _year(_built(project)["flan"]) == 2021
    assert _provenance(project)["flan"]["year"] == "pinned"
    assert not _findings(_check(project), "year-conflict")


def test_a_pinned_venue_wins_over_a_proceedings_link(project: Path) -> None:
    pmlr = "    links:\n    - {kind: paper, url: 'http://proceedings.mlr.press/v139/zhao21c/zhao21c.pdf'}\n"
    _lists(
        project,
        a=_item("p", "Calibrate Before Use", year=2021, venue="NeurIPS", arxiv="2102.09690",
                extra="    pinned: [venue]\n"),
        b=_item("p", "Calibrate Before Use", year=2021, arxiv="2102.09690", extra=pmlr)
        .replace("    ids:\n", "    ids:\n      pmlr: v139/zhao21c\n"),
    )  # fmt: skip
    work = _built(project)["p"]
    assert work["container-title"] == "Advances in Neural Information Processing Systems"
    assert not _findings(_check(project), "venue-conflict")


@pytest.mark.parametrize(
    ("pinned", "message"),
    [
        ("[title]", "'title' cannot be pinned; pin one of: year, venue"),
        ("[venue]", "'venue' is pinned but the item has no 'venue'; write it, or unpin it"),
    ],
)
def test_a_wrong_pin_is_refused_with_its_line(project: Path, pinned: str, message: str) -> None:
    _lists(project, a=_item("p", "A Paper", year=2021, extra=f"    pinned: {pinned}\n"))
    result = run(project, "build")
    assert result.exit_code == 2
    assert f"entries/a.yaml:10: {message}" in result.output
    assert not (project / "bib").exists()


def test_pin_keys_and_rekey_keep_a_pin_and_its_comment(project: Path) -> None:
    text = (
        "list: a\nsections:\n- heading: Papers\n  items:\n"
        "  - kind: paper\n    title: A Paper\n    year: 2021\n    pinned: [year]  # ICLR's own page says 2021\n"
    )
    (project / "entries" / "a.yaml").write_text(text, encoding="utf-8")
    assert run(project, "pin-keys").exit_code == 0
    after = (project / "entries" / "a.yaml").read_text(encoding="utf-8")
    assert "    pinned: [year]  # ICLR's own page says 2021\n" in after
    assert run(project, "rekey").exit_code == 0
    assert "    pinned: [year]  # ICLR's own page says 2021\n" in (project / "entries" / "a.yaml").read_text()


# -- fetched records ----------------------------------------------------------------------------------------
def test_the_arxiv_record_decides_a_january_id(project: Path, online: RecordedServer) -> None:
    """1601.00001 was first posted on 26 December 2015 (the recorded arXiv answer): a list's 2016 stands
    offline, and the record overrules it once fetched."""
    title = "Inelastic effects in molecular transport junctions: The probe technique at high bias"
    _lists(project, a=_item("kilgour", title, year=2016, arxiv="1601.00001", line=7))
    assert _year(_built(project)["kilgour"]) == 2016
    assert run(project, "refresh", "--source", "arxiv").exit_code == 0
    assert _year(_built(project)["kilgour"]) == 2015
    assert _provenance(project)["kilgour"]["year"] == "arxiv"
    (conflict,) = _findings(_check(project), "year-conflict")
    assert "is exported as 2015 (the preprint record arxiv:1601.00001)" in conflict
    assert "2016 by the list at entries/a.yaml:6 (a.md:7)" in conflict


def test_a_doi_record_dates_its_own_work(project: Path, online: RecordedServer) -> None:
    """Crossref's record of 10.1038/s42256-024-00832-8 says 2024; the list says 2023."""
    item = _item("bran", "Augmenting large language models with chemistry tools", year=2023)
    _lists(project, a=item + "    ids:\n      doi: 10.1038/s42256-024-00832-8\n")
    assert _year(_built(project)["bran"]) == 2023  # offline, the list's year is all there is
    assert run(project, "refresh", "--source", "crossref").exit_code == 0
    work = _built(project)["bran"]
    assert (work["container-title"], _year(work)) == ("Nature Machine Intelligence", 2024)
    (conflict,) = _findings(_check(project), "year-conflict")
    assert "exported as 2024 (Nature Machine Intelligence 2024, the fetched published record " in conflict
    assert "2023 by the list at entries/a.yaml:6" in conflict


# -- DBLP confirms hints ------------------------------------------------------------------------------------
DIJKSTRA = "Go To Statement Considered Harmful"


def _dijkstra(
    project: Path, venue: str = "CACM", year: int = 1968, author: str = "Edsger W. Dijkstra"
) -> Path:
    extra = f"    authors: [{author}]\n"
    title = DIJKSTRA
    return _lists(project, classics=_item("dijkstra1968go", title, year=year, venue=venue, extra=extra))


def test_dblp_confirms_a_hint_and_its_record_replaces_it(project: Path, online: RecordedServer) -> None:
    _dijkstra(project)
    offline = _built(project)["dijkstra1968go"]
    assert "volume" not in offline and _provenance(project)["dijkstra1968go"]["published"] == "dated hint"
    assert run(project, "refresh", "--source", "dblp").exit_code == 0
    assert len(online.requests("dblp")) == 1
    work = _built(project)["dijkstra1968go"]
    assert (work["volume"], work["issue"], _year(work)) == ("11", "3", 1968) and work["page"].startswith(
        "147"
    )
    provenance = _provenance(project)["dijkstra1968go"]
    assert provenance["published"] == provenance["year"] == "dblp"
    assert provenance["venue_evidence"] == "dblp:journals/cacm/Dijkstra68a"
    assert not [line for line in _check(project) if "conflict" in line]
    assert run(project, "refresh", "--source", "dblp").exit_code == 0
    assert len(online.requests("dblp")) == 1  # a warm store sends none


@pytest.mark.parametrize(
    ("venue", "year", "said"), [("ICML", 1968, "ICML 1968"), ("CACM", 1969, "CACM 1969")]
)
def test_a_dblp_record_that_contradicts_the_hint_is_reported(
    project: Path, online: RecordedServer, venue: str, year: int, said: str
) -> None:
    _dijkstra(project, venue=venue, year=year)
    assert run(project, "refresh", "--source", "dblp").exit_code == 0
    work = _built(project)["dijkstra1968go"]
    assert (work["container-title"], _year(work)) == ("Communications of the ACM", 1968)
    (conflict,) = _findings(_check(project), "venue-hint-conflict")
    assert conflict.startswith("entries/classics.yaml:6: warning: venue-hint-conflict: the list says ")
    assert f"{said} (the venue hint '{venue}' at entries/classics.yaml:6)" in conflict
    assert "the fetched published record dblp:journals/cacm/Dijkstra68a says CACM 1968" in conflict


def test_a_refused_near_miss_leaves_the_hint(project: Path, online: RecordedServer) -> None:
    """The recorded answer holds Dijkstra's paper; an item of that title by another author is refused."""
    _dijkstra(project, venue="ICML", author="Niklaus Wirth")
    assert run(project, "refresh", "--source", "dblp").exit_code == 0
    search = next((project / "entries" / "fetched" / "dblp-search").glob("*.json"))
    assert json.loads(search.read_text(encoding="utf-8"))["fields"]["match"] is None
    work = _built(project)["dijkstra1968go"]
    assert (work["container-title"], _year(work)) == ("International Conference on Machine Learning", 1968)
    assert _provenance(project)["dijkstra1968go"]["published"] == "dated hint"
    assert re.search(r"warning: implausible-year", "\n".join(_check(project))) is None
