"""Venues, recognised from curated hints, Crossref container titles and arXiv journal references, by the
editable table in data/venues.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


@dataclass(frozen=True, slots=True)
class Venue:
    short: str
    long: str
    kind: str  # conference | journal | preprint
    patterns: tuple[re.Pattern[str], ...] = ()


@cache
def table() -> tuple[dict[str, Venue], tuple[Venue, ...]]:
    text = resources.files("curabib").joinpath("data/venues.yaml").read_text(encoding="utf-8")
    by_alias: dict[str, Venue] = {}
    ordered = []
    for row in yaml.safe_load(text):
        venue = Venue(
            short=row["short"],
            long=row.get("long", row["short"]),
            kind=row["kind"],
            patterns=tuple(re.compile(p, re.I) for p in row.get("patterns", ())),
        )
        ordered.append(venue)
        for alias in (row["short"], *row.get("aliases", ())):
            by_alias.setdefault(_fold(alias), venue)
    return by_alias, tuple(ordered)


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" .,").casefold()


def recognise(hint: str | None) -> Venue | None:
    """The venue a curated hint such as "EMNLP findings 2021" or "NIPS" names, or None when unknown."""
    if not hint:
        return None
    return table()[0].get(_fold(_YEAR.sub(" ", hint)))


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
