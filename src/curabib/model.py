"""Plain data that flows between the pipeline stages.

Curated data (what a list maintainer wrote) lives in `Item`s inside `Section`s of a `CuratedList`; one
YAML file in `entries/` holds one `CuratedList`. `build` turns items into `Work`s (one per citation key,
curated fields first, fetched metadata only where the curator wrote nothing) and exports those.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from curabib.ids import Identifier

LINK_KINDS = ("paper", "pdf", "code", "blog", "model", "dataset", "site")
WORK_KINDS = ("paper", "software", "blog", "model", "dataset", "webpage")


@dataclass(frozen=True, slots=True)
class Link:
    kind: str
    url: str
    text: str | None = None  # the link text when it says more than the kind ("GPT-2", "RedPajama")


@dataclass(frozen=True, slots=True)
class Item:
    """One work as curated in one section of one list. Frozen: a stage that changes an item returns a new
    one (`dataclasses.replace`), so the lists it was given still say what was read."""

    kind: str
    title: str | None = None
    label: str | None = None  # a short name the list uses for the work: model name, repo name
    authors: tuple[str, ...] = ()  # as written ("Colin Raffel"); `et_al` when the list cut the list short
    et_al: bool = False
    year: int | None = None
    venue: str | None = None  # the venue hint as written ("EMNLP findings", "Arxiv")
    links: tuple[Link, ...] = ()
    ids: tuple[Identifier, ...] = ()
    key: str | None = None
    key_provisional: bool = False
    aliases: tuple[str, ...] = ()
    note: str | None = None  # the curator's remark, e.g. why an identifier was corrected by hand
    # Facts the curator settled by hand ("year", "venue"): they win over every other evidence.
    pinned: tuple[str, ...] = ()
    line: int | None = None  # where the item starts in its YAML file (set by the loader, never written)
    source_line: int | None = None  # where import-md read it in the list's Markdown `source` (written)
    # The list it was read from (set by the loader, never written): findings and provenance name it.
    origin: str | None = field(default=None, compare=False)

    def identifier(self, kind: str) -> Identifier | None:
        return next((i for i in self.ids if i.kind == kind), None)

    @property
    def display_title(self) -> str | None:
        return self.title or self.label


@dataclass(slots=True)
class Section:
    heading: str
    items: list[Item] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def all_items(self) -> Iterator[Item]:
        """Own items first, then those of the subsections, in curated order."""
        yield from self.items
        for sub in self.sections:
            yield from sub.all_items()

    def map_items(self, change: Callable[[Item], Item]) -> Section:
        """A new section of the same headings with every item passed through `change`, in `all_items`
        order (a stage that numbers or keys items relies on it); this section is left as it is."""
        items = [change(item) for item in self.items]
        return Section(self.heading, items, [sub.map_items(change) for sub in self.sections])


@dataclass(slots=True)
class CuratedList:
    name: str
    title: str | None = None
    source: str | None = None
    source_url: str | None = None
    items: list[Item] = field(default_factory=list)  # items before the first heading
    sections: list[Section] = field(default_factory=list)
    # The file it was read from, as the user reaches it (set by the loader, never written).
    path: str | None = field(default=None, compare=False)

    @property
    def file(self) -> str:
        """Its entry file, as findings name it: where it was read from, else where it would be written."""
        return self.path or f"entries/{self.name}.yaml"

    def all_items(self) -> Iterator[Item]:
        yield from self.items
        for section in self.sections:
            yield from section.all_items()

    def map_items(self, change: Callable[[Item], Item]) -> CuratedList:
        """A new list with every item passed through `change`, in `all_items` order; this one is left as
        it is."""
        items = [change(item) for item in self.items]
        return replace(self, items=items, sections=[s.map_items(change) for s in self.sections])

    def walk_sections(self) -> Iterator[tuple[tuple[str, ...], Section]]:
        """Every section with its path of headings, parents before children."""
        stack: list[tuple[tuple[str, ...], Section]] = [((s.heading,), s) for s in self.sections]
        stack.reverse()
        while stack:
            path, section = stack.pop()
            yield path, section
            stack.extend(reversed([((*path, s.heading), s) for s in section.sections]))


class Person(NamedTuple):
    """A named tuple, not a dataclass: a name is hashed each time a cache looks it up (twice per author
    per work), and a tuple hashes in C."""

    family: str  # with its particles: "van der Maaten" (Zotero drops a separate particle)
    given: str | None = None
    literal: bool = False  # an organisation: exported as one unsplit name
    suffix: str | None = None  # "Jr.", "III"


@dataclass(frozen=True, slots=True)
class Published:
    """The published version of a work (a journal, proceedings or book): from Crossref or DBLP, or from what
    the list itself says (a venue hint, a proceedings link). Many ML venues have no DOI."""

    doi: str | None
    type: str  # Crossref's: journal-article, proceedings-article, book-chapter, ...
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    publisher: str | None = None
    year: int | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """One statement about when or where a work was published, and who made it: a curated item, or a
    fetched record or identifier. `merge/evidence.py` weighs them; `check` reports those that disagree."""

    kind: str  # a name of `merge.evidence.ORDER`: "proceedings link", "dated hint", "list year", ...
    year: int | None
    venue: str | None = None  # a known venue's short name, or the container a record names
    item: Item | None = None  # the curated item that says it
    record: str | None = (
        None  # the record or identifier that says it: "dblp:conf/iclr/X22", "arxiv:2109.01652"
    )
    month: int | None = None  # the first version's month, for an arXiv id or record


@dataclass(frozen=True, slots=True)
class Work:
    """What gets exported: one citable work, merged from every item that shares its key."""

    key: str
    kind: str
    title: str | None
    label: str | None
    authors: tuple[Person, ...]
    et_al: bool
    year: int | None
    venue: str | None
    url: str | None
    ids: tuple[Identifier, ...]
    aliases: tuple[str, ...] = ()
    published: Published | None = None
    arxiv_class: str | None = None  # primary category, from arXiv
    provisional: bool = False  # its key was derived before any author was known
    math_title: bool = False  # the title is arXiv's, whose $...$ is TeX math to keep
    provenance: tuple[tuple[str, str], ...] = ()  # field -> where its value came from
    evidence: tuple[Evidence, ...] = ()  # every statement weighed for its year and venue
    version: str | None = None  # a software release, as its CITATION.cff names it (GitHub)
    license: str | None = None  # its licence, an SPDX id when known ("Apache-2.0"), from GitHub
    cited_as: str | None = None  # the title its authors ask it to be cited by (a repository's CITATION.cff)

    def identifier(self, kind: str) -> Identifier | None:
        for ident in self.ids:  # a loop, not next(generator): called several times per work per format
            if ident.kind == kind and not ident.derived:
                return ident
        return None


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A finding about the input or a run (import, build, check, refresh): reported and counted, never
    silently dropped. It points at a file and line when one says where to fix it, else at a key or id."""

    level: str  # "error" | "warning" | "info"
    code: str  # the rule: "wrong-link", "unpinned-key", "fetched-title-conflict", ...
    message: str
    file: str | None = None  # relative to the project: "entries/x.yaml", or the imported "README.md"
    line: int | None = None
    subject: str | None = None  # a citation key or record id, when no file line says where
    # The Markdown line an entry was imported from (`check`): "README.md", 12. Annotations point there.
    markdown: str | None = None
    markdown_line: int | None = None

    @property
    def where(self) -> str:
        if self.file is None:
            return self.subject or ""
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where} ({self.markdown}:{self.markdown_line})" if self.markdown_place else where

    @property
    def markdown_place(self) -> bool:
        return self.markdown is not None and self.markdown_line is not None

    def sort_key(self) -> tuple[str, int, str, str, str, str]:
        """File, then line as a number (`:160` before `:1000`), then subject, level, code, message."""
        return (self.file or "", self.line or 0, self.subject or "", self.level, self.code, self.message)

    def __str__(self) -> str:
        return f"{self.where}: {self.level}: {self.message}"

    def lint_line(self) -> str:
        """The line `check` prints: with the rule's code, as linters do."""
        return f"{self.where}: {self.level}: {self.code}: {self.message}"

    def to_json(self) -> dict[str, str]:
        return {"where": self.where, "level": self.level, "code": self.code, "message": self.message}


# -- what a metadata source answered ------------------------------------------------------------------
FOUND, NOT_FOUND = "found", "not-found"
# A DOI registered minutes ago can answer 404 for a while: a miss is asked again sooner than a hit.
NOT_FOUND_TTL = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Record:
    source: str  # arxiv | crossref | crossref-search | arxiv-search
    id: str  # "arxiv:1706.03762", "doi:10.1145/3458754", "title:<normalized title>"
    status: str  # found | not-found
    fetched_at: str  # ISO 8601, UTC
    url: str  # the request that answered
    fields: Mapping[str, Any] = field(default_factory=dict)

    def age(self, now: datetime) -> timedelta:
        return now - datetime.fromisoformat(self.fetched_at)

    def is_fresh(self, now: datetime, max_age: timedelta) -> bool:
        limit = min(max_age, NOT_FOUND_TTL) if self.status == NOT_FOUND else max_age
        return self.age(now) < limit

    def to_json(self) -> str:
        data = {
            "source": self.source,
            "id": self.id,
            "status": self.status,
            "fetched_at": self.fetched_at,
            "url": self.url,
            "fields": self.fields,
        }
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
