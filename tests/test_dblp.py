"""DBLP as a metadata source, against the local server answering from recorded DBLP bodies only.

The real client (`requests`, one connection) talks to it over a real socket; pacing and Retry-After are
measured on the patched clock (`curabib.fetch.connect.CLOCK`). What a user sees is asserted: the store,
the summary, the exported BibTeX.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import FakeClock, run
from curabib.data import venues
from curabib.fetch.clients.dblp import DblpClient
from curabib.fetch.policy import RetryPolicy
from curabib.model import FOUND, NOT_FOUND, Item, Record
from curabib.project.store import now_utc
from curabib.sources.dblp import SOURCE
from curabib.sources.protocol import RefreshOptions
from recorded_server import RECORDED, Fault, RecordedServer

# The items the recorded searches were made for, as a list would give them.
DIJKSTRA: dict[str, Any] = {
    "key": "dijkstra1968go",
    "kind": "paper",
    "title": "Go To Statement Considered Harmful",
    "authors": ["Edsger W. Dijkstra"],
    "year": 1968,
    # An arXiv id (not Dijkstra's: only DBLP is asked here), to see the eprint fields stay beside the
    # published version.
    "ids": {"arxiv": "2101.00001"},
}
VASWANI: dict[str, Any] = {
    "key": "vaswani2017attention",
    "kind": "paper",
    "title": "Attention Is All You Need",
    "authors": ["Ashish Vaswani"],
    "et_al": True,
    "year": 2017,
    "ids": {"arxiv": "1706.03762"},
}
UNKNOWN: dict[str, Any] = {
    "key": "nobody2020nothing",
    "kind": "paper",
    "title": "A Title No Recorded Search Knows",
    "year": 2020,
}


def _write(project: Path, *items: dict[str, Any], name: str = "classics") -> None:
    """A curated list as `entries/<name>.yaml` holds it (JSON is YAML)."""
    lst = {"list": name, "sections": [{"heading": "Papers", "items": list(items)}]}
    (project / "entries" / f"{name}.yaml").write_text(json.dumps(lst, indent=1), encoding="utf-8")


def _stored(project: Path, source: str) -> list[dict[str, Any]]:
    folder = project / "entries" / "fetched" / source
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def _client(server: RecordedServer, clock: FakeClock) -> DblpClient:
    return DblpClient(base_url=server.dblp_url, timeout=1.0, clock=clock, policy=RetryPolicy(attempts=4))


def _judged(item: Item, hits: list[dict[str, Any]]) -> list[Record]:
    """The records DBLP's answer `hits` makes for `item`, as `refresh` makes them."""
    (request,) = SOURCE.plan([item], {}, RefreshOptions(endpoints={"dblp": "http://dblp.test"}), now_utc())
    return SOURCE.records(request, hits, now_utc())


# -- accepted, refused, missed -------------------------------------------------------------------------
def test_a_dblp_record_is_accepted_stored_and_built(project: Path, online: RecordedServer) -> None:
    _write(project, DIJKSTRA)
    result = run(project, "refresh", "--source", "dblp")
    assert result.exit_code == 0, result.output
    assert re.search(r"published versions found\s+1\b", result.output)
    (record,) = _stored(project, "dblp")
    assert (record["id"], record["status"]) == ("dblp:journals/cacm/Dijkstra68a", "found")
    # The public API's URL the request stands for, not the local server's random port.
    assert record["url"].startswith(SOURCE.default_url + "/search/publ/api?q=Go+To+Statement")
    assert online.dblp_url not in record["url"]
    fields = record["fields"]
    assert (fields["venue"], fields["volume"], fields["number"], fields["pages"]) == (
        "Commun. ACM",
        "11",
        "3",
        "147-148",
    )
    assert fields["authors"] == ["Edsger W. Dijkstra"] and fields["year"] == 1968
    (search,) = _stored(project, "dblp-search")
    assert search["fields"]["match"] == "dblp:journals/cacm/Dijkstra68a"
    assert search["fields"]["reason"] == "title, year and authors agree"

    assert run(project, "build").exit_code == 0
    bib = (project / "bib" / "classics.bib").read_text(encoding="utf-8")
    known = venues.find("Commun. ACM")
    journal = known.long if known is not None else "Commun. ACM"
    assert bib.startswith("@article{dijkstra1968go,")
    for line in (f"journal = {{{journal}}}", "volume = {11}", "number = {3}", "pages = {147--148}"):
        assert f"  {line},\n" in bib
    assert "doi = {10.1145/362929.362947}" in bib and "year = {1968}" in bib
    assert "eprinttype = {arxiv}" in bib and "eprint = {2101.00001}" in bib  # the free copy stays
    assert "Letters to the editor" not in bib  # DBLP's journal column is not the work's title
    provenance = (project / "bib" / ".curabib" / "provenance.json").read_text(encoding="utf-8")
    assert '"dblp"' in provenance

    (project / "curabib.yaml").write_text("prefer: preprint\n", encoding="utf-8")
    assert run(project, "build").exit_code == 0
    preprint = (project / "bib" / "classics.bib").read_text(encoding="utf-8")
    assert preprint.startswith("@misc{dijkstra1968go,") and "pages" not in preprint


