"""The `curabib` command: thin click wrappers that call the stages, print a summary, map errors to exits.

Exit codes: 0 success, 1 failure, 2 usage or input errors (with file:line and how to fix it).
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import click

from curabib import __version__, entries
from curabib.build import plan, render
from curabib.export import ExportOptions
from curabib.fetched import load_fetched
from curabib.fsutil import replace_tree
from curabib.keys import assign_keys, base_key, unique_key
from curabib.latex import load_terms
from curabib.markdown_import import ImportError_, import_markdown
from curabib.model import CuratedList, Diagnostic, Work
from curabib.settings import Settings, load_settings
from curabib.works import collect_works, pin_missing_keys


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
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if bib/ differs from what build writes.")
@click.pass_context
def build(ctx: click.Context, dialect: str | None, check: bool) -> None:
    """Write bib/: one .bib and one CSL-JSON .json per section, per list and for all lists.

    Reads only entries/ (and the fetched-metadata store beside it): no network. The same input gives
    byte-identical files. Nothing is written unless everything succeeds.

    Example: curabib build
    """
    settings = _settings(ctx)
    lists = _load_lists(settings)
    if not lists:
        raise InputProblem(f"no lists in {settings.entries_dir}; import one with `curabib import-md`")
    diagnostics = pin_missing_keys(lists)
    with _input_errors():
        fetched = load_fetched(settings.entries_dir)
    works = collect_works(lists, fetched)
    options = ExportOptions(
        dialect=dialect or settings.dialect,
        terms=load_terms() | frozenset(settings.terms),
        max_authors=settings.max_authors,
    )
    groups = plan(lists)
    with click.progressbar(length=len(works), label="Rendering", file=sys.stderr) as bar:

        def progress(items: Iterable[Work]) -> Iterator[Work]:
            for work in items:
                yield work
                bar.update(1)

        files = render(groups, works, options, progress)
    _report(diagnostics)
    if check:
        _check_tree(settings.bib_dir, files)
        return
    replace_tree(settings.bib_dir, files)
    kinds = Counter(w.kind for w in works.values())
    click.echo(
        f"Wrote {len(files)} files to {settings.bib_dir} "
        f"({len(groups)} bibliographies in {len(FORMATS_NAMES)} formats, plus index.json)"
    )
    click.echo(f"  works: {len(works)} from {len(lists)} lists; by kind: {_counts(kinds)}")
    click.echo(f"  warnings: {len(diagnostics)}")


FORMATS_NAMES = ("bibtex", "csl-json")


def _check_tree(bib_dir: Path, files: dict[str, str]) -> None:
    existing = {
        p.relative_to(bib_dir).as_posix(): p for p in bib_dir.rglob("*") if p.is_file()
    } if bib_dir.exists() else {}  # fmt: skip
    stale = sorted(
        path
        for path in set(existing) | set(files)
        if path not in files
        or path not in existing
        or existing[path].read_text(encoding="utf-8") != files[path]
    )
    if stale:
        listing = "\n".join(f"  {p}" for p in stale[:20])
        raise click.ClickException(
            f"{len(stale)} files in {bib_dir} differ from what `curabib build` writes:\n{listing}"
        )
    click.echo(f"{bib_dir} is up to date ({len(files)} files)")


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
    """Re-derive provisional keys of items whose authors are now known.

    The old key is kept as an alias, so LaTeX sources citing it keep compiling (biblatex `ids`).

    Example: curabib rekey --dry-run
    """
    settings = _settings(ctx)
    lists = _load_lists(settings)
    taken = {k for lst in lists for item in lst.all_items() for k in (item.key, *item.aliases) if k}
    renames: dict[str, str] = {}
    touched: set[str] = set()
    for lst in lists:
        for item in lst.all_items():
            if not (item.key_provisional and item.authors and item.key):
                continue
            if item.key not in renames:
                base, _ = base_key(item)
                renames[item.key] = unique_key(base, taken)
                taken.add(renames[item.key])
            old = item.key
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
