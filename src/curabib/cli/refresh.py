"""`curabib refresh`: metadata from the APIs into the store (`curabib add` is in `add.py`).

Only options, calls and printing live here. The HTTP libraries are imported when a command connects its
clients (`fetch.connect.connect`), never when the CLI loads, so `--help`, `build` and `check` stay light.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from curabib.cli.app import input_errors, main, open_project

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
    """Fetch metadata from arXiv, Crossref and DBLP for the selected entries (all by default).

    SELECTORS are list names, sections (LIST/Heading/Sub or a heading) or keys. Answers go to the store
    in entries/fetched/, apart from the curated fields, and `build` uses them offline. Set your address
    for Crossref's polite pool with `mailto:` in curabib.yaml or CURABIB_MAILTO.

    Example: curabib refresh llms-practical-guide --older-than 7d
    """
    from curabib.fetch import connect as clients
    from curabib.fetch.executor import execute
    from curabib.fetch.plan import plan
    from curabib.fetch.select import parse_duration, select
    from curabib.project.store import now_utc
    from curabib.sources.protocol import RefreshOptions

    try:
        max_age = parse_duration(older_than)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--older-than") from err
    project = open_project(ctx)
    settings = project.settings
    with input_errors():
        lists = project.lists()
        items = select(lists, selectors)
        records = project.records()
    options = RefreshOptions(
        sources=frozenset({source}) if source else None,
        max_age=max_age,
        force=force,
        endpoints=settings.endpoints,
    )
    now = now_utc()
    planned = plan(items, records, options, now)
    if dry_run:
        for request in planned:
            click.echo(request.line)
        click.echo(f"Dry run: {len(planned)} requests would be sent for {len(items)} entries")
        return
    connected = clients.connect(settings, options)
    # Where each entry is curated, so that a failure or a conflict names its file and line.
    files = {id(item): f"entries/{lst.name}.yaml" for lst in lists for item in lst.all_items()}
    with click.progressbar(length=len(planned), label="Refreshing", file=sys.stderr) as bar:
        report = execute(items, project.store, connected, options, now, progress=bar.update, files=files)
    _summary(report, len(items), summary_format)
    if report.interrupted:
        click.echo("Interrupted: everything fetched so far is saved; run again to resume", err=True)
        ctx.exit(130)  # the shell's code for a run ended by Ctrl-C (128 + SIGINT)
    if report.unreachable:
        hosts = ", ".join(f"{host}: {reason}" for host, reason in report.unreachable.items())
        failed = f"; {len(report.errors)} entries failed (above)" if report.errors else ""
        raise click.ClickException(
            f"cannot reach {hosts}{failed}; everything fetched so far is saved; run again when online"
        )
    if report.errors:
        raise click.ClickException(
            f"{len(report.errors)} entries could not be fetched; everything else was saved"
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
    click.echo(f"Refreshed {selected} entries ({asked} requests, retries included)")
    for name, count in count_rows(report):
        click.echo(f"  {name:<26}{count:>6}")
    for ident, fields in sorted(report.changed.items()):
        click.echo(f"    {ident}: {', '.join(fields)}")