def test_a_refusal_is_recorded_with_the_best_candidate(project: Path, online: RecordedServer) -> None:
    _write(project, VASWANI)
    result = run(project, "refresh", "--source", "dblp")
    assert result.exit_code == 0, result.output  # a miss is not an error
    assert not _stored(project, "dblp")
    (search,) = _stored(project, "dblp-search")
    fields = search["fields"]
    assert search["status"] == "not-found" and fields["match"] is None
    assert fields["query"] == "Attention Is All You Need"
    # The recorded 3 hits do not include the Transformer paper: the closest title is still refused.
    assert fields["candidate"] == "dblp:conf/dac/ZhangYY21"
    assert fields["candidate_title"].startswith("Attentional Transfer is All You Need")
    assert (fields["reason"], fields["score"]) == ("title similarity 0.48 < 0.95", 0.481)
    assert re.search(r"not found\s+1\b", result.output)


def test_zero_hits_is_a_miss(project: Path, online: RecordedServer) -> None:
    _write(project, UNKNOWN)
    assert run(project, "refresh", "--source", "dblp").exit_code == 0
    (search,) = _stored(project, "dblp-search")
    assert search["status"] == "not-found" and search["fields"]["reason"] == "no candidates"


def test_a_corr_record_is_never_the_published_version(server: RecordedServer) -> None:
    hits = _client(server, FakeClock()).search("attention is all you need")
    corr = next(h for h in hits if h["key"].startswith("journals/corr/"))
    assert (corr["venue"], corr["type"]) == ("CoRR", "Informal and Other Publications")
    assert corr["doi"] == "10.48550/arxiv.2407.15516"  # DBLP writes CoRR DOIs upper-case
    # An item that is exactly that preprint: title, year and authors agree, and still no match.
    item = Item(kind="paper", title=corr["title"], year=2024, authors=("Jean Kaddour",))
    *found, search = _judged(item, hits)
    assert found == [] and search.status == NOT_FOUND
    assert search.fields["candidate"] == "dblp:journals/corr/abs-2407-15516"
    assert search.fields["reason"] == "a CoRR (arXiv) record, not a published version"
    assert not SOURCE.is_published(Record("dblp", "dblp:x", FOUND, "", "", corr))
    assert SOURCE.supply(Record("dblp", "dblp:x", FOUND, "", "", corr), "published")["published"] is None


# -- DBLP's JSON, as recorded --------------------------------------------------------------------------
def test_author_shapes_homonyms_and_titles_are_read(server: RecordedServer) -> None:
    client = _client(server, FakeClock())
    listed = client.search("attention is all you need")  # objects in a list, with @pid
    assert listed[0]["authors"] == ["Xiaopeng Zhang", "Haoyu Yang", "Evangeline F. Y. Young"]  # "0009" gone
    assert (
        listed[0]["title"]
        == "Attentional Transfer is All You Need: Technology-aware Layout Pattern Generation"
    )
    assert listed[1]["authors"][1] == "Gbètondji J.-S. Dovonon"
    assert "Don't" in listed[1]["title"] and not listed[1]["title"].endswith(".")  # &apos; and the "."
    single = client.search("go to statement considered harmful")  # one author: an object, not a list
    assert [h["authors"] for h in single] == [["Edsger W. Dijkstra"]] * 2
    assert single[0]["title"] == "go to statement considered harmful"  # the column name is not the title
    legacy = client.search("test")  # 2019: plain strings
    assert len(legacy) == 30 and legacy[0]["authors"][:2] == ["Tsuyoshi Shinogi", "Hiroyuki Yamada"]
    assert all(isinstance(name, str) and name for h in legacy for name in h["authors"])
    assert all(isinstance(h["year"], int) and not h["title"].endswith(".") for h in legacy)
    assert client.search("zzzqqqxxnonexistentquery12345") == []  # no `hit` key at all
    assert client.requests_made == 4


