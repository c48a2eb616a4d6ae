"""`curabib check` and `curabib dedupe`: findings for list maintainers."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from curabib.check.checks import Project, run_checks, summary
from curabib.cli.app import (
    input_errors,
    load_lists,
    main,
    project_settings,
)
from curabib.errors import EntryError
from curabib.merge.works import collect_works, pin_missing_keys
from curabib.model import CuratedList, Diagnostic
from curabib.project import entries
from curabib.project.settings import Settings
from curabib.project.store import Store


# -- check and dedupe --------------------------------------------------------------------------------
def _load_for_check(settings: Settings) -> tuple[list[CuratedList], list[Diagnostic]]:
    lists, findings = [], []
    for path in entries.list_paths(settings.entries_dir):
        try:
            lists.append(entries.load(path))
        except EntryError as err:
            findings.append(
                Diagnostic("error", "invalid-entry", err.detail, file=f"entries/{path.name}", line=err.line)
            )
    return lists, findings


@main.command()
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def check(ctx: click.Context, output: str) -> None:
    """Lint entries/: wrong links, duplicates, key collisions, unresolved entries, missing fields.

    Exit 1 when there is any error-level finding, so a list's CI can run it.

    Example: curabib check --format json
    """
    settings = project_settings(ctx)
    lists, findings = _load_for_check(settings)
    pin_missing_keys(lists)
    with input_errors():
        records = Store(settings.entries_dir).records()
    bibliography = collect_works(lists, records, settings.prefer, settings.venue)
    findings += run_checks(Project(lists, bibliography, records))
    if output == "json":
        click.echo(json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            click.echo(finding.lint_line())
        click.echo(f"Checked {len(lists)} lists: {summary(findings)}")
    if any(f.level == "error" for f in findings):
        ctx.exit(1)


@main.command()
@click.option("--report", is_flag=True, default=True, help="List merged groups and possible duplicates.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def dedupe(ctx: click.Context, report: bool, output: str) -> None:
    """Show which entries are one work (merged, with the reason and confidence) and which only look alike.

    `build` applies the merges: a merged work keeps one key and the others become aliases.

    Example: curabib dedupe --report
    """
    settings = project_settings(ctx)
    lists = load_lists(settings)
    pin_missing_keys(lists)
    with input_errors():
        records = Store(settings.entries_dir).records()
    result = collect_works(lists, records, settings.prefer, settings.venue).dedupe
    if output == "json":
        data = {
            "merged": [asdict(m) for m in result.merges],
            "possible": [asdict(p) for p in result.possible],
            "conflicts": [asdict(c) for c in result.conflicts],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for merge in result.merges:
        merged = ", ".join(merge.merged)
        click.echo(f"merged  {merge.kept} <- {merged}  ({merge.reason}; confidence {merge.confidence})")
    for possible in result.possible:
        click.echo(f"possible  {' / '.join(possible.keys)}  ({possible.reason}; {possible.score})")
    for conflict in result.conflicts:
        click.echo(f"conflict  {' / '.join(conflict.keys)}  ({conflict.reason}): kept apart")
    click.echo(
        f"{len(result.merges)} merged groups, {len(result.possible)} possible duplicates, "
        f"{len(result.conflicts)} identifier conflicts"
    )
