"""The fetched-metadata store: what `refresh` recorded from the APIs, kept apart from curated entries.

One JSON file per record under `entries/fetched/<source>/`, each naming its source, identifier, the fields
kept, when and from which URL it was fetched. `build` reads it offline; curated fields always win.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from curabib.entries import EntryError
from curabib.model import Person


@dataclass(frozen=True, slots=True)
class FetchedRecord:
    source: str
    identifier: str  # "arxiv:1706.03762", "doi:10.1145/3458754"
    title: str | None = None
    authors: tuple[Person, ...] = ()
    year: int | None = None
    venue: str | None = None
    arxiv_class: str | None = None


def store_dir(entries_dir: Path) -> Path:
    return entries_dir / "fetched"


def load_fetched(entries_dir: Path) -> dict[str, FetchedRecord]:
    records: dict[str, FetchedRecord] = {}
    for path in sorted(store_dir(entries_dir).glob("*/*.json")):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            fields = raw.get("fields", {})
            record = FetchedRecord(
                source=raw["source"],
                identifier=raw["id"],
                title=fields.get("title"),
                authors=tuple(
                    Person(family=a["family"], given=a.get("given"), literal=bool(a.get("literal")))
                    for a in fields.get("authors", ())
                ),
                year=fields.get("year"),
                venue=fields.get("venue"),
                arxiv_class=fields.get("arxiv_class"),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            raise EntryError(path, 1, f"not a valid fetched record ({err}); delete it and refresh") from err
        records[record.identifier] = record
    return records