def _recorded_items() -> list[Item]:
    """Every recorded query as a list would name it (the two title searches with their work's year and
    first author; "test" and the zero-hit query as they were asked)."""
    return [
        Item(kind="paper", title=VASWANI["title"], year=2017, authors=("Ashish Vaswani",)),
        Item(kind="paper", title=DIJKSTRA["title"], year=1968, authors=("Edsger W. Dijkstra",)),
        Item(kind="paper", title="test"),
        Item(kind="paper", title="zzzqqqxxnonexistentquery12345"),
    ]


def test_no_wrong_match_over_every_recorded_hit(server: RecordedServer) -> None:
    client = _client(server, FakeClock())
    hits = [
        h
        for q in ("attention is all you need", "go to statement considered harmful", "test")
        for h in client.search(q)
    ]
    assert len(hits) == 35
    items = {f"query:{i.title}": i for i in _recorded_items()}
    for hit in hits:  # each hit as a list naming exactly that record would give it
        first = hit["authors"][:1]
        items[hit["key"]] = Item(kind="paper", title=hit["title"], year=hit["year"], authors=tuple(first))
    accepted = set()
    for name, item in items.items():
        for hit in hits:
            if any(r.source == "dblp" for r in _judged(item, [hit])):
                accepted.add((name, hit["key"]))
    published = {h["key"] for h in hits if SOURCE.is_published(Record("dblp", "", FOUND, "", "", h))}
    # Only a record itself, when it is a published version, and Dijkstra's letter for its query.
    expected = {(key, key) for key in published} | {
        ("query:Go To Statement Considered Harmful", "journals/cacm/Dijkstra68a")
    }
    assert accepted == expected
    assert len(published) == 31  # 17 conference papers, 12 articles, 2 book parts; not CoRR, not theses


# -- politeness and failures ---------------------------------------------------------------------------
def test_requests_are_paced_one_second_apart_with_the_users_contact(
    project: Path, online: RecordedServer, clock: FakeClock
) -> None:
    _write(project, DIJKSTRA, VASWANI, UNKNOWN)
    result = run(project, "refresh", "--source", "dblp")
    assert result.exit_code == 0, result.output
    asked = online.requests("dblp")
    assert (
        len(asked) == 3
        and "(0 arXiv, 0 Crossref, 3 DBLP, 0 GitHub requests, retries included)" in result.output
    )
    assert clock.sleeps == [1.0, 1.0] and clock.now == 2.0
    agent = asked[0].headers["User-Agent"]
    assert agent.startswith("curabib/") and "mailto:reader@example.org" in agent
    assert all(r.query["format"] == ["json"] and r.query["h"] == ["10"] for r in asked)


@pytest.mark.parametrize(
    ("fault", "wait"),
    [
        (Fault(status=429, headers={"Retry-After": "7"}, body=b"Too Many Requests"), 7.0),
        (Fault(status=503, headers={"Retry-After": "2"}, body=b"Service Unavailable"), 2.0),
        (Fault(reset=True), None),
        (Fault(truncate=True), None),
        (Fault(delay=1.5), None),  # longer than the 1 s timeout
    ],
    ids=["429-retry-after", "503-retry-after", "reset", "truncated-json", "timeout"],
)
def test_faults_are_retried_then_answered(server: RecordedServer, fault: Fault, wait: float | None) -> None:
    clock = FakeClock()
    server.fault("dblp", fault)
    hits = _client(server, clock).search("go to statement considered harmful")
    assert hits[0]["key"] == "journals/cacm/Dijkstra68a" and len(server.requests("dblp")) == 2
    waits = [s for s in clock.sleeps if s > 0]
    assert len(waits) == 1 and (wait is None or waits[0] == pytest.approx(wait))


