"""`curabib check`: a linter for list maintainers. Each check is a small function returning findings.

Findings are records (level, code, where, message), printed for people or as JSON for tools; any error
makes the command exit 1, so a list's CI can run it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from curabib.check import evidence, published
from curabib.export.bibtex import entry_type, sort_label
from curabib.export.common import venue_name
from curabib.ids import PAPER_KINDS
from curabib.merge.fields import search_key
from curabib.merge.keys import pin_missing_keys, titles_agree
from curabib.merge.works import Bibliography, merge_works
from curabib.model import FOUND, CuratedList, Diagnostic, Item, Record, Work

_PAPER_IDS = PAPER_KINDS


@dataclass(frozen=True)
class Project:
    lists: Sequence[CuratedList]
    bibliography: Bibliography[Work]
    records: Mapping[str, Record]
    entries: str = "entries"  # the entries folder as the user reaches it: "proj/entries" under `-C proj`

    def file(self, lst: CuratedList) -> str:
        return f"{self.entries}/{lst.name}.yaml"

    def list_named(self, name: str | None) -> CuratedList | None:
        return next((lst for lst in self.lists if lst.name == name), None)


def _where(entries: str, lst: CuratedList, item: Item) -> str:
    return f"{entries}/{lst.name}.yaml:{item.line}" if item.line else f"{entries}/{lst.name}.yaml"


def _at(entries: str, lst: CuratedList, item: Item, level: str, code: str, message: str) -> Diagnostic:
    return Diagnostic(level, code, message, file=f"{entries}/{lst.name}.yaml", line=item.line)


def _items(lists: Sequence[CuratedList]) -> Iterator[tuple[CuratedList, Item]]:
    for lst in lists:
        for item in lst.all_items():
            yield lst, item


def unresolved(project: Project) -> Iterator[Diagnostic]:
    for lst, item in _items(project.lists):
        if item.kind != "paper" or any(i.kind in _PAPER_IDS and not i.derived for i in item.ids):
            continue
        key = search_key(item)
        searched = (
            [project.records.get(f"{s}|{key}") for s in ("arxiv-search", "crossref-search")] if key else []
        )
        if any(r is not None and r.status == FOUND for r in searched):
            continue
        done = any(r is not None for r in searched)
        detail = (
            "nothing found by title" if done else "no identifier yet; `curabib refresh` looks it up by title"
        )
        yield _at(project.entries, lst, item, "warning", "unresolved", f"{item.display_title!r}: {detail}")


Owner = tuple[CuratedList, Item]


def _disagreeing(groups: dict[str, list[Owner]]) -> Iterator[tuple[str, Owner, Owner]]:
    """Within each group of items that share something, the items whose titles contradict the first."""
    for shared, owners in sorted(groups.items()):
        first = owners[0]
        for other in owners[1:]:
            if not titles_agree(first[1], other[1]):
                yield shared, first, other


def wrong_links_offline(project: Project) -> Iterator[Diagnostic]:
    """One identifier on items whose curated titles clearly differ: at least one link is wrong."""
    holders: dict[str, list[Owner]] = {}
    for lst, item in _items(project.lists):
        for held in item.ids:
            if not held.derived and (held.kind in _PAPER_IDS or item.kind != "paper"):
                holders.setdefault(f"{held.kind}:{held.value}", []).append((lst, item))
    for ident, (first_lst, first), (lst, item) in _disagreeing(holders):
        yield _at(
            project.entries,
            lst,
            item,
            "error",
            "wrong-link",
            f"{ident} is also on {first.display_title!r} ({_where(project.entries, first_lst, first)}), "
            f"whose title differs from {item.display_title!r}: fix the link or the identifier, with a `note`",
        )


def wrong_links_fetched(project: Project) -> Iterator[Diagnostic]:
    for diagnostic in project.bibliography.diagnostics:
        if diagnostic.code == "fetched-title-conflict":
            yield Diagnostic("error", "wrong-link-fetched", diagnostic.message, subject=diagnostic.subject)


def twice_in_a_section(project: Project) -> Iterator[Diagnostic]:
    canonical = project.bibliography.canonical
    for lst in project.lists:
        for path, section in lst.walk_sections():
            seen: dict[str, Item] = {}
            for item in section.items:
                key = canonical.get(str(item.key), str(item.key))
                if key in seen:
                    yield _at(
                        project.entries,
                        lst,
                        item,
                        "warning",
                        "duplicate-in-section",
                        f"{item.display_title!r} is already listed in '{' / '.join(path)}' "
                        f"(line {seen[key].line})",
                    )
                seen.setdefault(key, item)


def possible_duplicates(project: Project) -> Iterator[Diagnostic]:
    for possible in project.bibliography.dedupe.possible:
        a, b = possible.keys
        yield Diagnostic(
            "warning",
            "possible-duplicate",
            f"{a} and {b} may be one work ({possible.reason}, {possible.score})",
            subject=a,
        )


def key_collisions(project: Project) -> Iterator[Diagnostic]:
    return iter(key_collisions_in(project.lists, project.entries))


def key_collisions_in(lists: Sequence[CuratedList], entries: str = "entries") -> list[Diagnostic]:
    """One key on items whose titles clearly differ: two works, of which every bibliography would keep
    one. `build` refuses these (the same work listed twice under its key is normal and builds)."""
    by_key: dict[str, list[Owner]] = {}
    for lst, item in _items(lists):
        if item.key is not None:
            by_key.setdefault(item.key, []).append((lst, item))
    return [
        _at(
            entries,
            lst,
            item,
            "error",
            "key-collision",
            f"key {key} also names {first.display_title!r} ({_where(entries, first_lst, first)})",
        )
        for key, (first_lst, first), (lst, item) in _disagreeing(by_key)
    ]


def provisional_keys(project: Project) -> Iterator[Diagnostic]:
    for lst in project.lists:
        count = sum(1 for item in lst.all_items() if item.key_provisional)
        if count:
            yield Diagnostic(
                "info",
                "provisional-keys",
                f"{count} keys are provisional (no author known): `curabib refresh` then `curabib rekey`",
                file=project.file(lst),
            )


def missing_fields(project: Project) -> Iterator[Diagnostic]:
    for work in project.bibliography.works.values():
        if work.kind == "paper" and work.year is None and work.published is None:  # else venue-undated
            yield Diagnostic(
                "warning", "missing-year", f"{work.title or work.label!r} has no year", subject=work.key
            )
        if work.kind == "paper" and work.title is None:
            yield Diagnostic(
                "info", "label-only", f"only a name ({work.label!r}), no title yet", subject=work.key
            )


def missing_authors(project: Project) -> Iterator[Diagnostic]:
    """A work exported as published (an @inproceedings or @article typed by its venue, in the default
    dialect) without any author. The type is right, but BibTeX styles warn "empty author" and cite the work
    by its `key` field, not by its authors. One finding per work, at the first item that lists it, naming
    the others: writing the authors at any of them settles it."""
    canonical, works = project.bibliography.canonical, project.bibliography.works
    places: dict[str, list[Owner]] = {}
    for lst, item in _items(project.lists):
        work = works.get(canonical.get(str(item.key), str(item.key)))
        if work is not None and not work.authors and entry_type(work) != "misc":
            places.setdefault(work.key, []).append((lst, item))
    for key, ((lst, item), *others) in places.items():
        work = works[key]
        container = venue_name(work) or (work.published.publisher if work.published else None)
        also = ", ".join(_where(project.entries, o_lst, o_item) for o_lst, o_item in others)
        yield _at(
            project.entries,
            lst,
            item,
            "warning",
            "missing-authors",
            f"{work.title or work.label or key!r} is exported as @{entry_type(work)} ({container}) "
            f"without any author{f' (also listed at {also})' if also else ''}: BibTeX styles warn 'empty "
            f"author' and cite it as {sort_label(work)!r}; `curabib refresh` then `curabib rekey` fill "
            "the authors, or write them under `authors:` in entries/",
        )


CHECKS: tuple[Callable[[Project], Iterator[Diagnostic]], ...] = (
    wrong_links_offline,
    wrong_links_fetched,
    evidence.year_conflicts,
    evidence.venue_conflicts,
    evidence.implausible_years,
    evidence.undated_venues,
    published.venue_from_hint_alone,
    published.listed_as_preprint,
    published.identifier_titles,
    key_collisions,
    twice_in_a_section,
    possible_duplicates,
    unresolved,
    missing_fields,
    missing_authors,
    provisional_keys,
)


def run_checks(project: Project) -> list[Diagnostic]:
    return sorted((finding for check in CHECKS for finding in check(project)), key=Diagnostic.sort_key)


def check_lists(
    lists: Sequence[CuratedList],
    records: Mapping[str, Record],
    prefer: str,
    venue_style: str,
    entries: str = "entries",
) -> list[Diagnostic]:
    """Every finding about `lists`, merged as a build merges them (items without a key get one for the
    checks; the build warns about those, `check` does not). `entries` is the folder as findings name it."""
    keyed, _ = pin_missing_keys(lists)
    bibliography = merge_works(keyed, records, prefer, venue_style)
    return run_checks(Project(keyed, bibliography, records, entries))


def summary(findings: Sequence[Diagnostic]) -> str:
    levels = Counter(f.level for f in findings)
    return ", ".join(f"{levels[level]} {level}s" for level in ("error", "warning", "info"))
