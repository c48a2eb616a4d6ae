"""`curabib import-md`: a Markdown list into entries/NAME.yaml."""

from __future__ import annotations

import re
from collections import Counter
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
@click.option(
    "--list",
    "list_name",
    help="Name of the list: entries/NAME.yaml. Default: the file's name (its folder's for a README.md), "
    "lowercased, with '-' for each run of other characters than a-z and 0-9.",
)
@click.option("--title", help="The list's title, when the Markdown has no single top heading.")
@click.option("-v", "--verbose", is_flag=True, help="Print every skipped line with its reason.")
@click.pass_context
def import_md(
    ctx: click.Context, file: Path, list_name: str | None, title: str | None, verbose: bool
) -> None:
    """Import an awesome-list Markdown FILE into entries/NAME.yaml.

    Sections keep their headings; items keep title, label, authors, year, venue, typed links and the
    identifiers in those links; table columns are read by their headings. Re-importing the same file
    gives the same YAML and keeps every key.

    \b
    Example: curabib import-md Awesome-LLM/README.md      (into entries/awesome-llm.yaml)
             curabib import-md README.md --list llms-practical-guide
    """
    from curabib.project import entries

    project = open_project(ctx)
    if list_name is None:
        list_name = _default_name(file)
        if problem := entries.list_name_problem(list_name) if list_name else "no letter or digit a-z, 0-9":
            raise InputProblem(
                f"{file}: no list name can be made from its name ({problem}): give --list NAME"
            )
    elif problem := entries.list_name_problem(list_name):
        raise click.BadParameter(problem, param_hint="--list")
    with input_errors():  # the use case: project/importing.py
        done = project.import_markdown(file, list_name, title)
    report_diagnostics(done.diagnostics)
    # the citations are counted before the merge: what the Markdown itself says
    _import_summary(done.curated, done.report, done.target, verbose, _from_text(done.read))
    if done.reimport:
        _merge_summary(done.diagnostics)


def _default_name(file: Path) -> str:
    """ "Awesome-LLM.md" -> "awesome-llm"; "LLMsStudy/README.md" -> "llmsstudy" (a README is its folder)."""
    stem = file.resolve().parent.name if file.name.lower() == "readme.md" else file.stem
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")


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
    return f"{_n(len(papers), 'paper item')}; from the text {authors} got authors, {venue} venue, {year} year"


def _import_summary(
    curated: CuratedList, report: ImportReport, target: Path, verbose: bool, from_text: str
) -> None:
    items = list(curated.all_items())
    sections = sum(1 for _ in curated.walk_sections())
    kinds = Counter(i.kind for i in items)
    ids = Counter(i.kind for item in items for i in item.ids if not i.derived)
    derived = sum(1 for item in items for i in item.ids if i.derived)
    click.echo(f"Imported {_n(len(items), 'item')} in {_n(sections, 'section')} into {target}")
    click.echo("  items by kind: " + counts(kinds))
    click.echo("  citations: " + from_text)
    click.echo(
        f"  full references: {_n(report.references, 'item')} read from references written authors first"
    )
    for line in report.table_lines():
        click.echo(f"  {line}")
    click.echo(
        "  identifiers: " + (counts(ids) or "none") + (f" (+{derived} derived DOIs)" if derived else "")
    )
    provisional = sum(1 for i in items if i.key_provisional)
    keys = len({i.key for i in items})
    click.echo(
        f"  keys: {keys} for {_n(len(items), 'item')} (a work listed again keeps its key), "
        f"{provisional} provisional until its authors are known (`curabib rekey`)"
    )
    reasons = report.reasons()
    click.echo(f"  skipped: {_n(sum(reasons.values()), 'line')}" + (":" if reasons else ""))
    for reason, count in sorted(reasons.items(), key=lambda x: (-x[1], x[0])):
        click.echo(f"    {count:4d}  {reason}")
    if verbose:
        for skip in report.skipped:
            click.echo(f"  line {skip.line}: {skip.message}")


def _n(count: int, word: str) -> str:
    """ "1 item", "2 items", "0 items"."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
