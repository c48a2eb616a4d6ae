"""A local HTTP server on 127.0.0.1 that answers like arXiv, Crossref, DBLP and GitHub, from recorded responses
only.

Single lookups are served as recorded (body and rate-limit headers, from MANIFEST.tsv). Batch and search
answers, never recorded for these exact requests, are assembled from recorded parts: arXiv `<entry>`
elements into a recorded feed header, Crossref `message` objects into a recorded list envelope. DBLP
searches are answered by their `q` parameter with the body recorded for that query (the query each body
answered is read from the request column of dblp/MANIFEST.tsv), an unknown query with the recorded
zero-hits body. GitHub is `github_server.py`: PyGithub's recorded API answers and real files of real
repositories. Faults (status, headers, reset, delay, truncation, DBLP's recorded bot-check page) can be
queued per service; every request is logged.
"""

from __future__ import annotations

import json
import re
import socket
import struct
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, unquote_plus, urlsplit

from curabib.ids import parse_identifier
from github_server import GithubRecordings

RECORDED = Path(__file__).resolve().parent / "fixtures" / "recorded"
ARXIV_ID = re.compile(r"^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})(v\d+)?$")


@dataclass
class Fault:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None  # None: the normal answer (possibly truncated)
    reset: bool = False
    delay: float = 0.0
    truncate: bool = False


@dataclass
class Logged:
    service: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    at: float


