"""`curabib import-md`: a Markdown list into entries/NAME.yaml."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from curabib.cli.app import (
    InputProblem,
    counts,
    input_errors,
    main,
    open_project,
    report_diagnostics,
)

if TYPE_CHECKING:
    from curabib.ingest.markdown import ImportReport
    from curabib.model import CuratedList, Diagnostic


@main.command("import-md")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--list", "list_name", required=True, help="Name of the list: entries/NAME.yaml.")
@click.option("--title", help="The list's title, when the Markdown has no single top heading.")
@click.option("-v", "--verbose", is_flag=True, help="Print every skipped line with its reason.")
@click.pass_context
def import_md(ctx: click.Context, file: Path, list_name: str, title: str | None, verbose: bool) -> None:
    """Import an awesome-list Markdown FILE into entries/NAME.yaml.

    Sections keep their headings; items keep title, label, authors, year, venue, typed links and the
    identifiers in those links. Re-importing the same file gives the same YAML and keeps every key.

    Example: curabib import-md README.md --list llms-practical-guide
    """
    from curabib.errors import MarkdownImportError
    from curabib.ingest.markdown import import_markdown
    from curabib.ingest.reimport import merge_reimport
    from curabib.merge.keys import assign_keys
    from curabib.project import entries

    project = open_project(ctx)
    problem = entries.list_name_problem(list_name)
    if problem:
        raise click.BadParameter(problem, param_hint="--list")
    with input_errors():
        text = project.read_markdown(file)
    try:
        curated, report = import_markdown(text, list_name, source=project.relative_source(file))
    except MarkdownImportError as err:
        raise InputProblem(f"{file}: {err}") from err
    from_text = _from_text(curated)  # before the merge: what the Markdown itself says
    with input_errors():
        previous, others = project.split_lists(list_name)
    others_items = [item for other in others for item in other.all_items()]
    curated, diagnostics = assign_keys(curated, others_items, previous)
    if previous is None:
        curated = replace(curated, title=title or curated.title)
    else:  # a re-import merges into the entries: hand edits survive (ingest/reimport.py has the rule)
        curated, kept = merge_reimport(curated, previous, title)
        diagnostics += kept
    target = project.save_list(curated)
    report_diagnostics(diagnostics)
    _import_summary(curated, report, target, verbose, from_text)
    if previous is not None:
        _merge_summary(diagnostics)


def _merge_summary(diagnostics: list[Diagnostic]) -> None:
    """What a re-import left to the curator: the Markdown's changes entries/ did not take, and the entries
    the Markdown no longer has (each printed above with its places)."""
    codes = Counter(d.code for d in diagnostics)
    changed, kept = codes["markdown-changed"], codes["kept-entry"]
    differences = f"{changed} {'difference' if changed == 1 else 'differences'} in the Markdown not taken"
    gone = f"{kept} {'entry' if kept == 1 else 'entries'} kept that the Markdown no longer has"
    click.echo(f"  merge: {differences}, {gone}" + (" (warnings above)" if changed or kept else ""))


def _from_text(curated: CuratedList) -> str:
    """How many paper items the Markdown gave authors, a venue and a year (citation.py, reference.py)."""
    papers = [i for i in curated.all_items() if i.kind == "paper"]
    authors = sum(1 for i in papers if i.authors)
    venue = sum(1 for i in papers if i.venue)
    year = sum(1 for i in papers if i.year)
    return f"{len(papers)} paper items; from the text {authors} got authors, {venue} venue, {year} year"


def _import_summary(
    curated: CuratedList, report: ImportReport, target: Path, verbose: bool, from_text: str
) -> None:
    items = list(curated.all_items())
    sections = sum(1 for _ in curated.walk_sections())
    kinds = Counter(i.kind for i in items)
    ids = Counter(i.kind for item in items for i in item.ids if not i.derived)
    derived = sum(1 for item in items for i in item.ids if i.derived)
    click.echo(f"Imported {len(items)} items in {sections} sections into {target}")
    click.echo("  items by kind: " + counts(kinds))
    click.echo("  citations: " + from_text)
    click.echo(
        "  identifiers: " + (counts(ids) or "none") + (f" (+{derived} derived DOIs)" if derived else "")
    )
    provisional = sum(1 for i in items if i.key_provisional)
    click.echo(f"  keys: {len({i.key for i in items})} ({provisional} items with provisional keys)")
    reasons = report.reasons()
    click.echo(f"  skipped: {sum(reasons.values())} lines" + (": " if reasons else ""))
    for reason, count in sorted(reasons.items(), key=lambda x: (-x[1], x[0])):
        click.echo(f"    {count:4d}  {reason}")
    if verbose:
        for skip in report.skipped:
            click.echo(f"  line {skip.line}: {skip.message}")
