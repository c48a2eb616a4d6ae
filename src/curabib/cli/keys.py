"""`curabib pin-keys` and `curabib rekey`: keys stored in entries/ (the logic is in keys.py)."""

from __future__ import annotations

import click

from curabib.cli.app import input_errors, main, open_project
from curabib.wording import counted


@main.command("pin-keys")
@click.pass_context
def pin_keys(ctx: click.Context) -> None:
    """Store a key for every item that has none (added by hand) in entries/.

    Example: curabib pin-keys
    """
    project = open_project(ctx)
    with input_errors():
        changed, pinned = project.pin_keys()
    click.echo(f"Pinned {counted(pinned, 'key')} in {counted(len(changed), 'file')}")


@main.command("rekey")
@click.option("--dry-run", is_flag=True, help="Show the renames without writing.")
@click.option("--force", is_flag=True, help="Also rename keys bib/ already has (they stay on as aliases).")
@click.pass_context
def rekey_command(ctx: click.Context, dry_run: bool, force: bool) -> None:
    """Re-derive provisional keys of items whose authors are now known (curated or fetched).

    A key bib/ already has is a promise to every paper that cites it: it is left alone unless --force,
    and then the old key stays an alias, which bib/ and `curabib export` keep resolving.

    Example: curabib rekey --dry-run
    """
    project = open_project(ctx)
    with input_errors():
        result = project.rekey(force=force, dry_run=dry_run)
    for old, new in sorted(result.renames.items()):
        click.echo(f"  {old} -> {new}")
    verb = "Would rename" if dry_run else "Renamed"
    click.echo(
        f"{verb} {counted(len(result.renames), 'provisional key')} in {counted(len(result.changed), 'list')}"
    )
    if result.kept:
        click.echo(
            f"  kept {counted(len(result.kept), 'key')} bib/ already has (a paper may cite them; --force "
            "renames)"
        )
