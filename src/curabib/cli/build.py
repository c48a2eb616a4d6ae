"""`curabib build`: entries/ and the store -> bib/."""

from __future__ import annotations

import functools
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import click

from curabib.cli.app import (
    InputProblem,
    counts,
    input_errors,
    load_lists,
    main,
    project_settings,
    report_diagnostics,
)
from curabib.export import FORMATS, ExportOptions
from curabib.export.latex import load_terms
from curabib.export.layout import META_FILES, Rendered, files, plan
from curabib.merge.works import collect, pin_missing_keys
from curabib.project import entries
from curabib.project.files import replace_tree
from curabib.project.store import Store


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
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if bib/ differs from what build writes.")
@click.pass_context
def build(ctx: click.Context, dialect: str | None, venue_style: str | None, check: bool) -> None:
    """Write bib/: one .bib and one CSL-JSON .json per section, per list and for all lists.

    Reads only entries/ (and the fetched-metadata store beside it): no network. The same input gives
    byte-identical files. Nothing is written unless everything succeeds.

    Example: curabib build
    """
    settings = project_settings(ctx)
    if not entries.list_paths(settings.entries_dir):
        raise InputProblem(f"no lists in {settings.entries_dir}; import one with `curabib import-md`")
    with input_errors():
        records = Store(settings.entries_dir).records()
    options = ExportOptions(
        dialect=dialect or settings.dialect,
        terms=load_terms() | frozenset(settings.terms),
        max_authors=settings.max_authors,
    )
    lists = load_lists(settings)
    diagnostics = pin_missing_keys(lists)
    keys = len({item.key for lst in lists for item in lst.all_items()})
    bar = click.progressbar(length=keys, label="Merging and rendering", file=sys.stderr)
    with bar, entries.paused_gc():
        bibliography = collect(
            lists,
            records,
            settings.prefer,
            venue_style or settings.venue,
            functools.partial(Rendered.of, options=options),
            near_titles=False,  # only `check` and `dedupe` report near-identical titles
            progress=bar.update,
        )
    works = bibliography.works
    diagnostics += bibliography.diagnostics
    groups = plan(lists, bibliography.canonical)
    with entries.paused_gc():
        if check:
            report_diagnostics(diagnostics)
            _check_tree(settings.bib_dir, files(groups, works))
            return
        # Written one file at a time into the staging folder, swapped in only when all succeeded.
        written = replace_tree(settings.bib_dir, files(groups, works))
    report_diagnostics(diagnostics)
    kinds = Counter(w.kind for w in works.values())
    click.echo(
        f"Wrote {written} files to {settings.bib_dir} "
        f"({len(groups)} bibliographies in {len(FORMATS)} formats, plus {', '.join(META_FILES)})"
    )
    click.echo(f"  works: {len(works)} from {len(lists)} lists; by kind: {counts(kinds)}")
    click.echo(f"  warnings: {len(diagnostics)}")


def _check_tree(bib_dir: Path, expected: Iterable[tuple[str, Iterable[bytes]]]) -> None:
    existing = {
        p.relative_to(bib_dir).as_posix(): p for p in bib_dir.rglob("*") if p.is_file()
    } if bib_dir.exists() else {}  # fmt: skip
    stale = set(existing)
    count = 0
    for path, pieces in expected:
        count += 1
        stale.discard(path)
        if path not in existing or existing[path].read_bytes() != b"".join(pieces):
            stale.add(path)
    if stale:
        listing = "\n".join(f"  {p}" for p in sorted(stale)[:20])
        raise click.ClickException(
            f"{len(stale)} files in {bib_dir} differ from what `curabib build` writes:\n{listing}"
        )
    click.echo(f"{bib_dir} is up to date ({count} files)")
