"""BibTeX field values that BibTeX, biber, pandoc, bibtexparser, pybtex and Better BibTeX read back exactly.

`escape` turns literal text into a braced BibTeX value; `protect_title` also braces the words whose case
must survive styles that lowercase titles. Both work on one normalised string: control characters
dropped, NFC, whitespace collapsed. Non-ASCII text stays UTF-8 because every target reads UTF-8 and
scripts such as CJK have no LaTeX spelling anyway.

Where the decoders disagree on a spelling, the one chosen is the one that bibtexparser's decoder
(pylatexenc) reads back exactly and that LaTeX typesets as the same glyph:

* ``^`` is ``\\textasciicircum{}``, which LaTeX, biber, pandoc and Better BibTeX's parser all read as ``^``
  (``\\string^`` breaks Better BibTeX's parser); pylatexenc alone decodes it to U+02C6, the same glyph.
* A brace without a partner is ``\\ensuremath{\\lbrace}`` / ``\\ensuremath{\\rbrace}``: BibTeX and pybtex
  count ``\\{`` as a group delimiter, so only braces that pair up can stay ``\\{ \\}``; pylatexenc does not
  know ``\\textbraceleft``.
* TeX ligatures (``--`` to an en dash, two quotes to a curly one, ``!``` to ``¡``, T1's ``<<`` to ``«``)
  are broken with ``\\/``: an empty group ``{}`` does not break ligatures in LuaTeX, and every decoder
  drops the italic correction.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence

from curabib import casing
from curabib.casing import DIGIT as _DIGIT
from curabib.casing import LOWER as _LOWER
from curabib.casing import MARK as _MARK
from curabib.casing import OTHER as _OTHER
from curabib.casing import UPPER as _UPPER
from curabib.data.terms import builtin_terms

__all__ = ["escape", "known_terms", "normalize_text", "protect_title"]

Span = tuple[int, int]

_ESCAPES = {
    "\\": r"\textbackslash{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_PAIRED_BRACES = {"{": r"\{", "}": r"\}"}
_LONE_BRACES = {"{": r"\ensuremath{\lbrace}", "}": r"\ensuremath{\rbrace}"}
_LIGATURES = frozenset({"--", "``", "''", "!`", "?`", "<<", ">>", ",,"})
_LIGATURE_BREAK = r"\/"
# Anything `_escape_pieces` would change: text without any of it is returned as it is.
_NEEDS_ESCAPING = re.compile(
    "|".join(re.escape(piece) for piece in sorted({*_ESCAPES, *_PAIRED_BRACES, *_LIGATURES}))
)
# Characters that are a LaTeX error or a comment inside math when unescaped.
_UNSAFE_IN_MATH = frozenset("%#&")
# Control symbols fit for math; others (\( \[ \= \') start math or accent text and confuse readers.
_MATH_CONTROL_SYMBOL = re.compile(r"\\(?![A-Za-z{}%#&_$|,;:! ])")


def normalize_text(text: str) -> str:
    """The text every function here works on: no control characters, NFC, single spaces, no ends."""
    if not text.isprintable():  # rare: only then look at each character
        text = "".join(ch for ch in text if ch.isspace() or not _is_control(ch))
    return " ".join(unicodedata.normalize("NFC", text).split())


def escape(text: str) -> str:
    """Literal text as the inside of a braced BibTeX value."""
    text = normalize_text(text)
    if not _NEEDS_ESCAPING.search(text):
        return text  # the common case: names, venues, plain titles need nothing
    return "".join(_escape_pieces(text))


def protect_title(title: str, terms: Iterable[str] = (), *, keep_math: bool = False) -> str:
    """`escape` plus braces around the words whose case a title-lowercasing style must keep."""
    text = normalize_text(title)
    math = _math_spans(text) if keep_math else []
    # Most titles need no escaping: their characters are their own pieces.
    pieces: Sequence[str] = (
        _escape_pieces(text, verbatim=math) if math or _NEEDS_ESCAPING.search(text) else text
    )
    vocabulary = _vocabulary(terms if isinstance(terms, frozenset) else frozenset(terms))
    words = _without_whole_title_group(text, _protected_spans(text, vocabulary, excluded=math))
    # Braces keep a style from lowercasing the letters of a formula ($O(N)$), unless it is the title.
    braced_math = [span for span in math if span != (0, len(text))]
    return _assemble(pieces, sorted(words + braced_math))


def known_terms(extra: Iterable[str] = ()) -> frozenset[str]:
    """The built-in terms whose case titles keep, with `extra` ones (curabib.yaml's `terms`), cleaned."""
    return _builtin_cleaned() | _clean_terms(extra)


# --- normalisation and escaping -------------------------------------------------------------------


def _is_control(ch: str) -> bool:
    # Surrogates cannot be written as UTF-8, so they go with the control characters.
    return unicodedata.category(ch) in ("Cc", "Cs")


def _escape_pieces(text: str, verbatim: Sequence[Span] = ()) -> list[str]:
    """One escaped piece per character, so braces can later go between any two characters."""
    kept = _positions(verbatim)
    paired = _paired_braces(text, kept)
    pieces = [ch if i in kept else _escape_char(ch, i in paired) for i, ch in enumerate(text)]
    for i in range(len(text) - 1):
        if text[i : i + 2] in _LIGATURES and i not in kept and i + 1 not in kept:
            pieces[i] += _LIGATURE_BREAK
    return pieces


def _escape_char(ch: str, paired: bool) -> str:
    if ch in _PAIRED_BRACES:
        return _PAIRED_BRACES[ch] if paired else _LONE_BRACES[ch]
    return _ESCAPES.get(ch, ch)


def _positions(spans: Sequence[Span]) -> frozenset[int]:
    return frozenset(i for start, end in spans for i in range(start, end))


def _paired_braces(text: str, skip: frozenset[int]) -> frozenset[int]:
    """Positions of the braces that close or are closed by another one, in order."""
    open_at: list[int] = []
    paired: set[int] = set()
    for i, ch in enumerate(text):
        if i in skip:
            continue
        if ch == "{":
            open_at.append(i)
        elif ch == "}" and open_at:
            paired.update((open_at.pop(), i))
    return frozenset(paired)


# --- math -----------------------------------------------------------------------------------------


def _math_spans(text: str) -> list[Span]:
    """`$...$` spans that can be kept verbatim; pandoc's rules tell math from a price ("$5 and $10")."""
    spans: list[Span] = []
    start = _next_dollar(text, 0)
    while start != -1:
        end = _next_dollar(text, start + 1)
        if end == -1:
            break
        if _is_inline_math(text, start, end):
            spans.append((start, end + 1))
            start = _next_dollar(text, end + 1)
        else:
            start = end
    return spans


def _next_dollar(text: str, start: int) -> int:
    i = text.find("$", start)
    while i > 0 and text[i - 1] == "\\":
        i = text.find("$", i + 1)
    return i


def _is_inline_math(text: str, start: int, end: int) -> bool:
    body = text[start + 1 : end]
    followed_by_digit = end + 1 < len(text) and text[end + 1].isdigit()
    padded = not body or body[0] == " " or body[-1] == " "
    return not padded and not followed_by_digit and _is_safe_math(body)


def _is_safe_math(body: str) -> bool:
    """Math that every reader and LaTeX take as it is: no comment, no stray braces under any count."""
    if "\\\\" in body or body.endswith("\\") or _MATH_CONTROL_SYMBOL.search(body):
        return False
    if _UNSAFE_IN_MATH & set(re.sub(r"\\[%#&]", "", body)):
        return False
    # BibTeX and pybtex count every brace; bibtexparser skips escaped ones. Both must balance.
    return _balanced(body) and _balanced(re.sub(r"\\[{}]", "", body))


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


# --- which words keep their case ------------------------------------------------------------------
#
# The title is read as a "shape" string (`curabib.casing`), one class letter per character, so word
# splitting and the case rules are plain regular expressions over it.

_shape = casing.shape
_WORD = casing.WORD
_CASED = re.compile(f"[{_UPPER}{_LOWER}]")
# A capital after the first cased letter: LLaMA, iPhone, ChatGPT, but not Language.
_CAPITAL_INSIDE = re.compile(f"[{_UPPER}{_LOWER}][^{_UPPER}]*{_UPPER}")
# What every word `_needs_protection` protects has: a cased letter and a digit (so a closest such pair,
# with only combining marks between them), or a capital after the word's first character.
_MAY_NEED_PROTECTION = re.compile(
    f"[{_UPPER}{_LOWER}]{_MARK}*{_DIGIT}"
    f"|{_DIGIT}{_MARK}*[{_UPPER}{_LOWER}]"
    f"|[{_UPPER}{_LOWER}{_DIGIT}{_MARK}]{_UPPER}"
)


def _protected_spans(text: str, terms: frozenset[str], excluded: Sequence[Span]) -> list[Span]:
    shape = _shape(text)
    # Most titles hold no term and no word the case rules protect: those are not split into words at all.
    _, others, any_first_word = _terms_by_first_word(terms)
    may_hold_terms = bool(others) or any_first_word.search(text) is not None
    may_need_rules = _MAY_NEED_PROTECTION.search(shape) is not None
    if not (may_hold_terms or may_need_rules):
        return []
    words = [m.span() for m in _WORD.finditer(shape)]
    term_spans = _term_spans(text, shape, words, terms, taken=list(excluded)) if may_hold_terms else []
    if not may_need_rules:
        return term_spans
    taken = term_spans + list(excluded)
    if excluded:
        words = [w for w in words if not _overlaps_any(w, excluded)]
    word_shapes = [shape[start:end] for start, end in words]
    shouting = casing.is_shouting(word_shapes)  # the rule merge/title_case.py recases titles by
    rule_spans = [
        span
        for span, word in zip(words, word_shapes, strict=True)
        if _needs_protection(word, shouting) and not _overlaps_any(span, taken)
    ]
    return term_spans + rule_spans


def _needs_protection(word: str, shouting: bool) -> bool:
    """Whether a word, given by its shape, must keep its case."""
    if not _CASED.search(word):
        return False
    if _DIGIT in word:
        return True  # T5, GPT3Mix, mT0, 176B
    if _LOWER in word:
        return _CAPITAL_INSIDE.search(word) is not None
    return word.count(_UPPER) >= 2 and not shouting  # BERT, NLP


def _term_spans(
    text: str, shape: str, words: Sequence[Span], terms: frozenset[str], taken: list[Span]
) -> list[Span]:
    """Whole-word, exact-case occurrences of the terms, longest term first, none overlapping."""
    found: list[Span] = []
    for term in _candidate_terms(text, words, terms):
        for span in _occurrences(text, shape, term):
            if not _overlaps_any(span, taken + found):
                found.append(span)
    return found


def _candidate_terms(text: str, words: Sequence[Span], terms: frozenset[str]) -> list[str]:
    """The terms that may occur in the title, longest first. A whole-word occurrence of a term that starts
    with a word starts at a word of the title equal to the term's first word, so only those terms (and
    the few that start otherwise) are searched for: a title has a few words, the vocabulary hundreds."""
    by_first_word, others, _ = _terms_by_first_word(terms)
    title_words = {text[start:end] for start, end in words}
    candidates = {term for word in title_words for term in by_first_word.get(word, ())}
    candidates.update(term for term in others if term in text)
    return sorted(candidates, key=_longest_first)


def _longest_first(term: str) -> tuple[int, str]:
    return (-len(term), term)


@functools.lru_cache(maxsize=16)
def _terms_by_first_word(
    terms: frozenset[str],
) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...], re.Pattern[str]]:
    """Terms by their first word, the terms that start otherwise, and a pattern that finds any first word."""
    by_first_word: dict[str, list[str]] = {}
    others = []
    for term in terms:
        first = _WORD.match(_shape(term))
        if first is None:
            others.append(term)
        else:
            by_first_word.setdefault(term[: first.end()], []).append(term)
    any_first_word = re.compile("|".join(map(re.escape, sorted(by_first_word))) or "(?!)")
    return {word: tuple(group) for word, group in by_first_word.items()}, tuple(others), any_first_word


