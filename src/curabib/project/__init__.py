"""The project on disk, the one place curabib reads and writes files: `entries/` (the curated lists), the
fetched-metadata store beside them, `curabib.yaml` and `bib/`. `Project` is the library API the command
line calls; every write is atomic (`files.py`), and bad input raises `EntryError` with file and line."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from curabib.errors import EntryError, InputError
from curabib.export import ExportOptions
from curabib.export.layout import META_DIR, recorded_options, written_files
from curabib.model import CuratedList, Diagnostic, Record
from curabib.project import entries, papers, writing
from curabib.project.files import Written, output_folder, stale_files, write_owned
from curabib.project.settings import DIALECTS, VENUE_STYLES, Settings, load_settings
from curabib.project.store import Store

if TYPE_CHECKING:
    from curabib.cite.catalogue import Catalogue
    from curabib.dedupe.duplicates import Dedupe
    from curabib.fetch.executor import Report
    from curabib.project.adding import Added, Given
    from curabib.project.bibfiles import BibImport
    from curabib.project.building import BuildResult
    from curabib.project.checking import CheckResult
    from curabib.project.importing import MarkdownImport
    from curabib.project.refreshing import RefreshPlan
    from curabib.project.site import SiteResult

__all__ = ["Project"]


@dataclass
class Project:
    settings: Settings
    _store: Store | None = field(default=None, repr=False)

    @classmethod
    def open(cls, root: Path) -> Project:
        """The project in `root`, with its settings read (`EntryError` for a bad curabib.yaml)."""
        return cls(load_settings(root))

    @property
    def root(self) -> Path:
        return self.settings.root

    @property
    def entries_dir(self) -> Path:
        return self.settings.entries_dir

    @property
    def bib_dir(self) -> Path:
        return self.settings.bib_dir

    # -- the curated lists ----------------------------------------------------------------------------
    def has_lists(self) -> bool:
        return bool(entries.list_paths(self.entries_dir))

    def lists(self) -> list[CuratedList]:
        """Every list, in file name order; the first bad file stops it with `EntryError`."""
        return entries.load_all(self.entries_dir)

    def readable_lists(self) -> tuple[list[CuratedList], list[Diagnostic]]:
        """The lists that can be read, and an `invalid-entry` error for each that cannot (`check` reports
        every bad file at once)."""
        lists, problems = [], []
        for path in entries.list_paths(self.entries_dir):
            try:
                lists.append(entries.load(path))
            except EntryError as err:
                # As the user reaches the file: "entries/x.yaml", or "proj/entries/x.yaml" under -C proj.
                where = str(path)
                problems.append(Diagnostic("error", "invalid-entry", err.detail, file=where, line=err.line))
        return lists, problems

    def list_path(self, name: str) -> Path:
        return self.entries_dir / f"{name}.yaml"

    def split_lists(self, name: str) -> tuple[CuratedList | None, list[CuratedList]]:
        """The list called `name` if it exists, and every other list."""
        target = self.list_path(name)
        previous = entries.load(target) if target.exists() else None
        others = [entries.load(path) for path in entries.list_paths(self.entries_dir) if path != target]
        return previous, others

    def relative_source(self, path: Path) -> str:
        """How a list names its Markdown file: its path from the project folder when it lies inside (so
        that CI annotations point at it), else its name."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.name

    @staticmethod
    def read_markdown(path: Path) -> str:
        """A Markdown file's text (UTF-8, with or without a byte-order mark), or `InputError`."""
        try:
            data = path.read_bytes()
        except OSError as err:
            raise InputError(f"{path}: cannot read: {err.strerror}") from err
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise InputError(
                f"{path}: not UTF-8 text (byte {err.start}: {err.reason}); is this a Markdown file?"
            ) from err

    def save_list(self, curated: CuratedList) -> Path:
        return writing.save(curated, self.entries_dir)

    def save_changed(self, before: Iterable[CuratedList], after: Iterable[CuratedList]) -> list[CuratedList]:
        """Write the lists of `after` that differ from their counterpart in `before`; those lists."""
        changed = [new for old, new in zip(before, after, strict=True) if new != old]
        for curated in changed:
            self.save_list(curated)
        return changed

    def import_markdown(self, path: Path, list_name: str, title: str | None = None) -> MarkdownImport:
        """Import a Markdown list into `entries/<list>.yaml` (merged into the list when it exists) and save
        it (`project/importing.py`); `InputError`/`EntryError` for input that cannot be imported."""
        from curabib.project import importing

        return importing.import_markdown_file(self, path, list_name, title)

    def check(self, level: str = "info") -> CheckResult:
        """The findings of `check` at `level` or above (`project/checking.py`)."""
        from curabib.project import checking

        return checking.check(self, level)

    def check_markdown(self, path: Path, list_name: str | None = None, level: str = "info") -> CheckResult:
        """The findings once the Markdown file `path` is imported, found in a scratch copy: entries/ is
        not written (`project/checking.py`)."""
        from curabib.project import checking

        return checking.check_markdown(self, path, list_name, level)

    def import_bib(
        self, path: Path, list_name: str | None = None, section: str | None = None, title: str | None = None
    ) -> BibImport:
        """Import a BibTeX, biblatex or CSL-JSON file into `entries/<list>.yaml` (merged into the list when
        it exists) and save it (`project/bibfiles.py`); `InputError` when nothing can be imported."""
        from curabib.project import bibfiles  # loads bibtexparser: only for an import

        return bibfiles.import_bib(self, path, list_name, section, title)

    def list_file(self, curated: CuratedList) -> str:
        """A list's file as the user reaches it (`entries/x.yaml`, or `proj/entries/x.yaml` under -C)."""
        return str(self.list_path(curated.name))

    def dedupe(self) -> Dedupe:
        """Which entries are one work (merged, with the reason and confidence) and which only look alike,
        as `build` merges them."""
        from curabib.keys import pin_missing_keys
        from curabib.pipeline import merge_works

        lists, _ = pin_missing_keys(self.lists())
        return merge_works(lists, self.records(), self.settings.prefer, self.settings.venue).dedupe

    def pin_keys(self) -> tuple[list[CuratedList], int]:
        """Store a key for every item that has none (added by hand); the lists written and the keys."""
        from curabib.keys import pin_missing_keys

        lists = self.lists()
        pinned, diagnostics = pin_missing_keys(lists)
        return self.save_changed(lists, pinned), len(diagnostics)

    # -- refresh and add: the network (project/refreshing.py, project/adding.py) ----------------------
    def plan_refresh(
        self,
        selectors: Sequence[str] = (),
        source: str | None = None,
        max_age: timedelta = timedelta(days=30),
        force: bool = False,
    ) -> RefreshPlan:
        """What `refresh` would ask now about the entries `selectors` name (all when none)."""
        from curabib.project import refreshing

        return refreshing.plan_refresh(self, selectors, source, max_age, force)

    def refresh(self, planned: RefreshPlan, progress: Callable[[int], None] = lambda n: None) -> Report:
        """Ask what `planned` plans, saving every answer in the store as it arrives."""
        from curabib.project import refreshing

        return refreshing.refresh(self, planned, progress)

    def add(self, identifier: str | None, given: Given, list_name: str, heading: str) -> Added:
        """Add one work under `heading` of `list_name` (both created when missing): the one `identifier`
        names, fetched, or without one the one `given` describes, offline (`project/adding.py`)."""
        from curabib.project import adding

        return adding.add(self, identifier, given, list_name, heading)

    # -- the fetched-metadata store -------------------------------------------------------------------
    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.entries_dir)
        return self._store

    def records(self) -> dict[str, Record]:
        return self.store.records()

    # -- bib/ -----------------------------------------------------------------------------------------
    # bib/ may hold the user's own files too: curabib replaces or removes only those the last build wrote,
    # as its index.json lists them (see files.write_owned).
    def _index(self) -> tuple[str | None, bool]:
        """The last build's index.json, and whether it was where builds before the dot-folder put it."""
        folder = output_folder(self.bib_dir)
        for path, legacy in ((folder / META_DIR / "index.json", False), (folder / "index.json", True)):
            try:
                if path.is_file():
                    return path.read_text(encoding="utf-8"), legacy
            except (OSError, UnicodeDecodeError):
                return None, False
        return None, False

    def _written_files(self) -> list[str]:
        text, legacy = self._index()
        return written_files(text, legacy)

    def write_bib(self, files: Iterable[tuple[str, Iterable[bytes]]]) -> Written:
        """Write `files` into bib/ all or nothing (those already there as they are, not again), and remove
        the files of the last build that are no longer written; how many files, how many changed.
        `InputError` when bib is a file."""
        return write_owned(self.bib_dir, files, self._written_files())

    def stale_bib_files(self, files: Iterable[tuple[str, Iterable[bytes]]]) -> tuple[list[str], int]:
        """The files of bib/ curabib wrote that differ from `files` (missing, changed or no longer
        written), and how many `files` there are."""
        return stale_files(self.bib_dir, files, self._written_files())

    def build(
        self,
        given: Mapping[str, str] | None = None,
        progress: Callable[[int], None] = lambda n: None,
        total: Callable[[int], None] = lambda n: None,
    ) -> BuildResult:
        """Write bib/ (options `given`, `dialect` and `venue`, over curabib.yaml's), all or nothing."""
        from curabib.project import building

        return building.build(self, given or {}, progress, total)

    def check_bib(
        self,
        given: Mapping[str, str] | None = None,
        progress: Callable[[int], None] = lambda n: None,
        total: Callable[[int], None] = lambda n: None,
    ) -> BuildResult:
        """Compare bib/ with what `build` writes (with the last build's options); nothing is written."""
        from curabib.project import building

        return building.check_bib(self, given or {}, progress, total)

    def last_build_options(self) -> dict[str, str]:
        """The command-line options (`venue`, `dialect`) of the build that wrote bib/, from its index.json:
        those this curabib knows (a hand-edited index.json may say anything)."""
        known = {"dialect": DIALECTS, "venue": VENUE_STYLES}
        return {k: v for k, v in recorded_options(self._index()[0]).items() if v in known.get(k, ())}

    def export_options(self, dialect: str | None = None) -> ExportOptions:
        """How works are written, as curabib.yaml says; a `dialect` given on the command line wins."""
        from curabib.export.latex import known_terms

        settings = self.settings
        return ExportOptions(
            dialect=dialect or settings.dialect,
            terms=known_terms(settings.terms),
            max_authors=settings.max_authors,
        )

    # -- writing a paper (project/papers.py) ----------------------------------------------------------
    def catalogue(self) -> Catalogue:
        """Every work with its keys, aliases and places, merged as `build` merges them."""
        return papers.catalogue(self)

    def find(self, text: str, limit: int | None = 20) -> papers.Found:
        """The works matching every word of `text`, best first."""
        return papers.find(self, text, limit)

    def show(self, reference: str) -> papers.Shown:
        """One work by key, alias or identifier: its BibTeX, aliases and curated items (`NotFound` naming
        the nearest keys when nothing matches)."""
        return papers.show(self, reference)

    def export_paper(self, cited: papers.Cited, fmt: str, output: Path | None = None) -> papers.PaperExport:
        """The bibliography of exactly what a paper cites (see `papers.cited_in`), under its keys."""
        return papers.export_paper(self, cited, fmt, output)

    def rekey(self, force: bool = False, dry_run: bool = False) -> papers.Rekeyed:
        """Re-derive provisional keys; keys bib/ already has are kept unless `force` (then aliases)."""
        return papers.rekey(self, force, dry_run)

    # -- the bibliography site (project/site.py) ------------------------------------------------------
    def write_site(self, folder: Path | None = None, style: Path | None = None) -> SiteResult:
        """Write the static site of every list into `folder` (default `site/`), all or nothing; `style` is
        a CSL file (default APA)."""
        from curabib.project import site  # loads citeproc: only for the site

        return site.write_site(self, folder, style)
