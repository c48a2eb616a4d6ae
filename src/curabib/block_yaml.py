"""A quick reader for the block YAML that `entries.dump` writes; libyaml reads everything else.

libyaml builds a node with two position marks for every scalar, and composing those nodes was most of a
100k-entry build. This reader knows only the layout PyYAML's dumper produces (and hand edits in the same
style): block mappings and sequences, plain and single-quoted scalars, possibly folded over several lines,
and flow mappings of such scalars. On anything else (double quotes, anchors, tags, block scalars, flow
sequences, tabs, a blank line inside a value, odd indentation, ...) it declines by returning None and the
caller reads the file with libyaml, which also gives the error messages.

Where it accepts, it returns what libyaml loads when only null and booleans are resolved (tests check
this on generated and on mutated files): PyYAML's own resolver decides which plain scalars are null or
booleans (None, True/False); every other scalar is the text written (so an arXiv id `2301.10010` stays text).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

Value = Any  # str | bool | None | list[Value] | Mapping


class Mapping(dict[str, Any]):
    """A YAML mapping, with the line (1-based) where it starts."""

    __slots__ = ("line",)

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line


class _Decline(Exception):
    """The text is outside the layout this reader knows."""


# PyYAML refuses non-printable characters; tabs, CR, NEL and the Unicode line separators change how lines
# and indentation are read, and a byte-order mark is read specially. All left to libyaml.
_UNHANDLED_CHARACTERS = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?$")
_SINGLE_QUOTED = re.compile(r"'((?:[^']|'')*)' *$")
_FLOW_ENTRY = re.compile(r" *([A-Za-z_][A-Za-z0-9_]*): +(?:'((?:[^']|'')*)'|([^,\[\]{}'\"]*?)) *(,|$)")
# A plain scalar may not start with an indicator; `-`, `?` and `:` may start one when a non-space follows,
# but such values are rare enough to leave to libyaml.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_RESOLVER: Any = yaml.resolver.Resolver()
_BOOLEANS: dict[str, bool] = yaml.constructor.SafeConstructor.bool_values


def parse(text: str) -> Mapping | None:
    """The document's top-level mapping, or None when the text is outside the layout this reader knows."""
    if _UNHANDLED_CHARACTERS.search(text):
        return None
    try:
        return _Parser(text).document()
    except _Decline:
        return None


class _Parser:
    """Recursive descent over the significant lines (blank and comment lines left out), each a row of
    (line number, indentation, text after the indentation). Each method takes the index of the row where
    its value starts and returns the value with the index of the first row after it."""

    def __init__(self, text: str) -> None:
        self.rows = [
            (number, len(line) - len(content), content)
            for number, line in enumerate(text.split("\n"), 1)
            if (content := line.lstrip(" ")) and content[0] != "#"
        ]
        self.count = len(self.rows)

    def document(self) -> Mapping:
        if not self.rows or self.rows[0][1] != 0:
            raise _Decline
        root, k = self.mapping(0, 0)
        if k != self.count:
            raise _Decline
        return root

    def mapping(self, k: int, indent: int) -> tuple[Mapping, int]:
        rows, count = self.rows, self.count
        result = Mapping(rows[k][0])
        while k < count:
            number, row_indent, content = rows[k]
            if row_indent != indent:
                break
            match = _KEY.match(content)
            if match is None:
                raise _Decline
            key, rest = match.group(1, 2)
            if key in result:
                raise _Decline
            k += 1
            if rest:
                if k < count and rows[k][1] > indent:
                    result[key], k = self.folded(rest, number, k, indent)
                else:
                    result[key] = _scalar(rest, number)
                continue
            following = rows[k][1] if k < count else -1
            if following > indent and _KEY.match(rows[k][2]):
                result[key], k = self.mapping(k, following)
            elif following > indent and rows[k][2].startswith("- "):
                result[key], k = self.sequence(k, following)
            elif following > indent:
                raise _Decline  # a scalar on the line after its key
            elif following == indent and rows[k][2].startswith("- "):
                # PyYAML writes a mapping's sequences without indenting them.
                result[key], k = self.sequence(k, indent)
            else:
                result[key] = None
        if k < count and rows[k][1] > indent:
            raise _Decline
        return result, k

    def sequence(self, k: int, indent: int) -> tuple[list[Value], int]:
        rows, count = self.rows, self.count
        result: list[Value] = []
        while k < count:
            number, row_indent, content = rows[k]
            if row_indent != indent or not content.startswith("- "):
                break
            entry = content[2:].lstrip(" ")
            if ":" in entry and _KEY.match(entry):
                # `- key: value` opens a mapping whose keys line up with this first one.
                inner = indent + len(content) - len(entry)
                rows[k] = (number, inner, entry)
                value, k = self.mapping(k, inner)
            elif not entry or entry.startswith("- "):
                raise _Decline
            elif k + 1 < count and rows[k + 1][1] > indent:
                value, k = self.folded(entry, number, k + 1, indent)
            else:
                value, k = _scalar(entry, number), k + 1
            result.append(value)
        if k < count and rows[k][1] > indent:
            raise _Decline
        return result, k

    def folded(self, text: str, number: int, k: int, parent_indent: int) -> tuple[Value, int]:
        """The value that starts with `text` on line `number` and goes on over the next rows (from `k`)
        indented deeper than its key or dash. Each line break with the spaces around it folds into one
        space; a blank line would keep a newline, and is left to libyaml."""
        rows, count = self.rows, self.count
        parts = [text.rstrip(" ")]
        while k < count and rows[k][1] > parent_indent:
            if rows[k][0] != number + len(parts):
                raise _Decline  # a blank or comment line inside the value
            parts.append(rows[k][2].rstrip(" "))
            k += 1
        return _scalar(" ".join(parts), number), k


def _scalar(text: str, number: int) -> Value:
    first = text[0]
    if first == "'":
        quoted = _SINGLE_QUOTED.match(text)
        if quoted is None:
            raise _Decline
        return quoted.group(1).replace("''", "'")
    if first == "{":
        return _flow_mapping(text, number)
    if text.rstrip(" ") == "[]":
        return []  # the dumper's empty list; other flow sequences are left to libyaml
    return _plain(text, flow=False)


def _flow_mapping(text: str, line: int) -> Mapping:
    text = text.rstrip(" ")
    if not text.endswith("}"):
        raise _Decline
    result = Mapping(line)
    inner, position = text[1:-1], 0
    while position < len(inner):
        entry = _FLOW_ENTRY.match(inner, position)
        if entry is None:
            raise _Decline
        key, quoted, plain, comma = entry.group(1, 2, 3, 4)
        if key in result or (comma and entry.end() == len(inner)):
            raise _Decline
        result[key] = quoted.replace("''", "'") if quoted is not None else _plain(plain, flow=True)
        position = entry.end()
    return result


def _plain(text: str, *, flow: bool) -> Value:
    text = text.rstrip(" ")
    if (
        not text
        or text[0] in _INDICATORS
        or ": " in text
        or " #" in text
        or text[-1] == ":"
        or (flow and ":" in text)
    ):
        raise _Decline
    # Only null and booleans matter here, all short words (`~`, `null`, `off`, `false`...); the resolver
    # decides which, so that they read exactly as libyaml reads them.
    if len(text) > 5 or text[0] not in _RESOLVER.yaml_implicit_resolvers:
        return text
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return _BOOLEANS[text.lower()]
    return text
