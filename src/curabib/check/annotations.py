"""`check --format github`: findings as GitHub Actions workflow commands, one line each.

`::error file=README.md,line=42,title=wrong-link::message` makes GitHub show the finding on that line of the
pull request. A finding about an item imported with `import-md` points at the item's line in the Markdown
(its `source_line`, in the file the list's `source` names), which is what the list's contributors edit; any
other finding points at its entries file and line, or names its subject in the message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from curabib.model import CuratedList, Diagnostic

_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}

Place = tuple[str, int]


def markdown_places(
    lists: Sequence[CuratedList], entries: str, sources: Mapping[str, str]
) -> dict[Place, Place]:
    """(entries file, line) of every imported item -> (Markdown file, line). `entries` is the folder as
    findings name it; `sources` maps a list's name to its Markdown file as the annotations name it (lists
    whose Markdown is not there are left out: their findings keep pointing at entries/)."""
    places: dict[Place, Place] = {}
    for lst in lists:
        markdown = sources.get(lst.name)
        if markdown is None:
            continue
        for item in lst.all_items():
            if item.line and item.source_line:
                places[(f"{entries}/{lst.name}.yaml", item.line)] = (markdown, item.source_line)
    return places


def github_lines(findings: Sequence[Diagnostic], places: Mapping[Place, Place]) -> list[str]:
    return [github_line(finding, places) for finding in findings]


def github_line(finding: Diagnostic, places: Mapping[Place, Place] | None = None) -> str:
    """One workflow command: `::error`, `::warning` or `::notice` (for info)."""
    properties: list[tuple[str, str]] = []
    message = finding.message
    file, line = finding.file, finding.line
    if file is not None and line is not None and places:
        file, line = places.get((file, line), (file, line))
    if file is not None:
        properties.append(("file", file))
        if line:
            properties.append(("line", str(line)))
    elif finding.subject:
        message = f"{finding.subject}: {message}"
    properties.append(("title", finding.code))
    props = ",".join(f"{name}={escape_property(value)}" for name, value in properties)
    return f"::{_COMMANDS.get(finding.level, 'notice')} {props}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """As GitHub's toolkit escapes a command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """As GitHub's toolkit escapes a property's value: the message's escapes, and `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
