"""Every work of a project by its key, with every other key that names it (aliases: keys merged into it,
keys `rekey` replaced) and where the lists name it. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import process

from curabib.ids import parse_identifier
from curabib.model import CuratedList, Item, Work
from curabib.pipeline import Bibliography


@dataclass(frozen=True, slots=True)
class Place:
    """One curated item behind a work: its list, its section's headings and the item (lines in it)."""

    list_name: str
    section: tuple[str, ...]
    item: Item
    source: str | None  # the list's Markdown file, as its entry file names it


@dataclass(frozen=True)
class Catalogue:
    works: Mapping[str, Work]  # by the key each work keeps
    keys: Mapping[str, str]  # every key and alias -> the key its work keeps
    places: Mapping[str, tuple[Place, ...]]  # kept key -> the items behind the work, in curated order
    identifiers: Mapping[str, str]  # "arxiv:1706.03762", "doi:10.1/x" -> kept key

    @classmethod
    def of(cls, lists: Sequence[CuratedList], bibliography: Bibliography[Work]) -> Catalogue:
        """The catalogue of `lists` (keys pinned) merged into `bibliography`."""
        canonical = bibliography.canonical
        keys = dict(canonical)
        for key, work in bibliography.works.items():
            keys[key] = key
            for alias in work.aliases:
                keys.setdefault(alias, key)
        places: dict[str, list[Place]] = {}
        for lst in lists:
            for item in lst.items:
                places.setdefault(canonical.get(str(item.key), str(item.key)), []).append(
                    Place(lst.name, (), item, lst.source)
                )
            for path, section in lst.walk_sections():
                for item in section.items:
                    kept = canonical.get(str(item.key), str(item.key))
                    places.setdefault(kept, []).append(Place(lst.name, path, item, lst.source))
        identifiers = {
            f"{ident.kind}:{ident.value}".lower(): key
            for key, work in sorted(bibliography.works.items())
            for ident in work.ids
            if not ident.derived
        }
        return cls(bibliography.works, keys, {k: tuple(v) for k, v in places.items()}, identifiers)

    def resolve(self, reference: str) -> str | None:
        """The kept key a reference names: a key, an alias, or an identifier the work carries
        (`arXiv:1706.03762`, a DOI, a URL of either)."""
        if reference in self.keys:
            return self.keys[reference]
        ident = parse_identifier(reference.strip())
        if ident is None:
            return None
        return self.identifiers.get(f"{ident.kind}:{ident.value}".lower())

    def aliases_of(self, key: str) -> list[str]:
        """Every other key that names the work kept as `key`, sorted."""
        return sorted(k for k, kept in self.keys.items() if kept == key and k != key)

    def nearest(self, key: str, limit: int = 3) -> list[str]:
        """The known keys closest to a key no work has (a typo, an old spelling), closest first."""
        found = process.extract(key, sorted(self.keys), limit=limit, score_cutoff=60)
        return [match for match, _, _ in found]
