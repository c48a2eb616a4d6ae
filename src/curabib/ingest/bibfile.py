"""A BibTeX or biblatex file -> curated items: the pure half of `curabib import-bib`.

The file is parsed by bibtexparser 2: its splitter (which keeps going after a broken entry and hands it
back as a failed block with its line), its `@string` resolution and its name splitting (`SeparateCoAuthors`,
`SplitNameParts`, BibTeX's First von Last, Jr rules). What bibtexparser 2 leaves to its user is done here:
`#` concatenation, `crossref` inheritance, and decoding LaTeX to Unicode with pylatexenc (configured as
bibtexparser's `LatexDecodingMiddleware` does, plus the text macros it would drop, such as `\\texttt`). We
decode field by field rather than through that middleware because a name must be split before it is
decoded (`{Google Research}` is one name only while its braces are there) and a URL or DOI must not be
decoded at all (`%` starts a LaTeX comment).

Every entry becomes one `Item` keyed by its own citation key, or is skipped with its line and the reason;
an entry is never half imported. `csljson.py` reads CSL-JSON into the same `BibEntries`.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.middlewares.names import NameParts
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry, ParsingFailedBlock
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from curabib.ids import KINDS, Identifier, identifiers_in_text, identifiers_in_url
from curabib.ingest.bibentries import (
    LINK_KIND,
    BibEntries,
    Skipped,
    doi,
    one_per_kind,
    person,
    web_address,
    work_kind,
    year_in,
)
from curabib.model import Item, Link
from curabib.names import split_name

NOT_WORKS = frozenset({"set", "xdata"})  # biblatex bookkeeping: a group of entries, shared fields
# Fields a child entry takes from its `crossref` parent when it has none of its own (BibTeX's rule: any
# missing field; biblatex's: the parent's title becomes the child's booktitle).
INHERITED = (
    "booktitle",
    "editor",
    "year",
    "date",
    "publisher",
    "series",
    "volume",
    "journal",
    "journaltitle",
    "organization",
    "address",
    "location",
)


# -- LaTeX -> Unicode --------------------------------------------------------------------------------------
def _decoder() -> LatexNodes2Text:
    context = get_default_latex_context_db()
    keep = ("url", "texttt", "textsf", "textrm", "textup", "textmd", "textsl", "mbox")
    logos = {
        "TeX": "TeX",
        "LaTeX": "LaTeX",
        "LaTeXe": "LaTeX2e",
        "BibTeX": "BibTeX",
        "slash": "/",
        "hyphen": "-",
        "hyph": "-",
    }
    context.add_context_category(
        "curabib-bibfile",
        prepend=True,
        macros=[MacroTextSpec(name, simplify_repl="%s") for name in keep]
        + [MacroTextSpec(name, simplify_repl=text) for name, text in logos.items()],
    )
    return LatexNodes2Text(latex_context=context, keep_braced_groups=False, math_mode="verbatim")


_DECODER = _decoder()
# What only the LaTeX reader gets right: a macro or escape, a tie, math, a comment, TeX ligatures for dashes
# and quotes. Text with none of these (most titles and venues, braces aside) is decoded without it: the
# reader takes a millisecond or more per value, most of an import's time.
_LATEX = re.compile(r"[\\~$%`&#_^]|--|''")


@functools.lru_cache(maxsize=1 << 12)  # venues and names recur from entry to entry
def decoded(raw: str) -> str:
    """LaTeX text as Unicode, on one line: accents and escapes decoded, case-protecting braces gone, math
    kept as written (`$x^2$`)."""
    text = _DECODER.latex_to_text(raw) if _LATEX.search(raw) else raw.replace("{", "").replace("}", "")
    return " ".join(text.split())


def verbatim(raw: str) -> str:
    """A URL, DOI or eprint as written, without the escapes BibTeX needs there (`10.1007/1_13` written
    `10.1007/1\\_13`) and without `\\url{...}`."""
    text = re.sub(r"^\\url\{(.*)\}$", r"\1", raw.strip(), flags=re.S)
    return re.sub(r"\\([_%&#$~])", r"\1", text).strip("{} \n")


# -- BibTeX ---------------------------------------------------------------------------------------------
@contextmanager
def _quiet() -> Iterator[None]:
    """bibtexparser logs each broken block itself, and pylatexenc what it finds odd: we report broken
    entries as findings instead, and nothing else reaches the user's terminal."""
    loggers = [logging.getLogger(name) for name in ("bibtexparser", "pylatexenc")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def read_bibtex(text: str) -> BibEntries:
    """Every entry of a BibTeX or biblatex file as an item, in file order, or skipped with its reason."""
    with _quiet():
        library = bibtexparser.parse_string(
            text, append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()]
        )
        strings = {key.casefold(): str(s.value) for key, s in library.strings_dict.items()}
        found = BibEntries()
        entries = {entry.key.casefold(): entry for entry in library.entries}
        targets = (_fields(entry, strings).get("crossref") for entry in library.entries)
        parents = {target.strip().casefold() for target in targets if isinstance(target, str)}
        for block in sorted([*library.entries, *library.failed_blocks], key=lambda b: b.start_line or 0):
            line = (block.start_line or 0) + 1
            if isinstance(block, ParsingFailedBlock):
                found.skipped.append(Skipped(line, _failed_key(block), _failure(block)))
            elif isinstance(block, Entry) and block.key.casefold() in parents:
                found.parents.append(block.key)  # it lends its fields to the entries that cite it
            elif isinstance(block, Entry):
                found.add(block.key, line, functools.partial(_item, block, line, entries, strings, found))
    return found


