"""`curabib site`: the static bibliography site of every list (pages: `curabib.site`; files: `project/`)."""

from __future__ import annotations

import time
from pathlib import Path

import click

from curabib.cli.app import input_errors, main, open_project, paused_gc, report_diagnostics
from curabib.wording import counted


@main.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder to write the site into (default: site/ in the project).",
)
@click.option(
    "--style",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A CSL style file for the formatted references (default: APA).",
)
@click.pass_context
def site(ctx: click.Context, output: Path | None, style: Path | None) -> None:
    """Write a static site: an index of the lists and one page per list.

    Each work shows its formatted reference, what it is, its venue, year, links and the list's note, and a
    Cite button showing and copying its BibTeX, biblatex, CSL-JSON or key; a search box and filters work
    in the browser. Only the references that changed since the last run are formatted again.
    The site's bib/ holds the files `curabib build` writes, made from the same merge. No network, no
    server, nothing fetched by the pages; the same input gives byte-identical files, written all or
    nothing.

    Example: curabib site -o public
    """
    project = open_project(ctx)
    start = time.perf_counter()
    with input_errors(), paused_gc():
        result = project.write_site(output, style)
    report_diagnostics(result.site.diagnostics)
    seconds = time.perf_counter() - start
    click.echo(
        f"Wrote the site of {counted(result.site.lists, 'list')} ({counted(result.site.works, 'work')}, "
        f"{counted(result.site.pages, 'page')}, {counted(result.files, 'file')}) to {result.folder} in "
        f"{seconds:.1f} s; open {result.folder / 'index.html'}"
    )