def _occurrences(text: str, shape: str, term: str) -> list[Span]:
    spans: list[Span] = []
    i = text.find(term)
    while i != -1:
        end = i + len(term)
        if _word_boundary(shape, i - 1, i) and _word_boundary(shape, end - 1, end):
            spans.append((i, end))
        i = text.find(term, i + 1)
    return spans


def _word_boundary(shape: str, left: int, right: int) -> bool:
    if left < 0 or right >= len(shape):
        return True
    return shape[left] == _OTHER or shape[right] == _OTHER


def _overlaps_any(span: Span, others: Iterable[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)


# --- assembling -----------------------------------------------------------------------------------


def _without_whole_title_group(text: str, spans: list[Span]) -> list[Span]:
    """Never one group around a whole title of several words (the blanket protection users complain
    about): styles keep the first letter, so it may stay outside. A one-word title ("ChatGLM") is just
    a protected word and is braced as such."""
    if spans != [(0, len(text))] or not any(ch.isspace() for ch in text):
        return spans
    second = 1
    while second < len(text) and unicodedata.category(text[second]).startswith("M"):
        second += 1
    return [(second, len(text))] if second < len(text) else []


def _assemble(pieces: Sequence[str], spans: Sequence[Span]) -> str:
    if isinstance(pieces, str):  # unescaped text: cut it at the (sorted, disjoint) spans
        parts: list[str] = []
        done = 0
        for start, end in spans:
            parts += (pieces[done:start], "{", pieces[start:end], "}")
            done = end
        parts.append(pieces[done:])
        return "".join(parts)
    starts = {start for start, _ in spans}
    ends = {end for _, end in spans}
    out: list[str] = []
    for i, piece in enumerate(pieces):
        if i in starts:
            # "{\" would make BibTeX treat the group as one accented character and change its case.
            out.append("{{}" if piece.startswith("\\") else "{")
        out.append(piece)
        if i + 1 in ends:
            out.append("}")
    return "".join(out)


# --- terms ----------------------------------------------------------------------------------------


@functools.cache
def _builtin_cleaned() -> frozenset[str]:
    return _clean_terms(builtin_terms())


def _clean_terms(terms: Iterable[str]) -> frozenset[str]:
    return frozenset(t for t in map(normalize_text, terms) if t)


@functools.lru_cache(maxsize=16)
def _vocabulary(terms: frozenset[str]) -> frozenset[str]:
    """Built-in plus given terms, cleaned once: a build protects thousands of titles with the same list."""
    return _builtin_cleaned() | _clean_terms(terms)
