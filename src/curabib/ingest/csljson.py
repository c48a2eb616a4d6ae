"""CSL-JSON -> curated items: the other format `curabib import-bib` reads.

An array of CSL items, as Zotero, Better BibTeX, pandoc and citation.js write them, or a single item, as
Crossref's content negotiation answers. Each item is read into the same `BibEntries` as a BibTeX entry,
by the same rules (`bibentries.py`): its `citation-key` (or `id`) as key, `title` without CSL's rich-text
markup (`<i>`, `<b>`, `<sub>`, `<span class="nocase">`), `author` (family, given, particles, or literal),
the year of `issued`, `container-title` as venue, `DOI` and `URL`. An item without a key gets one the
way `import-md` gives keys (by the caller, who knows the other lists).
"""

from __future__ import annotations

import json
import re
from functools import partial
from typing import Any

from curabib.errors import InputError
from curabib.ids import Identifier, identifiers_in_text, identifiers_in_url
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

# CSL types that are not papers, as the BibTeX types the kind table knows (every other type is a paper).
TYPES = {
    "software": "software",
    "dataset": "dataset",
    "webpage": "online",
    "post": "online",
    "post-weblog": "online",
}
_MARKUP = re.compile(r"</?(?:i|b|sub|sup|sc|span)(?:\s[^<>]*)?>", re.I)


def read_csl_json(text: str) -> BibEntries:
    """Every item of a CSL-JSON file, in file order, or skipped with its line and reason; `InputError`
    when the file is not JSON or not CSL-JSON at all."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"line {err.lineno}: not valid JSON ({err.msg})") from err
    if isinstance(data, dict):
        pairs: list[tuple[int, Any]] = [(1, data)]
    elif isinstance(data, list):
        pairs = list(zip(_item_lines(text), data, strict=True))
    else:
        raise InputError("not CSL-JSON: expected an array of items (JSON objects)")
    found = BibEntries()
    for line, item in pairs:
        if not isinstance(item, dict):
            found.skipped.append(Skipped(line, None, "not a CSL item (a JSON object); left out"))
            continue
        key = item.get("citation-key") or item.get("id")
        key = str(key).strip() if key not in (None, "") else None
        found.add(key or None, line, partial(_item, item, line, key, found))
    return found


def _item_lines(text: str) -> list[int]:
    """The line each element of the top-level array starts on (the text is valid JSON: checked before)."""
    decoder = json.JSONDecoder()
    lines: list[int] = []
    at = text.index("[") + 1
    while True:
        while text[at] in " \t\r\n,":
            at += 1
        if text[at] == "]":
            return lines
        lines.append(text.count("\n", 0, at) + 1)
        _, at = decoder.raw_decode(text, at)


def _item(item: dict[str, Any], line: int, key: str | None, found: BibEntries) -> Item | str:
    title = _text(item.get("title"))
    if not title:
        return f"'{key or 'an item'}' has no title; add a title"
    warnings: list[str] = []
    url = web_address(_text(item.get("URL")) or None, warnings)
    venue = _text(item.get("container-title")) or _text(item.get("event-title")) or None
    ids: list[Identifier | None] = [doi(_text(item.get("DOI")) or None, warnings)]
    ids += identifiers_in_url(url) if url else []
    for name in ("number", "container-title"):  # Zotero's preprints: number "arXiv:2304.12345"
        ids += identifiers_in_text(_text(item.get(name)))
    found_ids = [ident for ident in ids if ident is not None]
    csl_type = str(item.get("type") or "")
    kind = work_kind(TYPES.get(csl_type, "article"), found_ids, url, bool(venue))
    if kind == "webpage" and csl_type == "post-weblog":
        kind = "blog"
    authors = tuple(name for name in map(_name, item.get("author") or []) if name)
    found.warnings += [Skipped(line, key, message) for message in warnings]
    return Item(
        kind=kind,
        title=title,
        authors=authors,
        year=_year(item.get("issued")),
        venue=venue,
        links=(Link(LINK_KIND[kind], url),) if url else (),
        ids=one_per_kind(found_ids),
        key=key,
        note=_text(item.get("note")) or None,
        source_line=line,
    )


def _text(value: Any) -> str:
    """A CSL string (the first, for the lists Crossref gives) without its rich-text markup, on one line."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if not isinstance(value, str | int):
        return ""
    return " ".join(_MARKUP.sub("", str(value)).split())


def _name(name: Any) -> str | None:
    if not isinstance(name, dict):
        return None
    if name.get("literal"):
        return _text(name["literal"]) or None
    given = [*_text(name.get("given")).split(), *_text(name.get("dropping-particle")).split()]
    von = _text(name.get("non-dropping-particle")).split()
    family = _text(name.get("family")).split()
    return person(given, von, family, _text(name.get("suffix")).split()) or None


def _year(issued: Any) -> int | None:
    """The year of `issued`: its first date part (a number or a string), else its `raw` or `literal`."""
    if not isinstance(issued, dict):
        return None
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        return year_in(str(parts[0][0]))
    return year_in(_text(issued.get("raw")) or _text(issued.get("literal")))
