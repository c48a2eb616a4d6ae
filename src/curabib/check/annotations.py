"""`check --format github`: findings as GitHub Actions workflow commands, one line each.

`::error file=README.md,line=42,title=wrong-link::message` makes GitHub show the finding on that line of the
pull request. A finding about an item imported with `import-md` points at the item's line in the Markdown
(its `source_line`, in the file the list's `source` names, as `check/places.py` sets it), which is what the
list's contributors edit; any other finding points at its entries file and line.
"""

from __future__ import annotations

from collections.abc import Sequence

from curabib.model import Diagnostic

_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def github_lines(findings: Sequence[Diagnostic]) -> list[str]:
    return [github_line(finding) for finding in findings]


def github_line(finding: Diagnostic) -> str:
    """One workflow command: `::error`, `::warning` or `::notice` (for info), at the finding's Markdown line
    when it has one, else at its entries file and line."""
    properties: list[tuple[str, str]] = []
    message = finding.message
    file, line = finding.file, finding.line
    if finding.markdown is not None and finding.markdown_line is not None:
        file, line = finding.markdown, finding.markdown_line
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
