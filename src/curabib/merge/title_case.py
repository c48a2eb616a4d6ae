"""Titles typed in capitals ("ELECTRA: PRE-TRAINING TEXT ENCODERS AS ...") are exported in title case.

Some lists, and now and then a fetched record, write a title in capitals. Exported as it is, it shouts in
every reference list, and no BibTeX or CSL style undoes that: styles change the case of words, but cannot
tell an acronym from a shouted word. So a title that shouts (by `curabib.casing.is_shouting`, the rule the
BibTeX exporter braces by) is recased here, before export, into title case:

* each word's first letter upper case, the rest lower case; each part of a hyphenated word too
  (PRE-TRAINING -> Pre-Training), but a contraction's ending stays lower case (MODEL'S -> Model's);
* `SMALL_WORDS` (a, and, of, the, ...) lower case, except as the title's first word, the first word after
  a colon, dash, question or exclamation mark, and the first part of a hyphenated word (In-Context);
* what the case rules protect keeps its letters: the work's own label (ELECTRA, FLAN) and the built-in
  terms of data/terms.yaml (LLaMA, RoBERTa), found ignoring case, in their own spelling; a word with a
  digit (T5, GPT3, 176B), a name numbered with a hyphen (COVID-19), a Roman numeral (II) and, in an
  arXiv title, TeX math (`$...$`) as written.

An acronym that is no known term becomes a plain word (an unknown "XYZNET" becomes "Xyznet"): that miss
is the price of not keeping every capital. A title that does not shout is returned as it is, and a
recased title is a fixed point, so normalize stays idempotent. Pure: no I/O.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from curabib import casing
from curabib.data.terms import builtin_terms

__all__ = ["SMALL_WORDS", "title_case"]

Span = tuple[int, int]

SMALL_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "off", "on"}
    | {"onto", "or", "over", "per", "the", "to", "upon", "via", "vs", "with"}
)
# Terms that, ignoring case, are also everyday words of paper titles: in a shouting title ZERO is far more
# often the number (ZERO-SHOT) than DeepSpeed's ZeRO, so it is not spelled as that term.
_EVERYDAY_WORDS = frozenset({"zero"})
# The endings of contractions and possessives: MODEL'S -> Model's, DON'T -> Don't (but O'REILLY -> O'Reilly).
_CONTRACTION_ENDINGS = frozenset({"s", "t", "d", "m", "ll", "re", "ve"})
_APOSTROPHES = frozenset("'’ʼ")
_HYPHENS = frozenset({"-", "‐", "‑"})
# Punctuation after which a new clause starts, whose first word is capitalised: "...: A Survey".
_CLAUSE_END = re.compile(r"[:?!–—]|\s-+\s")
_ROMAN_NUMERAL = re.compile(r"(?=[IVX]{2})X{0,3}(?:IX|IV|V?I{0,3})")
# Two capitals in a row (or letters without case): a word in capitals holds at least one such pair.
_CAPITAL_PAIRS = re.compile(r"[^\W\d_a-z]{2}")
# `$...$` in a title from arXiv, whose TeX math is kept (Work.math_title); "\$" is a dollar, not math.
_MATH = re.compile(r"(?<!\\)\$(?:\\.|[^$\\])+\$")


def title_case(title: str, label: str | None = None, *, math: bool = False) -> str:
    """`title` in title case if it shouts, else `title` itself. `label` is the work's own name (ELECTRA),
    spelled as the label where the title names it; `math` keeps a TeX title's `$...$` as written."""
    if len(_CAPITAL_PAIRS.findall(title)) < casing.MIN_SHOUTING_WORDS:
        return title  # most titles: too few capitals for three words in capitals
    math_spans = _math_spans(title, math)
    shape = _shape_outside(title, math_spans)
    words = [m.span() for m in casing.WORD.finditer(shape)]
    if not casing.is_shouting([shape[start:end] for start, end in words]):
        return title
    # Spans written as given: math as it is, then the label's and the terms' occurrences in their spelling.
    fixed = {span: title[span[0] : span[1]] for span in math_spans}
    fixed.update(_occurrences(title, shape, _label_spellings(label), taken=list(fixed)))
    fixed.update(_occurrences(title, shape, _term_spellings(), taken=list(fixed)))
    pieces = list(fixed.items())
    for i, (start, end) in enumerate(words):
        if not _overlaps_any((start, end), fixed):
            pieces.append(((start, end), _word(title, shape, words, i)))
    out: list[str] = []
    done = 0
    for (start, end), text in sorted(pieces):
        out += (title[done:start], text)
        done = end
    out.append(title[done:])
    return "".join(out)


