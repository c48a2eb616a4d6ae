"""Venues, recognised from curated hints, Crossref container titles and arXiv journal references, by the
editable table in data/venues.yaml."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import yaml

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
# A year beside a venue in a hint: "ICLR 2022", "2022-iclr", "NeurIPS'20", "NeurIPS ’20".
_HINT_YEAR = re.compile(r"(?<![\d'’])(?P<full>(?:19|20)\d\d)(?!\d)|['’](?P<short>\d\d)(?!\d)")


@dataclass(frozen=True, slots=True)
class Venue:
    short: str
    long: str
    kind: str  # conference | journal | preprint
    patterns: tuple[re.Pattern[str], ...] = ()
    volumes: tuple[tuple[int, str], ...] = ()  # (year, proceedings volume)
    pmlr: bool = False  # its volumes are PMLR's
    month: int | None = None  # when it usually meets (a conference): how early a preprint may follow it

    def volume(self, year: int | None) -> str | None:
        return next((volume for when, volume in self.volumes if when == year), None)

    def year_of(self, volume: str) -> int | None:
        return next((when for when, number in self.volumes if number == volume), None)


@dataclass(frozen=True, slots=True)
class _Table:
    by_alias: dict[str, Venue]
    ordered: tuple[Venue, ...]
    by_anthology: dict[str, Venue]  # ACL Anthology venue code ("naacl", "N") -> venue
    by_pmlr_volume: dict[str, tuple[Venue, int]]  # "139" -> (ICML, 2021)


@functools.cache
def _table() -> _Table:
    text = resources.files("curabib").joinpath("data/venues.yaml").read_text(encoding="utf-8")
    table = _Table({}, (), {}, {})
    ordered = []
    for row in yaml.safe_load(text):
        venue = Venue(
            short=row["short"],
            long=row.get("long", row["short"]),
            kind=row["kind"],
            patterns=tuple(re.compile(p, re.I) for p in row.get("patterns", ())),
            volumes=tuple(
                sorted((int(year), str(volume)) for year, volume in row.get("volumes", {}).items())
            ),
            pmlr=bool(row.get("pmlr")),
            month=row.get("month"),
        )
        ordered.append(venue)
        for alias in (row["short"], *row.get("aliases", ())):
            table.by_alias.setdefault(_fold(alias), venue)
        for code in row.get("anthology", ()):
            table.by_anthology.setdefault(code, venue)
        for year, volume in venue.volumes if venue.pmlr else ():
            table.by_pmlr_volume.setdefault(volume, (venue, year))
    return _Table(table.by_alias, tuple(ordered), table.by_anthology, table.by_pmlr_volume)


def table() -> tuple[dict[str, Venue], tuple[Venue, ...]]:
    """Venues by folded alias, and all of them in the table's order."""
    return _table().by_alias, _table().ordered


def from_anthology(code: str) -> Venue | None:
    """The venue of an ACL Anthology code: "naacl" (2022.naacl-main.167), "N" (N19-1423)."""
    return _table().by_anthology.get(code)


def from_pmlr_volume(volume: str) -> tuple[Venue, int] | None:
    """The venue and year of a PMLR volume ("139": ICML 2021), when the table knows it."""
    return _table().by_pmlr_volume.get(volume)


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" .,").casefold()


@functools.lru_cache(maxsize=4096)  # a list repeats a few dozen hints over thousands of items
def recognise(hint: str | None) -> Venue | None:
    """The venue a curated hint such as "EMNLP findings 2021", "NeurIPS'20" or "NIPS" names, or None."""
    if not hint:
        return None
    return table()[0].get(_fold(_HINT_YEAR.sub(" ", hint).strip(" -_")))


def year_in_hint(hint: str | None) -> int | None:
    """The year a hint writes beside its venue: "ICLR 2022", "2022-iclr", "NeurIPS'20" (2020)."""
    found = _HINT_YEAR.search(hint) if hint else None
    if found is None:
        return None
    return int(found["full"]) if found["full"] else 2000 + int(found["short"])


@functools.lru_cache(maxsize=4096)
def find(text: str | None) -> Venue | None:
    """The venue a container title or journal reference names ("Advances in Neural Information ...")."""
    if not text:
        return None
    exact = recognise(text)
    if exact is not None:
        return exact
    return next((v for v in table()[1] if any(p.search(text) for p in v.patterns)), None)


def is_known(token: str) -> bool:
    return recognise(token) is not None
