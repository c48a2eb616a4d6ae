"""`curabib site`: the static bibliography site of every list (pages: `curabib.site`; files: `project/`)."""

from __future__ import annotations

import time
from pathlib import Path

import click

from curabib.cli.app import input_errors, main, open_project, report_diagnostics


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

    Each work shows its formatted reference, what it is, its venue, year, links and the list's note, with
    buttons copying its BibTeX, biblatex, CSL-JSON or key; a search box and filters work in the browser.
    The site's bib/ holds the files `curabib build` writes, made from the same merge. No network, no
    server, nothing fetched by the pages; the same input gives byte-identical files, written all or
    nothing.

    Example: curabib site -o public
    """
    project = open_project(ctx)
    start = time.perf_counter()
    with input_errors():
        result = project.write_site(output, style)
    report_diagnostics(result.site.diagnostics)
    seconds = time.perf_counter() - start
    click.echo(
        f"Wrote the site of {result.site.lists} lists ({result.site.works} works, {result.site.pages} pages, "
        f"{result.files} files) to {result.folder} in {seconds:.1f} s; open {result.folder / 'index.html'}"
    )