def _word(title: str, shape: str, words: Sequence[Span], i: int) -> str:
    """Word `i` of a shouting title, cased by its letters and what stands between it and its neighbours."""
    start, end = words[i]
    word = title[start:end]
    numbered = (
        i + 1 < len(words)
        and title[end : words[i + 1][0]] in _HYPHENS
        and casing.DIGIT in shape[words[i + 1][0] : words[i + 1][1]]
    )
    if casing.DIGIT in shape[start:end] or numbered or _ROMAN_NUMERAL.fullmatch(word):
        return word  # T5, 176B, COVID(-19), II
    lower = word.lower()
    gap = title[words[i - 1][1] : start] if i else title[:start]
    if i and gap and not any(ch.isspace() for ch in gap):  # a later part: PRE-TRAINING, MODEL'S, AND/OR
        if set(gap) <= _APOSTROPHES and lower in _CONTRACTION_ENDINGS:
            return lower
        return lower if lower in SMALL_WORDS else _capitalised(word)
    if lower in SMALL_WORDS and i and not _CLAUSE_END.search(gap):
        followed_by_hyphen = i + 1 < len(words) and title[end : words[i + 1][0]] in _HYPHENS
        if not followed_by_hyphen:
            return lower
    return _capitalised(word)


def _capitalised(word: str) -> str:
    head = word[0].upper()
    # "ß".upper() is "SS": a first letter whose capital is longer stays, so that recasing is a fixed point.
    return (head if len(head) == 1 else word[0]) + word[1:].lower()


def _math_spans(title: str, math: bool) -> list[Span]:
    return [m.span() for m in _MATH.finditer(title)] if math and "$" in title else []


def _shape_outside(title: str, spans: Sequence[Span]) -> str:
    """The title's shape with the given spans blanked out, so that their letters make no word."""
    shape = casing.shape(title)
    for start, end in spans:
        shape = shape[:start] + casing.OTHER * (end - start) + shape[end:]
    return shape


# --- the label and the terms, found ignoring case -----------------------------------------------------

Spellings = tuple[re.Pattern[str], dict[str, str]]


def _label_spellings(label: str | None) -> Spellings | None:
    """The label as a name to keep: only a label with a capital (a lower-case one, usually a repository
    name, says nothing about case) that does not shout itself (or it would keep the title shouting)."""
    if not label or not label.strip():
        return None
    shape = casing.shape(label)
    if casing.UPPER not in shape or casing.is_shouting(casing.WORD.findall(shape)):
        return None
    return _spellings((" ".join(label.split()),))


@functools.cache
def _term_spellings() -> Spellings | None:
    terms = (" ".join(term.split()) for term in builtin_terms())
    return _spellings(tuple(t for t in terms if t and t.casefold() not in _EVERYDAY_WORDS))


def _spellings(phrases: tuple[str, ...]) -> Spellings | None:
    """A case-insensitive pattern for the phrases, longest first, and each one's spelling by its casefold
    (the first of two spellings wins: LLaMA before Llama in data/terms.yaml)."""
    spelling: dict[str, str] = {}
    for phrase in phrases:
        spelling.setdefault(phrase.casefold(), phrase)
    if not spelling:
        return None
    alternatives = sorted(spelling.values(), key=lambda p: (-len(p), p))
    return re.compile("|".join(map(re.escape, alternatives)), re.IGNORECASE), spelling


def _occurrences(title: str, shape: str, spellings: Spellings | None, taken: list[Span]) -> dict[Span, str]:
    """Whole-word occurrences of the phrases, overlapping nothing taken, each with its phrase's spelling."""
    found: dict[Span, str] = {}
    if spellings is None:
        return found
    pattern, spelling = spellings
    match = pattern.search(title)
    while match is not None:
        start, end = match.span()
        whole = _boundary(shape, start - 1, start) and _boundary(shape, end - 1, end)
        if whole and not _overlaps_any((start, end), [*taken, *found]):
            found[(start, end)] = spelling.get(match.group().casefold(), match.group())
            match = pattern.search(title, end)
        else:
            match = pattern.search(title, start + 1)
    return found


def _boundary(shape: str, left: int, right: int) -> bool:
    """Whether a word may end at `left` and another begin at `right` (as in export/latex.py)."""
    if left < 0 or right >= len(shape):
        return True
    return shape[left] == casing.OTHER or shape[right] == casing.OTHER


def _overlaps_any(span: Span, others: Iterable[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)
