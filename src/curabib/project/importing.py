"""Importing a Markdown list into `entries/<list>.yaml`: the use case behind `curabib import-md`, and behind
`curabib check --markdown`, which imports into a scratch folder to check what an import would commit."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from curabib.errors import InputError, MarkdownImportError
from curabib.model import CuratedList, Diagnostic
from curabib.project import writing

if TYPE_CHECKING:
    from curabib.ingest.markdown import ImportReport
    from curabib.project import Project


@dataclass(frozen=True)
class MarkdownImport:
    read: CuratedList  # what the Markdown itself says, before keys and a re-import's merge
    curated: CuratedList  # as saved
    report: ImportReport  # the lines skipped, with their reasons
    diagnostics: list[Diagnostic]  # identifier conflicts met while keying; a re-import's kept edits
    target: Path  # the file written
    reimport: bool  # the list existed: the Markdown was merged into it (hand edits survive)


def import_markdown_file(
    project: Project,
    path: Path,
    list_name: str,
    title: str | None = None,
    into: Path | None = None,
) -> MarkdownImport:
    """Import the Markdown file `path` as the list `list_name`, merged into the list when it exists, and
    save it in `into` (default: the project's entries folder; `check --markdown` gives a scratch folder
    holding a copy of the list's file). `InputError`/`EntryError` for input that cannot be imported."""
    from curabib.ingest.markdown import import_markdown
    from curabib.ingest.reimport import merge_reimport
    from curabib.keys import assign_keys

    text = project.read_markdown(path)
    try:
        read, report = import_markdown(text, list_name, source=project.relative_source(path))
    except MarkdownImportError as err:
        raise InputError(f"{path}: {err}") from err
    previous, others = project.split_lists(list_name)
    others_items = [item for other in others for item in other.all_items()]
    curated, diagnostics = assign_keys(read, others_items, previous)
    if previous is None:
        curated = replace(curated, title=title or curated.title)
    else:  # a re-import merges into the entries: hand edits survive (ingest/reimport.py has the rule)
        curated, kept = merge_reimport(curated, previous, title)
        diagnostics += kept
    target = writing.save(curated, into if into is not None else project.entries_dir)
    return MarkdownImport(read, curated, report, diagnostics, target, previous is not None)


def list_of_markdown(project: Project, path: Path, lists: list[CuratedList]) -> str | None:
    """The name of the list imported from the Markdown file `path` (its `source`), if exactly one is."""
    source = project.relative_source(path)
    names = [lst.name for lst in lists if lst.source == source]
    return names[0] if len(names) == 1 else None
