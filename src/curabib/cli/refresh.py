"""`curabib refresh`: metadata from the APIs into the store (`curabib add` is in `add.py`).

Only options, calls and printing live here. The HTTP libraries are imported when a command connects its
clients (`fetch.connect.connect`), never when the CLI loads, so `--help`, `build` and `check` stay light.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from curabib.cli.app import input_errors, main, open_project
from curabib.wording import counted

if TYPE_CHECKING:
    from curabib.fetch.executor import Report


class SourceName(click.ParamType):  # type: ignore[type-arg]  # generic only in newer click
    """A registered source's name, looked up when the option is used or its help shown (not when the CLI
    loads: the registry brings the stages with it)."""

    name = "source"

    def get_metavar(self, *args: Any, **kwargs: Any) -> str:
        from curabib.sources import names

        return "[" + "|".join(names()) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from curabib.sources import names

        if value not in names():
            self.fail(f"'{value}' is not one of {', '.join(names())}", param, ctx)
        return str(value)


@main.command()
@click.argument("selectors", nargs=-1)
@click.option("--source", "source", type=SourceName(), help="Ask only this API.")
@click.option(
    "--older-than", default="30d", show_default=True, help="Ask again about records older than this."
)
@click.option("--force", is_flag=True, help="Ask again about everything selected, however fresh.")
@click.option(
    "--dry-run", is_flag=True, help="Show the requests that would be sent; send none, write nothing."
)
@click.option(
    "--summary",
    "summary_format",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="markdown: the summary as Markdown, for a pull request's body.",
)
@click.pass_context
def refresh(
    ctx: click.Context,
    selectors: tuple[str, ...],
    source: str | None,
    older_than: str,
    force: bool,
    dry_run: bool,
    summary_format: str,
) -> None:
    """Fetch metadata from arXiv, Crossref, DBLP and GitHub for the selected entries (all by default).

    SELECTORS are list names, sections (LIST/Heading/Sub or a heading) or keys. Answers go to the store
    in entries/fetched/, apart from the curated fields, and `build` uses them offline. Set your address
    for Crossref's polite pool with `mailto:` in curabib.yaml or CURABIB_MAILTO.

    Example: curabib refresh llms-practical-guide --older-than 7d
    """
    from curabib.fetch.select import parse_duration

    try:
        max_age = parse_duration(older_than)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--older-than") from err
    project = open_project(ctx)
    with input_errors():
        planned = project.plan_refresh(selectors, source, max_age, force)
    if dry_run:
        for request in planned.requests:
            click.echo(request.line)
        click.echo(
            f"Dry run: {counted(len(planned.requests), 'request')} would be sent for "
            f"{counted(len(planned.items), 'entry')}"
        )
        return
    with click.progressbar(length=len(planned.requests), label="Refreshing", file=sys.stderr) as bar:
        report = project.refresh(planned, bar.update)
    _summary(report, len(planned.items), summary_format)
    if report.interrupted:
        click.echo("Interrupted: everything fetched so far is saved; run again to resume", err=True)
        ctx.exit(130)  # the shell's code for a run ended by Ctrl-C (128 + SIGINT)
    if report.spent:
        spent = "; ".join(f"{host}: {why}" for host, why in report.spent.items())
        raise click.ClickException(f"{spent}; everything fetched so far is saved")
    if report.unreachable:
        hosts = ", ".join(f"{host}: {reason}" for host, reason in report.unreachable.items())
        failed = f"; {counted(len(report.errors), 'entry')} failed (above)" if report.errors else ""
        raise click.ClickException(
            f"cannot reach {hosts}{failed}; everything fetched so far is saved; run again when online"
        )
    if report.errors:
        raise click.ClickException(
            f"{counted(len(report.errors), 'entry')} could not be fetched; everything else was saved"
        )


def _summary(report: Report, selected: int, summary_format: str) -> None:
    from curabib.fetch.summary import count_rows, markdown
    from curabib.sources import registered

    for diagnostic in [*report.conflicts, *report.errors]:
        click.echo(str(diagnostic), err=True)
    asked = ", ".join(f"{report.requests[s.name]} {s.label}" for s in registered())
    if summary_format == "markdown":
        click.echo(markdown(report, selected, asked), nl=False)
        return
    click.echo(f"Refreshed {counted(selected, 'entry')} ({asked} requests, retries included)")
    for name, count in count_rows(report):
        click.echo(f"  {name:<26}{count:>6}")
    for ident, fields in sorted(report.changed.items()):
        click.echo(f"    {ident}: {', '.join(fields)}")
