"""`curabib check`: the project's findings, and those of what importing a Markdown file would commit.

Findings name files as the user reaches them: `proj/entries/x.yaml:12` under `-C proj`, and the Markdown
file an item was imported from (its `source`, from the project folder) with the item's line. Checking a
Markdown file imports it into a scratch folder, never into entries/, and names the real files.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from curabib.check.checks import LEVELS, at_least, check_lists, summary
from curabib.errors import EntryError, InputError
from curabib.model import CuratedList, Diagnostic
from curabib.project import entries, importing

if TYPE_CHECKING:
    from curabib.project import Project


@dataclass(frozen=True)
class CheckResult:
    lists: int  # how many lists were checked
    findings: list[Diagnostic]  # those at `level` or above, unreadable files first, then in file order
    level: str = "info"

    @property
    def failed(self) -> bool:
        """Any error: `check` exits 1 (errors are shown at every level)."""
        return any(f.level == "error" for f in self.findings)

    def summary(self) -> str:
        """`Checked 1 list: 1 error, 2 warnings`: what is shown, counted."""
        return summary(self.lists, self.findings, self.level)


def check(project: Project, level: str = "info") -> CheckResult:
    """Every finding about the lists in entries/ at `level` or above. `InputError` without an entries
    folder (a wrong -C or folder: "0 errors" would pass CI); `EntryError` for a bad store record."""
    _known(level)
    if not project.entries_dir.is_dir():
        raise InputError(
            f"{project.entries_dir} is not a folder: no lists to check; run check in the project folder "
            "(or give it with -C), or import a list with `curabib import-md`"
        )
    lists, problems = project.readable_lists()
    return _checked(project, lists, problems, markdown_files(project.root, lists), level)


def check_markdown(
    project: Project, markdown: Path, list_name: str | None = None, level: str = "info"
) -> CheckResult:
    """The findings about the lists as they would be once `markdown` is imported as the list `list_name`
    (default: the list whose `source` it is): imported as `import-md` imports it, into a scratch copy of
    the list's file; entries/ is not written. Findings name the real files: entries/<list>.yaml with the
    lines the import will write, and `markdown` as given, with its lines."""
    _known(level)
    lists, problems = project.readable_lists()
    name = list_name or importing.list_of_markdown(project, markdown, lists)
    if name is None:
        raise InputError(
            f"no list in {project.entries_dir} was imported from {markdown}: name the list it imports "
            "into with --list NAME"
        )
    problem = entries.list_name_problem(name)
    if problem:
        raise InputError(f"--list: {problem}")
    with tempfile.TemporaryDirectory(prefix="curabib-check-") as scratch:
        folder = Path(scratch)
        if project.list_path(name).is_file():  # a re-import edits the file in place: edit a copy
            shutil.copyfile(project.list_path(name), folder / f"{name}.yaml")
        done = importing.import_markdown_file(project, markdown, name, into=folder)
        try:
            imported = entries.load(done.target)
        except EntryError as err:  # named as the file the import will write
            raise EntryError(project.list_path(name), err.line, err.detail) from err
    real = project.list_path(name)
    problems = [p for p in problems if p.file != str(real)]
    lists = sorted([*(lst for lst in lists if lst.name != name), imported], key=lambda lst: lst.name)
    sources = {**markdown_files(project.root, lists), name: str(markdown)}
    return _checked(project, lists, problems, sources, level)


def _checked(
    project: Project,
    lists: list[CuratedList],
    problems: list[Diagnostic],
    sources: dict[str, str],
    level: str,
) -> CheckResult:
    settings = project.settings
    folder = str(project.entries_dir)
    findings = problems + check_lists(
        lists, project.records(), settings.prefer, settings.venue, folder, sources
    )
    return CheckResult(len(lists), at_least(findings, level), level)


def _known(level: str) -> None:
    if level not in LEVELS:
        raise InputError(f"unknown level {level!r}: one of {', '.join(LEVELS)}")


def markdown_files(root: Path, lists: Sequence[CuratedList]) -> dict[str, str]:
    """A list's Markdown file (its `source`, which import-md names relative to where it ran: the project
    folder) as reached from here, for the lists whose Markdown is there."""
    found = {}
    for lst in lists:
        if lst.source and (root / lst.source).is_file():
            found[lst.name] = str(root / lst.source) if root != Path() else lst.source
    return found
