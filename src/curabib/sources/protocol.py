"""What a metadata source is: the pure declaration every source module implements. Its client, the I/O
half, is `fetch/connection.py`'s `Client`, reached through `Source.client`.

A source declares its name, the store sources it records under, which merged fields it supplies and with
what rank, and, as pure functions of the items and the store: the requests it would send, how an answer
becomes `Record`s, and which stored records belong to a work. Its client lives in another module, named by
`Source.client` and imported only by `refresh` and `add`, so `build`, `check` and `--help` never load an
HTTP library.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from curabib.matching import normalized_title
from curabib.model import FOUND, Item, Record

# One answer: identifier value -> its fields (None: not found) for a lookup, the candidates for a search.
Answer = Mapping[str, Mapping[str, Any] | None] | Sequence[Mapping[str, Any]]
Found = Callable[[str, str], Record | None]  # (store source, record id) -> the record, when found


@dataclass(frozen=True)
class RefreshOptions:
    sources: frozenset[str] | None = None  # registry names to ask; None: every registered source
    max_age: timedelta = timedelta(days=30)
    force: bool = False
    endpoints: Mapping[str, str] = field(default_factory=dict)  # source name -> base URL (a mirror, a test)

    def asks(self, source: Source) -> bool:
        return self.sources is None or source.name in self.sources

    def endpoint(self, source: Source) -> str:
        return self.endpoints.get(source.name) or source.default_url


@dataclass(frozen=True)
class Request:
    """One request a source would send: exactly one line of `refresh --dry-run`."""

    source: str  # the registry name of the source that sends it
    store: str  # the store source its answers are recorded under ("arxiv", "arxiv-search")
    ids: tuple[str, ...]  # the store ids asked about: "arxiv:1706.03762", ..., or a search's keys
    url: str  # the request as sent, recorded with every answer
    line: str  # what --dry-run prints
    endpoint: str = ""  # the base URL, so that a batch can be split into smaller requests
    query: str = ""  # a search's text
    items: tuple[Item, ...] = ()  # a search's items, one per key in `ids`: what candidates are judged by

    @property
    def search(self) -> bool:
        return bool(self.items)

    @property
    def values(self) -> list[str]:
        """The identifiers without their kind prefix, as the API wants them."""
        return [i.split(":", 1)[1] for i in self.ids]


class Source(ABC):
    """The pure declaration of one metadata source; register an instance in `curabib.sources.REGISTRY`."""

    name: str  # the `--source` choice, the store source of its lookups, the provenance name in bib/
    label: str  # how summaries name it ("arXiv")
    stores: tuple[str, ...]  # every store source it records under
    # Identifier kinds it looks up: an id's record is stored under `name` as "<kind>:<value>".
    resolves: frozenset[str] = frozenset()
    search_stores: tuple[str, ...] = ()  # stores of its title searches (records with a `match`)
    asks_by_title: bool = False  # `add` asks it once the added work's title is known (DBLP)
    # Its base URL: `default_url`, unless curabib.yaml sets `setting` or the environment `environment`.
    default_url: str
    # Merge precedence among sources: the higher rank wins a field both supply (a published version, 20,
    # over a preprint, 10). Curated fields outrank every source; curated venue hints rank below them all.
    rank: int
    supplies: frozenset[str]  # merged fields `supply` may give: title, year, venue, authors, ids, ...
    tex_titles: bool = False  # its titles may hold TeX math, which export must keep
    # The module of its client, exposing `connect(Connection) -> Client`: named, not imported, so that
    # the declaration (which `build` reads) never loads an HTTP library; `fetch.connect` imports it.
    client: str

    @abstractmethod
    def plan(
        self, items: Sequence[Item], records: Mapping[str, Record], options: RefreshOptions, now: datetime
    ) -> list[Request]:
        """The requests this source would send now for `items`, given the store (pure, deduplicated)."""

    @abstractmethod
    def records(self, request: Request, answer: Answer, now: datetime) -> list[Record]:
        """The records an answer makes (pure); a search's own record comes last."""

    @abstractmethod
    def candidates(self, items: Sequence[Item], found: Found, chosen: Mapping[str, Record]) -> list[str]:
        """Record ids (in the source's main store) that may describe the work of `items`, best first;
        `chosen` holds the records already picked from the sources registered before this one."""

    @abstractmethod
    def supply(self, record: Record, prefer: str) -> dict[str, Any]:
        """The merged fields this record gives (pure); `prefer` is `published` or `preprint`."""

    @property
    def setting(self) -> str:
        """Its base URL's key in curabib.yaml: `<name>_url`."""
        return f"{self.name}_url"

    @property
    def environment(self) -> str:
        """The environment variable that overrides its base URL: `CURABIB_<NAME>_URL`."""
        return f"CURABIB_{self.name.upper().replace('-', '_')}_URL"

    def split(self, request: Request) -> list[Request]:
        """Smaller requests that ask the same, for finding the id that spoils a batch."""
        return [request]

    def is_published(self, record: Record) -> bool:
        """Whether a found record is a published version of a work (reported as such by `refresh`)."""
        return False


# -- helpers the sources share (pure) ------------------------------------------------------------------
def search_key(item: Item) -> str | None:
    """The store id of a title search for an item: its normalized title and year."""
    if not item.title:
        return None
    return f"title:{normalized_title(item.title)}|{item.year or ''}"


def stale(
    records: Mapping[str, Record], store: str, ident: str, options: RefreshOptions, now: datetime
) -> bool:
    """Whether a record is worth asking about again: missing, forced, or older than the limit."""
    record = records.get(f"{store}|{ident}")
    return options.force or record is None or not record.is_fresh(now, options.max_age)


def found_in(records: Mapping[str, Record]) -> Found:
    def found(store: str, ident: str) -> Record | None:
        record = records.get(f"{store}|{ident}")
        return record if record is not None and record.status == FOUND else None

    return found


def unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def chunks(values: Sequence[str], size: int) -> list[list[str]]:
    return [list(values[i : i + size]) for i in range(0, len(values), size)]


def title_only(items: Sequence[Item]) -> list[Item]:
    """Papers with a title and neither an arXiv id nor a DOI of their own: found by title search."""
    return [
        item
        for item in items
        if item.kind == "paper"
        and item.title
        and not any(not i.derived and i.kind in ("arxiv", "doi") for i in item.ids)
    ]


def person_name(author: Any) -> str:
    """An author as records store it: Crossref's {family, given} or {literal}, arXiv's full name."""
    if isinstance(author, dict):
        return str(author.get("family") or author.get("literal") or "")
    return str(author)