def _manifest_headers(service: str) -> dict[str, dict[str, str]]:
    rows = (RECORDED / service / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split("\t")
    out = {}
    for row in rows[1:]:
        cells = dict(zip(header, row.split("\t"), strict=False))
        parsed = {}
        for part in cells.get("response_headers", "").split("; "):
            name, _, value = part.partition(": ")
            if name.lower().startswith(("x-rate-limit", "x-concurrency", "x-api-pool", "location")):
                parsed[name.lower()] = value
        out[cells["file"]] = parsed
    return out


class _Recordings:
    def __init__(self) -> None:
        self.arxiv_headers = _manifest_headers("arxiv")
        self.crossref_headers = _manifest_headers("crossref")
        self.entries: dict[str, str] = {}
        for path in sorted((RECORDED / "arxiv").glob("*.xml")):
            for entry in re.findall(r"<entry>.*?</entry>", path.read_text(encoding="utf-8"), re.S):
                entry_id = re.search(r"<id>(.*?)</id>", entry)
                ident = parse_identifier(entry_id.group(1)) if entry_id else None
                if ident is not None and ident.kind == "arxiv":
                    self.entries.setdefault(ident.value, entry)
        self.feed_head = (RECORDED / "arxiv" / "empty-id_list-0000.0000.xml").read_text(encoding="utf-8")
        self.error_feed = (RECORDED / "arxiv" / "error-id_list-abc.xml").read_bytes()
        self.works: dict[str, tuple[dict[str, Any], str]] = {}
        for path in sorted((RECORDED / "crossref").glob("works-*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            message = data.get("message", {})
            items: list[Any] = (
                message["items"] if isinstance(message, dict) and "items" in message else [message]
            )
            for item in items:
                if isinstance(item, dict) and "DOI" in item:
                    self.works.setdefault(item["DOI"].lower(), (item, path.name))
        self.list_envelope = json.loads(
            (RECORDED / "crossref" / "works-query-ecology-rows2.json").read_text()
        )
        self.not_found = (RECORDED / "crossref" / "works-10.1371_notarealdoi.404.txt").read_bytes()
        self.dblp_searches: dict[str, bytes] = {}
        for name, request in _manifest_column("dblp", "request").items():
            asked = re.search(r"[?&]q=([^&\s]+)", request)
            if name.startswith("search-json-") and asked:
                self.dblp_searches[_fold(unquote_plus(asked.group(1)))] = (
                    RECORDED / "dblp" / name
                ).read_bytes()
        self.dblp_zero_hits = (RECORDED / "dblp" / "search-json-zero-hits.json").read_bytes()
        self.dblp_botcheck = (
            RECORDED / "dblp" / "error-anubis-botcheck-200-search_publ_api.html"
        ).read_bytes()

    def arxiv_feed(self, entries: list[str]) -> bytes:
        head = re.sub(
            r"<opensearch:totalResults>\d+", f"<opensearch:totalResults>{len(entries)}", self.feed_head
        )
        return head.replace("</feed>", "".join(f"  {e}\n" for e in entries) + "</feed>").encode("utf-8")

    def crossref_list(self, items: list[dict[str, Any]]) -> bytes:
        envelope = json.loads(json.dumps(self.list_envelope))
        envelope["message"]["items"] = items
        envelope["message"]["total-results"] = len(items)
        return json.dumps(envelope).encode("utf-8")


class RecordedServer:
    def __init__(self) -> None:
        self.recordings = _Recordings()
        self.log: list[Logged] = []
        self.github = GithubRecordings()
        self.faults: dict[str, deque[Fault]] = {
            "arxiv": deque(),
            "crossref": deque(),
            "dblp": deque(),
            "github": deque(),
        }
        self.in_flight = 0
        self.max_in_flight = 0  # the most requests the server was answering at one time
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def arxiv_url(self) -> str:
        return f"{self.base}/arxiv/api/query"

    @property
    def crossref_url(self) -> str:
        return f"{self.base}/crossref"

    @property
    def dblp_url(self) -> str:
        return f"{self.base}/dblp"

    @property
    def github_url(self) -> str:
        return f"{self.base}/github"

    def botcheck(self) -> Fault:
        """DBLP's recorded bot-check page, served with status 200 in place of the JSON answer."""
        return Fault(
            status=200,
            headers={"Content-Type": "text/html; charset=utf-8"},
            body=self.recordings.dblp_botcheck,
        )

    def fault(self, service: str, *faults: Fault) -> None:
        self.faults[service].extend(faults)

    def requests(self, service: str) -> list[Logged]:
        return [entry for entry in self.log if entry.service == service]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- answering ------------------------------------------------------------------------------------
    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            self._answer(handler)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        service = parts.path.strip("/").split("/", 1)[0]
        query = parse_qs(parts.query, keep_blank_values=True)
        with self._lock:
            self.log.append(Logged(service, parts.path, query, dict(handler.headers), time.monotonic()))
            fault = self.faults[service].popleft() if self.faults.get(service) else None
        if fault and fault.delay:
            time.sleep(fault.delay)
        if fault and fault.reset:
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            handler.connection.close()
            handler.close_connection = True
            return
        if service == "arxiv":
            status, headers, body = self._arxiv(query)
        elif service == "dblp":
            status, headers, body = self._dblp(parts.path[len("/dblp") :], query)
        elif service == "github":
            path, asked = parts.path[len("/github") :], handler.headers.get("If-None-Match")
            status, headers, body = self.github.answer(path, asked, self.github_url)
        else:
            status, headers, body = self._crossref(unquote(parts.path[len("/crossref") :]), query)
        if fault and (fault.status != 200 or fault.body is not None):
            status, body = fault.status, fault.body if fault.body is not None else body
        if fault:
            headers = {**headers, **fault.headers}
            if fault.truncate:
                body = body[: len(body) // 2]
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _arxiv(self, query: dict[str, list[str]]) -> tuple[int, dict[str, str], bytes]:
        atom = {"Content-Type": "application/atom+xml; charset=utf-8"}
        ids = [i for i in query.get("id_list", [""])[0].split(",") if i]
        if any(not ARXIV_ID.match(i) for i in ids):
            return 400, atom, self.recordings.error_feed
        if ids:
            found = [parse_identifier(f"arXiv:{i}") for i in ids]
            entries = [
                self.recordings.entries[i.value] for i in found if i and i.value in self.recordings.entries
            ]
            return 200, atom, self.recordings.arxiv_feed(entries)
        phrase = re.search(r'ti:"(.*)"', query.get("search_query", [""])[0])
        wanted = _fold(phrase.group(1)) if phrase else "\0"
        entries = [
            e
            for e in self.recordings.entries.values()
            if wanted in _fold(re.search(r"<title>(.*?)</title>", e, re.S).group(1))  # type: ignore[union-attr]
        ]
        return 200, atom, self.recordings.arxiv_feed(entries)

    def _crossref(self, path: str, query: dict[str, list[str]]) -> tuple[int, dict[str, str], bytes]:
        works = self.recordings.works
        if path.startswith("/works/"):
            doi = path[len("/works/") :].lower()
            if doi in works:
                item, name = works[doi]
                headers = {
                    "Content-Type": "application/json",
                    **self.recordings.crossref_headers.get(name, {}),
                }
                envelope = {
                    "status": "ok",
                    "message-type": "work",
                    "message-version": "1.0.0",
                    "message": item,
                }
                return 200, headers, json.dumps(envelope).encode("utf-8")
            headers = {
                "Content-Type": "text/plain",
                **self.recordings.crossref_headers["works-10.1371_notarealdoi.404.txt"],
            }
            return 404, headers, self.recordings.not_found
        headers = {
            "Content-Type": "application/json",
            **self.recordings.crossref_headers["works-query-ecology-rows2.json"],
        }
        rows = int(query.get("rows", ["20"])[0])
        if "filter" in query:
            dois = [f[len("doi:") :].lower() for f in query["filter"][0].split(",") if f.startswith("doi:")]
            items = [works[d][0] for d in dois if d in works]
        else:
            text = _fold(query.get("query.bibliographic", query.get("query.title", [""]))[0])
            titled = [(item, _fold(" ".join(item.get("title") or []))) for item, _ in works.values()]
            items = [item for item, title in titled if text and title and title in text]
        return 200, headers, self.recordings.crossref_list(items[:rows])

    def _dblp(self, path: str, query: dict[str, list[str]]) -> tuple[int, dict[str, str], bytes]:
        if path != "/search/publ/api":
            return 404, {"Content-Type": "text/plain"}, b"Not Found"  # no other DBLP body was recorded
        asked = _fold(query.get("q", [""])[0])
        body = self.recordings.dblp_searches.get(asked, self.recordings.dblp_zero_hits)
        return 200, {"Content-Type": "application/json"}, body


def _manifest_column(service: str, column: str) -> dict[str, str]:
    """One column of a MANIFEST.tsv, by file name."""
    rows = (RECORDED / service / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split("\t")
    cells = [dict(zip(header, row.split("\t"), strict=False)) for row in rows[1:]]
    return {row["file"]: row.get(column, "") for row in cells}


def _fold(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().casefold()
