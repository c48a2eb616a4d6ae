"""Merge stage: the items of every list -> one `Work` per citation key.

Curated fields win over fetched ones, field by field; among items sharing a key the first that has a field
gives it (lists in name order, items in curated order), so the result is deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

from curabib.fetched import FetchedRecord
from curabib.identifiers import Identifier, canonical_url
from curabib.keys import base_key, unique_key
from curabib.model import CuratedList, Diagnostic, Item, Person, Work
from curabib.names import split_name

T = TypeVar("T")
_URL_PREFERENCE = ("paper", "code", "model", "dataset", "blog", "site", "pdf")


def pin_missing_keys(lists: Sequence[CuratedList]) -> list[Diagnostic]:
    """Items added by hand without a key get a deterministic one for this build, and a warning."""
    taken = {key for lst in lists for item in lst.all_items() for key in (item.key, *item.aliases) if key}
    diagnostics = []
    for lst in lists:
        for item in lst.all_items():
            if item.key is None:
                base, provisional = base_key(item)
                item.key, item.key_provisional = unique_key(base, taken), provisional
                taken.add(item.key)
                diagnostics.append(
                    Diagnostic(
                        "warning",
                        f"entries/{lst.name}.yaml:{item.line}",
                        f"no key: using '{item.key}' for this build; run `curabib pin-keys` to store it",
                        code="unpinned-key",
                    )
                )
    return diagnostics


def collect_works(
    lists: Sequence[CuratedList], fetched: Mapping[str, FetchedRecord] | None = None
) -> dict[str, Work]:
    grouped: dict[str, list[Item]] = {}
    for lst in sorted(lists, key=lambda x: x.name):
        for item in lst.all_items():
            assert item.key is not None, "pin_missing_keys runs first"
            grouped.setdefault(item.key, []).append(item)
    return {key: _merge(key, items, fetched or {}) for key, items in grouped.items()}


def _first(values: Sequence[T | None]) -> T | None:
    return next((v for v in values if v not in (None, "", ())), None)


def _merge(key: str, items: list[Item], fetched: Mapping[str, FetchedRecord]) -> Work:
    ids = _merged_ids(items)
    records = [fetched[f"{i.kind}:{i.value}"] for i in ids if f"{i.kind}:{i.value}" in fetched]
    with_authors = next((i for i in items if i.authors), None)
    authors: tuple[Person, ...] = ()
    if with_authors is not None:
        authors = tuple(split_name(a) for a in with_authors.authors)
    elif records and records[0].authors:
        authors = records[0].authors
    return Work(
        key=key,
        kind=items[0].kind,
        title=_first([i.title for i in items]) or _first([r.title for r in records]),
        label=_first([i.label for i in items]),
        authors=authors,
        et_al=with_authors.et_al if with_authors else False,
        year=_first([i.year for i in items]) or _first([r.year for r in records]),
        venue=_first([i.venue for i in items]) or _first([r.venue for r in records]),
        url=_url(items, ids),
        ids=tuple(ids),
        aliases=tuple(sorted({a for i in items for a in i.aliases})),
    )


def _merged_ids(items: list[Item]) -> list[Identifier]:
    found: dict[str, Identifier] = {}
    for ident in (i for item in items for i in item.ids):
        current = found.get(ident.kind)
        if current is None or (current.derived and not ident.derived):
            found[ident.kind] = ident
    return list(found.values())


def _url(items: list[Item], ids: list[Identifier]) -> str | None:
    arxiv = next((i for i in ids if i.kind == "arxiv"), None)
    if arxiv is not None:
        return canonical_url(arxiv)
    links = [link for item in items for link in item.links if link.url.startswith(("http://", "https://"))]
    for kind in _URL_PREFERENCE:
        for link in links:
            if link.kind == kind:
                return link.url
    return None
