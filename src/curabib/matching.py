"""When two descriptions are the same work: title agreement for links, and the acceptance rule for searches.

Wrong matches are the top complaint about every peer tool, so the rule prefers a miss to a wrong hit:
a search result is accepted only with a near-identical title, the year within one, and a shared author
family name when both sides name authors. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from anyascii import anyascii
from rapidfuzz import fuzz

ACCEPT_TITLE = 0.95


_WORD = re.compile(r"[a-z0-9]+")


def normalized_title(title: str) -> str:
    """Case-folded, transliterated, punctuation gone: "BERT: Pre-training..." -> "bert pre training ..."."""
    return " ".join(normalized_words(title))


def normalized_words(title: str) -> list[str]:
    """The words of `normalized_title`: every run of letters and digits, stop words kept."""
    return _WORD.findall(anyascii(title).casefold())


def title_similarity(a: str, b: str) -> float:
    return float(fuzz.ratio(normalized_title(a), normalized_title(b))) / 100.0


def names_agree(a: str, b: str) -> bool:
    """Loose agreement, for names and titles that describe one work: one a prefix of the other
    ("C-Eval" and "C-Eval: A Multi-Level ..."), or the same words give or take a few."""
    x, y = normalized_title(a), normalized_title(b)
    if not x or not y or x.startswith(y) or y.startswith(x):
        return True
    return fuzz.token_sort_ratio(x, y) >= 85 or fuzz.token_set_ratio(x, y) >= 95


def family_names(names: Iterable[str]) -> set[str]:
    return {normalized_title(n.split()[-1]) for n in names if n.strip()}


@dataclass(frozen=True, slots=True)
class Verdict:
    accepted: bool
    score: float
    reason: str


def judge(
    title: str,
    year: int | None,
    families: set[str],
    candidate_title: str,
    candidate_year: int | None,
    candidate_families: set[str],
) -> Verdict:
    score = title_similarity(title, candidate_title)
    if score < ACCEPT_TITLE:
        return Verdict(False, score, f"title similarity {score:.2f} < {ACCEPT_TITLE}")
    if year is not None and candidate_year is not None and abs(year - candidate_year) > 1:
        return Verdict(False, score, f"year {candidate_year} is not within one of {year}")
    if families and candidate_families and not families & candidate_families:
        return Verdict(False, score, "no author family name in common")
    return Verdict(True, score, "title, year and authors agree")