def test_a_bot_check_page_is_an_error_not_a_miss(project: Path, online: RecordedServer) -> None:
    _write(project, DIJKSTRA, VASWANI)
    online.fault("dblp", *[online.botcheck()] * 5)  # every try of the first search
    result = run(project, "refresh", "--source", "dblp")
    assert result.exit_code == 1
    assert (
        "bot-check page" in result.output
        and "entries/classics.yaml:7: error: dijkstra1968go: " in result.output
    )
    assert re.search(r"errors\s+1\b", result.output)
    assert not _stored(project, "dblp")  # nothing recorded from the refusal page ...
    assert [s["fields"]["query"] for s in _stored(project, "dblp-search")] == ["Attention Is All You Need"]
    again = run(project, "refresh", "--source", "dblp")  # ... so the next run asks again
    assert (
        again.exit_code == 0
        and "(0 arXiv, 0 Crossref, 1 DBLP, 0 GitHub requests, retries included)" in again.output
    )
    assert [s["id"] for s in _stored(project, "dblp")] == ["dblp:journals/cacm/Dijkstra68a"]


# -- the plan ------------------------------------------------------------------------------------------
def test_dry_run_plans_one_search_per_distinct_title(project: Path, online: RecordedServer) -> None:
    twin = {**DIJKSTRA, "key": "dijkstra1968goto", "ids": {}}  # the same title in another list
    _write(project, DIJKSTRA, VASWANI, {"key": "gpt4", "kind": "paper", "label": "GPT-4"})
    _write(project, twin, {"key": "pytorch", "kind": "software", "title": "PyTorch"}, name="more")
    result = run(project, "refresh", "--source", "dblp", "--dry-run")
    assert result.output.splitlines() == [
        "DBLP: title search for 'Go To Statement Considered Harmful'",
        "DBLP: title search for 'Attention Is All You Need'",
        "Dry run: 2 requests would be sent for 5 entries",
    ]
    assert online.log == []


def test_a_second_refresh_right_away_sends_nothing(project: Path, online: RecordedServer) -> None:
    _write(project, DIJKSTRA, VASWANI, UNKNOWN)
    assert run(project, "refresh", "--source", "dblp").exit_code == 0
    before = len(online.log)
    second = run(project, "refresh", "--source", "dblp")
    assert (
        second.exit_code == 0
        and "(0 arXiv, 0 Crossref, 0 DBLP, 0 GitHub requests, retries included)" in second.output
    )
    assert len(online.log) == before
    assert run(project, "refresh", "--source", "dblp", "--dry-run").output.startswith("Dry run: 0 requests")


def test_works_with_a_crossref_published_version_are_not_searched(
    project: Path, online: RecordedServer
) -> None:
    chemistry = {
        "key": "bran2024augmenting",
        "kind": "paper",
        "title": "Augmenting large language models with chemistry tools",
        "year": 2024,
        "ids": {"doi": "10.1038/s42256-024-00832-8"},
    }
    _write(project, chemistry, DIJKSTRA)
    before = run(project, "refresh", "--source", "dblp", "--dry-run").output
    assert "DBLP: title search for 'Augmenting large language models" in before  # not known yet
    assert run(project, "refresh", "--source", "crossref").exit_code == 0
    after = run(project, "refresh", "--source", "dblp", "--dry-run").output.splitlines()
    assert after == [
        "DBLP: title search for 'Go To Statement Considered Harmful'",
        "Dry run: 1 request would be sent for 2 entries",
    ]


def test_the_endpoint_comes_from_curabib_yaml(
    project: Path, server: RecordedServer, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CURABIB_DBLP_URL", raising=False)
    _write(project, DIJKSTRA)
    (project / "curabib.yaml").write_text(f"dblp_url: {server.dblp_url}\n", encoding="utf-8")
    assert run(project, "refresh", "--source", "dblp").exit_code == 0
    assert len(server.requests("dblp")) == 1
    (project / "curabib.yaml").write_text("dblp_url: dblp.org\n", encoding="utf-8")
    bad = run(project, "refresh", "--source", "dblp")
    assert bad.exit_code == 2 and "dblp_url must be an http(s) base URL" in bad.output


def test_the_recorded_bodies_keep_their_provenance() -> None:
    rows = (RECORDED / "dblp" / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    files = {row.split("\t")[0] for row in rows[1:]}
    assert files == {p.name for p in (RECORDED / "dblp").iterdir() if p.name != "MANIFEST.tsv"}
