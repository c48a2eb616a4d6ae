"""GitHub's REST API as the recorded server answers it (`recorded_server.py` routes `/github/...` here).

Repository answers are PyGithub's recordings (tests/fixtures/recorded/github/pygithub, its ReplayData files
copied whole): status, headers and body as GitHub sent them, served at the path they were recorded for
(a 304 when the request's If-None-Match is the recorded ETag and a 304 was recorded). Files are the real
CITATION.cff and README.md of real repositories (files/<owner>/<repo>/; a README kept as README.md.txt, so
that no formatter of Markdown touches it), served as the raw media type
serves them: the file's bytes. A repository whose files are here but whose `GET /repos` answer was never
recorded is answered with only what the request itself names (its owner and name), nothing else; see
MANIFEST.tsv. Anything else is the recorded 404.
"""

from __future__ import annotations

import ast
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

RECORDED = Path(__file__).resolve().parent / "fixtures" / "recorded" / "github"
# The response headers a client reads; the rest of a recording (CSP, cookies, dates) is left out.
_KEPT_HEADERS = ("content-type", "etag", "location", "retry-after", "x-ratelimit-")
Answer = tuple[int, dict[str, str], bytes]


@dataclass(frozen=True)
class Replay:
    """One recorded exchange of a PyGithub ReplayData file."""

    path: str
    request_headers: dict[str, str]
    status: int
    headers: dict[str, str]
    body: bytes


def replays(name: str) -> list[Replay]:
    """The exchanges of a ReplayData file: 10 lines each (protocol, method, host, port, path, request
    headers, request body, status, response headers, response body), a blank line between them."""
    lines = (RECORDED / "pygithub" / name).read_text(encoding="utf-8").split("\n")
    out = []
    for start in range(0, len(lines) - 9, 11):
        block = lines[start : start + 10]
        headers = {str(k).lower(): str(v) for k, v in ast.literal_eval(block[8])}
        out.append(
            Replay(
                path=block[4],
                request_headers=dict(ast.literal_eval(block[5])),
                status=int(block[7]),
                headers={k: v for k, v in headers.items() if k.startswith(_KEPT_HEADERS)},
                body=block[9].encode("utf-8"),
            )
        )
    return out


class GithubRecordings:
    def __init__(self) -> None:
        self.repositories: dict[str, Replay] = {}  # path, lower-cased -> its recorded 200 or 301
        self.unchanged: dict[str, Replay] = {}  # path, lower-cased -> its recorded 304
        for path in sorted((RECORDED / "pygithub").glob("*.txt")):
            for replay in replays(path.name):
                if replay.path.startswith(("/repos/", "/repositories/")):
                    table = self.unchanged if replay.status == 304 else self.repositories
                    table.setdefault(replay.path.lower(), replay)
        self.not_found = next(r for r in replays("Exceptions.testUnknownObject.txt") if r.status == 404)
        rate = replays("SpecificExceptions.testRateLimitExceeded.txt")
        self.rate_limited = next(r for r in rate if r.status == 403)
        secondary = replays("SpecificExceptions.testAuthenticatedRateLimitExceeded.403.txt")
        self.secondary = secondary[0]
        self.files = {
            str(path.relative_to(RECORDED / "files")).lower(): path.read_bytes()
            for path in sorted((RECORDED / "files").glob("*/*/*"))
        }

    def answer(self, path: str, if_none_match: str | None, base: str) -> Answer:
        key = path.lower().rstrip("/")
        parts = key.split("/")
        if (len(parts) == 4 and parts[1] == "repos") or key.startswith("/repositories/"):
            return self._repository(key, parts, if_none_match, base)
        if len(parts) == 6 and parts[4] == "contents" and parts[5] == "citation.cff":
            return self._file(f"{parts[2]}/{parts[3]}/citation.cff", if_none_match)
        if len(parts) == 5 and parts[4] == "readme":
            return self._file(f"{parts[2]}/{parts[3]}/readme.md.txt", if_none_match)
        return self._recorded(self.not_found)

    def _repository(self, key: str, parts: list[str], if_none_match: str | None, base: str) -> Answer:
        recorded = self.repositories.get(key)
        if recorded is not None:
            unchanged = self.unchanged.get(key)
            if unchanged is not None and if_none_match == recorded.headers.get("etag"):
                return self._recorded(unchanged)
            status, headers, body = self._recorded(recorded)
            if "location" in headers:  # a rename: the recorded redirect, to this server
                headers["location"] = headers["location"].replace("https://api.github.com", base)
            return status, headers, body
        owner, name = [*parts, "", ""][2:4]
        if owner and name and any(file.startswith(f"{owner}/{name}/") for file in self.files):
            # Only what the request names: no recorded answer says more of this repository.
            echo = {"name": name, "full_name": f"{owner}/{name}", "owner": {"login": owner}}
            return self._made(json.dumps(echo).encode(), "application/json; charset=utf-8", if_none_match)
        return self._recorded(self.not_found)

    def _file(self, key: str, if_none_match: str | None) -> Answer:
        found = self.files.get(key)
        if found is None:
            return self._recorded(self.not_found)
        return self._made(found, "application/vnd.github.raw; charset=utf-8", if_none_match)

    def _made(self, body: bytes, content_type: str, if_none_match: str | None) -> Answer:
        """An answer for bytes no recording framed: the server's own ETag (a hash of the body)."""
        etag = f'W/"{hashlib.sha256(body).hexdigest()}"'
        if if_none_match == etag:
            return 304, {"etag": etag}, b""
        return 200, {"content-type": content_type, "etag": etag}, body

    @staticmethod
    def _recorded(replay: Replay) -> Answer:
        return replay.status, dict(replay.headers), replay.body
