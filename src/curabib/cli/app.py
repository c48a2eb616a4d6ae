"""The `curabib` command group and what its commands share: settings, input errors, diagnostics.

Exit codes: 0 success, 1 failure, 2 usage or input errors (with file:line and how to fix it).
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from curabib import __version__
from curabib.errors import EntryError, InputError

if TYPE_CHECKING:
    from curabib.model import Diagnostic
    from curabib.project import Project


class InputProblem(click.ClickException):
    """Bad input: exit 2, like click's usage errors."""

    exit_code = 2


@contextmanager
def input_errors() -> Iterator[None]:
    try:
        yield
    except (EntryError, InputError) as err:
        raise InputProblem(str(err)) from err


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic collector paused while a command builds large acyclic trees (items, works), which it would
    otherwise scan again and again as they grow: at 100,000 entries a build takes 40 s of processor time
    instead of 27. Reference counting still frees. Process-wide, so the command line decides it, around a
    whole command, never the library; the collector is left as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def open_project(ctx: click.Context) -> Project:
    from curabib.project import Project  # here, not above: `curabib --help` loads no stage

    root: Path = ctx.obj
    with input_errors():
        return Project.open(root)


def report_diagnostics(diagnostics: Sequence[Diagnostic]) -> None:
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


def counts(counter: Counter[str]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counter.items(), key=lambda x: (-x[1], x[0])))
