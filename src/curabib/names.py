"""Author names as lists and arXiv write them ("Colin Raffel", "Laurens van der Maaten", "Martin Luther
King Jr.", "BigScience Workshop", "张三") -> `Person`: family with particles, given, suffix, or literal."""

from __future__ import annotations

import functools
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
        "dei",
        "di",
        "du",
        "dos",
        "das",
        "le",
        "la",
        "ten",
        "ter",
        "zu",
        "vom",
        "zum",
        "y",
    ]
)
_SUFFIXES = re.compile(r"^(jr\.?|sr\.?|ii|iii|iv|v)$", re.I)
_ORGANISATION = re.compile(
    r"\b(team|workshop|group|lab|laboratory|consortium|institute|university|inc|ltd|corp|collaboration|"
    r"foundation|project|committee|contributors|developers|community|openai|deepmind|anthropic|google|meta|"
    r"microsoft|nvidia)\b",
    re.I,
)
_HAN = re.compile(r"^[\u3400-\u9fff]{2,4}$")
# Two-character Chinese family names; the rest are one character.
_COMPOUND_HAN = frozenset(
    [
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "令狐",
        "夏侯",
        "轩辕",
        "端木",
        "独孤",
    ]
)
_OTHER_CJK = re.compile(r"[\u3040-\u30ff\uac00-\ud7af\u3400-\u9fff]")


@functools.lru_cache(maxsize=1 << 16)  # the same authors recur across a list's works and sections
def split_name(name: str) -> Person:
    name = re.sub(r"\s+", " ", name).strip().strip(",")
    if name.startswith("{") and name.endswith("}") and name.count("{") == 1:
        # BibTeX's own way to say "one name, do not split": {European Commission}, {BigScience Workshop}.
        return Person(family=name[1:-1].strip(), literal=True)
    if not name or _ORGANISATION.search(name):
        return Person(family=name, literal=True)
    if _HAN.match(name):
        # Chinese order: family name first, no space.
        cut = 2 if name[:2] in _COMPOUND_HAN else 1
        return Person(family=name[:cut], given=name[cut:])
    if _OTHER_CJK.search(name):
        return Person(family=name, literal=True)
    if "," in name:
        return _comma_form(name)
    words = name.split(" ")
    suffix = None
    if len(words) > 2 and _SUFFIXES.match(words[-1]):
        suffix, words = words[-1], words[:-1]
    if len(words) == 1:
        return Person(family=words[0], suffix=suffix)
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    return Person(family=" ".join(words[start:]), given=" ".join(words[:start]), suffix=suffix)


def _comma_form(name: str) -> Person:
    """ "Last, First", "Last, Jr., First"."""
    parts = [p.strip() for p in name.split(",")]
    if len(parts) >= 3 and _SUFFIXES.match(parts[1]):
        return Person(family=parts[0], given=", ".join(parts[2:]) or None, suffix=parts[1])
    return Person(family=parts[0], given=", ".join(parts[1:]) or None)
