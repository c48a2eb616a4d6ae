"""BibTeX / biblatex export, laid out as bibtexparser's writer lays it out.

Accepted by BibTeX, biber, bibtexparser and pybtex: specials escaped in every field but url/doi, case kept
with per-word braces, arXiv preprints as `eprinttype = {arxiv}` + `eprint` (the one form BibTeX styles,
biber, pandoc and Zotero's BibTeX import all keep; biber warns when archivePrefix/primaryClass are also
present), and non-paper works as @misc with howpublished + url (@software/@online make BibTeX styles warn),
with the biblatex types under `--dialect biblatex`. Entry types come from the one table in `types.py`.
A paper with a known venue is @inproceedings/@article even before its authors are known (`_typed`), and
an entry without authors gets a short `key` (`sort_label`), the label BibTeX styles cite it by.

Entries are formatted here, not through bibtexparser's writer: its general machinery (a Library, a Field
object per value, per-field layout options) was a third of rendering 100k works, and our layout is fixed.
Tests hold every file to what bibtexparser's writer gives for it, byte for byte.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from curabib.export.common import (
    ExportOptions,
    Format,
    display_title,
    doi,
    pages,
    publication,
    site_name,
    venue_name,
)
from curabib.export.latex import escape, protect_title
from curabib.export.types import TYPES
from curabib.model import Person, Work

# Only these carry a published version's volume, number, pages and publisher (biber validates fields by type).
_WITH_PUBLISHED_FIELDS = ("inproceedings", "incollection", "article")
# A typed entry's container, mandatory in BibTeX's styles and biber's data model: the field, and whether
# the venue (the published container, else the list's hint) or the publisher fills it.
_CONTAINER_FIELD = {
    "inproceedings": ("booktitle", "venue"),
    "incollection": ("booktitle", "venue"),
    "article": ("journal", "venue"),
    "book": ("publisher", "publisher"),
    "phdthesis": ("school", "publisher"),
    "techreport": ("institution", "publisher"),
}
_ON_A_SITE = ("software", "dataset", "blog", "webpage", "model")  # @misc + howpublished = the site's name


def render(work: Work, options: ExportOptions, kind: str | None = None) -> str:
    """One entry: `@type{key,`, a `  name = {value}` line per field present, and `}`. `kind` is the work's
    `publication`, when the caller has worked it out for every format."""
    entry_type, fields = _entry(work, options, kind or publication(work))
    lines = [f"  {name} = {{{value}}}" for name, value in fields if value]
    body = ",\n".join(lines) + "\n" if lines else ""
    return f"@{entry_type}{{{work.key},\n{body}}}\n"


def _entry(work: Work, options: ExportOptions, kind: str) -> tuple[str, list[tuple[str, str | None]]]:
    title = protect_title(display_title(work), options.terms, keep_math=work.math_title)
    authors = _authors(work, options)
    fields: list[tuple[str, str | None]] = [
        ("author", authors),
        # Without an author, BibTeX styles sort and label by `key` ("to sort, need author or key").
        ("key", escape(sort_label(work)) if authors is None else None),
        ("title", title),
    ]
    entry_type, typed = _typed(work, kind, options)
    fields += typed
    if entry_type in _WITH_PUBLISHED_FIELDS and work.published is not None:
        fields += [
            ("volume", escape(work.published.volume or "")),
            ("number", escape(work.published.issue or "")),
            ("pages", pages(work)),  # digits and "--": escaping would split the en dash
            ("publisher", escape(work.published.publisher or "") if kind != "journal" else None),
        ]
    fields.append(("year", str(work.year) if work.year else None))
    if kind == "software" and work.version:  # biblatex's @software field; BibTeX styles pass it by
        fields.append(("version", escape(work.version)))
    fields.extend(_identifier_fields(work, options))
    fields.append(("url", work.url))
    if options.dialect == "biblatex" and work.aliases:
        fields.append(("ids", ",".join(work.aliases)))
    return entry_type, fields


def sort_label(work: Work) -> str:
    """The `key` field of an entry without authors. BibTeX styles sort and label such an entry by it:
    natbib's `\\citet` prints it alone where the authors and year would be ("Attention Is All": plainnat
    leaves the year out of a label made from `key`), and plainnat prints it again before the title in the
    reference list. So it is a short handle, never a whole long title.

    The list's label ("BERT") when there is one (and is not just an arXiv id or DOI), else the title; either
    shortened alike: the part before the first colon when that has at most four words ("LoRA: Low-Rank..."
    -> "LoRA"), else the first three words, a leading article not counted and never ending on a function
    word ("Language Models are Few-Shot", "A Survey of Large"); then at most 40 columns (a Chinese
    character takes two), cut at a space or hyphen in the second half when there is one, else within the
    word, and again never ending on a function word. Deterministic: a work always gets the same label."""
    label = work.label if work.label and not _IDENTIFIER.match(work.label) else None
    text = " ".join((label or display_title(work)).split())
    head = _COLON.split(text, maxsplit=1)[0].strip()
    if head != text and 0 < len(head.split()) <= _COLON_WORDS:
        short = head
    else:
        taken: list[str] = []
        counted = 0
        for word in text.split(" "):
            taken.append(word)
            bare = word.strip(_PUNCTUATION).lower()
            counted += 0 if len(taken) == 1 and bare in _ARTICLES else 1
            if counted >= _LABEL_WORDS and bare not in _FUNCTION_WORDS:
                break
        short = " ".join(taken)
    words = _clip(short).rstrip(_TRAILING).split(" ")
    while len(words) > 1 and words[-1].strip(_PUNCTUATION).lower() in _FUNCTION_WORDS:
        words.pop()  # a clipped title ends on a word that says something
    return " ".join(words).rstrip(_TRAILING) or _clip(text)


def _clip(text: str) -> str:
    """At most `_LABEL_WIDTH` columns, as a terminal or a PDF shows them: wide (CJK) characters count two.
    Cut at the last space or hyphen of the second half, else within the word."""
    width = 0
    for index, char in enumerate(text):
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        if width > _LABEL_WIDTH:
            cut = text[:index]
            space = max(cut.rfind(" "), cut.rfind("-"))
            return cut[:space] if space > len(cut) // 2 else cut
    return text


# The short label's rules (`sort_label`).
_IDENTIFIER = re.compile(
    r"^(?:arxiv:\s*)?\d{4}\.\d{4,5}(?:v\d+)?$|^(?:doi:\s*)?10\.\d{4,9}/\S+$", re.IGNORECASE
)
_COLON = re.compile(r":\s|：")  # a title's separator; not the colon of "arXiv:2204.05832" or "10:30"
_COLON_WORDS, _LABEL_WORDS, _LABEL_WIDTH = 4, 3, 40
_ARTICLES = frozenset({"a", "an", "the"})
_FUNCTION_WORDS = _ARTICLES | frozenset(
    [
        "of",
        "on",
        "in",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "via",
        "into",
        "and",
        "or",
        "is",
        "are",
        "as",
        "be",
        "towards",
        "toward",
    ]
)
_PUNCTUATION = ".,;:!?\"'()[]{}“”‘’"
_TRAILING = " ,;:.-–—/"


def entry_type(work: Work, options: ExportOptions | None = None) -> str:
    """The entry type `render` writes for the work (`@inproceedings`, `@misc`...), without the `@`."""
    options = options or ExportOptions()
    return _typed(work, publication(work), options)[0]


def _typed(work: Work, kind: str, options: ExportOptions) -> tuple[str, list[tuple[str, str | None]]]:
    """The entry type the table gives (`types.TYPES`) when the work has the container field that type
    requires (a booktitle, journal, publisher, school or institution), else `@misc`: BibTeX styles and
    biber warn about a missing mandatory field, never about @misc.

    A missing author does not make a typed work @misc: the type says what the work is (Zotero imports a
    @misc as a Document, and styles print no venue for it), while the styles' "empty author" warning is
    the honest sign that the work waits for its authors (`curabib check` reports it: `missing-authors`)."""
    wanted = TYPES[kind].biblatex if options.dialect == "biblatex" else TYPES[kind].bibtex
    venue = venue_name(work)
    publisher = work.published.publisher if work.published is not None else None
    if wanted in _CONTAINER_FIELD:
        name, source = _CONTAINER_FIELD[wanted]
        value = venue if source == "venue" else publisher
        if value:
            return wanted, [(name, escape(value))]
    if wanted in ("software", "dataset", "online"):
        return wanted, []
    if kind in _ON_A_SITE:
        return "misc", [("howpublished", escape(site_name(work.url) or ""))]
    if kind == "preprint" and work.identifier("arxiv") is not None:
        return "misc", []  # the eprint fields say where
    # An unpublished paper, a posted preprint, or a published one without the field its type needs:
    # where it appeared, as the list or the record names it.
    where = venue or publisher
    return "misc", [("howpublished", escape(where) if where else None)]


def _identifier_fields(work: Work, options: ExportOptions) -> list[tuple[str, str | None]]:
    """The arXiv eprint fields stay on a published version too: readers find the free copy."""
    arxiv = work.identifier("arxiv")
    fields: list[tuple[str, str | None]] = []
    if arxiv is not None:
        fields += [("eprinttype", "arxiv"), ("eprint", arxiv.value)]
        if options.dialect == "biblatex" and work.arxiv_class:
            fields.append(("eprintclass", work.arxiv_class))
    fields.append(("doi", doi(work)))
    return fields


def _authors(work: Work, options: ExportOptions) -> str | None:
    people = list(work.authors)
    cut = options.max_authors is not None and len(people) > options.max_authors
    if cut:
        people = people[: options.max_authors]
    names = [_name(p) for p in people]
    if names and (work.et_al or cut):
        names.append("others")
    return " and ".join(names) or None


@functools.lru_cache(maxsize=1 << 16)  # the same authors recur across a list's works
def _name(person: Person) -> str:
    """`Family, Given` (`van der Maaten, Laurens`; `King, Jr., Martin Luther`); organisations braced whole."""
    family = _name_part(person.family)
    if person.literal:
        return "{" + escape(person.family) + "}"
    parts = [
        family,
        *([_name_part(person.suffix)] if person.suffix else []),
        *([_name_part(person.given)] if person.given else []),
    ]
    return ", ".join(parts) if len(parts) > 1 else family


_SPLITS_NAMES = re.compile(r"\band\b|,", re.IGNORECASE)


def _name_part(text: str) -> str:
    # A literal " and " or a comma would split the name list or the name itself: keep them inside braces.
    escaped = escape(text)
    return "{" + escaped + "}" if _SPLITS_NAMES.search(text) else escaped


# Entries separated by a blank line.
FORMAT = Format("bibtex", ".bib", render, opening="", separator="\n", closing="", empty="")
