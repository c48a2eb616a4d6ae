"""Normalize stage: small Work -> Work steps, applied in a fixed order; applying them twice changes nothing.

Titles lose Crossref's HTML/JATS/MathML markup and a trailing period and keep their capitalization as
published, unless typed in capitals: those are put in title case (merge/title_case.py); names are tidied;
venues take their canonical short or long name from data/venues.yaml; page ranges use `--`; URLs lose
tracking parameters; DOIs are lower-case without a resolver prefix.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from curabib.data import venues
from curabib.merge.title_case import title_case
from curabib.model import Person, Published, Work

_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(\s[^<>]*)?/?>")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-f]+|[a-z]+);", re.I)
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|mc_[ce]id|spm|ref_src|igshid|_hs\w+)$", re.I)


def text(value: str) -> str:
    """NFC, markup gone (`<i>x</i>`, `<jats:sub>2</jats:sub>`, `<mml:math>...`), one space between words."""
    if "<" in value or _ENTITY.search(value):
        value = html.unescape(_TAG.sub("", value))
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    return " ".join(value.split())


def title(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = text(value)
    # A trailing period is punctuation, not part of the title; "et al." and "..." stay.
    if cleaned.endswith(".") and not cleaned.endswith(("..", " al.")):
        cleaned = cleaned[:-1].rstrip()
    return cleaned or None


@functools.lru_cache(maxsize=1 << 16)  # the same authors recur across a list's works
def person(value: Person) -> Person:
    family = text(value.family)
    given = text(value.given) or None if value.given else None
    suffix = text(value.suffix) or None if value.suffix else None
    if (family, given, suffix) == (value.family, value.given, value.suffix):
        return value  # most names are clean already: no copy
    return Person(family=family, given=given, literal=value.literal, suffix=suffix)


def venue(value: str | None, style: str, hint: bool = False) -> str | None:
    """The canonical name of a known venue; an unknown one as written (a curated hint without its year)."""
    if not value:
        return None
    known = venues.find(value)
    if known is not None:
        return known.short if style == "short" else known.long
    if hint:
        value = re.sub(r"(?<!\d)(?:19|20)\d\d(?!\d)", " ", value)
    return text(value).strip(" ,.;:") or None


def pages(value: str | None) -> str | None:
    if not value:
        return None
    return re.sub(r"\s*[-‐‑‒–—]+\s*", "--", text(value))


def url(value: str | None) -> str | None:
    if not value:
        return None
    if "?" not in value:
        return value.strip()
    parts = urlsplit(value.strip())
    if not parts.query:
        return value.strip()
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    return urlunsplit(parts._replace(query=urlencode(kept)))


def doi(value: str) -> str:
    return re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", value.strip(), flags=re.I).lower()


Step = Callable[[Work, str], Work]


def _titles(work: Work, style: str) -> Work:
    cleaned, label = title(work.title), text(work.label) or None if work.label else None
    return work if (cleaned, label) == (work.title, work.label) else replace(work, title=cleaned, label=label)


def _title_case(work: Work, style: str) -> Work:
    """A title typed in capitals, curated or fetched, in title case; the entry files keep what they say."""
    if work.title is None:
        return work
    cased = title_case(work.title, work.label, math=work.math_title)
    return work if cased == work.title else replace(work, title=cased)


def _names(work: Work, style: str) -> Work:
    authors = tuple(person(p) for p in work.authors)
    return work if authors == work.authors else replace(work, authors=authors)


def _venues(work: Work, style: str) -> Work:
    published = work.published
    if published is not None:
        container = venue(published.container, style) if published.container else None
        cleaned = (container, pages(published.pages), doi(published.doi) if published.doi else None)
        if cleaned != (published.container, published.pages, published.doi):
            published = replace(published, container=cleaned[0], pages=cleaned[1], doi=cleaned[2])
    hint = venue(work.venue, style, hint=work.published is None)
    if (hint, published) == (work.venue, work.published):
        return work
    return replace(work, venue=hint, published=published)


def _urls(work: Work, style: str) -> Work:
    cleaned = url(work.url)
    return work if cleaned == work.url else replace(work, url=cleaned)


STEPS: tuple[Step, ...] = (_titles, _title_case, _names, _venues, _urls)


def normalize(work: Work, venue_style: str = "long") -> Work:
    for step in STEPS:
        work = step(work, venue_style)
    return work


__all__ = ["STEPS", "Published", "normalize"]
