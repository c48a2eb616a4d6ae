"""New text for what an edit of `entries/<list>.yaml` changes: one field, or one item or section.

`edits.py` copies every line of the file that belongs to nothing that changed; only a changed value is
written anew, by ruamel.yaml, at the column it sits at and in the file's own indentation, so that it
reads as if it had always been there. A comment that stays with a rewritten field goes after its key
when a block follows it, else after its value.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import SingleQuotedScalarString

from curabib.project import entries

# The entry reader resolves plain scalars as YAML 1.1 does ("yes", "on", "1e3" are not text there), and
# ruamel.yaml writes YAML 1.2: new text that YAML 1.1 would not read back as text is quoted.
_RESOLVER = yaml.resolver.Resolver()
_WIDTH = 110  # the entry layout's line width (writing.py), counted from the line's start


class NewText:
    """Values written in the entry layout, in one file's indentation (`FileShape.spaces`)."""

    def __init__(self, spaces: Mapping[str, int]) -> None:
        self.emitter = YAML()
        mapping, offset = spaces.get("mapping", 2), spaces.get("offset", 0)
        self.emitter.indent(mapping=mapping, sequence=offset + spaces.get("content", 2), offset=offset)

    def lines(self, value: Any, col: int) -> list[str]:
        """`value` (as the writing part has it: `writing._item_data`) in the entry layout at column
        `col`, never ending a line with a space."""
        scalar = next(iter(value.values())) if isinstance(value, dict) and len(value) == 1 else None
        if type(scalar) in (int, bool):  # `source_line: 12`, rewritten on many a re-import: no emitter
            return [f"{' ' * col}{next(iter(value))}: {str(scalar).lower()}\n"]
        self.emitter.width = max(_WIDTH - col, 40)
        out = io.StringIO()
        self.emitter.dump(_plain(value), out)
        lines = out.getvalue().splitlines()
        indent = min(len(t) - len(t.lstrip(" ")) for t in lines if t.strip())
        return [(" " * col + t[indent:]).rstrip() + "\n" if t.strip() else "\n" for t in lines]


def with_comment(lines: list[str], comment: str | None) -> list[str]:
    """`lines` (one field) with `comment` after the key when a block follows it, else after the value (a
    comment on the first line of a wrapped scalar would be part of it)."""
    if comment:
        at = 0 if len(lines) == 1 or lines[0].rstrip().endswith(":") else len(lines) - 1
        lines[at] = lines[at].rstrip("\n") + comment + "\n"
    return lines


def _plain(value: Any) -> Any:
    """A value of the writing part (`writing._item_data`) as ruamel.yaml writes it in the entry layout."""
    if isinstance(value, dict):
        mapping = CommentedMap((k, _plain(v)) for k, v in value.items())
        if set(value) <= {"kind", "url", "text"} and "url" in value:
            mapping.fa.set_flow_style()  # links on one line each, as a new file has them
        return mapping
    if isinstance(value, list | tuple):
        return CommentedSeq(_plain(v) for v in value)
    resolved = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) if isinstance(value, str) else None  # type: ignore[no-untyped-call]
    if resolved not in (None, entries._STR):
        return SingleQuotedScalarString(value)
    return value
