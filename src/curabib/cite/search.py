"""`curabib find`: works ranked by how well they match a few words, as a reader types them into a search
box (title words, author names, a year, a venue, an identifier, a key). Pure.

Every word must match somewhere (a search narrows); a word matching a key, an alias or an identifier
outright ranks its work first, then author names, title words and venue words. Ties are broken by year
(newest first) and key, so the order is the same on every run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from curabib.cite.catalogue import Catalogue
from curabib.data import venues
from curabib.matching import normalized_words
from curabib.model import Work

# How much one matching word is worth, by where it matched.
_EXACT_KEY, _AUTHOR, _TITLE, _VENUE, _YEAR, _PREFIX = 100, 6, 4, 3, 3, 1
_YEAR_WORD = re.compile(r"(?:19|20)\d\d")


@dataclass(frozen=True, slots=True)
class Hit:
    key: str
    score: int
    work: Work


def search(catalogue: Catalogue, text: str, limit: int | None = 20) -> list[Hit]:
    """The works matching every word of `text`, best first (at most `limit`)."""
    words = text.split()
    if not words:
        return []
    hits = []
    for key, work in catalogue.works.items():
        score = _score(catalogue, key, work, words)
        if score:
            hits.append(Hit(key, score, work))
    hits.sort(key=lambda h: (-h.score, -(h.work.year or 0), h.key))
    return hits if limit is None else hits[:limit]


def _score(catalogue: Catalogue, key: str, work: Work, words: list[str]) -> int:
    total = 0
    fields = None
    for word in words:
        if catalogue.resolve(word) == key:
            total += _EXACT_KEY
            continue
        fields = fields or _Fields.of(catalogue, key, work)
        score = fields.score(word)
        if not score:
            return 0
        total += score
    return total


@dataclass(frozen=True, slots=True)
class _Fields:
    keys: tuple[str, ...]
    authors: frozenset[str]
    title: frozenset[str]
    venue: frozenset[str]
    year: str

    @classmethod
    def of(cls, catalogue: Catalogue, key: str, work: Work) -> _Fields:
        container = work.published.container if work.published is not None else work.venue
        known = venues.find(container)
        venue_text = " ".join(filter(None, (container, known.short if known else None)))
        families = {w for person in work.authors for w in normalized_words(person.family)}
        return cls(
            keys=(key.lower(), *(a.lower() for a in catalogue.aliases_of(key))),
            authors=frozenset(families),
            title=frozenset(normalized_words(" ".join(filter(None, (work.title, work.label))))),
            venue=frozenset(normalized_words(venue_text)),
            year=str(work.year or ""),
        )

    def score(self, word: str) -> int:
        if _YEAR_WORD.fullmatch(word):
            return _YEAR if word == self.year else 0
        folded = list(normalized_words(word))
        if not folded:
            return 0
        best = 0
        for part in folded:  # "chain-of-thought" is three words, each must match
            found = _best(part, self)
            if not found:
                return 0
            best += found
        return best // len(folded) + (_PREFIX if any(k.startswith(word.lower()) for k in self.keys) else 0)


def _best(part: str, fields: _Fields) -> int:
    scores = [
        weight
        for words, weight in ((fields.authors, _AUTHOR), (fields.title, _TITLE), (fields.venue, _VENUE))
        if part in words
    ]
    if scores:
        return max(scores)
    prefixed = any(w.startswith(part) for w in _chain(fields)) if len(part) >= 3 else False
    return _PREFIX if prefixed else 0


def _chain(fields: _Fields) -> Iterator[str]:
    yield from fields.authors
    yield from fields.title
    yield from fields.venue
