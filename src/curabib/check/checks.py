"""`curabib check`: a linter for list maintainers. Each check is a small function returning findings.

Findings are records (level, code, where, message), printed for people or as JSON for tools; any error
makes the command exit 1, so a list's CI can run it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from curabib.check import evidence, published, repositories
from curabib.check.places import also_listed, at_item, at_work, others, place
from curabib.export.bibtex import entry_type, sort_label
from curabib.export.common import venue_name
from curabib.ids import PAPER_KINDS
from curabib.keys import key_collisions_in, pin_missing_keys, titles_agree
from curabib.merge.fields import search_key
from curabib.model import FOUND, CuratedList, Diagnostic, Item, Record, Work
from curabib.pipeline import Bibliography, merge_works
from curabib.places import named_sources
from curabib.sources import registered
from curabib.wording import counted

_PAPER_IDS = PAPER_KINDS


def _search_stores() -> list[str]:
    """The stores of every source's title searches (`Source.search_stores`: arXiv, Crossref, DBLP), read
    when asked: a source registered later counts too."""
    return [store for source in registered() for store in source.search_stores]


@dataclass(frozen=True)
class Checked:
    """What the checks read: the lists, the works they merge into, and the fetched records."""

    lists: Sequence[CuratedList]
    bibliography: Bibliography[Work]
    records: Mapping[str, Record]
    entries: str = "entries"  # the entries folder as the user reaches it: "proj/entries" under `-C proj`
    # A list's name -> its Markdown file as findings name it (`places.named_sources`), and as the user
    # reaches it for the lists whose Markdown is there (`present`): findings point at those lines.
    sources: Mapping[str, str] = field(default_factory=dict)
    present: Mapping[str, str] = field(default_factory=dict)

    def work_of(self, item: Item) -> Work | None:
        key = str(item.key)
        return self.bibliography.works.get(self.bibliography.canonical.get(key, key))

    def items_of(self, key: str) -> list[Item]:
        """Every item of the work `key` (or of the work an alias of it names), in list order."""
        return self._by_work.get(self.bibliography.canonical.get(key, key), [])

    @cached_property
    def _by_work(self) -> dict[str, list[Item]]:
        found: dict[str, list[Item]] = {}
        canonical = self.bibliography.canonical
        for _, item in _items(self.lists):
            found.setdefault(canonical.get(str(item.key), str(item.key)), []).append(item)
        return found


def _items(lists: Sequence[CuratedList]) -> Iterator[tuple[CuratedList, Item]]:
    for lst in lists:
        for item in lst.all_items():
            yield lst, item


def unresolved(checked: Checked) -> Iterator[Diagnostic]:
    """Papers without an identifier that no search found: once per work, at its first such item. An item
    merged with an item that has an identifier (the same key, or one work by `dedupe`) is resolved."""
    reported: set[str] = set()
    for _, item in _items(checked.lists):
        if item.kind != "paper" or _identified(item):
            continue
        work = checked.work_of(item)
        key = work.key if work is not None else str(item.key)
        if key in reported:
            continue
        reported.add(key)
        behind = checked.items_of(key) or [item]
        if any(_identified(i) for i in behind) or (work is not None and _has_paper_id(work)):
            continue
        searched = [_searched(checked, i) for i in behind]
        if any(found for found, _ in searched):
            continue
        done = any(asked for _, asked in searched)
        detail = (
            "nothing found by title" if done else "no identifier yet; `curabib refresh` looks it up by title"
        )
        yield at_work(checked, key, "warning", "unresolved", f"{item.display_title!r}: {detail}", item)


def _identified(item: Item) -> bool:
    return any(i.kind in _PAPER_IDS and not i.derived for i in item.ids)


def _has_paper_id(work: Work) -> bool:
    return any(work.identifier(kind) is not None for kind in _PAPER_IDS)


def _searched(checked: Checked, item: Item) -> tuple[bool, bool]:
    """Whether a title search found the item, and whether one was asked at all."""
    key = search_key(item)
    searched = [checked.records.get(f"{s}|{key}") for s in _search_stores()] if key else []
    return any(r is not None and r.status == FOUND for r in searched), any(r is not None for r in searched)


Owner = tuple[CuratedList, Item]


def _disagreeing(groups: dict[str, list[Owner]]) -> Iterator[tuple[str, Owner, Owner]]:
    """Within each group of items that share something, the items whose titles contradict the first."""
    for shared, owners in sorted(groups.items()):
        first = owners[0]
        for other in owners[1:]:
            if not titles_agree(first[1], other[1]):
                yield shared, first, other


def wrong_links_offline(checked: Checked) -> Iterator[Diagnostic]:
    """One identifier on items whose curated titles clearly differ: at least one link is wrong."""
    holders: dict[str, list[Owner]] = {}
    for lst, item in _items(checked.lists):
        for held in item.ids:
            if not held.derived and (held.kind in _PAPER_IDS or item.kind != "paper"):
                holders.setdefault(f"{held.kind}:{held.value}", []).append((lst, item))
    for ident, (_, first), (_, item) in _disagreeing(holders):
        yield at_item(
            checked,
            item,
            "error",
            "wrong-link",
            f"{ident} is also on {first.display_title!r} ({place(checked, first)}), "
            f"whose title differs from {item.display_title!r}: fix the link or the identifier, with a `note`",
        )


def wrong_links_fetched(checked: Checked) -> Iterator[Diagnostic]:
    for diagnostic in checked.bibliography.diagnostics:
        if diagnostic.code == "fetched-title-conflict" and diagnostic.subject is not None:
            yield at_work(checked, diagnostic.subject, "error", "wrong-link-fetched", diagnostic.message)


def twice_in_a_section(checked: Checked) -> Iterator[Diagnostic]:
    """One work twice in a section. Two works that share a key are not one work: that is a
    `key-collision`, reported as such."""
    canonical = checked.bibliography.canonical
    for lst in checked.lists:
        for path, section in lst.walk_sections():
            seen: dict[str, Item] = {}
            for item in section.items:
                key = canonical.get(str(item.key), str(item.key))
                first = seen.setdefault(key, item)
                if first is not item and titles_agree(first, item):
                    yield at_item(
                        checked,
                        item,
                        "warning",
                        "duplicate-in-section",
                        f"{item.display_title!r} is already listed in '{' / '.join(path)}' "
                        f"at {place(checked, first)}",
                    )


def possible_duplicates(checked: Checked) -> Iterator[Diagnostic]:
    """Two works that may be one: at the first item of the first, naming every item of both."""
    for possible in checked.bibliography.dedupe.possible:
        a, b = possible.keys
        listed = {key: ", ".join(place(checked, i) for i in checked.items_of(key)) for key in (a, b)}
        said = {key: f" (at {listed[key]})" if listed[key] else "" for key in (a, b)}
        yield at_work(
            checked,
            a,
            "warning",
            "possible-duplicate",
            f"{a}{said[a]} and {b}{said[b]} may be one work ({possible.reason}, {possible.score})",
            named=checked.items_of(a),
        )


def key_collisions(checked: Checked) -> Iterator[Diagnostic]:
    return iter(key_collisions_in(checked.lists, checked.entries, checked.present))


def provisional_keys(checked: Checked) -> Iterator[Diagnostic]:
    """How many keys of a list wait for their authors, at the first of them."""
    for lst in checked.lists:
        provisional = [item for item in lst.all_items() if item.key_provisional]
        if provisional:
            count = len(provisional)
            yield at_item(
                checked,
                provisional[0],
                "info",
                "provisional-keys",
                f"{count} {'key is' if count == 1 else 'keys are'} provisional (no author known), the first "
                f"here: `curabib refresh` then `curabib rekey`",
            )


def missing_fields(checked: Checked) -> Iterator[Diagnostic]:
    for work in checked.bibliography.works.values():
        if work.kind == "paper" and work.year is None and work.published is None:  # else venue-undated
            message = f"{work.title or work.label!r} has no year"
            yield at_work(checked, work.key, "warning", "missing-year", message)
        if work.kind == "paper" and work.title is None:
            message = f"only a name ({work.label!r}), no title yet"
            yield at_work(checked, work.key, "info", "label-only", message)


def missing_authors(checked: Checked) -> Iterator[Diagnostic]:
    """A work exported as published (an @inproceedings or @article typed by its venue, in the default
    dialect) without any author. The type is right, but BibTeX styles warn "empty author" and cite the work
    by its `key` field, not by its authors. One finding per work, at the first item that lists it, naming
    the others: writing the authors at any of them settles it."""
    for work in checked.bibliography.works.values():
        items = checked.items_of(work.key)
        if work.authors or entry_type(work) == "misc" or not items:
            continue
        container = venue_name(work) or (work.published.publisher if work.published else None)
        also = also_listed(checked, others(checked, work.key, items[0]))
        yield at_item(
            checked,
            items[0],
            "warning",
            "missing-authors",
            f"{work.title or work.label or work.key!r} is exported as @{entry_type(work)} ({container}) "
            f"without any author{also}: BibTeX styles warn 'empty author' and cite it as "
            f"{sort_label(work)!r}; `curabib refresh` then `curabib rekey` fill the authors, or write them "
            "under `authors:` in entries/",
        )


CHECKS: tuple[Callable[[Checked], Iterator[Diagnostic]], ...] = (
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
    repositories.repositories,
)


def run_checks(checked: Checked) -> list[Diagnostic]:
    return sorted((finding for check in CHECKS for finding in check(checked)), key=Diagnostic.sort_key)


def check_lists(
    lists: Sequence[CuratedList],
    records: Mapping[str, Record],
    prefer: str,
    venue_style: str,
    entries: str = "entries",
    present: Mapping[str, str] | None = None,
) -> list[Diagnostic]:
    """Every finding about `lists`, merged as a build merges them (items without a key get one for the
    checks; the build warns about those, `check` does not). `entries` is the folder as findings name it;
    `present` maps the name of a list whose Markdown file is there to that file as findings name it."""
    keyed = [_named(lst) for lst in pin_missing_keys(lists)[0]]
    bibliography = merge_works(keyed, records, prefer, venue_style)
    sources = named_sources(keyed, present)
    return run_checks(Checked(keyed, bibliography, records, entries, sources, dict(present or {})))


def _named(lst: CuratedList) -> CuratedList:
    """The list with every item's `origin` (the loader sets it; a list made in code may not have)."""
    return lst.map_items(lambda item: item if item.origin else replace(item, origin=lst.name))


LEVELS = ("error", "warning", "info")  # most severe first


def at_least(findings: Sequence[Diagnostic], level: str) -> list[Diagnostic]:
    """The findings at `level` or above (`warning`: errors and warnings)."""
    shown = LEVELS[: LEVELS.index(level) + 1]
    return [f for f in findings if f.level in shown]


def summary(lists: int, findings: Sequence[Diagnostic], level: str = "info") -> str:
    """`Checked 1 list: 1 error, 2 warnings`: the levels shown (`level` and above), counted."""
    by_level = Counter(f.level for f in findings)
    levels = LEVELS[: LEVELS.index(level) + 1]
    # "info" is counted as it is: "3 info".
    said = ", ".join(f"{by_level[n]} info" if n == "info" else counted(by_level[n], n) for n in levels)
    return f"Checked {counted(lists, 'list')}: {said}"
