"""The site's HTML: the index of the lists and one page per list. Pure string building, escaped throughout.

Every text that comes from a list (titles, headings, notes, authors, venues, keys) and every URL goes
through `_e` (`html.escape` with quotes) and URLs through `works.safe_url`, so a list's text can never
become markup. The formatted references are citeproc's output, escaped in `reference.py`. The texts the
Cite dialog copies are not in the page (four of them a work made a 5,000-work page 15 MB): they are in
the list's cite files, scripts of `CITE_CHUNK` works each that the page loads when a Cite button is used
(a script element, so it works from a `file:` URL too); the script puts them in the dialog as text.

The page works without JavaScript (every work listed, every link live; the filter form submits as GET to
the same page, harmlessly). `site.js` reads the filters from the URL, hides works that do not match and
sections left empty, and keeps the URL in step; it reads each work once on load (its key from its id,
its type from its badge, its venue from the text shown, its year from `data-year`), and a keystroke only
tests strings and toggles `hidden`, so filtering thousands of works stays instant.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from curabib.site.works import TYPES, Entry

_FORMATS = {"bibtex": "BibTeX", "biblatex": "biblatex", "csl-json": "CSL-JSON", "key": "key"}
CITE_CHUNK = 100  # works per cite file: a Cite click loads one file of about 150 KB


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


@dataclass(frozen=True, slots=True)
class Files:
    """A bibliography's files in the site, relative to its pages (`bib/x.bib`, ...)."""

    bib: str
    json: str
    rdf: str | None = None  # Zotero RDF: one per list, holding its sections as collections
    whole_list: bool = False  # `rdf` is the list's file, linked from one of its sections


@dataclass(frozen=True, slots=True)
class Shown:
    """One work where a section lists it: the work, the note the list gave it there, and its element's id
    (`w-<key>`; `w2-<key>`... where the page lists it again, since an id names one element: the key is
    what follows the first `-`)."""

    key: str
    note: str | None
    anchor: str


@dataclass(frozen=True, slots=True)
class Block:
    """A section of a list page (or the works before the list's first heading: `heading` None)."""

    anchor: str  # the section's id, unique in the page
    heading: str | None
    files: Files | None
    works: tuple[Shown, ...]
    children: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class ListSummary:
    name: str
    title: str
    works: int
    files: Files


def count_text(n: int) -> str:
    return "1 work" if n == 1 else f"{n} works"


def _head(title: str) -> str:
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n"
        '<link rel="stylesheet" href="site.css">\n<script src="site.js" defer></script>\n</head>\n'
    )


def _files(files: Files, what: str) -> str:
    """Download links for a bibliography; `what` names it for screen readers."""
    anchors = [
        f'<a href="{_e(files.bib)}" aria-label="{_e(f"BibTeX of {what}")}">BibTeX</a>',
        f'<a href="{_e(files.json)}" aria-label="{_e(f"CSL-JSON of {what}")}">CSL-JSON</a>',
    ]
    if files.rdf and files.whole_list:  # the same file on every section: its words say what it is
        anchors.append(f'<a href="{_e(files.rdf)}">Zotero RDF of the list</a>')
    elif files.rdf:
        anchors.append(f'<a href="{_e(files.rdf)}" aria-label="{_e(f"Zotero RDF of {what}")}">Zotero RDF</a>')
    return f'<p class="files">Download: {" ".join(anchors)}</p>\n'


def index_page(title: str, lists: Sequence[ListSummary], everything: Files, total: int) -> str:
    """The site's front page: every list with its title, number of works and files."""
    rows = "".join(
        f'<li><a class="list" href="{_e(s.name)}.html">{_e(s.title)}</a> '
        f'<span class="n">{count_text(s.works)}</span>\n{_files(s.files, s.title)}</li>\n'
        for s in lists
    )
    return (
        _head(title)
        + '<body>\n<main id="main">\n'
        + f"<h1>{_e(title)}</h1>\n"
        + f'<ul class="lists">\n{rows}</ul>\n'
        + f"<h2>All lists together</h2>\n<p>{count_text(total)}, each once.</p>\n"
        + _files(everything, "all lists")
        + "</main>\n"
        + _footer()
        + "</body>\n</html>\n"
    )


def _footer() -> str:
    return "<footer><p>Made by curabib from the curated lists; no request leaves this site.</p></footer>\n"


def list_page(
    title: str, files: Files, blocks: Sequence[Block], entries: Mapping[str, Entry], works: int, cite: str
) -> str:
    """One list's page: the filter form, the outline, then the sections with their works; `cite` is the
    folder of its cite files (`cite/<list>/`)."""
    parts = [
        _head(title),
        '<body>\n<a class="skip" href="#main">Skip to the works</a>\n<header>\n',
        '<p><a href="index.html">All lists</a></p>\n',
        f"<h1>{_e(title)}</h1>\n",
        _files(files, title),
        "</header>\n",
        _form(works),
        _outline(blocks),
        f'<main id="main" data-cite="{_e(cite)}" data-chunk="{CITE_CHUNK}">\n',
    ]
    for block in blocks:
        parts.extend(_block(block, 2, entries))
    parts += ["</main>\n", _dialog(), '<p id="status" class="sr-only" role="status"></p>\n', _footer()]
    parts.append("</body>\n</html>\n")
    return "".join(parts)


