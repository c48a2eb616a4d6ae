"""`curabib refresh` and `curabib add`: metadata from the APIs into the store."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from datetime import timedelta

import click

from curabib import __version__
from curabib.cli.app import (
    InputProblem,
    input_errors,
    load_lists,
    main,
    project_settings,
)
from curabib.export import ExportOptions
from curabib.export.bibtex import render as render_bibtex
from curabib.export.latex import load_terms
from curabib.fetch.refresh import Refresher, RefreshOptions, Report, person_name
from curabib.ids import canonical_url, parse_identifier
from curabib.merge.keys import base_key, unique_key
from curabib.merge.works import collect_works
from curabib.model import CuratedList, Item, Link, Section
from curabib.project import entries
from curabib.project.settings import Settings
from curabib.project.store import Store, now_utc
from curabib.sources.arxiv import ArxivSource
from curabib.sources.crossref import CrossrefSource
from curabib.sources.policy import Clock


# -- refresh and add ---------------------------------------------------------------------------------
def _duration(text: str) -> timedelta:
    m = re.fullmatch(r"(\d+)([dhm])", text.strip())
    if not m:
        raise click.BadParameter("use a number and d, h or m, e.g. 30d", param_hint="--older-than")
    unit = {"d": "days", "h": "hours", "m": "minutes"}[m.group(2)]
    return timedelta(**{unit: int(m.group(1))})


def _select(lists: Sequence[CuratedList], selectors: Sequence[str]) -> list[Item]:
    """LIST, LIST/Heading/Sub... (headings as written), or KEY; nothing means everything."""
    if not selectors:
        return [item for lst in lists for item in lst.all_items()]
    chosen: dict[int, Item] = {}
    for selector in selectors:
        matched = False
        for lst in lists:
            if selector == lst.name:
                chosen.update((id(i), i) for i in lst.all_items())
                matched = True
            for path, section in lst.walk_sections():
                if selector in ("/".join((lst.name, *path)), path[-1]):
                    chosen.update((id(i), i) for i in section.all_items())
                    matched = True
            for item in lst.all_items():
                if selector in (item.key, *item.aliases):
                    chosen[id(item)] = item
                    matched = True
        if not matched:
            raise InputProblem(f"'{selector}' is not a list name, section or key in entries/")
    return list(chosen.values())


CLOCK = Clock()  # the one clock refresh paces and backs off with; tests patch it instead of waiting
TIMEOUT = 30.0  # seconds for one HTTP request


def _sources(settings: Settings) -> tuple[ArxivSource, CrossrefSource]:
    contact = f"; mailto:{settings.mailto}" if settings.mailto else ""
    user_agent = f"curabib/{__version__} (https://pypi.org/project/curabib/{contact})"
    return (
        ArxivSource(base_url=settings.arxiv_url, user_agent=user_agent, timeout=TIMEOUT, clock=CLOCK),
        CrossrefSource(
            base_url=settings.crossref_url,
            mailto=settings.mailto,
            user_agent=f"curabib/{__version__}",
            timeout=TIMEOUT,
            clock=CLOCK,
        ),
    )


@main.command()
@click.argument("selectors", nargs=-1)
@click.option("--source", "source", type=click.Choice(["arxiv", "crossref"]), help="Ask only this API.")
@click.option(
    "--older-than", default="30d", show_default=True, help="Ask again about records older than this."
)
@click.option("--force", is_flag=True, help="Ask again about everything selected, however fresh.")
@click.option(
    "--dry-run", is_flag=True, help="Show the requests that would be sent; send none, write nothing."
)
@click.pass_context
def refresh(
    ctx: click.Context,
    selectors: tuple[str, ...],
    source: str | None,
    older_than: str,
    force: bool,
    dry_run: bool,
) -> None:
    """Fetch metadata from arXiv and Crossref for the selected entries (all by default).

    SELECTORS are list names, sections (LIST/Heading/Sub or a heading) or keys. Answers go to the store
    in entries/fetched/, apart from the curated fields, and `build` uses them offline. Set your address
    for Crossref's polite pool with `mailto:` in curabib.yaml or CURABIB_MAILTO.

    Example: curabib refresh llms-practical-guide --older-than 7d
    """
    settings = project_settings(ctx)
    lists = load_lists(settings)
    items = _select(lists, selectors)
    arxiv, crossref = _sources(settings)
    options = RefreshOptions(
        sources=frozenset({source}) if source else frozenset({"arxiv", "crossref"}),
        max_age=_duration(older_than),
        force=force,
        dry_run=dry_run,
    )
    store = Store(settings.entries_dir)
    with input_errors():
        store.records()
    with click.progressbar(length=len(items), label="Refreshing", file=sys.stderr) as bar:
        refresher = Refresher(store, arxiv, crossref, options, now_utc(), progress=bar.update)
        report = refresher.run(items)
    _refresh_summary(report, len(items), dry_run)
    if report.errors:
        raise click.ClickException(f"{len(report.errors)} requests failed; everything else was saved")


def _refresh_summary(report: Report, selected: int, dry_run: bool) -> None:
    if dry_run:
        for line in report.planned:
            click.echo(line)
        click.echo(f"Dry run: {len(report.planned)} requests would be sent for {selected} entries")
        return
    for line in [*report.conflicts, *report.errors]:
        click.echo(line, err=True)
    rows = [
        ("enriched", len(report.enriched)),
        ("unchanged", len(report.unchanged)),
        ("changed", len(report.changed)),
        ("published versions found", len(report.published)),
        ("not found", len(report.not_found)),
        ("conflicts", len(report.conflicts)),
        ("errors", len(report.errors)),
    ]
    asked = f"{report.requests['arxiv']} arXiv, {report.requests['crossref']} Crossref requests"
    click.echo(f"Refreshed {selected} entries ({asked})")
    for name, count in rows:
        click.echo(f"  {name:<26}{count:>6}")
    for ident, fields in sorted(report.changed.items()):
        click.echo(f"    {ident}: {', '.join(fields)}")


@main.command()
@click.argument("identifier")
@click.option("--list", "list_name", default="added", show_default=True, help="The list to add to.")
@click.option("--section", default="Added", show_default=True, help="The section heading to add under.")
@click.pass_context
def add(ctx: click.Context, identifier: str, list_name: str, section: str) -> None:
    """Add one work by arXiv id, DOI or URL, fetch its metadata and print its BibTeX.

    The list and the section are created when they do not exist yet.

    Example: curabib add arXiv:1706.03762 --list reading --section Transformers
    """
    settings = project_settings(ctx)
    ident = parse_identifier(identifier)
    if ident is None:
        raise click.BadParameter("not an arXiv id, DOI or known URL", param_hint="IDENTIFIER")
    if not entries.LIST_NAME.match(list_name) or list_name in entries.RESERVED_LIST_NAMES:
        raise click.BadParameter("use lowercase letters, digits and '-'", param_hint="--list")
    lists = load_lists(settings)
    target = next((lst for lst in lists if lst.name == list_name), None) or CuratedList(list_name)
    link = Link(
        "paper" if ident.kind != "github" else "code",
        identifier if "://" in identifier else canonical_url(ident),
    )
    item = Item(kind="paper" if ident.kind != "github" else "software", ids=(ident,), links=(link,))
    store = Store(settings.entries_dir)
    arxiv, crossref = _sources(settings)
    Refresher(store, arxiv, crossref, RefreshOptions(), now_utc()).run([item])
    record = store.get("arxiv", f"arxiv:{ident.value}") or store.get("crossref", f"doi:{ident.value}")
    if record is None or record.status != "found":
        raise click.ClickException(f"{identifier}: not found; nothing was added")
    item.title = str(record.fields.get("title") or ident.value)
    authors = [person_name(a) for a in record.fields.get("authors", [])]
    year = record.fields.get("year") or str(record.fields.get("published", ""))[:4]
    keyed = Item(
        kind=item.kind,
        title=item.title,
        authors=tuple(authors[:1]),
        year=int(year) if str(year).isdigit() else None,
    )
    others = [i for lst in lists for i in lst.all_items()]
    existing = next(
        (i for i in others if any(x.kind == ident.kind and x.value == ident.value for x in i.ids)), None
    )
    if existing is not None:
        item.key, item.key_provisional = existing.key, existing.key_provisional
    else:
        base, _ = base_key(keyed)
        item.key = unique_key(base, {k for i in others for k in (i.key, *i.aliases) if k})
    _section(target, section).items.append(item)
    entries.save(target, settings.entries_dir)
    all_lists = [*[lst for lst in lists if lst.name != list_name], target]
    bibliography = collect_works(all_lists, store.records(), settings.prefer, settings.venue)
    work = bibliography.works[bibliography.canonical[str(item.key)]]
    click.echo(render_bibtex(work, ExportOptions(dialect=settings.dialect, terms=load_terms())))
    click.echo(
        f"Added {item.key} to entries/{list_name}.yaml, section '{section}'; run `curabib build` to export it"
    )


def _section(curated: CuratedList, heading: str) -> Section:
    found = next((s for _, s in curated.walk_sections() if s.heading == heading), None)
    if found is None:
        found = Section(heading)
        curated.sections.append(found)
    return found
