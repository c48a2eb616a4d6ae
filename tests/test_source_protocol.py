"""A third metadata source, defined in this file alone, goes the whole way: planned by `refresh --dry-run`,
fetched over a real socket, recorded in the store, and merged into the built work by its rank.

Also: the plan is deduplicated, and `--help`, `build` and `check` never load an HTTP library.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import ROOT, FakeClock, run, write_md
from curabib import sources
from curabib.fetch import connect as clients
from curabib.fetch.connection import Connection
from curabib.merge.fields import precedence
from curabib.model import FOUND, NOT_FOUND, Item, Record
from curabib.sources.arxiv import SOURCE as ARXIV
from curabib.sources.arxiv import lookup_url
from curabib.sources.protocol import (
    Answer,
    Found,
    RefreshOptions,
    Request,
    Source,
    stale,
)
from recorded_server import RecordedServer

VENUES = {"vfT4YuzAYA": "ICLR 2023"}  # what the fake venue service knows


class VenueService(Source):
    """A venue database keyed by OpenReview id: supplies the venue, ranked between Crossref and arXiv."""

    name = "venuedb"
    label = "VenueDB"
    stores = ("venuedb",)
    default_url = ""  # set to the local server by the fixture
    rank = 15
    supplies = frozenset({"venue"})
    client = __name__  # this module's `connect`

    def plan(
        self, items: Sequence[Item], records: Mapping[str, Record], options: RefreshOptions, now: datetime
    ) -> list[Request]:
        ids = sorted({f"openreview:{i.value}" for item in items for i in item.ids if i.kind == "openreview"})
        todo = tuple(i for i in ids if stale(records, "venuedb", i, options, now))
        if not todo:
            return []
        url = f"{options.endpoint(self)}/venues?ids=" + ",".join(i.split(":", 1)[1] for i in todo)
        return [Request(self.name, "venuedb", todo, url=url, line=f"VenueDB: {len(todo)} ids: {url}")]

    def records(self, request: Request, answer: Answer, now: datetime) -> list[Record]:
        assert isinstance(answer, Mapping)
        return [
            Record("venuedb", f"openreview:{value}", FOUND if fields else NOT_FOUND, now.isoformat(),
                   request.url, dict(fields or {}))
            for value, fields in answer.items()
        ]  # fmt: skip

    def candidates(self, items: Sequence[Item], found: Found, chosen: Mapping[str, Record]) -> list[str]:
        return [f"openreview:{i.value}" for item in items for i in item.ids if i.kind == "openreview"]

    def supply(self, record: Record, prefer: str) -> dict[str, Any]:
        return {"venue": record.fields.get("venue")}


@dataclass
class VenueClient:
    url: str
    timeout: float
    requests_made: int = 0

    @property
    def concurrency(self) -> int:
        return 1

    def fetch(self, request: Request) -> Answer:
        with urllib.request.urlopen(request.url, timeout=self.timeout) as response:
            self.requests_made += 1
            answer: dict[str, Any] = json.load(response)
            return answer


def connect(connection: Connection) -> VenueClient:
    return VenueClient(connection.url, connection.timeout)


@pytest.fixture
def venue_server() -> Iterator[ThreadingHTTPServer]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            ids = parse_qs(urlsplit(self.path).query)["ids"][0].split(",")
            body = json.dumps({i: {"venue": VENUES[i]} if i in VENUES else None for i in ids}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def registered(venue_server: ThreadingHTTPServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[VenueService]:
    source = VenueService()
    source.default_url = f"http://127.0.0.1:{venue_server.server_address[1]}"
    monkeypatch.setattr(sources, "REGISTRY", [*sources.REGISTRY, source])
    recorded = RecordedServer()  # arXiv and Crossref are asked too: from recordings only
    monkeypatch.setenv("CURABIB_ARXIV_URL", recorded.arxiv_url)
    monkeypatch.setenv("CURABIB_CROSSREF_URL", recorded.crossref_url)
    monkeypatch.setenv("CURABIB_DBLP_URL", recorded.dblp_url)
    monkeypatch.setattr(clients, "CLOCK", FakeClock())
    yield source
    recorded.close()


LIST = "# L\n## S\n- **Some Paper On Venues**, 2023. [Paper](https://openreview.net/forum?id=vfT4YuzAYA)\n"


def test_a_registered_source_is_planned_fetched_stored_and_merged(
    project: Path, registered: VenueService
) -> None:
    assert run(project, "import-md", str(write_md(project, LIST)), "--list", "l").exit_code == 0
    dry = run(project, "refresh", "--dry-run")
    assert f"VenueDB: 1 ids: {registered.default_url}/venues?ids=vfT4YuzAYA" in dry.output
    result = run(project, "refresh")
    assert result.exit_code == 0, result.output
    assert "1 VenueDB" in result.output
    stored = json.loads((project / "entries" / "fetched" / "venuedb" / "vfT4YuzAYA.json").read_text())
    assert (stored["status"], stored["fields"]) == ("found", {"venue": "ICLR 2023"})
    assert run(project, "build").exit_code == 0
    bib = (project / "bib" / "l.bib").read_text(encoding="utf-8")
    assert "International Conference on Learning Representations" in bib
    provenance = json.loads((project / "bib" / ".curabib" / "provenance.json").read_text(encoding="utf-8"))
    assert "venuedb" in json.dumps(provenance)
    # Ranked 15: below the published version (Crossref, 20), above the preprint (arXiv, 10); after DBLP,
    # also 15, registered before it.
    assert precedence()["venue"] == ("crossref", "dblp", "venuedb", "arxiv", "curated hint")
    assert run(project, "refresh", "--dry-run").output.endswith("0 requests would be sent for 1 entry\n")


def test_our_own_entries_plan_no_request_twice() -> None:
    lines = run(ROOT, "refresh", "--dry-run").output.splitlines()
    requests = [line for line in lines if line.startswith(("arXiv:", "Crossref:", "DBLP:", "GitHub:"))]
    assert requests and len(requests) == len(set(requests))
    assert lines[-1] == f"Dry run: {len(requests)} requests would be sent for 563 entries"


def test_the_planned_arxiv_url_is_the_one_the_client_sends() -> None:
    import arxiv

    from curabib.fetch.clients.arxiv import ArxivClient

    ids = ["1706.03762", "hep-ex/0406020"]
    endpoint = "http://127.0.0.1:9/api/query"
    assert lookup_url(endpoint, ids) == ArxivClient(base_url=endpoint).request_url(ids)
    # The endpoint is the package's own (its documented `Client.query_url_format`).
    assert arxiv.Client.query_url_format == ARXIV.default_url + "?{}"


NETWORK_MODULES = ("arxiv", "habanero", "requests", "httpx2", "urllib3")


@pytest.mark.parametrize("args", [["--help"], ["build"], ["check"], ["dedupe", "--report"]])
def test_commands_without_network_load_no_http_library(tmp_path: Path, args: list[str]) -> None:
    project = tmp_path / "p"
    (project / "entries").mkdir(parents=True)
    (project / "entries" / "l.yaml").write_text(
        (ROOT / "examples" / "recorded" / "entries" / "recorded.yaml").read_text(encoding="utf-8")
    )
    script = (
        "import sys\nfrom curabib.cli import main\n"
        f"try:\n    main({['-C', str(project), *args]!r})\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {NETWORK_MODULES!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.stdout.splitlines()[-1] == "[]", done.stdout + done.stderr
