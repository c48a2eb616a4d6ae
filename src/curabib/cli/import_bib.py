"""`curabib import-bib`: a BibTeX, biblatex or CSL-JSON file into entries/NAME.yaml."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click

from curabib.cli.app import counts, input_errors, main, open_project, report_diagnostics

if TYPE_CHECKING:
    from curabib.project.bibfiles import BibImport


@main.command("import-bib")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--list", "list_name", help="Name of the list: entries/NAME.yaml (default: the file's name).")
@click.option("--section", help="The heading of the section the entries go under (default: References).")
@click.option("--title", help="The list's title.")
@click.pass_context
def import_bib(
    ctx: click.Context, file: Path, list_name: str | None, section: str | None, title: str | None
) -> None:
    """Import a bibliography FILE (BibTeX, biblatex, or CSL-JSON as an array of items) into
    entries/NAME.yaml, one item per entry, keyed by the entry's own citation key.

    An entry that cannot be read is reported with its line and left out; the others are imported.
    Importing the file again merges it into the list: your edits in entries/ are kept.

    Example: curabib import-bib references.bib --list thesis --section "Related work"
    """
    project = open_project(ctx)
    with input_errors():
        result = project.import_bib(file, list_name, section, title)
    report_diagnostics([*result.skipped, *result.diagnostics])
    _summary(result)


def _summary(result: BibImport) -> None:
    items = result.items
    where = f"{result.target}, section '{result.heading}'"
    if result.merged:
        kept = len(items) - result.added
        click.echo(
            f"Imported {len(items)} entries into {result.target}: {result.added} new (section "
            f"'{result.heading}'), {kept} already there (merged: your edits kept)"
        )
    else:
        click.echo(f"Imported {len(items)} entries into {where}")
    click.echo("  by kind: " + counts(result.kinds))
    ids = Counter(i.kind for item in items for i in item.ids if not i.derived)
    click.echo("  identifiers: " + (counts(ids) or "none"))
    authors, year, venue = (sum(1 for i in items if getattr(i, f)) for f in ("authors", "year", "venue"))
    click.echo(f"  with authors {authors}, year {year}, venue {venue}")
    reasons = Counter(_reason(d.message) for d in result.skipped)
    click.echo(f"  skipped: {len(result.skipped)} entries" + (" (listed above):" if reasons else ""))
    for reason, count in sorted(reasons.items(), key=lambda x: (-x[1], x[0])):
        click.echo(f"    {count:4d}  {reason}")
    if result.parents:
        click.echo(
            f"  crossref parents: {len(result.parents)}, their fields lent to the entries that cite them "
            f"(not imported on their own): {', '.join(result.parents)}"
        )


def _reason(message: str) -> str:
    """A skip's reason without the entry's own key and values, to count alike reasons together."""
    if "not valid BibTeX" in message:
        return "not valid BibTeX"
    if "is used again" in message:
        return "duplicate key"
    if "is given twice" in message:
        return "a field given twice"
    if "has no title" in message:
        return "no title"
    if "characters BibTeX cannot take" in message:
        return "a key BibTeX cannot take"
    return message.split(": ", 1)[-1]
