"""`curabib build`: entries/ and the store -> bib/ (the stages are `pipeline.py`; the files, `project/`)."""

from __future__ import annotations

import sys
from collections import Counter

import click

from curabib.cli.app import InputProblem, counts, input_errors, main, open_project, report_diagnostics


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
    from curabib.pipeline import build_bibliographies, citation_keys
    from curabib.project import entries

    project = open_project(ctx)
    settings = project.settings
    if not project.has_lists():
        raise InputProblem(f"no lists in {project.entries_dir}; import one with `curabib import-md`")
    with input_errors():
        # The options given on the command line are recorded in index.json; `--check` compares with
        # the files as the last build made them (`build --venue short` then `build --check` agree),
        # unless told otherwise.
        given = {k: v for k, v in (("dialect", dialect), ("venue", venue_style)) if v}
        if check:
            given = {**project.last_build_options(), **given}
        records = project.records()
        with entries.paused_gc():
            lists = project.lists()
    options = project.export_options(given.get("dialect"))
    bar = click.progressbar(length=citation_keys(lists), label="Merging and rendering", file=sys.stderr)
    with input_errors(), bar, entries.paused_gc():
        built = build_bibliographies(
            lists,
            records,
            options,
            settings.prefer,
            given.get("venue", settings.venue),
            progress=bar.update,
            entries=str(project.entries_dir),  # as the user reaches it: "proj/entries" under -C proj
        )
    report_diagnostics(built.diagnostics)
    if check:
        with input_errors():
            stale, count = project.stale_bib_files(built.files(given))
        flags = "".join(f" --{k} {v}" for k, v in sorted(given.items()))
        if stale:
            listing = "\n".join(f"  {path}" for path in stale[:20])
            raise click.ClickException(
                f"{len(stale)} files in {project.bib_dir} differ from what `curabib build{flags}` writes:"
                f"\n{listing}"
            )
        click.echo(f"{project.bib_dir} is up to date ({count} files, as `curabib build{flags}` writes them)")
        return
    # Staged one file at a time, moved in only when all succeeded (project/files.py).
    with input_errors():
        written = project.write_bib(built.files(given))
    kinds = Counter(work.kind for work in built.works.values())
    click.echo(
        f"Wrote {written} files to {project.bib_dir} "
        f"({len(built.groups)} bibliographies in {len(FORMATS)} formats, "
        f"{' and '.join(fmt.suffix for fmt in LIST_FORMATS)} per list, plus {META_DIR}/ for curabib's own)"
    )
    click.echo(f"  works: {len(built.works)} from {len(lists)} lists; by kind: {counts(kinds)}")
    click.echo(f"  warnings: {len(built.diagnostics)}")
