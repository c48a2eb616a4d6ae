"""GitHub as a metadata source, through the real CLI and the real `requests` client, against the local
server answering from PyGithub's recorded GitHub answers and real repositories' real files only
(tests/fixtures/recorded/github/MANIFEST.tsv). What a user sees is asserted: the store, the summary,
the exported bibliography. Waits are measured on the patched clock.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import FakeClock, consumer, run
from curabib.fetch.clients.github import citation_data
from curabib.ids import Identifier
from curabib.model import Item
from curabib.project.store import now_utc
from curabib.sources.github import SOURCE, _citation, file_url, repository_url
from curabib.sources.github_readme import bibtex_blocks
from curabib.sources.protocol import RefreshOptions
from github_server import RECORDED
from recorded_server import Fault, RecordedServer


def repo_item(key: str, repo: str, title: str, kind: str = "software") -> dict[str, Any]:
    return {"key": key, "kind": kind, "title": title, "ids": {"github": repo}}


NEOX = repo_item("neox", "eleutherai/gpt-neox", "GPT-NeoX")  # CITATION.cff: the software, Zenodo DOI
ALPACA = repo_item("alpaca", "tatsu-lab/stanford_alpaca", "Alpaca")  # README: one @misc naming the repo
PYGITHUB = repo_item("pygithub", "pygithub/pygithub", "PyGithub")  # neither: the repository itself
MISSING = repo_item("xxx", "jacquev6/xxx", "Xxx")  # recorded 404
MOVED = repo_item("protoncoin", "protoncoin/protoncoin", "protoncoin")  # recorded 301, renamed
AKFISH = repo_item("akfish", "akfish/pygithub", "PyGithub fork")  # recorded 200 with ETag, then its 304


def _write(project: Path, *items: dict[str, Any], name: str = "tools") -> None:
    lst = {"list": name, "sections": [{"heading": "Tools", "items": list(items)}]}
    (project / "entries" / f"{name}.yaml").write_text(json.dumps(lst, indent=1), encoding="utf-8")


def _stored(project: Path) -> dict[str, dict[str, Any]]:
    folder = project / "entries" / "fetched" / "github"
    records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
    return {record["id"]: record for record in records}


def _paths(server: RecordedServer) -> list[str]:
    return [r.path.removeprefix("/github") for r in server.requests("github")]


def _entry(bib: str, key: str) -> str:
    match = re.search(rf"^@\w+\{{{re.escape(key)},\n.*?^\}}\n", bib, re.M | re.S)
    assert match, f"{key} not in:\n{bib}"
    return match.group(0)


# -- cited as the authors ask ----------------------------------------------------------------------------
def test_each_repository_is_cited_as_its_authors_ask(project: Path, online: RecordedServer) -> None:
    _write(project, NEOX, ALPACA, PYGITHUB, MISSING, MOVED)
    dry = run(project, "refresh", "--dry-run", "--source", "github")
    assert dry.output.endswith("Dry run: 5 requests would be sent for 5 entries\n")
    assert "GitHub: eleutherai/gpt-neox (the repository, its CITATION.cff" in dry.output

    result = run(project, "refresh", "--source", "github")
    assert result.exit_code == 0, result.output
    assert re.search(r"enriched\s+4\b", result.output) and re.search(r"not found\s+1\b", result.output)
    assert _paths(online) == [
        "/repos/eleutherai/gpt-neox",
        "/repos/eleutherai/gpt-neox/contents/CITATION.cff",  # found: the README is not asked
        "/repos/tatsu-lab/stanford_alpaca",
        "/repos/tatsu-lab/stanford_alpaca/contents/CITATION.cff",
        "/repos/tatsu-lab/stanford_alpaca/readme",
        "/repos/pygithub/pygithub",
        "/repos/PyGithub/PyGithub/contents/CITATION.cff",  # as GitHub spells it
        "/repos/PyGithub/PyGithub/readme",
        "/repos/jacquev6/xxx",  # 404: a miss, nothing more asked
        "/repos/protoncoin/protoncoin",
        "/repositories/112116543",  # the redirect, followed
        "/repos/padima2/protoncoin/contents/CITATION.cff",
        "/repos/padima2/protoncoin/readme",
    ]
    raw = [r.headers.get("Accept") for r in online.requests("github") if "contents" in r.path]
    assert set(raw) == {"application/vnd.github.raw"}
    stored = _stored(project)
    assert stored["github:jacquev6/xxx"]["status"] == "not-found"
    neox = stored["github:eleutherai/gpt-neox"]
    assert neox["url"] == repository_url(SOURCE.default_url, "eleutherai/gpt-neox")  # public, not local
    assert neox["fields"]["cited_from"] == "CITATION.cff"
    assert stored["github:tatsu-lab/stanford_alpaca"]["fields"]["cited_from"] == "README BibTeX"
    pygithub = stored["github:pygithub/pygithub"]["fields"]
    assert pygithub["cited_from"] == "repository"
    assert pygithub["repository"]["owner"] == {"login": "PyGithub", "type": "Organization"}
    assert pygithub["repository"]["license"] == "LGPL-3.0"
    moved = stored["github:protoncoin/protoncoin"]["fields"]["repository"]
    assert (moved["full_name"], moved["renamed_from"]) == ("padima2/protoncoin", "protoncoin/protoncoin")

    built = run(project, "build")
    assert built.exit_code == 0, built.output
    bib = (project / "bib" / "tools.bib").read_text(encoding="utf-8")
    neox_bib = _entry(bib, "neox")
    assert "author = {Andonian, Alex and Anthony, Quentin and Biderman, Stella" in neox_bib
    assert "year = {2021}" in neox_bib and "doi = {10.5281/zenodo.5879544}" in neox_bib
    alpaca_bib = _entry(bib, "alpaca")
    assert "author = {Taori, Rohan and Gulrajani, Ishaan and Zhang, Tianyi" in alpaca_bib
    assert "year = {2023}" in alpaca_bib
    pygithub_bib = _entry(bib, "pygithub")
    assert "author = {{PyGithub}}" in pygithub_bib and "year = {2012}" in pygithub_bib
    assert "author" not in _entry(bib, "xxx")
    provenance = json.loads((project / "bib" / ".curabib" / "provenance.json").read_text(encoding="utf-8"))
    assert "github" in json.dumps(provenance["neox"])
    checked = run(project, "check").output
    assert re.search(
        r"entries/tools\.yaml:\d+: warning: repository-moved: protoncoin/protoncoin: GitHub redirects it to "
        r"padima2/protoncoin; link https://github\.com/padima2/protoncoin",
        checked,
    ), checked


def test_software_is_exported_as_software_where_the_consumer_has_the_type(
    project: Path, online: RecordedServer
) -> None:
    """gpt-neox, cited from its CITATION.cff: biblatex @software and Zotero RDF's Computer Program (its
    programmers, version and licence), BibTeX @misc with howpublished, CSL `webpage` with its genre
    (Zotero's CSL import refuses `software`); the version and the DOI in each."""
    _write(project, {**NEOX, "links": [{"kind": "code", "url": "https://github.com/EleutherAI/gpt-neox"}]})
    assert run(project, "refresh", "--source", "github").exit_code == 0
    assert run(project, "build").exit_code == 0
    bibtex = _entry((project / "bib" / "tools.bib").read_text(encoding="utf-8"), "neox")
    assert bibtex.startswith("@misc{neox,") and "howpublished = {GitHub}" in bibtex
    assert "version = {2.0.0}" in bibtex and "doi = {10.5281/zenodo.5879544}" in bibtex
    (item,) = json.loads((project / "bib" / "tools.json").read_text(encoding="utf-8"))
    assert (item["type"], item["genre"], item["version"]) == ("webpage", "Computer program", "2.0.0")
    assert item["DOI"] == "10.5281/zenodo.5879544"
    rdf = (project / "bib" / "tools.rdf").read_text(encoding="utf-8")
    assert '<bib:Data rdf:about="#item_neox">' in rdf and "<z:itemType>computerProgram</z:itemType>" in rdf
    assert "<z:programmers>" in rdf and "<bib:authors>" not in rdf
    assert "<prism:edition>2.0.0</prism:edition>" in rdf and "<dc:rights>Apache-2.0</dc:rights>" in rdf
    assert run(project, "build", "--dialect", "biblatex").exit_code == 0
    biblatex = _entry((project / "bib" / "tools.bib").read_text(encoding="utf-8"), "neox")
    assert biblatex.startswith("@software{neox,") and "version = {2.0.0}" in biblatex
    # biber's data model knows @software and its fields: no warning, no error
    bib = project / "bib" / "tools.bib"
    done = subprocess.run(
        [
            consumer("biber"),
            "--tool",
            "--validate-datamodel",
            "--nolog",
            f"--output-file={bib}.out",
            str(bib),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=project,
    )
    assert done.returncode == 0 and not re.search(r"^(WARN|ERROR)", done.stdout + done.stderr, re.M), (
        done.stdout
    )


def test_a_preferred_citation_joins_the_repository_to_its_paper(
    project: Path, online: RecordedServer
) -> None:
    """huggingface/transformers' CITATION.cff prefers its EMNLP 2020 demo paper; the list has the paper
    too (by its ACL Anthology link): one work, cited as the paper, the repository its code link."""
    paper = {
        "key": "wolf2020transformers",
        "kind": "paper",
        "title": "Transformers: State-of-the-Art Natural Language Processing",
        "links": [{"kind": "paper", "url": "https://aclanthology.org/2020.emnlp-demos.6/"}],
        "ids": {"acl": "2020.emnlp-demos.6"},
    }
    _write(project, paper, repo_item("transformers", "huggingface/transformers", "Transformers"))
    assert run(project, "refresh", "--source", "github").exit_code == 0
    (record,) = _stored(project).values()
    fields = record["fields"]
    assert fields["cited_from"] == "CITATION.cff preferred-citation"
    assert fields["citation"]["type"] == "conference-paper" and fields["citation"]["pages"] == "38-45"

    dedupe = run(project, "dedupe")
    assert "merged  wolf2020transformers <- transformers  (same acl:2020.emnlp-demos.6" in dedupe.output
    assert run(project, "build").exit_code == 0
    aliases = json.loads((project / "bib" / ".curabib" / "aliases.json").read_text(encoding="utf-8"))
    assert aliases == {"transformers": "wolf2020transformers"}  # one work; the repository's key an alias
    bib = (project / "bib" / "tools.bib").read_text(encoding="utf-8")
    entry = _entry(bib, "wolf2020transformers")
    assert entry.startswith("@inproceedings{") and "author = {Wolf, Thomas and Debut, Lysandre" in entry
    assert "pages = {38--45}" in entry and "year = {2020}" in entry
    provenance = json.loads((project / "bib" / ".curabib" / "provenance.json").read_text(encoding="utf-8"))
    assert "github:huggingface/transformers" in json.dumps(provenance["wolf2020transformers"])
    checked = run(project, "check")
    said = [line for line in checked.output.splitlines() if ": cited-as-paper: " in line]
    assert len(said) == 1 and re.match(r".*entries/tools\.yaml:\d+: info: cited-as-paper: ", said[0]), said
    assert (
        "huggingface/transformers: its CITATION.cff asks to be cited as 'Transformers: State-of-the-Art"
        in said[0]
    )


def test_a_readme_citing_a_paper_joins_the_repository_to_it(project: Path, online: RecordedServer) -> None:
    """lm-sys/FastChat's README cites the MT-Bench paper (arXiv 2306.05685), which the list has by its arXiv
    link: one work, under the paper's key, the repository's key an alias."""
    paper = {
        "key": "zheng2023judging",
        "kind": "paper",
        "title": "Judging LLM-as-a-Judge with MT-Bench and Chatbot Arena",
        "links": [{"kind": "paper", "url": "https://arxiv.org/abs/2306.05685"}],
        "ids": {"arxiv": "2306.05685"},
    }
    _write(project, paper, repo_item("fastchat", "lm-sys/fastchat", "FastChat"))
    assert run(project, "refresh", "--source", "github").exit_code == 0
    (record,) = _stored(project).values()
    assert record["fields"]["cited_from"] == "README BibTeX"
    assert run(project, "build").exit_code == 0
    aliases = json.loads((project / "bib" / ".curabib" / "aliases.json").read_text(encoding="utf-8"))
    assert aliases == {"fastchat": "zheng2023judging"}


# -- polite and honest about GitHub's limits ----------------------------------------------------------------
def test_a_refresh_of_an_unchanged_repository_costs_nothing(project: Path, online: RecordedServer) -> None:
    _write(project, AKFISH, NEOX)
    assert run(project, "refresh", "--source", "github").exit_code == 0
    first = len(online.requests("github"))
    assert first == 2 + 3  # akfish: the repository and its two missing files; gpt-neox: 2

    warm = run(project, "refresh", "--source", "github")  # fresh records: nothing is asked
    assert re.search(r"Refreshed 2 entries \(.*0 GitHub requests", warm.output)
    assert len(online.requests("github")) == first

    forced = run(project, "refresh", "--source", "github", "--force")
    assert forced.exit_code == 0, forced.output
    again = online.requests("github")[first:]
    assert [r.path.removeprefix("/github") for r in again] == [
        "/repos/akfish/pygithub",
        "/repos/eleutherai/gpt-neox",
    ]  # each a 304: their files are not asked
    assert again[0].headers["If-None-Match"] == '"8600bedcb7fed1d8065e1693e05529ce"'  # PyGithub's recording
    assert re.search(r"unchanged\s+2\b", forced.output)


def test_a_pushed_repository_asks_its_files_conditionally(project: Path, online: RecordedServer) -> None:
    """A repository answered anew (its ETag changed: a push, a star) asks its CITATION.cff with the stored
    ETag; the file's 304 keeps the stored citation."""
    _write(project, NEOX)
    assert run(project, "refresh", "--source", "github").exit_code == 0
    path = next((project / "entries" / "fetched" / "github").glob("*.json"))
    record = json.loads(path.read_text(encoding="utf-8"))
    cff_etag = record["fields"]["etags"]["CITATION.cff"]
    record["fields"]["etags"]["repository"] = 'W/"an-older-etag"'  # as if pushed since
    path.write_text(json.dumps(record), encoding="utf-8")

    forced = run(project, "refresh", "--source", "github", "--force")
    assert forced.exit_code == 0, forced.output
    again = online.requests("github")[2:]
    assert [r.path.removeprefix("/github") for r in again] == [
        "/repos/eleutherai/gpt-neox",
        "/repos/eleutherai/gpt-neox/contents/CITATION.cff",
    ]
    assert [r.headers.get("If-None-Match") for r in again] == ['W/"an-older-etag"', cff_etag]
    fields = _stored(project)["github:eleutherai/gpt-neox"]["fields"]
    assert fields["cited_from"] == "CITATION.cff" and fields["citation"]["version"] == "2.0.0"
    assert re.search(r"changed\s+1\b", forced.output) and "github:eleutherai/gpt-neox: etags" in forced.output


def test_a_spent_budget_is_said_in_one_line_and_what_was_fetched_is_kept(
    project: Path, online: RecordedServer
) -> None:
    _write(project, NEOX, ALPACA, PYGITHUB)
    reset = int(time.time()) + 1800
    spent = {"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)}
    online.fault("github", Fault(), Fault(headers=spent))  # gpt-neox's 2 requests spend the last of it
    result = run(project, "refresh", "--source", "github")
    assert result.exit_code == 1
    assert len(online.requests("github")) == 2  # nothing sent once the budget is spent
    message = [line for line in result.output.splitlines() if "rate limit is spent" in line]
    assert len(message) == 1, result.output
    at = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(reset))
    assert "60 requests an hour; set GITHUB_TOKEN for 5,000 an hour" in message[0]
    assert f"it resets at {at}" in message[0] and "run again then" in message[0]
    assert re.search(r"not asked \(host given up\)\s+2\b", result.output)
    assert list(_stored(project)) == ["github:eleutherai/gpt-neox"]  # kept


def test_a_403_that_spends_the_budget_stops_the_run(project: Path, online: RecordedServer) -> None:
    recorded = online.github.rate_limited  # PyGithub's recorded 403: "API Rate Limit Exceeded for ..."
    online.fault("github", Fault(status=403, headers=recorded.headers, body=recorded.body))
    _write(project, NEOX, ALPACA)
    result = run(project, "refresh", "--source", "github")
    assert result.exit_code == 1 and "GitHub's rate limit is spent (60 requests an hour" in result.output
    assert len(online.requests("github")) == 1


def test_a_secondary_limit_is_waited_out(project: Path, online: RecordedServer, clock: FakeClock) -> None:
    recorded = online.github.secondary  # PyGithub's recorded 403 "abuse detection", Retry-After: 60
    assert recorded.headers["retry-after"] == "60"
    online.fault("github", Fault(status=403, headers=recorded.headers, body=recorded.body))
    _write(project, NEOX)
    result = run(project, "refresh", "--source", "github")
    assert result.exit_code == 0, result.output
    assert 60.0 in clock.sleeps
    assert _paths(online)[:2] == ["/repos/eleutherai/gpt-neox"] * 2


@pytest.mark.parametrize("token", ["ghp_test", None])
def test_the_token_is_sent_only_when_set(
    project: Path, online: RecordedServer, monkeypatch: pytest.MonkeyPatch, token: str | None
) -> None:
    if token:
        monkeypatch.setenv("GITHUB_TOKEN", token)
    else:
        monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    _write(project, NEOX)
    assert run(project, "refresh", "--source", "github").exit_code == 0
    sent = {r.headers.get("Authorization") for r in online.requests("github")}
    assert sent == ({f"Bearer {token}"} if token else {None})


# -- what real files give ---------------------------------------------------------------------------------
def _cited(repo: str, *, readme: bool) -> tuple[dict[str, Any], str, list[str]]:
    folder = RECORDED / "files" / repo
    problems: list[str] = []
    cff = citation_data((folder / "CITATION.cff").read_bytes(), problems) if not readme else None
    blocks = bibtex_blocks((folder / "README.md.txt").read_text(encoding="utf-8")) if readme else None
    cited, source = _citation({"full_name": repo}, cff, blocks, problems)
    return cited, source, problems


def test_what_real_files_give() -> None:
    neox, source, _ = _cited("eleutherai/gpt-neox", readme=False)
    assert source == "CITATION.cff"
    assert (neox["version"], neox["doi"], neox["license"], neox["year"]) == (
        "2.0.0",
        "10.5281/zenodo.5879544",
        "Apache-2.0",
        2021,
    )
    assert len(neox["authors"]) == 21 and neox["authors"][18] == {"family": "Thérien", "given": "Benjamin"}
    transformers, source, _ = _cited("huggingface/transformers", readme=False)
    assert source == "CITATION.cff preferred-citation"
    assert transformers["container"].startswith("Proceedings of the 2020 Conference on Empirical Methods")
    alpaca, source, _ = _cited("tatsu-lab/stanford_alpaca", readme=True)
    assert (
        source == "README BibTeX"
        and alpaca["title"] == "Stanford Alpaca: An Instruction-following LLaMA model"
    )
    # Three blocks: the one whose URL names the repository is taken.
    llama, source, _ = _cited("openlm-research/open_llama", readme=True)
    assert source == "README BibTeX" and llama["title"] == "OpenLLaMA: An Open Reproduction of LLaMA"
    # Two blocks (GLM-130B's paper and GLM's), neither naming the repository: neither is guessed, the
    # repository is cited itself.
    _, source, problems = _cited("thudm/glm-130b", readme=True)
    assert source == "repository" and "none names this repository" in problems[0]


def test_only_items_that_are_a_repository_are_asked() -> None:
    """A paper with an arXiv id and its code on GitHub is described by its paper; a paper known only by
    its repository, and software, are asked."""
    code = Identifier("github", "tatsu-lab/stanford_alpaca")
    paper = Item("paper", title="A paper", ids=(Identifier("arxiv", "2303.16199"), code))
    only_repo = Item("paper", title="A survey", ids=(code,))
    tool = Item("software", title="Alpaca", ids=(code,))
    planned = SOURCE.plan([paper, only_repo, tool], {}, RefreshOptions(), now_utc())
    assert [r.ids for r in planned] == [("github:tatsu-lab/stanford_alpaca",)]
    assert file_url(SOURCE.default_url, "a/b", "README") == f"{SOURCE.default_url}/repos/a/b/readme"
