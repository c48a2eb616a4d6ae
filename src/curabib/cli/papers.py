"""`curabib find`, `curabib show` and `curabib export`: from a list to a paper (the library does the work:
`Project.find`, `Project.catalogue`, `Project.export_paper`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from curabib.cli.app import InputProblem, input_errors, main, open_project
from curabib.wording import counted

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@main.command()
@click.argument("text", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "key", "bibtex", "csl-json"]),
    default="text",
    show_default=True,
    help="What to print per work: a line for people, or keys or entries for pipes and editors.",
)
@click.option("-n", "--limit", type=int, default=20, show_default=True, help="At most this many works.")
@click.pass_context
def find(ctx: click.Context, text: tuple[str, ...], fmt: str, limit: int) -> None:
    """Find works by title words, authors, year, venue, identifier or key (aliases too), best first.

    Every word must match. Prints each work's key, a one-line citation and where the lists name it.

    Example: curabib find vaswani attention 2017
    """
    project = open_project(ctx)
    with input_errors():
        found = project.find(" ".join(text), limit)
    if fmt == "key":
        click.echo("\n".join(found.keys))
    elif fmt in ("bibtex", "csl-json"):
        click.echo(found.entries(fmt, project.export_options()), nl=False)
    else:
        for line, where in found.lines():
            click.echo(line)
            click.echo(f"    {where}")
        n = len(found.hits)
        click.echo(f"{counted(n, 'work')} {'matches' if n == 1 else 'match'}", err=True)
    if not found.hits:
        sys.exit(1)


@main.command()
@click.argument("reference")
@click.pass_context
def show(ctx: click.Context, reference: str) -> None:
    """Show one work as exported, by key, alias or identifier: its BibTeX, its aliases, and every curated
    item behind it with file:line.

    Example: curabib show arXiv:1706.03762
    """
    from curabib.errors import NotFound

    project = open_project(ctx)
    with input_errors():
        try:
            shown = project.show(reference)
        except NotFound as err:
            raise click.ClickException(str(err)) from err
    click.echo(shown.bibtex, nl=False)
    click.echo(f"aliases: {', '.join(shown.aliases) if shown.aliases else '(none)'}")
    for line in shown.items:
        click.echo(line)


@main.command("export")
@click.option(
    "--aux", type=_FILE, help="LaTeX's .aux file (BibTeX): its \\citation lines, \\@input files too."
)
@click.option("--bcf", type=_FILE, help="biber's control file (.bcf, biblatex).")
@click.option("--markdown", type=_FILE, help="A pandoc Markdown file: its @key citations.")
@click.option("--keys", help="Keys, separated by commas or spaces.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["bibtex", "biblatex", "csl-json"]),
    default="bibtex",
    show_default=True,
    help="The bibliography's format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here (atomically) instead of standard output.",
)
@click.pass_context
def export(
    ctx: click.Context,
    aux: Path | None,
    bcf: Path | None,
    markdown: Path | None,
    keys: str | None,
    fmt: str,
    output: Path | None,
) -> None:
    """The bibliography of exactly what one paper cites, each work under the key the paper uses (an old
    key of a merged or re-derived work too). Unknown keys are listed with their nearest matches (exit 1).

    Example: curabib export --aux main.aux -o refs.bib
    """
    from curabib.project.papers import cited_in

    if not any((aux, bcf, markdown, keys)):
        raise InputProblem("say what the paper cites: --aux, --bcf, --markdown or --keys")
    project = open_project(ctx)
    with input_errors():
        cited = cited_in(aux, bcf, markdown, keys)
        result = project.export_paper(cited, fmt, output)
    paper = result.bibliography
    if output is None:
        click.echo(paper.text, nl=False)
    for key, near in paper.unknown:
        hint = f" (nearest: {', '.join(near)})" if near else ""
        click.echo(f"unknown key {key}{hint}", err=True)
    where = f" to {output}" if output is not None else ""
    unknown = counted(len(paper.unknown), "unknown key")
    click.echo(f"Exported {counted(len(paper.written), 'work')}{where}; {unknown}", err=True)
    if paper.unknown:
        sys.exit(1)