def _form(works: int) -> str:
    options = '<option value="all">all</option>' + "".join(
        f'<option value="{value}">{label}</option>' for value, label in TYPES.items()
    )
    return (
        '<form id="filters" class="filters" method="get" role="search" aria-label="Filter the works">\n'
        '<p><label for="q">Search</label> <input type="search" id="q" name="q" '
        'placeholder="title, author, venue, year, key"></p>\n'
        f'<p><label for="type">Type</label> <select id="type" name="type">{options}</select></p>\n'
        '<p><label for="from">From year</label> <input type="number" id="from" name="from" '
        'min="1000" max="9999" inputmode="numeric"></p>\n'
        '<p><label for="to">To year</label> <input type="number" id="to" name="to" '
        'min="1000" max="9999" inputmode="numeric"></p>\n'
        '<p><label for="venue">Venue</label> <input id="venue" name="venue"></p>\n'
        '<p><button type="submit">Filter</button> '
        f'<output id="count" for="q type from to venue" aria-live="polite">{count_text(works)}</output></p>\n'
        "</form>\n"
    )


def _outline(blocks: Sequence[Block]) -> str:
    """The table of contents: the sections nested as in the list, each a link to its heading."""
    if not any(block.heading for block in blocks):
        return ""
    return (
        '<nav class="toc" aria-labelledby="toc">\n<h2 id="toc">Contents</h2>\n'
        + _outline_items(blocks)
        + "</nav>\n"
    )


def _outline_items(blocks: Sequence[Block]) -> str:
    rows = []
    for block in blocks:
        if block.heading is None:
            continue
        below = _outline_items(block.children) if block.children else ""
        rows.append(f'<li><a href="#{block.anchor}">{_e(block.heading)}</a>{below}</li>\n')
    return f"<ul>\n{''.join(rows)}</ul>\n" if rows else ""


def _block(block: Block, level: int, entries: Mapping[str, Entry]) -> Iterator[str]:
    h = min(level, 6)
    yield f'<section class="section" id="{block.anchor}">\n'
    if block.heading is not None:
        yield f"<h{h}>{_e(block.heading)}</h{h}>\n"
        if block.files is not None:
            yield _files(block.files, block.heading)
    if block.works:
        yield '<ul class="works">\n'
        for shown in block.works:
            yield work(entries[shown.key], shown.note, shown.anchor)
        yield "</ul>\n"
    for child in block.children:
        yield from _block(child, level + 1 if block.heading is not None else level, entries)
    yield "</section>\n"


def work(entry: Entry, note: str | None, anchor: str) -> str:
    """One work's `<li>`: reference, badge, venue, the list's name for it, note and links. Each byte here is
    five kilobytes on a page of 5,000 works, so nothing is said twice: the script reads the work's key from
    its id, its type from the badge's class and its venue from the text shown, and adds the Cite buttons
    (which need it: the dialog's texts are in the list's cite files, loaded when asked)."""
    meta = [f'<span class="badge {entry.type}">{_e(entry.badge)}</span>']
    if entry.venue and entry.type != "published":
        meta.append(f'<span class="venue">{_e(entry.venue)}</span>')
    if entry.label:
        meta.append(f'<span class="label">{_e(entry.label)}</span>')
    year = f' data-year="{_e(entry.year)}"' if entry.year else ""  # the filter's; the reference prints it
    parts = [f'<li id="{_e(anchor)}"{year}><p class="ref">{entry.reference}</p>']
    parts.append(f'<p class="meta">{" ".join(meta)}</p>')
    if note:
        parts.append(f'<p class="note">{_e(note)}</p>')
    if entry.links:
        anchors = " ".join(f'<a href="{_e(url)}">{_e(label)}</a>' for label, url in entry.links)
        parts.append(f'<p class="links">{anchors}</p>')
    parts.append("</li>\n")  # a line a work
    return "".join(parts)


def keys_in_order(blocks: Sequence[Block]) -> list[str]:
    """The page's works, each once, in the order the page first shows them: the order of the cite files
    (`CITE_CHUNK` works each), which the script follows too."""
    seen: dict[str, None] = {}
    for block in blocks:
        seen.update((shown.key, None) for shown in block.works)
        seen.update((key, None) for key in keys_in_order(block.children))
    return list(seen)


def cite_chunk(n: int, keys: Sequence[str], entries: Mapping[str, Entry]) -> str:
    """A cite file: a script handing the page `[key, BibTeX, biblatex, CSL-JSON]` for each of its works
    (biblatex as 0 where it is the BibTeX entry). An array, not an object: a key such as `__proto__`
    stays a key."""
    data = []
    for key in keys:
        bibtex, biblatex, csl_json = entries[key].copies
        data.append([key, bibtex, 0 if biblatex == bibtex else biblatex, csl_json])
    return f"curabibCite({n},{json.dumps(data, ensure_ascii=False, separators=(',', ':'))});\n"


def _dialog() -> str:
    formats = "".join(
        f'<label><input type="radio" name="format" value="{value}"{" checked" if n == 0 else ""}> '
        f"{label}</label>\n"
        for n, (value, label) in enumerate(_FORMATS.items())
    )
    return (
        '<dialog id="cite" aria-labelledby="cite-title">\n<h2 id="cite-title">Cite</h2>\n'
        '<p id="cite-work"></p>\n'
        f'<fieldset class="formats"><legend>Format</legend>\n{formats}</fieldset>\n'
        '<pre id="cite-text" tabindex="0" aria-label="The entry in this format"></pre>\n'
        '<p><button type="button" id="cite-copy">Copy</button> '
        '<button type="button" id="cite-close">Close</button> '
        '<span id="cite-status" role="status"></span></p>\n</dialog>\n'
    )
