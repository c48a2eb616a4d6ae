"""Where each field, item and section of an existing `entries/<list>.yaml` sits, line by line.

`edits.py` edits a file as text, and copies byte for byte every line that belongs to nothing that
changed; for that it must know, for each field of a mapping and each element of a sequence, which lines
are its own. The YAML is composed once (never read as entry data: matching is positional), and the
lines holding no value are told apart from those that do, since those are the curator's comments.

A whole-line comment (or blank line) belongs to the field or item below it when it is indented no deeper
than that one (it introduces it), else to the one above: inserting or reordering moves it along. The
file's own indentation is noted as first met, so that new text can be written in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise

import yaml

from curabib.project import entries

_TAIL_COMMENT = re.compile(r"\s*?:?(\s+#.*)$")  # what may follow a line's last value: its comment


@dataclass(slots=True)
class Part:
    """One field of a block mapping, or one element of a block sequence, as lines of the file: `start` is
    its first line (the whole-line comments introducing it), `line` its key's (or dash's), `end` one past
    its last. `prefix` is what precedes an element's first key on the dash line ("  - ")."""

    start: int
    line: int
    end: int
    col: int  # the key's column, or the dash's
    node: yaml.Node
    key: str = ""
    prefix: str | None = None


class FileShape:
    """The lines of one entries file and the composed YAML that says which of them hold what."""

    def __init__(self, text: str) -> None:
        self.lines = [*text.splitlines(keepends=True)]
        if self.lines and not self.lines[-1].endswith("\n"):
            self.lines[-1] += "\n"
        root = yaml.compose(text, Loader=entries._Loader)
        assert isinstance(root, yaml.MappingNode), "entries.load has read it as a list already"
        self.root = root
        self.covered: set[int] = set()  # lines holding some YAML value or key (the others: comments)
        self.ends: dict[int, int] = {}  # per line, the column after the last value ending on it
        self.spaces: dict[str, int] = {}  # the file's indentation, as first met: "mapping", "offset"...
        self._cover(self.root, None)
        self._blank: dict[int, str] = {}  # dash lines read without their dash while an element is redone

    def _cover(self, node: yaml.Node, parent_col: int | None) -> None:
        start, end = node.start_mark, node.end_mark
        if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
            last = end.line - 1 if end.column == 0 and end.line > start.line else end.line
            self.covered.update(range(start.line, last + 1))
            if last == end.line:
                self.ends[last] = max(self.ends.get(last, 0), end.column)
            return
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                self._cover(key, None)
                if parent_col is not None and key is node.value[0][0]:
                    self.spaces.setdefault("mapping", key.start_mark.column - parent_col)
                self._cover(value, key.start_mark.column)
        elif isinstance(node, yaml.SequenceNode):
            for element in node.value:
                dash = self._dash(element)
                if parent_col is not None:
                    self.spaces.setdefault("offset", dash[1] - parent_col)
                if element.start_mark.line == dash[0]:
                    self.spaces.setdefault("content", element.start_mark.column - dash[1])
                self._cover(element, None)

    # -- the parts ------------------------------------------------------------------------------------
    def fields(self, node: yaml.MappingNode, first_start: int, floor: int, end: int) -> list[Part]:
        """The fields of a block mapping; the first starts at `first_start`, none above `floor`."""
        parts: list[Part] = []
        for key, value in node.value:
            line, col = key.start_mark.line, key.start_mark.column
            start = self.lead_start(line, col, floor) if parts else first_start
            parts.append(Part(start, line, end, col, value, key=str(key.value)))
            floor = line + 1
        for part, following in pairwise(parts):
            part.end = following.start
        return parts

    def elements(self, node: yaml.SequenceNode, floor: int, end: int) -> list[Part]:
        """The elements of a block sequence, none starting above `floor`."""
        parts: list[Part] = []
        for element in node.value:
            line, col = self._dash(element)
            start = self.lead_start(line, col, floor)
            at = element.start_mark
            prefix = self.lines[line][: at.column] if at.line == line else None
            parts.append(Part(start, line, end, col, element, prefix=prefix))
            floor = line + 1
        for part, following in pairwise(parts):
            part.end = following.start
        return parts

    def lead_start(self, line: int, col: int, floor: int) -> int:
        """Where the part on `line` begins: with the comments and blank lines above it, indented no deeper
        than itself (those introduce it)."""
        while line > floor and self._trivia(line - 1):
            text = self.lines[line - 1]
            if text.strip() and len(text) - len(text.lstrip(" ")) > col:
                break
            line -= 1
        return line

    def _trivia(self, n: int) -> bool:
        """A line with no value on it: blank, or only a comment."""
        text = self.lines[n].strip()
        return n not in self.covered and (not text or text.startswith("#"))

    def _dash(self, element: yaml.Node) -> tuple[int, int]:
        """The line and column of an element's dash."""
        line, col = element.start_mark.line, element.start_mark.column
        before = self.lines[line][:col].rstrip()
        while not before.endswith("-") and line > 0:  # "-" alone on a line above the element
            line -= 1
            before = self.lines[line].rstrip()
        return line, len(before) - 1

    # -- the lines, as they are -----------------------------------------------------------------------
    def copy(self, start: int, end: int) -> list[str]:
        return [self._blank.get(n, self.lines[n]) for n in range(start, end)]

    @contextmanager
    def without_dash(self, line: int, prefix: str) -> Iterator[None]:
        """While an element's fields are edited, its dash line (`line`, the dash in `prefix`) reads as if
        the dash were spaces: its first field is copied, or rewritten, like any other."""
        self._blank[line] = " " * len(prefix) + self.lines[line][len(prefix) :]
        try:
            yield
        finally:
            del self._blank[line]

    def comment(self, n: int) -> str | None:
        """The comment after the last value of line `n`, with the spaces before it."""
        if n not in self.ends:
            return None
        match = _TAIL_COMMENT.match(self.lines[n].rstrip("\n")[self.ends[n] :])
        return match.group(1) if match else None

    def comments_below(self, part: Part) -> list[str]:
        """The comments within `part` below its first line: whole-line ones as they are, those after a value
        as whole-line comments at the value's indentation (the value they followed is gone)."""
        out = []
        for n in range(part.line + 1, part.end):
            if self._trivia(n):
                out.append(self.lines[n])
            elif comment := self.comment(n):
                text = self.lines[n]
                out.append(" " * (len(text) - len(text.lstrip(" "))) + comment.lstrip() + "\n")
        return out
