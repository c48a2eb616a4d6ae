"""The keys a paper cites, read from what LaTeX, biber and pandoc read them from. Pure: the project reads
the files (and the aux files an aux file includes) and gives their text here.

- BibTeX's `.aux`: `\\citation{a,b}` lines (`\\citation{*}` for `\\nocite{*}`), and `\\@input{chap.aux}`
  for the aux files of `\\include`d chapters;
- biber's `.bcf` (XML): `<bcf:citekey>` elements (`*` for `\\nocite{*}`);
- pandoc Markdown: `@key`, `[@key, p. 3; -@other]`, `@{key with.odd/chars}`, outside code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.etree import ElementTree

ALL = "*"  # \nocite{*}: every work


@dataclass(frozen=True)
class Cited:
    keys: tuple[str, ...]  # in order of first citation, each once; ALL when every work is cited
    inputs: tuple[str, ...] = field(default=())  # aux files this one includes (`\@input{...}`)


_CITATION = re.compile(r"\\citation\{([^}]*)\}")
_AUX_INPUT = re.compile(r"\\@input\{([^}]*)\}")


def from_aux(text: str) -> Cited:
    keys = [key.strip() for found in _CITATION.findall(text) for key in found.split(",")]
    inputs = tuple(dict.fromkeys(name.strip() for name in _AUX_INPUT.findall(text)))
    return Cited(_unique(keys), inputs)


class BadCitations(ValueError):
    """A file that is not what its option says (an unreadable .bcf)."""


def from_bcf(text: str) -> Cited:
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as err:
        raise BadCitations(f"not a biber control file (.bcf): XML error at line {err.position[0]}") from err
    keys = [str(el.text).strip() for el in root.iter() if el.tag.endswith("}citekey") and el.text]
    return Cited(_unique(keys))


# Pandoc's citation syntax: an @ not preceded by a word character (so not an e-mail address), an optional
# author-suppressing "-", then a key starting with a letter, digit or "_" whose internal punctuation is one
# of :.#$%&-+?<>~/ (a trailing one belongs to the sentence), or any key in braces.
_PANDOC_KEY = re.compile(r"(?<![\w@])-?@(?:\{([^{}]+)\}|([\w](?:[\w:.#$%&\-+?<>~/]*[\w])?))")
_FENCED = re.compile(r"^(```|~~~).*?^\1\s*$", re.M | re.S)
_INLINE_CODE = re.compile(r"(`+).+?\1", re.S)


def from_markdown(text: str) -> Cited:
    prose = _INLINE_CODE.sub(" ", _FENCED.sub(" ", text))
    keys = [braced or bare for braced, bare in _PANDOC_KEY.findall(prose)]
    return Cited(_unique(keys))


def from_list(text: str) -> Cited:
    """`--keys a,b c`: commas or spaces between keys."""
    return Cited(_unique(re.split(r"[,\s]+", text)))


def _unique(keys: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(key for key in keys if key))
