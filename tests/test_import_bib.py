"""`curabib import-bib` on real bibliography files, as a user runs it.

The files are in `tests/fixtures/recorded/bib/` (provenance in its MANIFEST.tsv): DBLP's own BibTeX, biblatex's
example database, a researcher's bibliography with ACL Anthology entries and two broken ones, Better BibTeX
exports of Zotero items and a Better CSL JSON export, plus the Crossref CSL-JSON answer recorded for the
Crossref tests. Every expected value below was read off those files by hand.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import FIXTURES, run

BIB = FIXTURES / "recorded" / "bib"
CROSSREF_CSL = FIXTURES / "recorded" / "crossref" / "transform-csl-json-10.1126_science.169.3946.635.json"


def items(project: Path, name: str) -> dict[str, dict[str, Any]]:
    """The list's items by key, as the entry file has them."""
    data = yaml.safe_load((project / "entries" / f"{name}.yaml").read_text(encoding="utf-8"))
    found: dict[str, dict[str, Any]] = {}
    sections = list(data.get("sections", []))
    while sections:
        section = sections.pop(0)
        found.update({item["key"]: item for item in section.get("items", [])})
        sections.extend(section.get("sections", []))
    return found


def test_the_manifest_names_every_fixture_with_its_hash() -> None:
    rows = (BIB / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split("\t")
    assert header == ["file", "source_repo", "source_path", "commit", "sha256", "note"]
    listed = {}
    for row in rows[1:]:
        cells = dict(zip(header, row.split("\t"), strict=True))
        listed[cells["file"]] = cells["sha256"]
    assert set(listed) == {p.name for p in BIB.iterdir() if p.name != "MANIFEST.tsv"}
    for name, digest in listed.items():
        assert hashlib.sha256((BIB / name).read_bytes()).hexdigest() == digest, name


def test_a_dblp_record_keeps_its_key_and_reads_its_latex(project: Path) -> None:
    result = run(
        project, "import-bib", str(BIB / "dblp-rec-bib-conf_acl_ChangSRM23-standard.bib"), "--list", "acl"
    )
    assert result.exit_code == 0, result.output
    assert (
        f"Imported 1 entries into {project / 'entries' / 'acl.yaml'}, section 'References'" in result.output
    )
    assert (
        items(project, "acl")
        == {
            "DBLP:conf/acl/ChangSRM23": {
                "key": "DBLP:conf/acl/ChangSRM23",  # pinned: no key_provisional
                "kind": "paper",
                "title": "Multi-CLS BERT: An Efficient Alternative to Traditional Ensembling",  # `{BERT:}` unbraced
                "authors": [
                    "Haw-Shiuan Chang",
                    "Ruei-Yao Sun",
                    "Kathryn Ricci",
                    "Andrew McCallum",
                ],  # `Haw{-}Shiuan`
                "year": 2023,
                "venue": "Proceedings of the 61st Annual Meeting of the Association for Computational Linguistics "
                "(Volume 1: Long Papers), ACL 2023, Toronto, Canada, July 9-14, 2023",
                "ids": {"doi": "10.18653/v1/2023.acl-long.48"},
                "links": [{"kind": "paper", "url": "https://doi.org/10.18653/v1/2023.acl-long.48"}],
                "source_line": 1,
            }
        }
    )


def test_strings_crossref_latex_and_comments_of_the_biblatex_examples(project: Path) -> None:
    result = run(project, "import-bib", str(BIB / "biblatex-examples.bib"))
    assert result.exit_code == 0, result.output
    # 100 blocks: 8 @string, 92 entries; 2 are @set, 1 (westfahl:frontier) is only a crossref parent.
    assert "Imported 89 entries into" in result.output
    assert "entries/biblatex-examples.yaml" in result.output  # the list named after the file
    assert "crossref parents: 1" in result.output and "westfahl:frontier" in result.output
    assert "biblatex-examples.bib:26: warning: 'set': a @set entry is biblatex bookkeeping" in result.output
    assert "biblatex-examples.bib:31: warning: 'stdmodel': a @set entry" in result.output
    found = items(project, "biblatex-examples")
    assert len(found) == 89 and "westfahl:frontier" not in found and "set" not in found
    # crossref: booktitle and date come from the @collection (lines 1169-1183); subtitle joins the title
    assert found["westfahl:space"] == {
        "key": "westfahl:space",
        "kind": "paper",
        "title": "The True Frontier: Confronting and Avoiding the Realities of Space in American Science "
        "Fiction Films",
        "authors": ["Gary Westfahl"],
        "year": 2000,
        "venue": "Space and Beyond",
        "source_line": 10,
    }
    # @string: `journaltitle = jomch` is "J.~Organomet. Chem."; accents decoded in every name
    assert found["aksin"]["venue"] == "J. Organomet. Chem."
    assert found["aksin"]["authors"] == [
        "Özge Aksın", "Hayati Türkmen", "Levent Artok", "Bekir Çetinkaya", "Chaoying Ni",
        "Orhan Büyükgüngör", "Erhan Özkal",
    ]  # fmt: skip
    assert found["kastenholz"]["title"] == (
        "Computation of methodology-independent ionic solvation free energies from molecular "
        "simulations: I. The electrostatic potential in molecular liquids"
    )
    assert found["kastenholz"]["ids"] == {"doi": "10.1063/1.2172593"}
    assert found["knuth:ct:a"]["title"] == "The TeXbook"  # `The {\TeX book}`
    # names the name reader would split otherwise keep BibTeX's comma form
    assert found["vazques-de-parga"]["authors"] == [
        "Vázques de Parga, Luis",
        "José María Lacarra",
        "Uría Ríu, Juan",
    ]
    assert found["vangennep"]["authors"] == ["Arnold van Gennep"]
    assert found["brandt"]["authors"] == ["Ahasver von Brandt", "Erich Hoffmann"]
    # eprinttype arxiv, old- and new-style ids, the version kept apart
    assert found["itzhaki"]["ids"] == {"arxiv": "hep-th/9603067"}
    assert found["wassenberg"]["ids"] == {"arxiv": "1008.2849", "arxiv_version": "v1"}
    # @online without a paper identifier: a web page
    assert found["ctan"]["kind"] == "webpage"
    assert found["ctan"]["title"] == "CTAN: The Comprehensive TeX Archive Network"
    assert found["ctan"]["links"] == [{"kind": "site", "url": "http://www.ctan.org"}]
    assert found["baez/online"]["kind"] == "paper"


def test_a_broken_entry_is_reported_with_its_line_and_the_rest_imports(project: Path) -> None:
    result = run(project, "import-bib", str(BIB / "pergamon-bibliography.bib"), "--list", "koller")
    assert result.exit_code == 0, result.output
    for line, key in ((1934, "domcu"), (1963, "domnp")):  # both give `year` twice
        assert (
            f"pergamon-bibliography.bib:{line}: warning: '{key}': the field year is given twice; remove one"
            in (result.output)
        )
    assert "Imported 172 entries" in result.output  # 174 entries, 2 broken
    assert re.search(r"skipped: 2 entries.*\n\s+2\s+a field given twice", result.output)
    found = items(project, "koller")
    assert len(found) == 172 and "domcu" not in found and "domnp" not in found
    # an ACL Anthology export, as the Anthology writes it
    assert found["stein-donatelli-2021-representing"] == {
        "key": "stein-donatelli-2021-representing",
        "kind": "paper",
        "title": "Representing Implicit Positive Meaning of Negated Statements in AMR",
        "authors": ["Katharina Stein", "Lucia Donatelli"],
        "year": 2021,
        "venue": "Proceedings of the Joint 15th Linguistic Annotation Workshop (LAW) and 3rd Designing Meaning "
        "Representations (DMR) Workshop",
        "ids": {"doi": "10.18653/v1/2021.law-1.3", "acl": "2021.law-1.3"},
        "links": [{"kind": "paper", "url": "https://aclanthology.org/2021.law-1.3"}],
        "source_line": 377,
    }
    # Google Scholar's "journal = {arXiv preprint arXiv:...}" names the arXiv id too
    assert found["abid2019gradio"]["ids"] == {"arxiv": "1906.02569"}
    # `url = {10.1023/A:1009948924590}` is a DOI where the URL belongs
    assert found["reint"]["ids"] == {"doi": "10.1023/a:1009948924590"} and "links" not in found["reint"]


def test_a_duplicate_key_keeps_the_first_entry(project: Path) -> None:
    condensed = (BIB / "dblp-rec-bib-conf_spire_BastMW06-bib0-condensed.bib").read_text(encoding="utf-8")
    standard = (BIB / "dblp-rec-bib-conf_spire_BastMW06-bib1-standard.bib").read_text(encoding="utf-8")
    both = project / "both.bib"
    both.write_text(condensed + "\n\n" + standard, encoding="utf-8")  # the same record twice (12 lines + 1)
    result = run(project, "import-bib", str(both))
    assert result.exit_code == 0, result.output
    assert (
        "both.bib:14: warning: key 'DBLP:conf/spire/BastMW06' is used again (first at line 1); "
        "rename or remove one of them"
    ) in result.output
    found = items(project, "both")
    assert list(found) == ["DBLP:conf/spire/BastMW06"]
    assert found["DBLP:conf/spire/BastMW06"]["venue"] == "SPIRE"  # the condensed record's `{{SPIRE}}`
    assert found["DBLP:conf/spire/BastMW06"]["authors"] == [
        "H. Bast",
        "Christian Worm Mortensen",
        "Ingmar Weber",
    ]


def test_a_dblp_crossref_record_takes_its_proceedings_fields(project: Path) -> None:
    result = run(
        project,
        "import-bib",
        str(BIB / "dblp-rec-bib-conf_spire_BastMW06-bib2-crossref.bib"),
        "--list",
        "spire",
    )
    assert result.exit_code == 0, result.output
    assert "crossref parents: 1" in result.output and "DBLP:conf/spire/2006" in result.output
    found = items(project, "spire")
    assert list(found) == ["DBLP:conf/spire/BastMW06"]
    assert found["DBLP:conf/spire/BastMW06"]["ids"] == {"doi": "10.1007/11880561_13"}  # `\_` unescaped
    assert found["DBLP:conf/spire/BastMW06"]["links"] == [
        {"kind": "paper", "url": "https://doi.org/10.1007/11880561_13"}
    ]
    # on its own, the proceedings record is an entry like any other
    alone = run(
        project,
        "import-bib",
        str(BIB / "dblp-isbn-bib-3540457747-bib1-standard-proceedings.bib"),
        "--list",
        "lncs",
    )
    assert alone.exit_code == 0 and list(items(project, "lncs")) == ["DBLP:conf/spire/2006"]


def test_zotero_better_bibtex_exports_by_kind(project: Path) -> None:
    for name, listed in (
        ("bbt-eprint-eprinttype-170.biblatex", "eprint"),
        ("bbt-report-as-preprint.bibtex", "preprint"),
        ("bbt-web-page-misc-329.bibtex", "web"),
        ("bbt-software-1054.biblatex", "software"),
        ("bbt-new-item-types-2496.biblatex", "types"),
    ):
        result = run(project, "import-bib", str(BIB / name), "--list", listed)
        assert result.exit_code == 0, result.output
    eprint = items(project, "eprint")["BachmannDybalskiNaaijkens14"]
    assert eprint["title"] == (
        "Lieb-Robinson Bounds, Arveson Spectrum and Haag-Ruelle Scattering Theory for Gapped Quantum Spin Systems"
    )
    assert eprint["year"] == 2014 and eprint["ids"] == {"arxiv": "1412.2970"}  # from `date`, `eprinttype`
    assert eprint["links"] == [{"kind": "paper", "url": "http://arxiv.org/abs/1412.2970"}]
    assert items(project, "preprint")["muhlleitner2014"]["ids"] == {"arxiv": "1410.5093"}  # `archiveprefix`
    web = items(project, "web")
    assert list(web) == ["ntp.org_clock_2015", "ntp.org_clock_2015-1", "ntp.org_clock_2015-2"]
    assert web["ntp.org_clock_2015"] == {
        "key": "ntp.org_clock_2015",
        "kind": "webpage",
        "title": "Clock Quality",
        "authors": ["NTP.org"],  # `{NTP.org}`, one corporate name
        "year": 2015,
        "note": "(accessed 2015-02-13)",
        "links": [{"kind": "site", "url": "http://www.ntp.org/ntpfaq/NTP-s-sw-clocks-quality.htm"}],
        "source_line": 1,
    }
    software = items(project, "software")["blup_bla_9265"]
    assert software["kind"] == "software" and software["authors"] == ["Blup"] and software["title"] == "Bla"
    types = items(project, "types")
    assert list(types) == ["Foo2021", "MyDGS_annotated"]  # the '%' quality report between them is a comment
    assert types["MyDGS_annotated"]["kind"] == "dataset"
    assert types["MyDGS_annotated"]["ids"] == {"doi": "10.25592/dgs.corpus-1.0"}
    assert types["MyDGS_annotated"]["title"] == "MY DGS – annotated. Public Corpus of German Sign Language"
    assert (
        types["Foo2021"]["kind"] == "paper"
        and "ids" not in types["Foo2021"]
        and "links" not in types["Foo2021"]
    )
    again = run(project, "import-bib", str(BIB / "bbt-new-item-types-2496.biblatex"), "--list", "types2")
    assert (
        "bbt-new-item-types-2496.biblatex:1: warning: 'Foo2021': url 'the url' is not a web address: left out"
        in (again.output)
    )
    assert "'Foo2021': doi 'the DOI' is not a DOI: left out" in again.output


def test_csl_json_from_better_bibtex_and_from_crossref(project: Path) -> None:
    result = run(project, "import-bib", str(BIB / "bbt-pandoc-latex-schomd.csl.json"), "--list", "pandoc")
    assert result.exit_code == 0, result.output
    found = items(project, "pandoc")
    assert list(found) == ["Adams2001", "Berndt1994", "Dunning2016", "Wordsworth1883"]
    adams = found["Adams2001"]
    assert (
        adams["title"] == "The physical volcanology of the 1600 eruption of Huaynaputina, southern Peru"
    )  # <b>
    assert adams["authors"][:2] == ["Nancy K Adams", "Shanaka L DeSilva"] and len(adams["authors"]) == 7
    assert adams["year"] == 2014 and adams["venue"] == "Bulletin of Volcanology"  # first date of the range
    assert adams["source_line"] == 2
    berndt = found["Berndt1994"]
    assert berndt["title"] == (
        "Skizze zur Auslegungsgeschichte der Bücher Prouerbia und Ecclesiastes in der abendländischen Kirche"
    )
    assert berndt["ids"] == {"doi": "10.1484/j.se.2.303788"}
    assert berndt["links"] == [{"kind": "paper", "url": "http://dx.doi.org/10.1484/J.SE.2.303788"}]
    assert "authors" not in found["Wordsworth1883"]  # an editor only
    assert found["Wordsworth1883"]["title"].startswith(
        "The Gospel according to St. Matthew, from the St. Germain ms. (g1)"
    )
    # Crossref's content negotiation answers one item, without an id: keyed as import-md keys
    crossref = run(project, "import-bib", str(CROSSREF_CSL), "--list", "water")
    assert crossref.exit_code == 0, crossref.output
    assert items(project, "water") == {
        "frank1970structure": {
            "key": "frank1970structure",
            "kind": "paper",
            "title": "The Structure of Ordinary Water",
            "authors": ["Henry S. Frank"],
            "year": 1970,
            "venue": "Science",
            "ids": {"doi": "10.1126/science.169.3946.635"},
            "links": [{"kind": "paper", "url": "http://dx.doi.org/10.1126/science.169.3946.635"}],
            "source_line": 1,
        }
    }


def test_build_after_import_writes_the_keys_and_titles(project: Path) -> None:
    result = run(
        project, "import-bib", str(BIB / "dblp-toc-bib-conf_iclr_iclr2017.bib"), "--list", "iclr2017"
    )
    assert result.exit_code == 0, result.output
    assert "Imported 199 entries" in result.output and "skipped: 0 entries" in result.output
    built = run(project, "build")
    assert built.exit_code == 0, built.output
    bib = (project / "bib" / "iclr2017.bib").read_text(encoding="utf-8")
    keys = re.findall(r"^@\w+\{([^,]+),$", bib, re.M)
    assert len(keys) == 199 == len(set(keys))
    first = bib.split("\n\n")[0]
    assert first.startswith("@inproceedings{DBLP:conf/iclr/0001B17,\n")
    assert "  title = {A recurrent neural network without chaos},\n" in first
    assert "  author = {Laurent, Thomas and von Brecht, James},\n" in first
    assert "url = {https://openreview.net/forum?id=S1dIzvclg}" in first
    second = bib.split("\n\n")[1]
    assert second.startswith("@inproceedings{DBLP:conf/iclr/0001BHMMKF17,")
    assert "Munos, Rémi" in second  # R{\'{e}}mi
    assert "title = {Sample Efficient Actor-Critic with Experience Replay}" in second


def test_reimport_keeps_hand_edits_and_the_curators_sections(project: Path) -> None:
    source = BIB / "bbt-web-page-misc-329.bibtex"
    assert run(project, "import-bib", str(source), "--list", "web").exit_code == 0
    path = project / "entries" / "web.yaml"
    first = path.read_text(encoding="utf-8")
    assert run(project, "import-bib", str(source), "--list", "web").exit_code == 0
    assert path.read_text(encoding="utf-8") == first  # the same file gives the same YAML
    # by hand: a better title with a comment, and one entry moved to a section of its own
    edited = first.replace("    title: Clock Quality\n", "    title: Clock Quality (NTP FAQ)  # mine\n", 1)
    assert edited != first
    data = yaml.safe_load(edited)
    moved = data["sections"][0]["items"].pop()
    assert moved["key"] == "ntp.org_clock_2015-2"
    data["sections"].append({"heading": "Moved", "items": [moved]})
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    again = run(project, "import-bib", str(source), "--list", "web", "--section", "Elsewhere")
    assert again.exit_code == 0, again.output
    assert "0 new (section 'Elsewhere'), 3 already there" in again.output
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [s["heading"] for s in data["sections"]] == ["References", "Moved"]
    assert [i["key"] for i in data["sections"][0]["items"]] == ["ntp.org_clock_2015", "ntp.org_clock_2015-1"]
    assert data["sections"][0]["items"][0]["title"] == "Clock Quality (NTP FAQ)"
    assert [i["key"] for i in data["sections"][1]["items"]] == ["ntp.org_clock_2015-2"]


def test_an_entry_gone_from_the_file_is_kept_and_named(project: Path) -> None:
    assert (
        run(project, "import-bib", str(BIB / "bbt-web-page-misc-329.bibtex"), "--list", "mixed").exit_code
        == 0
    )
    result = run(project, "import-bib", str(BIB / "bbt-report-as-preprint.bibtex"), "--list", "mixed")
    assert result.exit_code == 0, result.output
    assert "1 new (section 'References'), 0 already there" in result.output
    assert (
        "'Clock Quality' (ntp.org_clock_2015) is not in bbt-report-as-preprint.bibtex (any more); kept"
        in (result.output)
    )
    assert list(items(project, "mixed")) == [
        "ntp.org_clock_2015", "ntp.org_clock_2015-1", "ntp.org_clock_2015-2", "muhlleitner2014",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("make", "message"),
    [
        # a real Better BibTeX export, saved in Windows-1252 by an older tool
        (lambda p: (BIB / "bbt-new-item-types-2496.biblatex").read_text(encoding="utf-8").encode("cp1252"),
         "not UTF-8 text"),
        # DBLP's bot-check page, saved as if it were the BibTeX asked for: no entry at all
        (lambda p: (FIXTURES / "recorded" / "dblp" / "error-anubis-botcheck-200-search_publ_api.html").read_bytes(),
         "no entry could be imported (the file holds none)"),
    ],
)  # fmt: skip
def test_a_file_without_entries_writes_nothing(project: Path, make: Any, message: str) -> None:
    path = project / "refs.bib"
    path.write_bytes(make(project))
    result = run(project, "import-bib", str(path))
    assert result.exit_code == 2
    assert message in result.output
    assert list((project / "entries").iterdir()) == []


def test_a_json_file_that_is_not_csl_writes_nothing(project: Path) -> None:
    zero_hits = FIXTURES / "recorded" / "dblp" / "search-json-zero-hits.json"  # a DBLP answer, one object
    result = run(project, "import-bib", str(zero_hits), "--list", "dblp")
    assert result.exit_code == 2
    assert "search-json-zero-hits.json: no entry could be imported" in result.output
    assert "search-json-zero-hits.json:1: 'an item' has no title; add a title" in result.output
    assert list((project / "entries").iterdir()) == []


def test_bad_list_names_are_refused(project: Path) -> None:
    bad = run(project, "import-bib", str(BIB / "bbt-software-1054.biblatex"), "--list", "My_List")
    assert bad.exit_code == 2 and "--list: 'My_List' must be lowercase letters" in bad.output
    reserved = run(project, "import-bib", str(BIB / "bbt-software-1054.biblatex"), "--list", "all")
    assert reserved.exit_code == 2 and "'all' is reserved" in reserved.output
    named = run(project, "import-bib", str(BIB / "bbt-software-1054.biblatex"))
    assert named.exit_code == 0 and (project / "entries" / "bbt-software-1054.yaml").exists()


def test_a_corporate_author_braced_whole_stays_one_name_through_the_build(project: Path) -> None:
    """BibTeX's `{European Commission}` is one name: imported braced, exported braced, never
    "Commission, European"."""
    bib = project / "report.bib"
    bib.write_text(
        "@techreport{ec2021ai,\n  author = {{European Commission}},\n"
        "  title = {Proposal for a Regulation Laying Down Harmonised Rules on Artificial Intelligence},\n"
        "  year = {2021}\n}\n",
        encoding="utf-8",
    )
    assert run(project, "import-bib", str(bib)).exit_code == 0
    entries = yaml.safe_load((project / "entries" / "report.yaml").read_text(encoding="utf-8"))
    assert entries["sections"][0]["items"][0]["authors"] == ["{European Commission}"]
    assert run(project, "build").exit_code == 0
    exported = (project / "bib" / "all.bib").read_text(encoding="utf-8")
    assert "  author = {{European Commission}},\n" in exported
