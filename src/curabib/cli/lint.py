"""`curabib check` and `curabib dedupe`: findings for list maintainers."""

from __future__ import annotations

import json
from pathlib import Path

import click

from curabib.cli.app import input_errors, main, open_project


@main.command()
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="github: GitHub Actions annotations, at the Markdown line of imported items.",
)
@click.option(
    "--level",
    type=click.Choice(["error", "warning", "info"]),
    default="info",
    show_default=True,
    help="Show the findings at this level or above (info: all); errors always make the exit code 1.",
)
@click.option(
    "--markdown",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Check what importing this Markdown list would commit, in a scratch copy: entries/ is not written.",
)
@click.option(
    "--list",
    "list_name",
    metavar="NAME",
    help="With --markdown: the list it imports into (default: the list whose source it is).",
)
@click.pass_context
def check(ctx: click.Context, output: str, level: str, markdown: Path | None, list_name: str | None) -> None:
    """Lint entries/: wrong links, duplicates, key collisions, unresolved entries, missing fields.

    Every finding names its entries/<list>.yaml line and, for an imported item, its Markdown line. Exit 1
    when there is any error-level finding, so a list's CI can run it.

    Example: curabib check --markdown README.md --list my-list --format github --level warning
    """
    if list_name is not None and markdown is None:
        raise click.UsageError("--list names the list of --markdown FILE: give both")
    project = open_project(ctx)
    with input_errors():
        if markdown is None:
            result = project.check(level)
        else:
            result = project.check_markdown(markdown, list_name, level)
    if output == "json":
        click.echo(json.dumps([f.to_json() for f in result.findings], ensure_ascii=False, indent=2))
    else:
        from curabib.check.annotations import github_line

        for finding in result.findings:
            click.echo(github_line(finding) if output == "github" else finding.lint_line())
        click.echo(result.summary())
    if result.failed:
        ctx.exit(1)


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
    project = open_project(ctx)
    with input_errors():
        result = project.dedupe()
    if output == "json":
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        for line in result.report_lines():
            click.echo(line)
