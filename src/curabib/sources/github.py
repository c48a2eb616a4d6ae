"""GitHub as a metadata source: a repository cited the way its authors ask.

For each item whose own identifier is a GitHub repository (no paper identifier beside it), the client
asks the REST API for the repository, then its CITATION.cff and, when there is none, its README. The
citation is taken, in this order, from: CITATION.cff (its `preferred-citation` when present, often the
paper, else the software entry itself); the README's BibTeX block that names this repository, or its
only block; else the repository itself (its owner as one name, its creation year, its name). Never
from another repository's file, never guessed among several blocks.

Pure: the client (`fetch/clients/github.py`) sends the requests and reads the YAML of a CITATION.cff
into plain data; here, that data and the README's text become a `Record` (the file's citation is read
by `github_cff.py`, the README's by `github_readme.py`). A request carries the stored record, so that
the client can send its ETags (`If-None-Match`) and a 304 keeps what was stored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from curabib.ids import PAPER_KINDS, Identifier, identifiers_in_url
from curabib.model import FOUND, NOT_FOUND, Item, Person, Published, Record
from curabib.sources.github_cff import CFF_KEYS, four_digit_year, from_cff, usable_cff
from curabib.sources.github_readme import bibtex_blocks, chosen_block
from curabib.sources.protocol import Answer, Found, RefreshOptions, Request, Source, stale, unique

DEFAULT_URL = "https://api.github.com"
SPACING = 1.0  # seconds between requests: GitHub asks for serial requests, well below its limits
UNCHANGED = "unchanged"  # what the client answers for a 304: the stored part stays as it is
CITATION_FILE = "CITATION.cff"
README = "README"
# The repository's fields kept in the store (besides `owner`, read from its object).
REPOSITORY_FIELDS = (
    "full_name",
    "name",
    "description",
    "created_at",
    "default_branch",
    "homepage",
    "archived",
    "html_url",
)
# CFF reference types, and BibTeX entry types, that are a published version, as Crossref names them.
_PUBLISHED = {
    "article": "journal-article",
    "conference-paper": "proceedings-article",
    "proceedings": "proceedings-article",
    "inproceedings": "proceedings-article",
    "conference": "proceedings-article",
    "book": "book",
    "incollection": "book-chapter",
    "report": "report",
    "techreport": "report",
    "thesis": "dissertation",
    "phdthesis": "dissertation",
}


@dataclass(frozen=True)
class GithubRequest(Request):
    """One repository's requests; `previous` is its stored record's fields (their ETags, what a 304 keeps)."""

    previous: Mapping[str, Any] | None = None


class Github(Source):
    name = "github"
    label = "GitHub"
    stores = ("github",)
    resolves = frozenset({"github"})
    default_url = DEFAULT_URL
    # Below the paper sources (arXiv 10): a paper that is also a repository's is described by its paper.
    rank = 5
    supplies = frozenset({"title", "year", "authors", "ids", "published", "version", "license", "cited_as"})
    client = "curabib.fetch.clients.github"

    def plan(
        self, items: Sequence[Item], records: Mapping[str, Record], options: RefreshOptions, now: datetime
    ) -> list[Request]:
        endpoint = options.endpoint(self)
        requests: list[Request] = []
        for value in unique(repo for item in items if (repo := repository(item)) is not None):
            ident = f"github:{value}"
            if not stale(records, "github", ident, options, now):
                continue
            stored = records.get(f"github|{ident}")
            previous = stored.fields if stored is not None and stored.status == FOUND else None
            requests.append(
                GithubRequest(
                    self.name,
                    "github",
                    (ident,),
                    repository_url(endpoint, value),
                    f"GitHub: {value} (the repository, its {CITATION_FILE}, and its README without one)",
                    endpoint,
                    previous=previous,
                )
            )
        return requests

    def records(self, request: Request, answer: Answer, now: datetime) -> list[Record]:
        assert isinstance(answer, Mapping)
        previous = request.previous if isinstance(request, GithubRequest) else None
        out = []
        for value, got in answer.items():
            ident = f"github:{value}"
            if got is None:
                out.append(Record(self.name, ident, NOT_FOUND, now.isoformat(), request.url, {}))
                continue
            unchanged = got.get("repository") == UNCHANGED
            fields = dict(previous or {}) if unchanged else _fields(value, got, previous)
            out.append(Record(self.name, ident, FOUND, now.isoformat(), request.url, fields))
        return out

    def candidates(self, items: Sequence[Item], found: Found, chosen: Mapping[str, Record]) -> list[str]:
        return unique(f"github:{i.value}" for item in items for i in item.ids if i.kind == "github")

    def supply(self, record: Record, prefer: str) -> dict[str, Any]:
        cited = record.fields.get("citation") or {}
        return {
            "title": cited.get("title"),
            "year": cited.get("year"),
            "authors": tuple(_person(a) for a in cited.get("authors") or ()),
            "ids": tuple(_identifiers(cited)),
            "published": _published(cited),
            "version": cited.get("version"),
            "license": cited.get("license") or (record.fields.get("repository") or {}).get("license"),
            # The title the authors ask to be cited by, whatever title the list gave the repository: dedupe
            # joins a repository cited as a paper with that paper by it.
            "cited_as": cited.get("title"),
        }


def repository(item: Item) -> str | None:
    """The repository an item IS (owner/repo), or None: a paper's identifier says which work it is."""
    if any(i.kind in PAPER_KINDS and not i.derived for i in item.ids):
        return None
    return next((i.value for i in item.ids if i.kind == "github" and not i.derived), None)


