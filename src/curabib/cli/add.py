"""`curabib add`: one work into a list, by arXiv id, DOI or URL (fetched), or by its title and the other
fields typed on the command line (no network). Only options, calls and printing live here."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from curabib.cli.app import input_errors, main, open_project

if TYPE_CHECKING:
    from curabib.project import Project
    from curabib.project.adding import Added


@main.command()
@click.argument("identifier", required=False)
@click.option("--list", "list_name", default="added", show_default=True, help="The list to add to.")
@click.option("--section", default="Added", show_default=True, help="The section heading to add under.")
@click.option("--title", help="The work's title (without an identifier: the work is added offline).")
@click.option("--author", "authors", multiple=True, help="An author, given name first; repeat in order.")
@click.option("--year", type=click.IntRange(1000, 9999), help="The year of publication (pinned).")
@click.option("--venue", help="Where it was published, e.g. NeurIPS (pinned).")
@click.pass_context
def add(
    ctx: click.Context,
    identifier: str | None,
    list_name: str,
    section: str,
    title: str | None,
    authors: tuple[str, ...],
    year: int | None,
    venue: str | None,
) -> None:
    """Add one work by arXiv id, DOI or URL, fetch its metadata and print its BibTeX; or, with --title
    and no IDENTIFIER, add it from the fields you give, without the network.

    Fields you give are yours: they win over fetched metadata. The list and the section are created when
    they do not exist yet.

    Example: curabib add arXiv:1706.03762 --list reading --section Transformers
    """
    from curabib.errors import CouldNotAsk, NotFound
    from curabib.project import entries
    from curabib.project.adding import Given

    if identifier is None and not title:
        raise click.UsageError("give an arXiv id, DOI or URL, or --title for a work added by its fields")
    if (problem := entries.list_name_problem(list_name)) is not None:
        raise click.BadParameter(problem, param_hint="--list")
    given = Given(title or None, tuple(a.strip() for a in authors if a.strip()), year, venue or None)
    project = open_project(ctx)
    with input_errors():
        try:
            added = project.add(identifier, given, list_name, section)
        except (NotFound, CouldNotAsk) as err:
            raise click.ClickException(str(err)) from err
    what = identifier if identifier is not None else f"'{title}'"
    if added.existing:
        click.echo(f"{what}: already in {list_name}/{section} as {added.key}; nothing was added")
        return
    _print(project, added)


def _print(project: Project, added: Added) -> None:
    from curabib.export.bibtex import render as render_bibtex

    assert added.work is not None
    click.echo(render_bibtex(added.work, project.export_options()))
    for note in added.notes:
        click.echo(note, err=True)
    where = f"{project.list_path(added.list_name)}, section '{added.heading}'"
    click.echo(f"Added {added.key} to {where}; run `curabib build` to export it")
