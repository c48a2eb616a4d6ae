"""One module per extension: a new metadata source and a new identifier kind, written here and nowhere
else, plug into every command. This file declares both and registers them (as a plugin would), and the
real commands refresh, check, add and export through them with no other file of curabib changed.

The fake source is a DOI resolver under another name: its client asks the local recorded server's
Crossref `/works/{doi}` route, so every title, author and venue it brings is a real recorded answer
(tests/fixtures/recorded/crossref), never one made up here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from conftest import FakeClock, run
from curabib import ids, sources
from curabib.fetch.connection import Connection
from curabib.ids.base import Identifier, IdKind, ParsedUrl
from curabib.model import FOUND, NOT_FOUND, Item, Person, Published, Record
from curabib.sources.protocol import (
    Answer,
    Found,
    RefreshOptions,
    Request,
    Source,
    found_in,
    stale,
)
from recorded_server import RecordedServer

DOI = "10.1038/nnano.2014.279"  # recorded: works-10.1038_nnano.2014.279.json


# -- the identifier kind: a "paper page" id, read off papers.example.org links -----------------------------
def _from_url(link: ParsedUrl) -> list[Identifier]:
    if link.host != "papers.example.org" or not link.path.startswith("/p/"):
        return []
    return [Identifier("paperpage", link.path.removeprefix("/p/").lower())]


def _from_token(token: str) -> Identifier | None:
    match = re.fullmatch(r"paperpage:(10\.\d{4,9}/\S+)", token.strip(), re.IGNORECASE)
    return Identifier("paperpage", match[1].lower()) if match else None


PAPER_PAGE = IdKind(
    name="paperpage",
    description="a paper page id: the DOI a papers.example.org page is named by",
    pattern=re.compile(r"10\.\d{4,9}/\S+"),
    url_template="https://papers.example.org/p/{value}",
    names_paper=True,
    from_url=_from_url,
    from_token=_from_token,
    publication="journal",
)


# -- the source: looks paper page ids up, one request each -------------------------------------------------
class PaperPages(Source):
    name = "paperpages"
    label = "Paper Pages"
    stores = ("paperpages",)
    resolves = frozenset({"paperpage"})
    default_url = "https://papers.example.org/api"
    rank = 18
    supplies = frozenset({"title", "year", "authors", "published"})
    client = __name__  # this module: `connect` below

    def plan(
        self, items: Sequence[Item], records: Mapping[str, Record], options: RefreshOptions, now: datetime
    ) -> list[Request]:
        wanted = {i.value for item in items for i in item.ids if i.kind == "paperpage"}
        base = options.endpoint(self)
        return [
            Request(
                self.name, self.name, (f"paperpage:{v}",), f"{base}/works/{v}", f"{self.label}: {v}", base
            )
            for v in sorted(wanted)
            if stale(records, self.name, f"paperpage:{v}", options, now)
        ]

    def records(self, request: Request, answer: Answer, now: datetime) -> list[Record]:
        assert isinstance(answer, Mapping)
        return [
            Record(
                self.name, f"paperpage:{v}", FOUND if f else NOT_FOUND, now.isoformat(), request.url, f or {}
            )
            for v, f in answer.items()
        ]

    def candidates(self, items: Sequence[Item], found: Found, chosen: Mapping[str, Record]) -> list[str]:
        return [f"paperpage:{i.value}" for item in items for i in item.ids if i.kind == "paperpage"]

    def supply(self, record: Record, prefer: str) -> dict[str, Any]:
        fields = record.fields
        # The version it describes is the published one: a journal article, in the answer's journal.
        published = Published(None, "journal-article", fields.get("venue"), year=fields.get("year"))
        return {
            "title": fields.get("title"),
            "year": fields.get("year"),
            "authors": tuple(Person(family=a["family"], given=a.get("given")) for a in fields["authors"]),
            "published": published,
        }


@dataclass
class _Client:
    """The source's I/O: GET `{url}/works/{doi}`, the fields of the answer's `message`."""

    connection: Connection
    requests_made: int = 0
    concurrency: int = 1

    def fetch(self, request: Request) -> Answer:
        self.requests_made += 1
        value = request.values[0]
        response = requests.get(f"{self.connection.url}/works/{value}", timeout=self.connection.timeout)
        if response.status_code == 404:
            return {value: None}
        message = response.json()["message"]
        return {
            value: {
                "title": message["title"][0],
                "year": message["issued"]["date-parts"][0][0],
                "venue": message["container-title"][0],
                "authors": [{"family": a["family"], "given": a.get("given")} for a in message["author"]],
            }
        }


def connect(connection: Connection) -> _Client:
    return _Client(connection)


# -- registered as a plugin would, and the commands run through them ----------------------------------------
@pytest.fixture
def extended(
    server: RecordedServer, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[RecordedServer]:
    """The kind and the source registered, the source pointed at the recorded server through the
    environment variable it declares; both removed afterwards."""
    ids.register(PAPER_PAGE)
    sources.register(PaperPages())
    monkeypatch.setenv(PaperPages().environment, server.crossref_url)
    for other in sources.registered()[:-1]:  # the others: not asked here
        monkeypatch.setenv(other.environment, "http://127.0.0.1:9")
    try:
        yield server
    finally:
        sources.unregister("paperpages")
        ids.unregister("paperpage")


LIST = f"""\
list: reading
sections:
- heading: Spintronics
  items:
  - key: spinwave
    kind: paper
    title: Charges ride the spin wave
    links:
    - {{kind: paper, url: 'https://papers.example.org/p/{DOI}'}}
    ids: {{paperpage: {DOI}}}
