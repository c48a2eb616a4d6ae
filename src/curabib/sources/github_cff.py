"""The citation a repository's CITATION.cff asks for (https://citation-file-format.github.io).

Its own entry describes the software; its `preferred-citation`, when present, is what the authors would
rather be cited by (often the paper). Either becomes the same plain citation the README's BibTeX and the
repository itself give (`sources/github.py` chooses among them). The client (`fetch/clients/github.py`)
has read the file's YAML into plain data: here nothing is read from a file, and a value of the wrong
shape (a list or a mapping where text was expected) is left out rather than trusted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# The CITATION.cff keys read, kept in the store as written.
CFF_KEYS = (
    "cff-version",
    "type",
    "title",
    "authors",
    "version",
    "date-released",
    "doi",
    "identifiers",
    "license",
    "repository-code",
    "url",
    "preferred-citation",
)


def usable_cff(data: Any) -> bool:
    """Whether parsed CITATION.cff data can be cited: a mapping with a title and at least one author."""
    return isinstance(data, Mapping) and _text(data.get("title")) is not None and bool(_cff_people(data))


def from_cff(entry: Mapping[str, Any], whole: Mapping[str, Any]) -> dict[str, Any]:
    """The citation of one CFF entry: the file's own (`entry is whole`, which alone carries the licence)
    or its `preferred-citation`."""
    kind = _text(entry.get("type")) or "software"
    date = _text(entry.get("date-released")) or _text(entry.get("date-published")) or ""
    year = four_digit_year(entry.get("year")) or four_digit_year(date[:4])
    container = _name_of(entry.get("journal")) or _name_of(entry.get("collection-title"))
    container = container or _name_of(entry.get("conference")) or _name_of(entry.get("booktitle"))
    start, end = _text(entry.get("start")), _text(entry.get("end"))
    cited = {
        "type": kind,
        "title": _text(entry.get("title")),
        "authors": _cff_people(entry),
        "year": year,
        "version": _text(entry.get("version")),
        "date_released": date or None,
        "doi": _doi(entry),
        "url": _text(entry.get("url")),
        "license": _text(whole.get("license")) if entry is whole else None,
        "container": container,
        "volume": _text(entry.get("volume")),
        "issue": _text(entry.get("issue")),
        "pages": _text(entry.get("pages")) or (f"{start}-{end}" if start and end else start),
        "publisher": _name_of(entry.get("publisher")),
    }
    return {k: v for k, v in cited.items() if v not in (None, "", [])}


def four_digit_year(value: Any) -> int | None:
    """A year as CITATION.cff, BibTeX and GitHub's dates write it: four digits, else None."""
    text = str(value or "").strip()
    return int(text) if re.fullmatch(r"\d{4}", text) else None


def _cff_people(entry: Mapping[str, Any]) -> list[dict[str, str]]:
    people = []
    listed = entry.get("authors")
    for author in listed if isinstance(listed, list) else ():
        if not isinstance(author, Mapping):
            continue
        family = " ".join(
            p for p in (_text(author.get("name-particle")), _text(author.get("family-names"))) if p
        )
        if family:
            person = {"family": family, "given": _text(author.get("given-names")), "suffix": None}
            person["suffix"] = _text(author.get("name-suffix"))
            people.append({k: v for k, v in person.items() if v})
        elif name := _text(author.get("name")):
            people.append({"literal": name})  # an entity: a team, an organisation
    return people


def _doi(entry: Mapping[str, Any]) -> str | None:
    doi = _text(entry.get("doi"))
    listed = entry.get("identifiers")
    for ident in listed if isinstance(listed, list) else ():
        if doi is None and isinstance(ident, Mapping) and ident.get("type") == "doi":
            doi = _text(ident.get("value"))
    return doi.lower() if doi else None


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (Mapping, list, bool)):
        return None
    text = " ".join(str(value).split())
    return text or None


def _name_of(value: Any) -> str | None:
    """A CFF entity ({name: ...}) or a plain string."""
    return _text(value.get("name")) if isinstance(value, Mapping) else _text(value)
