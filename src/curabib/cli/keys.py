"""`curabib pin-keys` and `curabib rekey`: keys stored in entries/."""

from __future__ import annotations

import click

from curabib.cli.app import (
    input_errors,
    load_lists,
    main,
    project_settings,
)
from curabib.merge.keys import base_key, unique_key
from curabib.merge.works import collect_works, pin_missing_keys
from curabib.model import Item, Person
from curabib.project import entries
from curabib.project.store import Store


@main.command("pin-keys")
@click.pass_context
def pin_keys(ctx: click.Context) -> None:
    """Store a key for every item that has none (added by hand) in entries/.

    Example: curabib pin-keys
    """
    settings = project_settings(ctx)
    lists = load_lists(settings)
    diagnostics = pin_missing_keys(lists)
    changed = {d.where.split(":")[0] for d in diagnostics}
    for lst in lists:
        if f"entries/{lst.name}.yaml" in changed:
            entries.save(lst, settings.entries_dir)
    click.echo(f"Pinned {len(diagnostics)} keys in {len(changed)} files")


@main.command()
@click.option("--dry-run", is_flag=True, help="Show the renames without writing.")
@click.pass_context
def rekey(ctx: click.Context, dry_run: bool) -> None:
    """Re-derive provisional keys of items whose authors are now known (curated or fetched).

    The old key is kept as an alias, so LaTeX sources citing it keep compiling (biblatex `ids`).

    Example: curabib rekey --dry-run
    """
    settings = project_settings(ctx)
    lists = load_lists(settings)
    pin_missing_keys(lists)
    with input_errors():
        bibliography = collect_works(lists, Store(settings.entries_dir).records(), settings.prefer)
    taken = {k for lst in lists for item in lst.all_items() for k in (item.key, *item.aliases) if k}
    renames: dict[str, str] = {}
    touched: set[str] = set()
    for lst in lists:
        for item in lst.all_items():
            work = bibliography.works.get(bibliography.canonical.get(str(item.key), ""))
            if not (item.key_provisional and work is not None and work.authors):
                continue
            if item.key not in renames:
                first = work.authors[0]
                known = Item(kind=item.kind, title=work.title, authors=(_full_name(first),), year=work.year)
                renames[str(item.key)] = unique_key(base_key(known)[0], taken)
                taken.add(renames[str(item.key)])
            old = str(item.key)
            item.key, item.key_provisional = renames[old], False
            item.aliases = tuple(sorted({*item.aliases, old}))
            touched.add(lst.name)
    for old, new in sorted(renames.items()):
        click.echo(f"  {old} -> {new}")
    if not dry_run:
        for lst in lists:
            if lst.name in touched:
                entries.save(lst, settings.entries_dir)
    verb = "Would rename" if dry_run else "Renamed"
    click.echo(f"{verb} {len(renames)} provisional keys in {len(touched)} lists")


def _full_name(person: Person) -> str:
    return person.family if person.literal or not person.given else f"{person.family}, {person.given}"
