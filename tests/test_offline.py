"""Issue 13, as a user meets it: a network that is down is told fast and in one line, Ctrl-C keeps what
was done, messages name the entry (key, file:line), a work listed twice is searched once, and `add` tells
"not found" from "could not ask" and never adds a work twice to one section.

Unreachable hosts are closed ports on 127.0.0.1 (bound, noted, closed); reachable ones are the recorded
server. Speed is asserted on the sleeps of the patched clock (`curabib.fetch.connect.CLOCK`), never timed.
"""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path
from typing import Any

import pytest

from conftest import FakeClock, run, write_md
from curabib.fetch.policy import connection_reason
from recorded_server import Fault, RecordedServer
from test_refresh import PAPERS


def closed_port() -> int:
    """A port nothing listens on: bound, noted, closed."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def endpoints(server: RecordedServer, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Every source online (the recorded server) until a test points one at a closed port."""
    urls = {"arxiv": server.arxiv_url, "crossref": server.crossref_url, "dblp": server.dblp_url}
    for name, url in urls.items():
        monkeypatch.setenv(f"CURABIB_{name.upper()}_URL", url)
    return urls


def offline(monkeypatch: pytest.MonkeyPatch, *sources: str) -> dict[str, str]:
    """Point these sources at closed ports, one each (three hosts, as in real life); their host names."""
    hosts = {}
    for name, path in (("arxiv", "/api/query"), ("crossref", ""), ("dblp", "")):
        if name in sources:
            hosts[name] = f"127.0.0.1:{closed_port()}"
            monkeypatch.setenv(f"CURABIB_{name.upper()}_URL", f"http://{hosts[name]}{path}")
    return hosts


def _import(project: Path, text: str = PAPERS, name: str = "papers") -> None:
    assert run(project, "import-md", str(write_md(project, text)), "--list", name).exit_code == 0


def _write(project: Path, name: str, *items: dict[str, Any], heading: str = "Papers") -> None:
    lst = {"list": name, "sections": [{"heading": heading, "items": list(items)}]}
    (project / "entries" / f"{name}.yaml").write_text(json.dumps(lst, indent=1), encoding="utf-8")


def _stored(project: Path, source: str) -> list[dict[str, Any]]:
    folder = project / "entries" / "fetched" / source
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def _no_internals(output: str) -> None:
    """What a user must never read: the store's search ids, urllib3's pool objects, a traceback."""
    for internal in ("title:", "HTTPConnectionPool", "Max retries", "object at 0x", "Traceback"):
        assert internal not in output, output


