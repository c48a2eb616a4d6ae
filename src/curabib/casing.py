"""Letter case as the title rules see it: each character's class, the words of a title, and whether it shouts.

Two stages ask whether a title is typed in capitals: merge/title_case.py recases such a title, and
export/latex.py braces fewer of its words. They must agree on what shouting is, so the rule lives here, once,
in a module that belongs to neither stage. Pure: no file, no network, no project data.

Each character's class is looked up once per distinct character and a text is read as a "shape" string,
one class letter per character, so word splitting and the case rules are plain regular expressions over
it instead of a Unicode lookup for every character of every title.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

__all__ = ["DIGIT", "LOWER", "MARK", "MIN_SHOUTING_WORDS", "OTHER", "UPPER", "WORD", "is_shouting", "shape"]

UPPER, LOWER, DIGIT, MARK, OTHER = "U", "l", "d", "m", "."
# A one- or two-word all-caps title ("RLHF", "BERT: NLP") is a name, not shouting.
MIN_SHOUTING_WORDS = 3


class _ShapeTable(dict[int, str]):
    """str.translate table: code point to its class, filled in as characters are first seen."""

    def __missing__(self, code: int) -> str:
        category = unicodedata.category(chr(code))
        if category in ("Lu", "Lt"):
            shape = UPPER
        elif category == "Ll":
            shape = LOWER
        elif category == "Nd":
            shape = DIGIT
        elif category.startswith("M"):
            shape = MARK
        else:
            # Uncased letters (CJK) are not word characters, so that "的LLaMA微调" yields the word "LLaMA".
            shape = OTHER
        self[code] = shape
        return shape


_SHAPES = _ShapeTable()
# A word is a run of cased letters, digits and combining marks; a mark continues a word, never starts one.
WORD = re.compile(f"[{UPPER}{LOWER}{DIGIT}][{UPPER}{LOWER}{DIGIT}{MARK}]*")


def shape(text: str) -> str:
    """One class letter per character of `text` (same length): UPPER, LOWER, DIGIT, MARK or OTHER."""
    return text.translate(_SHAPES)


def is_shouting(words: Sequence[str]) -> bool:
    """Whether words, given by their shapes, are a title typed in capitals: more than half of the words
    with two or more letters are all caps, and at least `MIN_SHOUTING_WORDS` of them."""
    alphabetic = [w for w in words if w.count(UPPER) + w.count(LOWER) >= 2]
    all_caps = [w for w in alphabetic if LOWER not in w]
    return len(all_caps) >= MIN_SHOUTING_WORDS and 2 * len(all_caps) > len(alphabetic)
