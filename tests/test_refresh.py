"""`curabib refresh` and `curabib add` against a local server that answers from recorded responses only.

The real clients talk to it over real sockets: arXiv's (the `arxiv` package's `Search` and `Result`, sent
with `requests`) and Crossref's (`habanero`). Spacing and backoff are measured on
a patched clock (`curabib.fetch.connect.CLOCK`), never by sleeping.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT, FakeClock, run, write_md
from curabib.fetch.clients.arxiv import ArxivClient, MalformedIdError
from curabib.fetch.clients.crossref import CrossrefClient
from curabib.fetch.connection import Client
from curabib.fetch.executor import Report, execute
from curabib.fetch.policy import RetryPolicy
from curabib.ids import Identifier
from curabib.model import Item
from curabib.project.store import Store, now_utc
from curabib.sources import arxiv as arxiv_source
from curabib.sources.protocol import RefreshOptions
from recorded_server import Fault, RecordedServer

PAPERS = """# Papers
## Preprints
- **Attention Is All You Need**, 2017. [Paper](https://arxiv.org/abs/1706.03762)
- **Heat-bath random walks with Markov bases**, 2016. [Paper](https://arxiv.org/abs/1605.08386)
## Published
- **Augmenting large language models with chemistry tools**, 2024. [Paper](https://www.nature.com/articles/s42256-024-00832-8)
- **Vector Quotient Filters: Overcoming the Time/Space Trade-Off in Filter Design**, 2021. [Paper](https://dl.acm.org/doi/10.1145/3448016.3452841)
"""


def _import(project: Path, text: str = PAPERS, name: str = "papers") -> None:
    assert run(project, "import-md", str(write_md(project, text)), "--list", name).exit_code == 0


def _store(project: Path) -> Store:
    return Store(project / "entries")


def test_refresh_enriches_and_build_uses_it_offline(project: Path, online: RecordedServer) -> None:
    _import(project)
    result = run(project, "refresh")
    assert result.exit_code == 0, result.output
    assert re.search(r"enriched\s+4\b", result.output)
    assert run(project, "build").exit_code == 0
    bib = (project / "bib" / "papers.bib").read_text(encoding="utf-8")
    assert "author = {Vaswani, Ashish and Shazeer, Noam and Parmar, Niki" in bib
    assert "@article{augmenting2024large," in bib and "journal = {Nature Machine Intelligence}" in bib
    assert "pages = {525--535}" in bib and "volume = {6}" in bib
    assert "@inproceedings{vector2021quotient," in bib
    # Curated fields stay as written; fetched ones live apart, in the store.
    assert "authors" not in (project / "entries" / "papers.yaml").read_text(encoding="utf-8")
    record = json.loads(
        (project / "entries" / "fetched" / "arxiv" / "1706.03762.json").read_text(encoding="utf-8")
    )
    assert (record["source"], record["id"], record["status"]) == ("arxiv", "arxiv:1706.03762", "found")
    # The public API's URL, not the local server's: the store is shared, a local port means nothing.
    assert record["url"].startswith(arxiv_source.DEFAULT_URL + "?") and record["fetched_at"]
    assert online.arxiv_url not in record["url"]
    assert record["fields"]["published"] == "2017-06-12"


def test_requests_are_batched_and_a_warm_store_sends_none(project: Path, online: RecordedServer) -> None:
    _import(project)
    assert run(project, "refresh").exit_code == 0
    arxiv = online.requests("arxiv")
    assert len([r for r in arxiv if r.query.get("id_list", [""])[0]]) == 1  # both ids in one request
    dois = [r for r in online.requests("crossref") if "filter" in r.query]
    assert len(dois) == 1 and dois[0].query["filter"][0].count("doi:") == 2
    before = len(online.log)
    second = run(project, "refresh")
    assert second.exit_code == 0
    assert len(online.log) == before
    assert "(0 arXiv, 0 Crossref, 0 DBLP, 0 GitHub requests, retries included)" in second.output


def test_polite_identification(project: Path, online: RecordedServer) -> None:
    _import(project)
    run(project, "refresh")
    arxiv_agent = online.requests("arxiv")[0].headers["User-Agent"]
    assert arxiv_agent.startswith("curabib/") and "mailto:reader@example.org" in arxiv_agent
    assert "(mailto:reader@example.org)" in online.requests("crossref")[0].headers["User-Agent"]


def test_no_address_of_ours_is_sent(
    project: Path, online: RecordedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CURABIB_MAILTO")
    _import(project)
    run(project, "refresh")
    assert all("mailto" not in r.headers.get("User-Agent", "") for r in online.log)


def test_dry_run_sends_nothing_and_writes_nothing(project: Path, online: RecordedServer) -> None:
    _import(project)
    result = run(project, "refresh", "--dry-run")
    assert result.exit_code == 0
    assert "arXiv: 2 ids in one request" in result.output
    assert "Crossref: 2 DOIs in one request" in result.output
    assert online.log == [] and not (project / "entries" / "fetched").exists()


def _refresh(
    server: RecordedServer,
    store: Store,
    items: list[Item],
    progress: Callable[[int], None] = lambda n: None,
    **clients: Client,
) -> Report:
    """The executor, as `refresh` runs it, with the given clients (patched clocks, fewer retries)."""
    options = RefreshOptions(endpoints={"arxiv": server.arxiv_url, "crossref": server.crossref_url})
    return execute(items, store, clients, options, now_utc(), progress)


def _arxiv(server: RecordedServer, clock: FakeClock, timeout: float = 1.0) -> ArxivClient:
    return ArxivClient(
        base_url=server.arxiv_url, timeout=timeout, clock=clock, policy=RetryPolicy(attempts=4)
    )


def test_arxiv_batches_of_100_spaced_3_seconds(server: RecordedServer, tmp_path: Path) -> None:
    clock = FakeClock()
    source = _arxiv(server, clock)
    ids = ["1706.03762", "1605.08386"] + [f"2101.{n:05d}" for n in range(248)]  # well-formed, mostly unknown
    items = [Item(kind="paper", title=f"t{i}", ids=(Identifier("arxiv", i),)) for i in ids]
    report = _refresh(server, Store(tmp_path), items, arxiv=source)
    requests = server.requests("arxiv")
    assert len(requests) == 3  # ceil(250 / 100)
    assert [len(r.query["id_list"][0].split(",")) for r in requests] == [100, 100, 50]
    assert all(r.query["max_results"] == ["100"] for r in requests)
    assert clock.now >= 6.0 and sorted(clock.sleeps) == [3.0, 3.0]
    assert set(report.enriched) == {"arxiv:1706.03762", "arxiv:1605.08386"}
    assert len(report.not_found) == 248  # arXiv leaves unknown ids out of its answer: we notice


@pytest.mark.parametrize(
    ("fault", "expected_wait"),
    [
        (Fault(status=429), None),
        (Fault(status=429, headers={"Retry-After": "7"}), 7.0),
        (Fault(status=500), None),
        (Fault(status=503, headers={"Retry-After": "2"}), 2.0),
        (Fault(reset=True), None),
        (Fault(truncate=True), None),
        (Fault(delay=1.5), None),  # longer than the 0.5 s timeout
    ],
    ids=["429", "429-retry-after", "500", "503-retry-after", "reset", "truncated-xml", "timeout"],
)
def test_arxiv_faults_are_retried_then_succeed(
    server: RecordedServer, fault: Fault, expected_wait: float | None
) -> None:
    clock = FakeClock()
    server.fault("arxiv", fault)
    answers = _arxiv(server, clock, timeout=0.5).fetch_ids(["1706.03762"])
    assert answers["1706.03762"] is not None and answers["1706.03762"]["title"] == "Attention Is All You Need"
    assert len(server.requests("arxiv")) == 2
    waits = [s for s in clock.sleeps if s > 0]
    assert len(waits) == 1
    # Retry-After is honoured, but never below arXiv's 3 s between requests; without it, a jittered
    # backoff of 1-3 s, so the 3 s rule decides.
    assert waits[0] == pytest.approx(max(3.0, expected_wait or 0.0))


def test_retries_back_off_exponentially_then_give_up(server: RecordedServer) -> None:
    clock = FakeClock()
    server.fault("arxiv", *[Fault(status=503)] * 4)
    with pytest.raises(Exception, match="gave up after 4 tries"):
        _arxiv(server, clock).fetch_ids(["1706.03762"])
    waits = [s for s in clock.sleeps if s > 0]
    assert len(waits) == 3 and waits == sorted(waits) and waits[2] > 2 * waits[0]


def test_arxiv_error_feed_for_a_malformed_id(server: RecordedServer, tmp_path: Path) -> None:
    clock = FakeClock()
    with pytest.raises(MalformedIdError):
        _arxiv(server, clock).fetch_ids(["abc"])
    items = [Item(kind="paper", title="t", ids=(Identifier("arxiv", i),)) for i in ("1706.03762", "abc")]
    report = _refresh(server, Store(tmp_path), items, arxiv=_arxiv(server, clock))
    assert report.enriched == ["arxiv:1706.03762"]  # the malformed id was found by halving the batch
    assert len(report.errors) == 1 and str(report.errors[0]).startswith("arxiv:abc: error: arXiv: HTTP 400")


def test_empty_feed_is_not_found(server: RecordedServer) -> None:
    answers = _arxiv(server, FakeClock()).fetch_ids(["0000.0000"])
    assert answers == {"0000.0000": None}


def _crossref(server: RecordedServer, clock: FakeClock) -> CrossrefClient:
    return CrossrefClient(
        base_url=server.crossref_url, timeout=0.5, clock=clock, policy=RetryPolicy(attempts=4)
    )


@pytest.mark.parametrize(
    "fault",
    [
        Fault(status=429, headers={"Retry-After": "3"}, body=b"Too many requests"),
        Fault(status=503, body=b"<html>Service Unavailable</html>"),
        Fault(reset=True),
        Fault(truncate=True),
        Fault(delay=1.5),
    ],
    ids=["429", "503", "reset", "truncated-json", "timeout"],
)
def test_crossref_faults_are_retried_then_succeed(server: RecordedServer, fault: Fault) -> None:
    clock = FakeClock()
    server.fault("crossref", fault)
    answer = _crossref(server, clock).fetch_dois(["10.1038/s42256-024-00832-8"])["10.1038/s42256-024-00832-8"]
    assert answer is not None and answer["title"] == "Augmenting large language models with chemistry tools"
    assert len(server.requests("crossref")) == 2


def test_crossref_pacing_follows_the_advertised_rate_limit(server: RecordedServer) -> None:
    clock = FakeClock()
    source = _crossref(server, clock)
    for _ in range(3):
        source.fetch_dois(["10.1038/s42256-024-00832-8"])
    # The recorded list answers advertise 10 requests per 1 s: 0.1 s apart after the first answer.
    assert (source.limit.limit, source.limit.interval, source.limit.concurrency) == (10, 1.0, 3)
    assert clock.sleeps[-1] == pytest.approx(0.1)


def test_crossref_batches_run_at_most_the_advertised_concurrency(
    server: RecordedServer, tmp_path: Path
) -> None:
    clock = FakeClock()
    dois = ["10.1038/s42256-024-00832-8"] + [f"10.5555/unknown.{n}" for n in range(119)]
    items = [Item(kind="paper", title=f"t{d}", ids=(Identifier("doi", d),)) for d in dois]
    server.fault("crossref", *[Fault(delay=0.3)] * 6)  # slow answers, so that requests overlap
    report = _refresh(server, Store(tmp_path), items, crossref=_crossref(server, clock))
    requests = server.requests("crossref")
    assert [r.query["filter"][0].count("doi:") for r in requests] == [20] * 6  # 120 DOIs, 20 per request
    assert server.max_in_flight == 3  # as the recorded X-Concurrency-Limit says
    assert report.enriched == ["doi:10.1038/s42256-024-00832-8"] and len(report.not_found) == 119


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (Fault(status=404, headers={"Content-Type": "text/plain"}, body=b"Resource not found."), "HTTP 404"),
        (
            Fault(status=200, headers={"Content-Type": "text/html"}, body=b"<html>maintenance</html>"),
            "gave up",
        ),
    ],
    ids=["404-resource-not-found", "html-instead-of-json"],
)
def test_crossref_answers_that_are_not_results_are_reported(
    project: Path, online: RecordedServer, fault: Fault, message: str
) -> None:
    _import(project)
    online.fault("crossref", *[fault] * 5)
    result = run(project, "refresh", "--source", "crossref")
    assert result.exit_code == 1
    # Named by the entry's key, file and line.
    assert message in result.output and "entries/papers.yaml:" in result.output
    assert re.search(r"entries/papers\.yaml:\d+: error: augmenting2024large: ", result.output)


def test_unknown_doi_is_not_found_and_arxiv_dois_never_go_to_crossref(
    project: Path, online: RecordedServer
) -> None:
    md = (
        "# L\n## S\n- **Resource that does not exist**, 2020. [Paper](https://doi.org/10.1371/notarealdoi)\n"
        "- **PaperQA2**, 2023. [Paper](https://doi.org/10.48550/arXiv.2312.07559)\n"
    )
    _import(project, md, "missing")
    result = run(project, "refresh", "--source", "crossref")
    assert result.exit_code == 0  # not found is not an error
    filters = [r.query["filter"][0] for r in online.requests("crossref") if "filter" in r.query]
    assert filters == ["doi:10.1371/notarealdoi"]
    record = json.loads(
        (project / "entries" / "fetched" / "crossref" / "10.1371%2Fnotarealdoi.json").read_text()
    )
    assert record["status"] == "not-found"


def test_persistent_failure_is_reported_the_rest_is_saved_exit_1(
    project: Path, online: RecordedServer
) -> None:
    _import(project)
    online.fault("crossref", *[Fault(status=503)] * 5)
    result = run(project, "refresh")
    assert result.exit_code == 1
    assert "2 entries could not be fetched; everything else was saved" in result.output
    assert (project / "entries" / "fetched" / "arxiv" / "1706.03762.json").exists()
    assert re.search(r"errors\s+2\b", result.output)  # the two DOIs of the failed batch


def test_a_link_to_another_work_is_a_conflict_not_applied(project: Path, online: RecordedServer) -> None:
    md = "# L\n## S\n- **Vector Quotient Filters: Overcoming the Time/Space Trade-Off in Filter Design**, 2021. [Paper](https://doi.org/10.7554/eLife.01567)\n"
    _import(project, md, "wrong")
    result = run(project, "refresh")
    assert "doi:10.7554/elife.01567 is titled 'Automated quantitative histology" in result.output
    assert re.search(r"conflicts\s+1\b", result.output) and result.exit_code == 0
    built = run(project, "build")
    assert "contradicts the curated title" in built.output
    bib = (project / "bib" / "wrong.bib").read_text(encoding="utf-8")
    assert "Arabidopsis" not in bib and "author" not in bib


def test_interrupted_run_resumes_where_it_stopped(server: RecordedServer, tmp_path: Path) -> None:
    clock = FakeClock()
    ids = [f"2101.{n:05d}" for n in range(150)] + ["1706.03762"]
    items = [Item(kind="paper", title=f"t{i}", ids=(Identifier("arxiv", i),)) for i in ids]
    store = Store(tmp_path / "entries")

    def interrupt(done: int) -> None:
        raise KeyboardInterrupt  # Ctrl-C right after the first batch was saved

    report = _refresh(server, store, items, interrupt, arxiv=_arxiv(server, clock))
    assert report.interrupted and len(report.not_found) == 100  # the report says what was done
    saved = list((tmp_path / "entries" / "fetched" / "arxiv").glob("*.json"))
    assert len(saved) == 100 and all(json.loads(p.read_text())["status"] for p in saved)
    assert not list((tmp_path / "entries" / "fetched").rglob("*.tmp"))
    _refresh(server, Store(tmp_path / "entries"), items, arxiv=_arxiv(server, clock))
    asked = server.requests("arxiv")[-1].query["id_list"][0].split(",")
    assert asked == ids[100:]


def test_prefer_preprint_keeps_the_arxiv_version(project: Path, online: RecordedServer) -> None:
    md = "# L\n## S\n- **Augmenting large language models with chemistry tools**, 2024. [arXiv](https://arxiv.org/abs/2304.05376) [Paper](https://doi.org/10.1038/s42256-024-00832-8)\n"
    _import(project, md, "both")
    run(project, "refresh")
    run(project, "build")
    published = (project / "bib" / "both.bib").read_text(encoding="utf-8")
    assert published.startswith("@article{") and "eprint = {2304.05376}" in published
    assert "doi = {10.1038/s42256-024-00832-8}" in published
    (project / "curabib.yaml").write_text("prefer: preprint\n", encoding="utf-8")
    run(project, "build")
    preprint = (project / "bib" / "both.bib").read_text(encoding="utf-8")
    assert preprint.startswith("@misc{") and "doi = {10.1038/s42256-024-00832-8}" in preprint


def test_title_only_entry_found_by_bibliographic_search(project: Path, online: RecordedServer) -> None:
    _import(project, "# L\n## S\n- Augmenting large language models with chemistry tools. 2024.\n", "titles")
    assert run(project, "refresh").exit_code == 0
    run(project, "build")
    bib = (project / "bib" / "titles.bib").read_text(encoding="utf-8")
    assert "doi = {10.1038/s42256-024-00832-8}" in bib and "Schwaller, Philippe" in bib


def test_add_creates_list_and_section_and_prints_bibtex(project: Path, online: RecordedServer) -> None:
    result = run(project, "add", "arXiv:1706.03762", "--list", "reading", "--section", "Transformers")
    assert result.exit_code == 0, result.output
    assert "@misc{vaswani2017attention," in result.output
    text = (project / "entries" / "reading.yaml").read_text(encoding="utf-8")
    assert "heading: Transformers" in text and "key: vaswani2017attention" in text
    again = run(
        project, "add", "https://arxiv.org/abs/1706.03762v7", "--list", "reading", "--section", "Classics"
    )
    assert "@misc{vaswani2017attention," in again.output  # the same work keeps its key
    assert run(project, "add", "not an id").exit_code == 2


def test_the_committed_recorded_example_is_what_build_writes() -> None:
    result = run(ROOT / "examples" / "recorded", "build", "--check")
    assert result.exit_code == 0, result.output
