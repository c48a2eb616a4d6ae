"""The `curabib` command: thin click wrappers that call the stages, print a summary, map errors to exits.

Exit codes: 0 success, 1 failure, 2 usage or input errors (with file:line and how to fix it).
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path

import click

from curabib import __version__, entries
from curabib.build import META_FILES, Rendered, files, plan
from curabib.check import Finding, Project, run_checks, summary
from curabib.export import FORMATS, ExportOptions
from curabib.export.bibtex import render as render_bibtex
from curabib.fsutil import replace_tree
from curabib.identifiers import canonical_url, parse_identifier
from curabib.keys import assign_keys, base_key, unique_key
from curabib.latex import load_terms
from curabib.markdown_import import ImportError_, import_markdown
from curabib.model import CuratedList, Diagnostic, Item, Link, Person, Section
from curabib.refresh import Refresher, RefreshOptions, Report, person_name
from curabib.settings import Settings, load_settings
from curabib.sources.arxiv_source import ArxivSource
from curabib.sources.crossref_source import CrossrefSource
from curabib.sources.policy import Clock
from curabib.store import Store, now_utc
from curabib.works import collect, collect_works, pin_missing_keys


class InputProblem(click.ClickException):
    """Bad input: exit 2, like click's usage errors."""

    exit_code = 2


@contextmanager
def _input_errors() -> Iterator[None]:
    try:
        yield
    except entries.EntryError as err:
        raise InputProblem(str(err)) from err


def _settings(ctx: click.Context) -> Settings:
    root: Path = ctx.obj
    with _input_errors():
        return load_settings(root)


def _report(diagnostics: Sequence[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        click.echo(str(diagnostic), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-C",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Project folder (holding entries/, bib/ and an optional curabib.yaml).",
)
@click.version_option(__version__, prog_name="curabib")
@click.pass_context
def main(ctx: click.Context, directory: Path) -> None:
    """Turn curated Markdown paper lists into clean per-section BibTeX and CSL-JSON."""
    ctx.obj = directory


@main.command("import-md")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--list", "list_name", required=True, help="Name of the list: entries/NAME.yaml.")
@click.option("--title", help="The list's title, when the Markdown has no single top heading.")
@click.option("-v", "--verbose", is_flag=True, help="Print every skipped line with its reason.")
@click.pass_context
def import_md(ctx: click.Context, file: Path, list_name: str, title: str | None, verbose: bool) -> None:
    """Import an awesome-list Markdown FILE into entries/NAME.yaml.

    Sections keep their headings; items keep title, label, authors, year, venue, typed links and the
    identifiers in those links. Re-importing the same file gives the same YAML and keeps every key.

    Example: curabib import-md README.md --list llms-practical-guide
    """
    settings = _settings(ctx)
    if not entries.LIST_NAME.match(list_name) or list_name in entries.RESERVED_LIST_NAMES:
        raise click.BadParameter("use lowercase letters, digits and '-'", param_hint="--list")
    text = _read_markdown(file)
    try:
        curated, report = import_markdown(text, list_name, source=file.name)
    except ImportError_ as err:
        raise InputProblem(f"{file}: {err}") from err
    if title:
        curated.title = title
    target = settings.entries_dir / f"{list_name}.yaml"
    with _input_errors():
        previous = entries.load(target) if target.exists() else None
        others = [
            item
            for path in entries.list_paths(settings.entries_dir)
            if path != target
            for item in entries.load(path).all_items()
        ]
    diagnostics = assign_keys(curated, others, previous)
    entries.save(curated, settings.entries_dir)
    _report(diagnostics)
    _import_summary(curated, report, target, verbose)


def _read_markdown(file: Path) -> str:
    try:
        data = file.read_bytes()
    except OSError as err:
        raise InputProblem(f"{file}: cannot read: {err.strerror}") from err
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputProblem(
            f"{file}: not UTF-8 text (byte {err.start}: {err.reason}); is this a Markdown file?"
        ) from err


def _import_summary(curated: CuratedList, report: object, target: Path, verbose: bool) -> None:
    from curabib.markdown_import import ImportReport

    assert isinstance(report, ImportReport)
    items = list(curated.all_items())
    sections = sum(1 for _ in curated.walk_sections())
    kinds = Counter(i.kind for i in items)
    ids = Counter(i.kind for item in items for i in item.ids if not i.derived)
    derived = sum(1 for item in items for i in item.ids if i.derived)
    click.echo(f"Imported {len(items)} items in {sections} sections into {target}")
    click.echo("  items by kind: " + _counts(kinds))
    click.echo(
        "  identifiers: " + (_counts(ids) or "none") + (f" (+{derived} derived DOIs)" if derived else "")
    )
    provisional = sum(1 for i in items if i.key_provisional)
    click.echo(f"  keys: {len({i.key for i in items})} ({provisional} items with provisional keys)")
    reasons = report.reasons()
    click.echo(f"  skipped: {sum(reasons.values())} lines" + (": " if reasons else ""))
    for reason, count in sorted(reasons.items(), key=lambda x: (-x[1], x[0])):
        click.echo(f"    {count:4d}  {reason}")
    if verbose:
        for skip in report.skipped:
            click.echo(f"  line {skip.line}: {skip.reason}")


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counter.items(), key=lambda x: (-x[1], x[0])))


