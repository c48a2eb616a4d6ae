"""`Project.build` and `Project.check_bib`: entries/ and the store -> bib/, or a comparison with it. The
stages are `pipeline.py`; this module reads the project, chooses the options and writes the files."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from curabib.errors import InputError
from curabib.pipeline import Bibliographies, build_bibliographies, citation_keys

if TYPE_CHECKING:
    from curabib.project import Project


@dataclass(frozen=True)
class BuildResult:
    built: Bibliographies
    given: Mapping[str, str]  # the options given (`dialect`, `venue`), as bib/'s index records them
    lists: int
    written: int = 0  # files written (a build), or compared (a check)
    changed: int = 0  # of the files written, those whose bytes were not already in bib/
    stale: tuple[str, ...] = ()  # a check: the files of bib/ that differ from what build writes

    @property
    def flags(self) -> str:
        """The options as a command line gives them: " --venue short"."""
        return "".join(f" --{k} {v}" for k, v in sorted(self.given.items()))


def _built(
    project: Project, given: Mapping[str, str], progress: Callable[[int], None], total: Callable[[int], None]
) -> tuple[Bibliographies, int]:
    if not project.has_lists():
        raise InputError(f"no lists in {project.entries_dir}; import one with `curabib import-md`")
    records = project.records()
    lists = project.lists()
    total(citation_keys(lists))
    settings = project.settings
    built = build_bibliographies(
        lists,
        records,
        project.export_options(given.get("dialect")),
        settings.prefer,
        given.get("venue", settings.venue),
        progress=progress,
        entries=str(project.entries_dir),  # as the user reaches it: "proj/entries" under -C proj
    )
    return built, len(lists)


def build(
    project: Project,
    given: Mapping[str, str],
    progress: Callable[[int], None] = lambda n: None,
    total: Callable[[int], None] = lambda n: None,
) -> BuildResult:
    """Write bib/ with the options `given` (over curabib.yaml's), all or nothing; `total` is told how many
    works there are to merge, `progress` of each one done. `InputError`/`EntryError` for bad input."""
    built, lists = _built(project, given, progress, total)
    written = project.write_bib(built.files(given))
    return BuildResult(built, given, lists, written.files, written.changed)


def check_bib(
    project: Project,
    given: Mapping[str, str],
    progress: Callable[[int], None] = lambda n: None,
    total: Callable[[int], None] = lambda n: None,
) -> BuildResult:
    """Compare bib/ with what `build` writes, with the last build's options unless `given` says
    otherwise (`build --venue short` then `build --check` agree); nothing is written."""
    given = {**project.last_build_options(), **given}
    built, lists = _built(project, given, progress, total)
    stale, count = project.stale_bib_files(built.files(given))
    return BuildResult(built, given, lists, count, stale=tuple(stale))
