"""`curabib import-bib`'s use case: a bibliography file (BibTeX, biblatex or CSL-JSON) into
`entries/<list>.yaml`, as one section of curated items keyed by the file's own citation keys.

Reading the file into items is pure (`ingest/bibfile.py`, `ingest/csljson.py`); here the file is read,
the items meet the project's other lists (keys for CSL items without one, keys another list already gives
to a different work), and the list is written. A re-import merges by the rule `import-md` follows
(`ingest/reimport.py`): an entry keeps every field it has, so a hand edit survives, and takes the file's
value only where it has none. The list's sections stay the curator's: an entry moved to another section
stays there, and only new entries go to the import's section.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from anyascii import anyascii

from curabib.errors import InputError
from curabib.ingest.bibentries import BibEntries
from curabib.ingest.reimport import merge_reimport
from curabib.keys import assign_keys, titles_agree
from curabib.model import CuratedList, Diagnostic, Item, Section
from curabib.project.entries import list_name_problem

if TYPE_CHECKING:
    from curabib.project import Project

DEFAULT_SECTION = "References"  # what a bibliography file's entries are, when no --section names them


@dataclass(frozen=True)
class BibImport:
    """What an import did: the list as written and where, the file's items, and every finding."""

    target: Path
    curated: CuratedList
    items: list[Item]  # the file's entries as read (before the merge into an existing list)
    heading: str
    skipped: list[Diagnostic] = field(default_factory=list)  # one per entry left out, file:line and why
    diagnostics: list[Diagnostic] = field(default_factory=list)  # imported, but worth a look
    parents: list[str] = field(default_factory=list)  # crossref parents that lent their fields
    merged: bool = False  # the list existed: the file was merged into it
    added: int = 0  # entries new to the list (all of them for a new list)

    @property
    def kinds(self) -> Counter[str]:
        return Counter(item.kind for item in self.items)


def list_name_for(path: Path, given: str | None) -> str:
    """The list's name: `--list`, else the file name's stem as a slug ("My Refs.bib" -> "my-refs")."""
    name = given if given is not None else "-".join(re.findall(r"[a-z0-9]+", anyascii(path.stem).lower()))
    problem = list_name_problem(name)
    if problem is None:
        return name
    if given is None:
        problem += f" (the name comes from the file name '{path.name}'; give one with --list NAME)"
    raise InputError(f"--list: {problem}")