def repository_url(endpoint: str, full_name: str) -> str:
    return f"{endpoint.rstrip('/')}/repos/{full_name}"


def file_url(endpoint: str, full_name: str, file: str) -> str:
    """The request for a file's bytes: CITATION.cff through the contents API, the README through its own."""
    base = repository_url(endpoint, full_name)
    return f"{base}/contents/{CITATION_FILE}" if file == CITATION_FILE else f"{base}/readme"


# -- the record ---------------------------------------------------------------------------------------
def _fields(value: str, got: Mapping[str, Any], previous: Mapping[str, Any] | None) -> dict[str, Any]:
    """The stored fields of one answer: the repository, the files as read, and the citation they give."""
    previous = previous or {}
    repo = dict(got.get("repository") or {})
    if str(repo.get("full_name") or value).lower() != value:
        repo["renamed_from"] = value  # GitHub redirected the request: the repository was renamed or moved
    fields: dict[str, Any] = {"repository": repo, "etags": dict(got.get("etags") or {})}
    cff = got.get("citation_cff")
    if cff == UNCHANGED:
        cff = previous.get("citation_cff")
    elif isinstance(cff, Mapping):
        cff = {key: cff[key] for key in CFF_KEYS if key in cff}
    readme = got.get("readme")
    blocks = previous.get("readme_bibtex") if readme == UNCHANGED else bibtex_blocks(readme or "")
    if cff is not None:
        fields["citation_cff"] = cff
    if readme is not None:
        fields["readme_bibtex"] = blocks
    problems: list[str] = [str(p) for p in got.get("problems") or ()]
    cited, cited_from = _citation(repo, cff, blocks, problems)
    fields.update(citation=cited, cited_from=cited_from)
    if problems:
        fields["problems"] = problems
    return fields


def _citation(
    repo: Mapping[str, Any], cff: Any, blocks: Any, problems: list[str]
) -> tuple[dict[str, Any], str]:
    """The citation the authors ask for, and where it was read; `problems` gets what could not be used."""
    if cff is not None:
        if usable_cff(cff):
            preferred = cff.get("preferred-citation")
            if isinstance(preferred, Mapping) and usable_cff(preferred):
                return from_cff(preferred, cff), f"{CITATION_FILE} preferred-citation"
            return from_cff(cff, cff), CITATION_FILE
        problems.append(f"{CITATION_FILE} has no title or no authors: not used")
    if blocks:
        chosen = chosen_block(blocks, repo)
        if chosen is not None:
            return chosen, "README BibTeX"
        problems.append(
            f"the README has {len(blocks)} BibTeX blocks and none names this repository: none used"
        )
    return _from_repository(repo), "repository"


def _from_repository(repo: Mapping[str, Any]) -> dict[str, Any]:
    """The repository itself: its owner as one name, the year it was created, its name."""
    owner = repo.get("owner") or {}
    cited = {
        "type": "software",
        "title": repo.get("name"),
        "authors": [{"literal": owner["login"]}] if owner.get("login") else [],
        "year": four_digit_year(str(repo.get("created_at") or "")[:4]),
        "url": repo.get("html_url"),
    }
    return {k: v for k, v in cited.items() if v not in (None, "", [])}


# -- what the merge takes -----------------------------------------------------------------------------
def _person(author: Mapping[str, str]) -> Person:
    if "literal" in author:
        return Person(family=author["literal"], literal=True)
    return Person(family=author["family"], given=author.get("given"), suffix=author.get("suffix"))


def _identifiers(cited: Mapping[str, Any]) -> list[Identifier]:
    found = [Identifier("doi", cited["doi"])] if cited.get("doi") else []
    if cited.get("arxiv"):
        found += [i for i in identifiers_in_url(f"https://arxiv.org/abs/{cited['arxiv']}") if not i.derived]
    if cited.get("url"):
        found += [i for i in identifiers_in_url(str(cited["url"])) if not i.derived and i.kind != "github"]
    return list({i.kind: i for i in reversed(found)}.values())[::-1]  # one of each kind, the first given


def _published(cited: Mapping[str, Any]) -> Published | None:
    """A published version, when the citation is a paper in a journal, proceedings or book."""
    kind = _PUBLISHED.get(str(cited.get("type")))
    if kind is None or (kind in ("journal-article", "proceedings-article") and not cited.get("container")):
        return None
    return Published(
        doi=cited.get("doi"),
        type=kind,
        container=cited.get("container"),
        volume=cited.get("volume"),
        issue=cited.get("issue"),
        pages=cited.get("pages"),
        publisher=cited.get("publisher"),
        year=cited.get("year"),
    )


SOURCE = Github()