"""


def test_a_new_source_and_identifier_kind_plug_into_every_command(
    extended: RecordedServer, project: Path
) -> None:
    (project / "entries" / "reading.yaml").write_text(LIST, encoding="utf-8")

    refreshed = run(project, "refresh", "--source", "paperpages")
    assert refreshed.exit_code == 0, refreshed.output
    assert [r.path for r in extended.requests("crossref")] == [f"/crossref/works/{DOI}"]
    stored = json.loads(next((project / "entries" / "fetched" / "paperpages").glob("*.json")).read_text())
    assert stored["status"] == "found" and stored["fields"]["venue"] == "Nature Nanotechnology"
    # the recorded URL names the source's public default, not the local server
    assert stored["url"].startswith(PaperPages.default_url)

    checked = run(project, "check")
    assert checked.exit_code == 0, checked.output
    assert "unresolved" not in checked.output  # its id names the paper: nothing to look up by title

    built = run(project, "build")
    assert built.exit_code == 0, built.output
    bib = (project / "bib" / "reading.bib").read_text(encoding="utf-8")
    assert bib.startswith("@article{spinwave,")  # the kind says "journal"
    assert "author = {Kuschel, Timo and Reiss, Günter}" in bib
    assert "journal = {Nature Nanotechnology}" in bib and "year = {2014}" in bib
    provenance = json.loads((project / "bib" / ".curabib" / "provenance.json").read_text(encoding="utf-8"))
    assert "paperpages" in json.dumps(provenance["spinwave"])

    added = run(project, "add", f"paperpage:{DOI}", "--list", "more", "--section", "Added")
    assert added.exit_code == 0, added.output
    more = (project / "entries" / "more.yaml").read_text(encoding="utf-8")
    assert "title: Charges ride the spin wave" in more
    assert f"https://papers.example.org/p/{DOI}" in more


def test_a_source_declares_its_setting(
    extended: RecordedServer, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`<name>_url` in curabib.yaml is the source's setting, checked like the others."""
    monkeypatch.delenv(PaperPages().environment)
    (project / "entries" / "reading.yaml").write_text(LIST, encoding="utf-8")
    (project / "curabib.yaml").write_text(f"paperpages_url: {extended.crossref_url}\n", encoding="utf-8")
    assert run(project, "refresh", "--source", "paperpages").exit_code == 0
    assert len(extended.requests("crossref")) == 1
    (project / "curabib.yaml").write_text("paperpages_url: papers.example.org\n", encoding="utf-8")
    bad = run(project, "refresh", "--source", "paperpages")
    assert bad.exit_code == 2 and "paperpages_url must be an http(s) base URL" in bad.output


def test_registering_twice_is_refused(extended: RecordedServer) -> None:
    with pytest.raises(ValueError, match="registered already"):
        ids.register(PAPER_PAGE)
    with pytest.raises(ValueError, match="registered already"):
        sources.register(PaperPages())
    assert "paperpage" in ids.PAPER_KINDS  # the live view sees a kind registered after import
    assert found_in({})("paperpages", "paperpage:x") is None
