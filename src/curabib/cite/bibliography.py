"""The bibliography of one paper: each work it cites, written under the key the paper cites it by (an
alias included: the work merged into another, or renamed by `rekey --force`, is written under the old key
too), in BibTeX, biblatex or CSL-JSON. Keys no work has are listed with their nearest matches; nothing is
invented for them. Pure, and deterministic: entries sorted by key."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from curabib.cite.catalogue import Catalogue
from curabib.cite.citations import ALL
from curabib.export import bibtex, csl
from curabib.export.common import ExportOptions, Format

FORMATS = ("bibtex", "biblatex", "csl-json")


@dataclass(frozen=True)
class PaperBibliography:
    text: str
    written: tuple[tuple[str, str], ...]  # (the key written, the key its work keeps), sorted
    unknown: tuple[tuple[str, tuple[str, ...]], ...]  # (a cited key no work has, its nearest keys)


def paper_bibliography(
    catalogue: Catalogue, cited: Sequence[str], fmt: str, options: ExportOptions
) -> PaperBibliography:
    """The works `cited` names (`ALL`: every work, under the key it keeps) in format `fmt`."""
    wanted = {key: catalogue.resolve(key) for key in cited if key != ALL}
    if ALL in cited:
        wanted.update({key: key for key in catalogue.works})
    written = tuple(sorted((key, kept) for key, kept in wanted.items() if kept is not None))
    unknown = tuple(
        (key, tuple(catalogue.nearest(key))) for key, kept in sorted(wanted.items()) if kept is None
    )
    chosen = _format(fmt)
    dialect = replace(options, dialect="biblatex" if fmt == "biblatex" else "bibtex")
    texts = [
        chosen.render(replace(catalogue.works[kept], key=key, aliases=()), dialect).encode("utf-8")
        for key, kept in written
    ]
    return PaperBibliography(b"".join(chosen.file(texts)).decode("utf-8"), written, unknown)


def _format(fmt: str) -> Format:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return csl.FORMAT if fmt == "csl-json" else bibtex.FORMAT