def _load_lists(settings: Settings) -> list[CuratedList]:
    with _input_errors():
        return entries.load_all(settings.entries_dir)


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
    settings = _settings(ctx)
    if not entries.list_paths(settings.entries_dir):
        raise InputProblem(f"no lists in {settings.entries_dir}; import one with `curabib import-md`")
    with _input_errors():
        records = Store(settings.entries_dir).records()
    options = ExportOptions(
        dialect=dialect or settings.dialect,
        terms=load_terms() | frozenset(settings.terms),
        max_authors=settings.max_authors,
    )
    lists = _load_lists(settings)
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
            _report(diagnostics)
            _check_tree(settings.bib_dir, files(groups, works))
            return
        # Written one file at a time into the staging folder, swapped in only when all succeeded.
        written = replace_tree(settings.bib_dir, files(groups, works))
    _report(diagnostics)
    kinds = Counter(w.kind for w in works.values())
    click.echo(
        f"Wrote {written} files to {settings.bib_dir} "
        f"({len(groups)} bibliographies in {len(FORMATS)} formats, plus {', '.join(META_FILES)})"
    )
    click.echo(f"  works: {len(works)} from {len(lists)} lists; by kind: {_counts(kinds)}")
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


@main.command("pin-keys")
@click.pass_context
def pin_keys(ctx: click.Context) -> None:
    """Store a key for every item that has none (added by hand) in entries/.

    Example: curabib pin-keys
    """
    settings = _settings(ctx)
    lists = _load_lists(settings)
    diagnostics = pin_missing_keys(lists)
    changed = {d.where.split(":")[0] for d in diagnostics}
    for lst in lists:
        if f"entries/{lst.name}.yaml" in changed:
            entries.save(lst, settings.entries_dir)
    click.echo(f"Pinned {len(diagnostics)} keys in {len(changed)} files")


@main.command()
@click.option("--dry-run", is_flag=True, help="Show the renames without writing.")
@click.pass_context
def rekey(ctx: click.Context, dry_run: bool) -> None:
    """Re-derive provisional keys of items whose authors are now known (curated or fetched).

    The old key is kept as an alias, so LaTeX sources citing it keep compiling (biblatex `ids`).

    Example: curabib rekey --dry-run
    """
    settings = _settings(ctx)
    lists = _load_lists(settings)
    pin_missing_keys(lists)
    with _input_errors():
        bibliography = collect_works(lists, Store(settings.entries_dir).records(), settings.prefer)
    taken = {k for lst in lists for item in lst.all_items() for k in (item.key, *item.aliases) if k}
    renames: dict[str, str] = {}
    touched: set[str] = set()
    for lst in lists:
        for item in lst.all_items():
            work = bibliography.works.get(bibliography.canonical.get(str(item.key), ""))
            if not (item.key_provisional and work is not None and work.authors):
                continue
            if item.key not in renames:
                first = work.authors[0]
                known = Item(kind=item.kind, title=work.title, authors=(_full_name(first),), year=work.year)
                renames[str(item.key)] = unique_key(base_key(known)[0], taken)
                taken.add(renames[str(item.key)])
            old = str(item.key)
            item.key, item.key_provisional = renames[old], False
            item.aliases = tuple(sorted({*item.aliases, old}))
            touched.add(lst.name)
    for old, new in sorted(renames.items()):
        click.echo(f"  {old} -> {new}")
    if not dry_run:
        for lst in lists:
            if lst.name in touched:
                entries.save(lst, settings.entries_dir)
    verb = "Would rename" if dry_run else "Renamed"
    click.echo(f"{verb} {len(renames)} provisional keys in {len(touched)} lists")


