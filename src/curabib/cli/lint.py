"""`curabib check` and `curabib dedupe`: findings for list maintainers."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from curabib.cli.app import InputProblem, input_errors, main, open_project

if TYPE_CHECKING:
    from curabib.model import CuratedList


@main.command()
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="github: GitHub Actions annotations, at the Markdown line of imported items.",
)
@click.pass_context
def check(ctx: click.Context, output: str) -> None:
    """Lint entries/: wrong links, duplicates, key collisions, unresolved entries, missing fields.

    Exit 1 when there is any error-level finding, so a list's CI can run it.

    Example: curabib check --format github
    """
    from curabib.check.checks import check_lists, summary

    project = open_project(ctx)
    if not project.entries_dir.is_dir():  # a wrong -C or folder: "0 errors" would pass CI
        raise InputProblem(
            f"{project.entries_dir} is not a folder: no lists to check; run check in the project folder "
            "(or give it with -C), or import a list with `curabib import-md`"
        )
    lists, findings = project.readable_lists()
    with input_errors():
        records = project.records()
    # Findings name files as the user reaches them: "proj/entries/x.yaml:12" under `-C proj`.
    folder = str(project.entries_dir)
    findings += check_lists(lists, records, project.settings.prefer, project.settings.venue, folder)
    if output == "json":
        click.echo(json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2))
    elif output == "github":
        from curabib.check.annotations import github_lines, markdown_places

        places = markdown_places(lists, folder, _markdown_files(project.root, lists))
        for line in github_lines(findings, places):
            click.echo(line)
        click.echo(f"Checked {len(lists)} lists: {summary(findings)}")
    else:
        for finding in findings:
            click.echo(finding.lint_line())
        click.echo(f"Checked {len(lists)} lists: {summary(findings)}")
    if any(f.level == "error" for f in findings):
        ctx.exit(1)


def _markdown_files(root: Path, lists: Sequence[CuratedList]) -> dict[str, str]:
    """A list's Markdown file (its `source`, which import-md names relative to where it ran: the project
    folder) as reached from here, for the lists whose Markdown is there."""
    found = {}
    for lst in lists:
        if lst.source and (root / lst.source).is_file():
            found[lst.name] = str(root / lst.source) if root != Path() else lst.source
    return found


@main.command()
# The report is this command's only output: `--report` is still accepted (old scripts) but hidden.
@click.option(
    "--report", is_flag=True, hidden=True, help="Accepted for old scripts; the report is the output."
)
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def dedupe(ctx: click.Context, report: bool, output: str) -> None:
    """Show which entries are one work (merged, with the reason and confidence) and which only look alike.

    `build` applies the merges: a merged work keeps one key and the others become aliases.

    Example: curabib dedupe --format json
    """
    from curabib.merge.keys import pin_missing_keys
    from curabib.merge.works import merge_works

    project = open_project(ctx)
    with input_errors():
        lists, _ = pin_missing_keys(project.lists())
        records = project.records()
    result = merge_works(lists, records, project.settings.prefer, project.settings.venue).dedupe
    if output == "json":
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        for line in result.report_lines():
            click.echo(line)