# -- 1. network trouble is told, fast ------------------------------------------------------------------
def test_everything_offline_is_told_in_one_line_quickly(
    project: Path, endpoints: dict[str, str], clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import(project)
    hosts = offline(monkeypatch, "arxiv", "crossref", "dblp")
    result = run(project, "refresh")
    assert result.exit_code == 1
    told = [line for line in result.output.splitlines() if "cannot reach" in line]
    assert told == [
        f"Error: cannot reach {hosts['arxiv']}: connection refused, {hosts['crossref']}: connection refused, "
        f"{hosts['dblp']}: connection refused; everything fetched so far is saved; run again when online"
    ]
    # arXiv: 3 tries, 3 s apart; then the network is taken as down: one try each for the others.
    assert "(3 arXiv, 1 Crossref, 1 DBLP, 0 GitHub requests, retries included)" in result.output
    assert sum(clock.sleeps) <= 10 and len(clock.sleeps) <= 4, clock.sleeps  # was ~31 s per request
    assert re.search(r"not asked \(host given up\)\s+4\b", result.output)
    _no_internals(result.output)
    assert not (project / "entries" / "fetched").exists()


def test_one_key_offline_ends_at_once(
    project: Path, endpoints: dict[str, str], clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import(project)
    offline(monkeypatch, "arxiv", "crossref", "dblp")
    result = run(project, "refresh", "attention2017need")
    assert result.exit_code == 1 and "run again when online" in result.output
    assert sum(clock.sleeps) <= 10  # before: 5 tries with growing waits, 2 min 34 s in all


def test_a_host_given_up_is_not_asked_again_in_the_run(
    project: Path, endpoints: dict[str, str], clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    many = "# L\n## S\n" + "".join(
        f"- **Paper number {n}**, 2021. [Paper](https://arxiv.org/abs/2101.{n:05d})\n" for n in range(250)
    )
    _import(project, many, "many")
    offline(monkeypatch, "arxiv")
    result = run(project, "refresh", "--source", "arxiv")
    assert result.exit_code == 1
    # Three batches of 100, but the host was given up during the first: 3 tries in all, not 3 x 5.
    assert "(3 arXiv, 0 Crossref, 0 DBLP, 0 GitHub requests, retries included)" in result.output
    assert re.search(r"not asked \(host given up\)\s+250\b", result.output)
    assert clock.sleeps == [3.0, 3.0]  # arXiv's spacing between the tries, nothing more


def test_reachable_sources_still_run_and_are_saved(
    project: Path, endpoints: dict[str, str], server: RecordedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import(project)
    hosts = offline(monkeypatch, "arxiv")
    result = run(project, "refresh")
    assert result.exit_code == 1
    assert result.output.count("cannot reach") == 1
    assert f"Error: cannot reach {hosts['arxiv']}: connection refused; everything fetched" in result.output
    crossref = {r["id"]: r["status"] for r in _stored(project, "crossref")}
    assert crossref["doi:10.1038/s42256-024-00832-8"] == "found"  # asked of the reachable host, saved
    assert not (project / "entries" / "fetched" / "arxiv").exists()
    _no_internals(result.output)


def test_a_host_that_never_answers_is_given_up_after_three_timeouts(
    project: Path, endpoints: dict[str, str], server: RecordedServer, clock: FakeClock
) -> None:
    _import(project)
    server.fault("crossref", *[Fault(delay=1.5)] * 3)  # longer than the 1 s timeout, every time
    result = run(project, "refresh", "--source", "crossref")
    assert result.exit_code == 1
    host = server.crossref_url.split("//", 1)[1].split("/", 1)[0]
    assert f"cannot reach {host}: no answer within 1 s;" in result.output
    assert len(server.requests("crossref")) == 3
    assert all(s <= 1.0 for s in clock.sleeps)  # no growing backoff: nothing reached a server to spare


def test_busy_servers_still_get_the_polite_backoff(
    project: Path, endpoints: dict[str, str], server: RecordedServer, clock: FakeClock
) -> None:
    _import(project)
    server.fault("crossref", *[Fault(status=503)] * 5)
    result = run(project, "refresh", "--source", "crossref")
    assert result.exit_code == 1 and "cannot reach" not in result.output  # a 503 is a server that is there
    assert "HTTP 503 (gave up after 5 tries)" in result.output
    backoff = [s for s in clock.sleeps if s > 1.0]
    assert len(backoff) == 4 and backoff[-1] > backoff[0]


def test_a_failed_name_lookup_reads_as_one() -> None:
    try:
        try:
            raise socket.gaierror(-2, "Name or service not known")
        except OSError as err:
            raise RuntimeError("HTTPConnectionPool(host='x'): Max retries exceeded") from err
    except RuntimeError as wrapped:
        assert connection_reason(wrapped) == "the name does not resolve (DNS failure)"


# -- 2. Ctrl-C -------------------------------------------------------------------------------------------
def test_ctrl_c_saves_what_was_fetched_and_prints_the_summary(
    project: Path, endpoints: dict[str, str], clock: FakeClock
) -> None:
    _import(project)

    def interrupted(seconds: float) -> None:
        raise KeyboardInterrupt  # the user presses Ctrl-C while the run waits between two requests

    clock.sleep = interrupted  # after arXiv's id request, before its title search (3 s later)
    result = run(project, "refresh")
    assert result.exit_code == 130
    assert "Interrupted: everything fetched so far is saved; run again to resume" in result.output
    assert (
        "Refreshed 4 entries (1 arXiv, 0 Crossref, 0 DBLP, 0 GitHub requests, retries included)"
        in result.output
    )
    assert re.search(r"enriched\s+[1-9]", result.output)
    assert {r["id"] for r in _stored(project, "arxiv")} == {"arxiv:1706.03762", "arxiv:1605.08386"}
    assert "Aborted!" not in result.output


# -- 3. messages name the entry ---------------------------------------------------------------------------
PALM = {
    "key": "chowdhery2022palm",
    "kind": "paper",
    "title": "PaLM: Scaling Language Modeling with Pathways",
    "authors": ["Aakanksha Chowdhery"],
    "year": 2022,
}


def test_failures_name_the_key_and_file_line_of_every_copy(
    project: Path, endpoints: dict[str, str], server: RecordedServer
) -> None:
    _write(project, "first", PALM)
    _write(project, "second", {"key": "other2020x", "kind": "paper", "title": "Something"}, PALM)
    server.fault("dblp", *[Fault(status=503)] * 5)
    result = run(project, "refresh", "--source", "dblp", "chowdhery2022palm")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(errors) == 2
    assert re.search(r"(^|/)entries/first\.yaml:\d+: error: chowdhery2022palm: DBLP: HTTP 503", errors[0])
    assert re.search(r"(^|/)entries/second\.yaml:\d+: error: chowdhery2022palm: DBLP: HTTP 503", errors[1])
    _no_internals(result.output)


# -- 4. a work asked about once, however many copies -------------------------------------------------------
def test_one_search_per_work_listed_in_several_lists(
    project: Path, endpoints: dict[str, str], server: RecordedServer
) -> None:
    dijkstra = {
        "key": "dijkstra1968go",
        "kind": "paper",
        "title": "Go To Statement Considered Harmful",
        "authors": ["Edsger W. Dijkstra"],
        "year": 1968,
    }
    _write(project, "classics", dijkstra)
    _write(project, "reading", {**dijkstra, "title": "Go to statement considered harmful"}, heading="Old")
    _write(project, "history", {**dijkstra, "year": None})  # same key, the year left out
    dry = run(project, "refresh", "--source", "dblp", "--dry-run").output.splitlines()
    assert dry == [
        "DBLP: title search for 'Go To Statement Considered Harmful'",
        "Dry run: 1 request would be sent for 3 entries",
    ]
    assert run(project, "refresh", "--source", "dblp").exit_code == 0
    assert len(server.requests("dblp")) == 1
    assert run(project, "build").exit_code == 0
    for name in ("classics", "reading", "history"):  # the one answer applies to every copy
        assert "Communications of the ACM" in (project / "bib" / f"{name}.bib").read_text(encoding="utf-8")


# -- 5. add ---------------------------------------------------------------------------------------------
def test_add_offline_says_it_could_not_ask_and_adds_nothing(
    project: Path, endpoints: dict[str, str], clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    hosts = offline(monkeypatch, "arxiv", "crossref", "dblp")
    result = run(project, "add", "arXiv:1706.03762", "--list", "reading")
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: arXiv:1706.03762: cannot reach {hosts['arxiv']}: connection refused; nothing was added"
    )
    assert "not found" not in result.output and sum(clock.sleeps) <= 10
    assert not (project / "entries" / "reading.yaml").exists()


def test_add_a_server_error_is_not_a_miss(
    project: Path, endpoints: dict[str, str], server: RecordedServer
) -> None:
    server.fault("crossref", *[Fault(status=503)] * 5)
    result = run(project, "add", "https://doi.org/10.1038/s42256-024-00832-8")
    assert result.exit_code == 1
    host = server.crossref_url.split("//", 1)[1].split("/", 1)[0]
    assert f"could not ask {host}: Crossref: HTTP 503 (gave up after 5 tries); nothing was added" in (
        result.output
    )
    assert not (project / "entries" / "added.yaml").exists()


def test_add_unknown_is_not_found(project: Path, endpoints: dict[str, str]) -> None:
    result = run(project, "add", "10.1371/notarealdoi")
    assert result.exit_code == 1
    assert "Error: 10.1371/notarealdoi: not found; nothing was added" in result.output


def test_add_twice_to_one_section_adds_nothing(
    project: Path, endpoints: dict[str, str], server: RecordedServer
) -> None:
    first = run(project, "add", "arXiv:1706.03762", "--list", "reading", "--section", "Transformers")
    assert first.exit_code == 0
    before = (project / "entries" / "reading.yaml").read_text(encoding="utf-8")
    asked = len(server.log)
    again = run(
        project, "add", "https://arxiv.org/abs/1706.03762v7", "--list", "reading", "--section", "Transformers"
    )
    assert again.exit_code == 0
    assert again.output.strip() == (
        "https://arxiv.org/abs/1706.03762v7: already in reading/Transformers as vaswani2017attention; "
        "nothing was added"
    )
    assert (project / "entries" / "reading.yaml").read_text(encoding="utf-8") == before
    assert len(server.log) == asked  # nothing asked either
    elsewhere = run(project, "add", "arXiv:1706.03762", "--list", "later", "--section", "Transformers")
    assert (
        elsewhere.exit_code == 0
        and f"Added vaswani2017attention to {project / 'entries' / 'later.yaml'}" in elsewhere.output
    )