def _fields(entry: Entry, strings: Mapping[str, str]) -> dict[str, Any]:
    """The entry's fields by lower-case name (the first of each), `#` concatenations joined."""
    fields: dict[str, Any] = {}
    for f in entry.fields:
        value = f.value
        if isinstance(value, str) and f.enclosing == "no-enclosing" and "#" in value:
            value = _concatenated(value, strings)
        fields.setdefault(f.key.lower(), value)
    return fields


def _concatenated(value: str, strings: Mapping[str, str]) -> str:
    """`pre # acl # " 2023"`: each part's text (braced, quoted, a `@string` or a bare word) joined."""
    parts, depth, quoted, start = [], 0, False, 0
    for n, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(value[start:n].strip())
            start = n + 1
    parts.append(value[start:].strip())
    texts = []
    for part in parts:
        if len(part) > 1 and part[0] + part[-1] in ("{}", '""'):
            texts.append(part[1:-1])
        else:
            texts.append(strings.get(part.casefold(), part))
    return "".join(texts)


def _with_parent(
    fields: dict[str, Any], entries: Mapping[str, Entry], strings: Mapping[str, str]
) -> tuple[dict[str, Any], str | None]:
    """The fields with those the `crossref` parent lends, and a warning when the parent is not in the file."""
    target = fields.get("crossref")
    if not isinstance(target, str) or not target.strip():
        return fields, None
    parent = entries.get(target.strip().casefold())
    if parent is None:
        return fields, f"its crossref '{target}' is not in the file: only the entry's own fields are taken"
    lent = _fields(parent, strings)
    merged = dict(fields)
    for name in INHERITED:
        if name not in merged and name in lent:
            merged[name] = lent[name]
    if "booktitle" not in merged and isinstance(lent.get("title"), str):
        merged["booktitle"] = lent["title"]
    return merged, None


def _item(
    entry: Entry, line: int, entries: Mapping[str, Entry], strings: Mapping[str, str], found: BibEntries
) -> Item | str:
    entry_type = entry.entry_type.lower()
    if entry_type in NOT_WORKS:
        return f"a @{entry_type} entry is biblatex bookkeeping, not a work"
    fields, warning = _with_parent(_fields(entry, strings), entries, strings)
    text = {k: decoded(v) for k, v in fields.items() if isinstance(v, str) and k in _TEXT}
    raw = {k: verbatim(v) for k, v in fields.items() if isinstance(v, str) and k in _VERBATIM}
    title = text.get("title")
    if not title:
        return f"'{entry.key}' has no title; add a title field"
    if text.get("subtitle"):
        title = f"{title}: {text['subtitle']}"
    warnings = [warning] if warning else []
    authors, et_al = _names(fields.get("author"))
    linked = _howpublished_url(fields.get("howpublished"))
    written = raw.get("url")
    # A DOI where the URL belongs (`url = {10.1023/A:1009948924590}`) is taken as the DOI it is.
    misplaced = doi(written, []) if written and "://" not in written else None
    url = (None if misplaced else web_address(written, warnings)) or linked
    venue = text.get("journal") or text.get("journaltitle") or text.get("booktitle")
    ids = _identifiers(raw, text, url, warnings) + ([misplaced] if misplaced else [])
    found.warnings += [Skipped(line, entry.key, message) for message in warnings]
    kind = work_kind(entry_type, ids, url, bool(venue or (text.get("howpublished") and not linked)))
    return Item(
        kind=kind,
        title=title,
        authors=authors,
        et_al=et_al,
        year=year_in(text.get("year")) or year_in(text.get("date")),
        venue=venue or None,
        links=(Link(LINK_KIND[kind], url),) if url else (),
        ids=one_per_kind(ids),
        key=entry.key,
        note=text.get("note") or None,
        source_line=line,
    )