def read_entries(path: Path, source: str) -> BibEntries:
    """The file's entries, by its format: CSL-JSON for `.json` or text starting with `[` or `{`, else
    BibTeX (biblatex too). `InputError` for a file that cannot be read, is not UTF-8, or is broken JSON."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}") from err
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{path}: not UTF-8 text (byte {err.start}: {err.reason}); save it as UTF-8 and import it again"
        ) from err
    if path.suffix.lower() == ".json" or text.lstrip()[:1] in ("[", "{"):
        from curabib.ingest.csljson import read_csl_json

        try:
            return read_csl_json(text)
        except InputError as err:
            raise InputError(f"{source}: {err}") from err
    from curabib.ingest.bibfile import read_bibtex  # bibtexparser and pylatexenc load only here

    return read_bibtex(text)


def import_bib(
    project: Project, path: Path, list_name: str | None, section: str | None, title: str | None
) -> BibImport:
    """Import `path` into `entries/<list>.yaml` (created, or merged into when it exists) and save it."""
    name = list_name_for(path, list_name)
    where = str(path)
    found = read_entries(path, where)
    skipped = [_finding("skipped-entry", where, s.line, s.key, s.reason) for s in found.skipped]
    if not found.items:
        shown = "; ".join(f"{d.where}: {d.message}" for d in skipped[:3]) + (
            "; ..." if len(skipped) > 3 else ""
        )
        raise InputError(
            f"{where}: no entry could be imported" + (f" ({shown})" if shown else " (the file holds none)")
        )
    heading = section or DEFAULT_SECTION
    previous, others = project.split_lists(name)
    others_items = [item for other in others for item in other.all_items()]
    items, diagnostics = _keyed(found.items, name, heading, others_items, previous)
    diagnostics += [_finding("partly-imported", where, w.line, w.key, w.reason) for w in found.warnings]
    diagnostics += _collisions(items, others, where)
    fresh = CuratedList(name, title=title, source=project.relative_source(path), sections=[Section(heading)])
    added = len(items)
    if previous is None:
        fresh.sections[0].items.extend(items)
        curated = fresh
    else:
        arranged, added, kept = _arranged(fresh, items, previous, heading, path.name)
        curated, _ = merge_reimport(arranged, previous, title)  # every entry is in `arranged`: none gone
        diagnostics += kept
    target = project.save_list(curated)
    return BibImport(
        target, curated, items, heading, skipped, diagnostics, found.parents, previous is not None, added
    )


def _finding(code: str, where: str, line: int | None, key: str | None, reason: str) -> Diagnostic:
    message = reason if key is None or f"'{key}'" in reason else f"'{key}': {reason}"
    return Diagnostic("warning", code, message, file=where, line=line)


def _keyed(
    items: list[Item], name: str, heading: str, others: list[Item], previous: CuratedList | None
) -> tuple[list[Item], list[Diagnostic]]:
    """The items, those without a key of their own (CSL-JSON items without an id) keyed as `import-md`
    keys: found again in an earlier import, shared with the same work in another list, or new."""
    keyless = [item for item in items if item.key is None]
    if not keyless:
        return items, []
    keyed_ones = [item for item in items if item.key is not None]
    keyed, diagnostics = assign_keys(
        CuratedList(name, sections=[Section(heading, keyless)]), [*others, *keyed_ones], previous
    )
    given = iter(keyed.all_items())
    return [item if item.key is not None else next(given) for item in items], diagnostics


def _collisions(items: list[Item], others: list[CuratedList], where: str) -> list[Diagnostic]:
    """An imported key that another list gives to a clearly different work: `build` refuses those."""
    owners = {
        key: (lst, item) for lst in others for item in lst.all_items() for key in (item.key, *item.aliases)
    }
    found = []
    for item in items:
        owner = owners.get(item.key or "")
        if owner is not None and not titles_agree(item, owner[1]):
            found.append(
                _finding(
                    "key-collision",
                    where,
                    item.source_line,
                    item.key,
                    f"the key also names '{owner[1].display_title}' in entries/{owner[0].name}.yaml; "
                    "one key cannot cite two works: rename one of them",
                )
            )
    return found


def _arranged(
    fresh: CuratedList, items: list[Item], current: CuratedList, heading: str, source: str
) -> tuple[CuratedList, int, list[Diagnostic]]:
    """The file's items laid out as `current` is: each where the entry with its key (or alias) is, new ones
    at the end of the import's section (created when missing), and the entries the file no longer has left
    where they are, with a warning, so that nothing the curator wrote is lost silently. `merge_reimport`
    then merges field by field. Also how many items are new, and the warnings."""
    by_key = {item.key: item for item in items if item.key}
    placed: set[str] = set()
    kept: list[Diagnostic] = []

    def take(entry: Item) -> Item:
        key = next((k for k in (entry.key, *entry.aliases) if k in by_key and k not in placed), None)
        if key is not None:
            placed.add(key)
            return by_key[key]
        message = (
            f"'{entry.display_title}' ({entry.key}) is not in {source} (any more); "
            "kept in entries/ (delete it there if it should go)"
        )
        kept.append(Diagnostic("warning", "kept-entry", message, file=current.file, line=entry.line))
        return replace(entry, source_line=None)  # no longer a line of the file

    def section(old: Section) -> Section:
        return Section(old.heading, [take(i) for i in old.items], [section(s) for s in old.sections])

    result = replace(fresh, items=[take(i) for i in current.items], sections=[])
    result.sections = [section(s) for s in current.sections]
    new = [item for item in items if item.key not in placed]
    if new:
        target = next((s for s in result.sections if s.heading == heading), None)
        if target is None:
            target = Section(heading)
            result.sections.append(target)
        target.items.extend(new)
    return result, len(new), kept
