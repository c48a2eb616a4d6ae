"""`curabib add`: one work into a list, by arXiv id, DOI or URL (fetched), or by its title and the other
fields typed on the command line (no network). Only options, calls and printing live here."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from curabib.cli.app import input_errors, main, open_project

if TYPE_CHECKING:
    from curabib.fetch.add import Added, Given
    from curabib.model import CuratedList
    from curabib.project import Project


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
    from curabib.fetch.add import Given
    from curabib.project import entries

    if identifier is None and not title:
        raise click.UsageError("give an arXiv id, DOI or URL, or --title for a work added by its fields")
    if (problem := entries.list_name_problem(list_name)) is not None:
        raise click.BadParameter(problem, param_hint="--list")
    given = Given(title or None, tuple(a.strip() for a in authors if a.strip()), year, venue or None)
    project = open_project(ctx)
    with input_errors():
        lists = project.lists()
        project.records()  # a broken store file is an input error before anything is asked
    if identifier is None:
        added = _by_fields(project, lists, given, list_name, section)
    else:
        added = _by_identifier(project, lists, given, identifier, list_name, section)
    if added is None:
        return
    _print(project, added, list_name, section)


def _by_fields(
    project: Project, lists: list[CuratedList], given: Given, list_name: str, section: str
) -> Added | None:
    from curabib.fetch.add import add_given, already_titled

    assert given.title is not None
    existing = already_titled(lists, list_name, section, given.title)
    if existing is not None:
        click.echo(f"'{given.title}': already in {list_name}/{section} as {existing}; nothing was added")
        return None
    settings = project.settings
    return add_given(
        given, list_name, section, lists, settings.entries_dir, project.store, settings.prefer, settings.venue
    )


def _by_identifier(
    project: Project, lists: list[CuratedList], given: Given, identifier: str, list_name: str, section: str
) -> Added | None:
    from curabib.errors import CouldNotAsk, NotFound
    from curabib.fetch import connect as clients
    from curabib.fetch.add import add_work, already_in
    from curabib.ids import parse_identifier
    from curabib.project.store import now_utc
    from curabib.sources.protocol import RefreshOptions

    ident = parse_identifier(identifier)
    if ident is None:
        raise click.BadParameter("not an arXiv id, DOI or known URL", param_hint="IDENTIFIER")
    existing = already_in(lists, list_name, section, ident)
    if existing is not None:
        click.echo(f"{identifier}: already in {list_name}/{section} as {existing}; nothing was added")
        return None
    settings = project.settings
    asked = RefreshOptions(endpoints=settings.endpoints)
    try:
        return add_work(
            ident,
            identifier,
            list_name,
            section,
            lists,
            settings.entries_dir,
            project.store,
            clients.connect(settings, asked),
            asked,
            now_utc(),
            settings.prefer,
            settings.venue,
            given,
        )
    except (NotFound, CouldNotAsk) as err:
        raise click.ClickException(str(err)) from err


def _print(project: Project, added: Added, list_name: str, section: str) -> None:
    from curabib.export.bibtex import render as render_bibtex

    click.echo(render_bibtex(added.work, project.export_options()))
    for note in added.notes:
        click.echo(note, err=True)
    where = f"entries/{list_name}.yaml, section '{section}'"
    click.echo(f"Added {added.key} to {where}; run `curabib build` to export it")