# The fields read: decoded as text, or taken verbatim (LaTeX would read `%` in a URL as a comment).
_TEXT = frozenset(
    {"title", "subtitle", "journal", "journaltitle", "booktitle", "year", "date", "note", "howpublished"}
)
_VERBATIM = frozenset({"url", "doi", "eprint", "eprinttype", "archiveprefix", "arxivid"})


def _identifiers(
    raw: Mapping[str, str], text: Mapping[str, str], url: str | None, warnings: list[str]
) -> list[Identifier]:
    """The DOI field, an arXiv eprint (`eprinttype` or `archivePrefix` arXiv), the ids in the URL, and
    arXiv ids written into the venue ("arXiv preprint arXiv:1907.11692", as Google Scholar exports)."""
    found: list[Identifier | None] = [doi(raw.get("doi"), warnings)]
    arxiv = KINDS["arxiv"].from_token
    eprint = raw.get("eprint", "")
    archive = (raw.get("eprinttype") or raw.get("archiveprefix") or "").lower()
    if arxiv and eprint and (archive == "arxiv" or eprint.lower().startswith("arxiv:")):
        found.append(arxiv(eprint))
    if arxiv and raw.get("arxivid"):
        found.append(arxiv(raw["arxivid"]))
    found += identifiers_in_url(url) if url else []
    for name in ("journal", "journaltitle", "howpublished"):
        found += identifiers_in_text(text.get(name, ""))
    return [ident for ident in found if ident is not None]


def _howpublished_url(value: Any) -> str | None:
    """Zotero's web pages put their address in `howpublished = {\\url{...}}`."""
    if not isinstance(value, str):
        return None
    match = re.fullmatch(r"\s*\\url\{([^{}]+)\}\s*", value) or re.fullmatch(r"\s*(https?://\S+)\s*", value)
    return verbatim(match.group(1)) if match else None


def _names(value: Any) -> tuple[tuple[str, ...], bool]:
    """The authors as the entry format writes them, and whether the list ended in "and others"."""
    if not isinstance(value, list):
        return (), False
    names, et_al = [], False
    for parts in value:
        if not isinstance(parts, NameParts):
            continue
        if parts.last == ["others"] and not (parts.first or parts.von or parts.jr):
            et_al = True
            continue
        name = _name(parts)
        if name:
            names.append(name)
    return tuple(names), et_al


def _name(parts: NameParts) -> str:
    """One name, decoded; a name braced whole (`{Google Research}`, a corporate author) stays one string."""
    if len(parts.last) == 1 and not (parts.first or parts.von or parts.jr) and _braced_whole(parts.last[0]):
        name = decoded(parts.last[0])
        # Kept braced when the name reader would split it: `split_name` reads "{...}" as one name.
        return name if split_name(name).literal or " " not in name else f"{{{name}}}"

    def words(part: list[str]) -> list[str]:
        return [w for w in (decoded(word) for word in part) if w]

    return person(words(parts.first), words(parts.von), words(parts.last), words(parts.jr))


def _braced_whole(word: str) -> bool:
    """`{Google Research}`, not `{\\"O}zge` (an accent) nor `{A}b{C}`."""
    if not (word.startswith("{") and word.endswith("}")) or word.startswith("{\\"):
        return False
    depth = 0
    for n, char in enumerate(word):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and n < len(word) - 1:
            return False
    return True


def _failed_key(block: ParsingFailedBlock) -> str | None:
    if isinstance(block, DuplicateBlockKeyBlock):
        return block.key
    match = re.match(r"\s*@\w+\s*[{(]\s*([^,\s]+)\s*,", block.raw or "")
    return match.group(1) if match else None


def _failure(block: ParsingFailedBlock) -> str:
    """Why bibtexparser could not read a block, and what to do about it."""
    if isinstance(block, DuplicateBlockKeyBlock):
        first = block.previous_block.start_line
        where = f" (first at line {first + 1})" if first is not None else ""
        return f"key '{block.key}' is used again{where}; rename or remove one of them"
    if isinstance(block, DuplicateFieldKeyBlock):
        names = ", ".join(sorted(block.duplicate_keys))
        return f"the field {names} is given twice; remove one"
    reason = getattr(block.error, "abort_reason", None) or str(block.error)
    reason = " ".join(str(reason).split())
    return f"not valid BibTeX ({reason}); check the entry's braces, quotes and commas"
