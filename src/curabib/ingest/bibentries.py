"""What a bibliography file gives curabib, whatever its format (`bibfile.py` reads BibTeX and biblatex,
`csljson.py` CSL-JSON): the items, the entries skipped with line and reason, and the rules both readers
share, so that an entry means the same in either format: which kind of work it is, how a name is written
into the entry format, which identifiers and addresses are taken.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from curabib.ids import KINDS, PAPER_KINDS, Identifier
from curabib.keys import KEY_PATTERN
from curabib.model import Item, Person
from curabib.names import split_name

# -- what kind of work an entry is ---------------------------------------------------------------------
SOFTWARE_TYPES = frozenset({"software", "softwareversion", "softwaremodule", "codefragment"})
DATASET_TYPES = frozenset({"dataset"})
WEB_TYPES = frozenset({"online", "www", "electronic", "webpage"})
LINK_KIND = {"paper": "paper", "software": "code", "dataset": "dataset", "webpage": "site", "blog": "blog"}


@dataclass(frozen=True)
class Skipped:
    """An entry not imported (or imported with a part left out), where it is and why, with the fix."""

    line: int | None
    key: str | None
    reason: str


@dataclass
class BibEntries:
    """What one bibliography file gives: its items in file order, the entries skipped, the warnings about
    entries imported anyway, and the crossref parents that lent their fields instead of being imported."""

    items: list[Item] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[Skipped] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    _lines: dict[str, int | None] = field(default_factory=dict, repr=False)

    def add(self, key: str | None, line: int | None, make: Callable[[], Item | str]) -> None:
        """Add the item `make` builds for the entry `key` at `line`, or skip it with the reason it (or the
        key) gives. A key without one gets its key later (`Item.key` None): CSL-JSON items may have no id."""
        if key is not None and not KEY_PATTERN.match(key):
            reason = f"key '{key}' has characters BibTeX cannot take; use letters, digits and _ : . + / -"
            self.skipped.append(Skipped(line, key, reason))
            return
        folded = key.casefold() if key is not None else None
        if folded is not None and folded in self._lines:
            first = self._lines[folded]
            where = f" (first at line {first})" if first else ""
            reason = f"key '{key}' is used again{where}; BibTeX keys ignore case: rename or remove one"
            self.skipped.append(Skipped(line, key, reason))
            return
        made = make()
        if isinstance(made, str):
            self.skipped.append(Skipped(line, key, made))
            return
        if folded is not None:
            self._lines[folded] = line
        self.items.append(made)


def work_kind(entry_type: str, ids: list[Identifier], url: str | None, published: bool) -> str:
    """The kind table: software and dataset types are what they say; a web type (and a @misc with a URL
    that names no venue or `howpublished`) is a webpage unless an identifier says it is a paper (or a
    GitHub repository: software); every other type is a paper."""
    if entry_type in SOFTWARE_TYPES:
        return "software"
    if entry_type in DATASET_TYPES:
        return "dataset"
    if entry_type in WEB_TYPES or (entry_type == "misc" and url and not published):
        if any(i.kind in PAPER_KINDS for i in ids):
            return "paper"
        return "software" if any(i.kind == "github" for i in ids) else "webpage"
    return "paper"


def one_per_kind(ids: list[Identifier]) -> tuple[Identifier, ...]:
    """The entry format holds one identifier of each kind: the first found wins (the entry's own field
    before one read from its URL)."""
    kept: dict[str, Identifier] = {}
    for ident in ids:
        kept.setdefault(ident.kind, ident)
    return tuple(kept.values())


def person(first: list[str], von: list[str], last: list[str], jr: list[str]) -> str:
    """A name as the entry format writes it, given name first ("Ludwig van Beethoven"), when the name reader
    (`merge.names.split_name`) reads it back the same; else "von Last, First" ("Brinch Hansen, Per")."""
    family, given, suffix = " ".join(von + last), " ".join(first) or None, " ".join(jr) or None
    plain = " ".join(first + von + last + jr)
    if split_name(plain) == Person(family=family, given=given, suffix=suffix):
        return plain
    return ", ".join(part for part in (family, suffix, given) if part)


def web_address(url: str | None, warnings: list[str]) -> str | None:
    """The URL when it is a web address; else None and a warning (Zotero exports write `the url`)."""
    if not url:
        return None
    if re.match(r"(?i)^(https?|ftp)://\S+$", url):
        return url
    warnings.append(f"url '{url}' is not a web address: left out")
    return None


def doi(value: str | None, warnings: list[str]) -> Identifier | None:
    """The DOI a field gives (bare, `doi:`-prefixed or as a resolver URL); else None and a warning."""
    read = KINDS["doi"].from_token
    if not value or read is None:
        return None
    found = read(value)
    if found is None:
        warnings.append(f"doi '{value}' is not a DOI: left out")
    return found


def year_in(text: str | None) -> int | None:
    found = re.search(r"(?<!\d)(\d{4})(?!\d)", text or "")
    return int(found.group(1)) if found else None
