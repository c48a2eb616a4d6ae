"""Venue hints as curators write them, recognised from the editable table in data/venues.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True, slots=True)
class Venue:
    short: str
    kind: str  # conference | journal | preprint


@cache
def _table() -> dict[str, Venue]:
    text = resources.files("curabib").joinpath("data/venues.yaml").read_text(encoding="utf-8")
    table: dict[str, Venue] = {}
    for row in yaml.safe_load(text):
        venue = Venue(short=row["short"], kind=row["kind"])
        for alias in (row["short"], *row.get("aliases", ())):
            table[_fold(alias)] = venue
    return table


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" .,").casefold()


def recognise(hint: str | None) -> Venue | None:
    """The venue a hint such as "EMNLP findings" or "NIPS" names, or None when unknown."""
    if not hint:
        return None
    return _table().get(_fold(re.sub(r"(?<!\d)(?:19|20)\d\d(?!\d)", " ", hint)))


def is_known(token: str) -> bool:
    return recognise(token) is not None
