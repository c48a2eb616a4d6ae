"""Author names as curators write them ("Colin Raffel", "Laurens van der Maaten") -> `Person`."""

from __future__ import annotations

import re

from curabib.model import Person

_PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "da",
        "del",
        "della",
        "di",
        "du",
        "dos",
        "le",
        "la",
        "ten",
        "ter",
        "zu",
    ]
)
_ORGANISATION = re.compile(
    r"\b(team|workshop|group|lab|laboratory|consortium|institute|university|inc|ltd|corp|"
    r"foundation|project|openai|deepmind|anthropic|google|meta|microsoft)\b",
    re.I,
)
_CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af]")


def split_name(name: str) -> Person:
    """Family name with its particles ("van der Maaten": Zotero drops a separate particle), given names."""
    name = re.sub(r"\s+", " ", name).strip()
    if _ORGANISATION.search(name) or _CJK.search(name) or not name:
        return Person(family=name, literal=True)
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return Person(family=family, given=given or None)
    words = name.split(" ")
    if len(words) == 1:
        return Person(family=words[0])
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    return Person(family=" ".join(words[start:]), given=" ".join(words[:start]))
