"""`curabib pin-keys` and `curabib rekey`: keys stored in entries/ (the logic is in merge/keys.py)."""

from __future__ import annotations

import click

from curabib.cli.app import input_errors, main, open_project


@main.command("pin-keys")
@click.pass_context
def pin_keys(ctx: click.Context) -> None:
    """Store a key for every item that has none (added by hand) in entries/.

    Example: curabib pin-keys
    """
    from curabib.merge.keys import pin_missing_keys

    project = open_project(ctx)
    with input_errors():
        lists = project.lists()
    pinned, diagnostics = pin_missing_keys(lists)
    changed = project.save_changed(lists, pinned)
    click.echo(f"Pinned {len(diagnostics)} keys in {len(changed)} files")


@main.command("rekey")
@click.option("--dry-run", is_flag=True, help="Show the renames without writing.")
@click.pass_context
def rekey_command(ctx: click.Context, dry_run: bool) -> None:
    """Re-derive provisional keys of items whose authors are now known (curated or fetched).

    The old key is kept as an alias, so LaTeX sources citing it keep compiling (biblatex `ids`).

    Example: curabib rekey --dry-run
    """
    from curabib.merge.keys import pin_missing_keys, rekey
    from curabib.merge.works import merge_works

    project = open_project(ctx)
    with input_errors():
        lists, _ = pin_missing_keys(project.lists())
        bibliography = merge_works(lists, project.records(), project.settings.prefer)
    rekeyed, renames = rekey(lists, bibliography)
    for old, new in sorted(renames.items()):
        click.echo(f"  {old} -> {new}")
    changed = [new for old, new in zip(lists, rekeyed, strict=True) if new != old]
    if not dry_run:
        project.save_changed(lists, rekeyed)
    verb = "Would rename" if dry_run else "Renamed"
    click.echo(f"{verb} {len(renames)} provisional keys in {len(changed)} lists")
