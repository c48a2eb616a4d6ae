"""`curabib build`: entries/ and the store -> bib/ (the stages are `pipeline.py`; the files, `project/`)."""

from __future__ import annotations

import sys
from collections import Counter

import click

from curabib.cli.app import counts, input_errors, main, open_project, paused_gc, report_diagnostics
from curabib.wording import counted


@main.command()
@click.option(
    "--dialect",
    type=click.Choice(["bibtex", "biblatex"]),
    help="BibTeX entry types for BibTeX styles (default) or biblatex's richer types.",
)
@click.option(
    "--venue",
    "venue_style",
    type=click.Choice(["long", "short"]),
    help="Venue names in full (default) or short (NeurIPS, ICLR, ACL).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 if bib/ differs from what build writes (with the options of the last build).",
)
@click.pass_context
def build(ctx: click.Context, dialect: str | None, venue_style: str | None, check: bool) -> None:
    """Write bib/: one .bib and one CSL-JSON .json per section, per list and for all lists.

    Reads only entries/ (and the fetched-metadata store beside it): no network. The same input gives
    byte-identical files. Nothing is written unless everything succeeds.

    Example: curabib build
    """
    from curabib.export import FORMATS
    from curabib.export.layout import LIST_FORMATS, META_DIR

    project = open_project(ctx)
    given = {k: v for k, v in (("dialect", dialect), ("venue", venue_style)) if v}
    # The bar's length is known once the lists are read: the library says it through `total`.
    bar = click.progressbar(length=0, label="Merging and rendering", file=sys.stderr)

    def total(n: int) -> None:
        bar.length = n

    with input_errors(), bar, paused_gc():
        if check:
            result = project.check_bib(given, bar.update, total)
        else:
            result = project.build(given, bar.update, total)
    report_diagnostics(result.built.diagnostics)
    if check:
        if result.stale:
            listing = "\n".join(f"  {path}" for path in result.stale[:20])
            verb = "differs" if len(result.stale) == 1 else "differ"
            raise click.ClickException(
                f"{counted(len(result.stale), 'file')} in {project.bib_dir} {verb} from what "
                f"`curabib build{result.flags}` writes:\n{listing}"
            )
        click.echo(
            f"{project.bib_dir} is up to date ({counted(result.written, 'file')}, as "
            f"`curabib build{result.flags}` writes them)"
        )
        return
    built = result.built
    kinds = Counter(work.kind for work in built.works.values())
    click.echo(
        f"Built {counted(result.written, 'file')} in {project.bib_dir}, {result.changed} changed "
        f"({counted(len(built.groups), 'bibliography')} in {len(FORMATS)} formats, "
        f"{' and '.join(fmt.suffix for fmt in LIST_FORMATS)} per list, plus {META_DIR}/ for curabib's own)"
    )
    click.echo(f"  works: {len(built.works)} from {counted(result.lists, 'list')}; by kind: {counts(kinds)}")
    click.echo(f"  warnings: {len(built.diagnostics)}")