def _full_name(person: Person) -> str:
    return person.family if person.literal or not person.given else f"{person.family}, {person.given}"


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
    settings = _settings(ctx)
    lists = _load_lists(settings)
    items = _select(lists, selectors)
    arxiv, crossref = _sources(settings)
    options = RefreshOptions(
        sources=frozenset({source}) if source else frozenset({"arxiv", "crossref"}),
        max_age=_duration(older_than),
        force=force,
        dry_run=dry_run,
    )
    store = Store(settings.entries_dir)
    with _input_errors():
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
    settings = _settings(ctx)
    ident = parse_identifier(identifier)
    if ident is None:
        raise click.BadParameter("not an arXiv id, DOI or known URL", param_hint="IDENTIFIER")
    if not entries.LIST_NAME.match(list_name) or list_name in entries.RESERVED_LIST_NAMES:
        raise click.BadParameter("use lowercase letters, digits and '-'", param_hint="--list")
    lists = _load_lists(settings)
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


# -- check and dedupe --------------------------------------------------------------------------------
def _load_for_check(settings: Settings) -> tuple[list[CuratedList], list[Finding]]:
    lists, findings = [], []
    for path in entries.list_paths(settings.entries_dir):
        try:
            lists.append(entries.load(path))
        except entries.EntryError as err:
            where = f"entries/{path.name}:{err.line}"
            findings.append(Finding(where, "error", "invalid-entry", err.detail))
    return lists, findings


@main.command()
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def check(ctx: click.Context, output: str) -> None:
    """Lint entries/: wrong links, duplicates, key collisions, unresolved entries, missing fields.

    Exit 1 when there is any error-level finding, so a list's CI can run it.

    Example: curabib check --format json
    """
    settings = _settings(ctx)
    lists, findings = _load_for_check(settings)
    pin_missing_keys(lists)
    with _input_errors():
        records = Store(settings.entries_dir).records()
    bibliography = collect_works(lists, records, settings.prefer, settings.venue)
    findings += run_checks(Project(lists, bibliography, records))
    if output == "json":
        click.echo(json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            click.echo(str(finding))
        click.echo(f"Checked {len(lists)} lists: {summary(findings)}")
    if any(f.level == "error" for f in findings):
        ctx.exit(1)


@main.command()
@click.option("--report", is_flag=True, default=True, help="List merged groups and possible duplicates.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def dedupe(ctx: click.Context, report: bool, output: str) -> None:
    """Show which entries are one work (merged, with the reason and confidence) and which only look alike.

    `build` applies the merges: a merged work keeps one key and the others become aliases.

    Example: curabib dedupe --report
    """
    settings = _settings(ctx)
    lists = _load_lists(settings)
    pin_missing_keys(lists)
    with _input_errors():
        records = Store(settings.entries_dir).records()
    result = collect_works(lists, records, settings.prefer, settings.venue).dedupe
    if output == "json":
        data = {
            "merged": [asdict(m) for m in result.merges],
            "possible": [asdict(p) for p in result.possible],
            "conflicts": [asdict(c) for c in result.conflicts],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for merge in result.merges:
        merged = ", ".join(merge.merged)
        click.echo(f"merged  {merge.kept} <- {merged}  ({merge.reason}; confidence {merge.confidence})")
    for possible in result.possible:
        click.echo(f"possible  {' / '.join(possible.keys)}  ({possible.reason}; {possible.score})")
    for conflict in result.conflicts:
        click.echo(f"conflict  {' / '.join(conflict.keys)}  ({conflict.reason}): kept apart")
    click.echo(
        f"{len(result.merges)} merged groups, {len(result.possible)} possible duplicates, "
        f"{len(result.conflicts)} identifier conflicts"
    )
