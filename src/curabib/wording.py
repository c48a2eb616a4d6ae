"""Counts as people write them: "1 list", "2 lists", "1 entry", "3 entries", "2 matches"."""

from __future__ import annotations


def plural(noun: str) -> str:
    """The English plural of the nouns curabib counts (regular ones: no "child", no "datum")."""
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "o", "u", "i", ""):
        return noun[:-1] + "ies"
    return noun + "s"


def counted(n: int, noun: str) -> str:
    """`n` and the noun, plural unless `n` is 1."""
    return f"1 {noun}" if n == 1 else f"{n} {plural(noun)}"
