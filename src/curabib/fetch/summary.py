"""What a `refresh` did, as the counts `refresh` prints and as Markdown for a pull request's body
(`refresh --summary markdown`): a heading, a table of counts, then a bullet list per kind of outcome."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from curabib.fetch.executor import Report
    from curabib.model import Diagnostic

# A pull request's body takes 65,536 characters: each bullet list stops after this many, saying how many more.
MAX_BULLETS = 100


def count_rows(report: Report) -> list[tuple[str, int]]:
    """(outcome, number of entries), in the order both summaries show them."""
    rows = [
        ("enriched", len(report.enriched)),
        ("unchanged", len(report.unchanged)),
        ("changed", len(report.changed)),
        ("published versions found", len(report.published)),
        ("not found", len(report.not_found)),
        ("conflicts", len(report.conflicts)),
        ("errors", len(report.errors)),
    ]
    if report.unasked:
        rows.append(("not asked (host given up)", len(report.unasked)))
    return rows


def markdown(report: Report, selected: int, asked: str) -> str:
    """The summary as Markdown; `asked` says the requests sent ("3 arXiv, 1 Crossref")."""
    out = [
        "## curabib refresh",
        "",
        f"Refreshed {selected} entries ({asked} requests, retries included).",
        "",
        "| outcome | entries |",
        "| --- | ---: |",
        *(f"| {name} | {count} |" for name, count in count_rows(report)),
    ]
    if report.interrupted:
        out += ["", "**Interrupted**: everything fetched before the interruption is saved."]
    if report.unreachable:
        out += [
            "",
            "**Unreachable**: " + "; ".join(f"{h}: {_inline(r)}" for h, r in report.unreachable.items()),
        ]
    if report.spent:
        out += ["", "**Budget spent**: " + "; ".join(f"{h}: {_inline(r)}" for h, r in report.spent.items())]
    changed = [f"`{ident}`: {', '.join(fields)}" for ident, fields in sorted(report.changed.items())]
    out += _bullets("Changed fields", changed)
    out += _bullets("Published versions found", [f"`{key}`" for key in sorted(report.published)])
    out += _bullets("Conflicts", _findings(report.conflicts))
    out += _bullets("Not found", [f"`{key}`" for key in sorted(report.not_found)])
    out += _bullets("Errors", _findings(report.errors))
    out += _bullets("Enriched", [f"`{key}`" for key in sorted(report.enriched)])
    return "\n".join(out) + "\n"


def _findings(diagnostics: Sequence[Diagnostic]) -> list[str]:
    return [f"`{d.where}`: {_inline(d.message)}" if d.where else _inline(d.message) for d in diagnostics]


def _bullets(heading: str, lines: Sequence[str]) -> list[str]:
    if not lines:
        return []
    out = ["", f"### {heading} ({len(lines)})", "", *(f"- {line}" for line in lines[:MAX_BULLETS])]
    if len(lines) > MAX_BULLETS:
        out.append(f"- … and {len(lines) - MAX_BULLETS} more")
    return out


def _inline(text: str) -> str:
    """One line of Markdown: no line breaks, and no `<` that GitHub could take for HTML."""
    return " ".join(text.split()).replace("<", "&lt;")
