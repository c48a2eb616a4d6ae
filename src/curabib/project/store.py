"""The fetched-metadata store: what `refresh` recorded from the APIs, kept apart from curated entries.

One JSON file per record under `entries/fetched/<source>/`, naming its source, identifier, status, the
fields kept, when and from which URL it was fetched. Sorted keys and one file per record keep git diffs
readable; every file is written atomically, so a run stopped at any point leaves a valid store and the
next run resumes where it stopped. `build` reads it offline.

`url` is the request as the public API knows it (`https://export.arxiv.org/api/query?...`), whatever
endpoint answered (a mirror, a proxy, the local test server): the store is committed and shared, and a
local address with a random port would mean nothing to its readers and change on every run.
`fetched_at` is when the answer was last received, and freshness (`refresh --older-than`) is read from
it, so a record asked again is rewritten even when its content is unchanged: keeping the old date would
leave it stale and have every later run ask it again. Runs that must be reproducible (the recorded
example, `examples/recorded/regenerate.py`) fix the clock instead.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from curabib.errors import EntryError
from curabib.model import Record
from curabib.project.files import write_text_atomic


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class Store:
    def __init__(self, entries_dir: Path) -> None:
        self.root = entries_dir / "fetched"
        self._cache: dict[str, Record] | None = None

    def path(self, source: str, ident: str) -> Path:
        name = quote(ident.split(":", 1)[1], safe="")
        if len(name) > 100 or source.endswith("-search"):
            # Titles make long, awkward names: a readable start and a hash of the whole id.
            digest = hashlib.sha1(ident.encode("utf-8")).hexdigest()[:12]
            name = re.sub(r"[^a-z0-9]+", "-", ident.split(":", 1)[1].lower()).strip("-")[:60] + "-" + digest
        return self.root / source / f"{name}.json"

    def put(self, record: Record) -> None:
        write_text_atomic(self.path(record.source, record.id), record.to_json())
        if self._cache is not None:
            self._cache[_key(record.source, record.id)] = record

    def get(self, source: str, ident: str) -> Record | None:
        return self.records().get(_key(source, ident))

    def records(self) -> dict[str, Record]:
        if self._cache is None:
            self._cache = {_key(r.source, r.id): r for r in self._read_all()}
        return self._cache

    def _read_all(self) -> Iterator[Record]:
        for path in sorted(self.root.glob("*/*.json")):
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
                yield Record(
                    source=raw["source"],
                    id=raw["id"],
                    status=raw["status"],
                    fetched_at=raw["fetched_at"],
                    url=raw["url"],
                    fields=raw["fields"],
                )
            except (ValueError, KeyError, TypeError) as err:
                raise EntryError(
                    path, 1, f"not a valid fetched record ({err}); delete it and refresh"
                ) from err


def _key(source: str, ident: str) -> str:
    return f"{source}|{ident}"
