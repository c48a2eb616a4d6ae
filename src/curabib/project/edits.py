"""Rewriting an existing `entries/<list>.yaml` without losing the curator's comments, key order and layout.

A round-trip YAML library re-emits the whole file, and that is not keeping it: ruamel.yaml re-wraps long
scalars at its own width (leaving a trailing space at the break), and drops the comment of a field it
removes. So the file is edited as text: the YAML is composed once for where each field, item and section
starts and ends, and every line that belongs to nothing that changed is copied byte for byte. Only a changed
field is written anew (by ruamel.yaml, in the file's indentation), and the comments on its lines stay: the
comment on its line goes to the line of the new value, or of the field that takes a removed field's place,
else it stays where it was as a whole-line comment; whole-line comments are never dropped with a field.

A whole-line comment (or blank line) belongs to the field or item below it when it is indented no deeper
than that one (it introduces it), else to the one above: inserting or reordering moves it along.
Matching is positional against the file, so the composed values never need reading as entry data.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import SingleQuotedScalarString

from curabib.model import CuratedList, Item, Section
from curabib.project import entries, writing

_LIST_ORDER = ("list", "title", "source", "source_url", "items", "sections")
_SECTION_ORDER = ("heading", "items", "sections")
_ITEM_ORDER = ("key", "key_provisional", "aliases", "kind", "label", "title", "authors", "et_al", "year",
               "venue", "pinned", "ids", "note", "links", "source_line")  # fmt: skip
# The entry reader resolves plain scalars as YAML 1.1 does ("yes", "on", "1e3" are not text there), and
# ruamel.yaml writes YAML 1.2: new text that YAML 1.1 would not read back as text is quoted.
_RESOLVER = yaml.resolver.Resolver()
_WIDTH = 110  # the entry layout's line width (writing.py), counted from the line's start
_TAIL_COMMENT = re.compile(r"\s*?:?(\s+#.*)$")  # what may follow a line's last value: its comment


def edited(path: Path, curated: CuratedList, fresh_text: str) -> str:
    """The text of `path` changed to hold `curated`; `fresh_text` (what a new file would hold) when the
    file is exactly as curabib last wrote it, since there is nothing of the curator's to keep."""
    text = path.read_text(encoding="utf-8")
    old = entries.load(path)
    if text == writing.dump(old):
        return fresh_text
    out = "".join(_Editor(text).document(old, curated))
    return out if text.endswith("\n") else out.removesuffix("\n")


@dataclass(slots=True)
class _Part:
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


_Special = Callable[["_Part", Any, Any], "list[str] | None"]


class _Editor:
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
        self.blank: dict[int, str] = {}  # dash lines read without their dash while an element is redone
        self.pending: str | None = None  # the comment of a removed field, for the field taking its place
        self.emitter = YAML()
        mapping, offset = self.spaces.get("mapping", 2), self.spaces.get("offset", 0)
        self.emitter.indent(mapping=mapping, sequence=offset + self.spaces.get("content", 2), offset=offset)
        self.special: dict[str, _Special] = {  # the fields holding items and sections: edited one by one
            "items": lambda part, old, new: self._sequence(part, old, new, _match_items),
            "sections": lambda part, old, new: self._sequence(part, old, new, _match_sections),
        }

    # -- reading the file's shape ---------------------------------------------------------------------
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

    def _trivia(self, n: int) -> bool:
        """A line with no value on it: blank, or only a comment."""
        text = self.lines[n].strip()
        return n not in self.covered and (not text or text.startswith("#"))

    def _lead_start(self, line: int, col: int, floor: int) -> int:
        """Where the part on `line` begins: with the comments and blank lines above it, indented no deeper
        than itself (those introduce it)."""
        while line > floor and self._trivia(line - 1):
            text = self.lines[line - 1]
            if text.strip() and len(text) - len(text.lstrip(" ")) > col:
                break
            line -= 1
        return line

    def _dash(self, element: yaml.Node) -> tuple[int, int]:
        """The line and column of an element's dash."""
        line, col = element.start_mark.line, element.start_mark.column
        before = self.lines[line][:col].rstrip()
        while not before.endswith("-") and line > 0:  # "-" alone on a line above the element
            line -= 1
            before = self.lines[line].rstrip()
        return line, len(before) - 1

    def _fields(self, node: yaml.MappingNode, first_start: int, floor: int, end: int) -> list[_Part]:
        parts: list[_Part] = []
        for key, value in node.value:
            line, col = key.start_mark.line, key.start_mark.column
            start = self._lead_start(line, col, floor) if parts else first_start
            parts.append(_Part(start, line, end, col, value, key=str(key.value)))
            floor = line + 1
        for part, following in pairwise(parts):
            part.end = following.start
        return parts

    def _elements(self, node: yaml.SequenceNode, floor: int, end: int) -> list[_Part]:
        parts: list[_Part] = []
        for element in node.value:
            line, col = self._dash(element)
            start = self._lead_start(line, col, floor)
            at = element.start_mark
            prefix = self.lines[line][: at.column] if at.line == line else None
            parts.append(_Part(start, line, end, col, element, prefix=prefix))
            floor = line + 1
        for part, following in pairwise(parts):
            part.end = following.start
        return parts

    def _copy(self, start: int, end: int) -> list[str]:
        return [self.blank.get(n, self.lines[n]) for n in range(start, end)]

    def _comment(self, n: int) -> str | None:
        """The comment after the last value of line `n`, with the spaces before it."""
        if n not in self.ends:
            return None
        match = _TAIL_COMMENT.match(self.lines[n].rstrip("\n")[self.ends[n] :])
        return match.group(1) if match else None

    # -- the document, its sections and items ---------------------------------------------------------
    def document(self, old: CuratedList, new: CuratedList) -> list[str]:
        parts = self._fields(self.root, 0, 0, len(self.lines))
        return self._mapping(parts, _list_fields(old), _list_fields(new), _LIST_ORDER)

    def _sequence(
        self, part: _Part, old: Any, new: Any, match: Callable[[Any, Any], list[int | None]]
    ) -> list[str] | None:
        """A changed list of items or sections: each edited in place, new ones written, gone ones dropped
        (with the comments that introduce them), in the new order. None when not a block sequence."""
        if not (old and new and isinstance(part.node, yaml.SequenceNode) and not part.node.flow_style):
            return None
        elements = self._elements(part.node, part.line + 1, part.end)
        out = self._copy(part.line, elements[0].start)
        for value, j in zip(new, match(old, new), strict=True):
            if j is None:
                out += self._emit(_data([value]), elements[0].col)
            elif old[j] == value:
                out += self._copy(elements[j].start, elements[j].end)
            else:
                order = _ITEM_ORDER if isinstance(value, Item) else _SECTION_ORDER
                before, after = _fields_of(old[j]), _fields_of(value)
                out += self._element(elements[j], before, after, order)
        return out

    def _element(
        self, part: _Part, before: dict[str, Any], after: dict[str, Any], order: tuple[str, ...]
    ) -> list[str]:
        """One changed element of a sequence: its fields edited, its dash kept on its first field."""
        node, lead = part.node, self._copy(part.start, part.line)
        if not isinstance(node, yaml.MappingNode) or node.flow_style or part.prefix is None:
            whole = [{k: _data(v) for k, v in after.items() if v is not None}]
            return lead + self._replaced(part, whole, element=True)
        first = node.value[0][0].start_mark.line
        prefix = part.prefix
        self.blank[part.line] = " " * len(prefix) + self.lines[part.line][len(prefix) :]
        try:
            body = self._mapping(self._fields(node, first, first, part.end), before, after, order)
        finally:
            del self.blank[part.line]
        for n, line in enumerate(body):  # the dash goes back on the element's first field
            if line.strip() and not line.lstrip().startswith("#"):
                if line[: len(prefix)].strip():
                    body.insert(n, prefix.rstrip() + "\n")
                else:
                    body[n] = prefix + line[len(prefix) :]
                break
        return lead + body

    # -- fields -----------------------------------------------------------------------------------------
    def _mapping(
        self, parts: list[_Part], before: dict[str, Any], after: dict[str, Any], order: tuple[str, ...]
    ) -> list[str]:
        """The fields `parts` of one block mapping changed from `before` to `after`: new ones inserted in
        `order`, changed ones rewritten, removed ones dropped, every other line copied."""
        rank: Callable[[str], int] = lambda k: order.index(k) if k in order else len(order)  # noqa: E731
        present = [p.key for p in parts]
        col = parts[0].col
        inserted: dict[int, list[str]] = {}
        for key in sorted(after, key=rank):
            if key not in present and after[key] is not None and before.get(key) != after[key]:
                at = sum(1 for p in present if rank(p) < rank(key))
                inserted.setdefault(at, []).append(key)
        out: list[str] = []
        for n, part in enumerate(parts):
            for key in inserted.get(n, ()):
                out += self._field(key, after[key], col)
            out += self._changed(part, before.get(part.key), after.get(part.key))
            if self.pending is not None and not inserted.get(n + 1):
                out.append(" " * col + self.pending.lstrip() + "\n")  # no field takes its place
                self.pending = None
        for key in inserted.get(len(parts), ()):
            out += self._field(key, after[key], col)
        return out

    def _changed(self, part: _Part, before: Any, after: Any) -> list[str]:
        if before == after:  # unchanged, or a default the file leaves out (`kind: paper`)
            return self._copy(part.start, part.end)
        lead = self._copy(part.start, part.line)
        if part.key in self.special and (lines := self.special[part.key](part, before, after)) is not None:
            return lead + lines
        node, both = part.node, isinstance(before, dict) and isinstance(after, dict) and after
        if both and isinstance(node, yaml.MappingNode) and not node.flow_style:
            first = node.value[0][0].start_mark  # `ids`: only the identifiers that changed
            start = self._lead_start(first.line, first.column, part.line + 1)
            parts = self._fields(node, start, part.line + 1, part.end)
            inner = self._mapping(parts, before, after, (*after, *before))
            return lead + self._copy(part.line, start) + inner
        if after is None:
            self.pending = self._comment(part.line)
            return lead + self._comments_below(part)
        return lead + self._replaced(part, {part.key: _data(after)})

    def _replaced(self, part: _Part, value: Any, element: bool = False) -> list[str]:
        """`part` written anew as `value`; the comment on its first line goes to the new one, the comments
        below stay."""
        if element:
            lines = self._emit(value, part.col)
        else:
            (key, data), *_ = value.items()
            lines = self._field(key, data, part.col)
        return _with_comment(lines, self._comment(part.line)) + self._comments_below(part)

    def _comments_below(self, part: _Part) -> list[str]:
        """The comments within `part` below its first line: whole-line ones as they are, those after a value
        as whole-line comments at the value's indentation (the value they followed is gone)."""
        out = []
        for n in range(part.line + 1, part.end):
            if self._trivia(n):
                out.append(self.lines[n])
            elif comment := self._comment(n):
                text = self.lines[n]
                out.append(" " * (len(text) - len(text.lstrip(" "))) + comment.lstrip() + "\n")
        return out

    # -- writing new text ---------------------------------------------------------------------------------
    def _field(self, key: str, value: Any, col: int) -> list[str]:
        lines = _with_comment(self._emit({key: _data(value)}, col), self.pending)
        self.pending = None  # a removed field's comment: this field takes its place
        return lines

    def _emit(self, value: Any, col: int) -> list[str]:
        """`value` in the entry layout at column `col`, in the file's indentation, never ending a line
        with a space."""
        scalar = next(iter(value.values())) if isinstance(value, dict) and len(value) == 1 else None
        if type(scalar) in (int, bool):  # `source_line: 12`, rewritten on many a re-import: no emitter
            return [f"{' ' * col}{next(iter(value))}: {str(scalar).lower()}\n"]
        self.emitter.width = max(_WIDTH - col, 40)
        out = io.StringIO()
        self.emitter.dump(_plain(value), out)
        lines = out.getvalue().splitlines()
        indent = min(len(t) - len(t.lstrip(" ")) for t in lines if t.strip())
        return [(" " * col + t[indent:]).rstrip() + "\n" if t.strip() else "\n" for t in lines]


def _with_comment(lines: list[str], comment: str | None) -> list[str]:
    """`lines` (one field) with `comment` after the key when a block follows it, else after the value (a
    comment on the first line of a wrapped scalar would be part of it)."""
    if comment:
        at = 0 if len(lines) == 1 or lines[0].rstrip().endswith(":") else len(lines) - 1
        lines[at] = lines[at].rstrip("\n") + comment + "\n"
    return lines


def _list_fields(curated: CuratedList) -> dict[str, Any]:
    return {"list": curated.name, "title": curated.title, "source": curated.source,
            "source_url": curated.source_url, "items": curated.items or None,
            "sections": curated.sections}  # fmt: skip


def _fields_of(value: Item | Section) -> dict[str, Any]:
    """An item's or a section's fields as the file has them (sections and items as objects)."""
    if isinstance(value, Item):
        return writing._item_data(value)
    return {"heading": value.heading, "items": value.items or None, "sections": value.sections or None}


def _data(value: Any) -> Any:
    """Items and sections as the writing part (`writing._item_data`) has them; other values as they are."""
    if isinstance(value, dict):
        return {k: _data(v) for k, v in value.items()}
    if isinstance(value, Item | Section):
        return writing._item_data(value) if isinstance(value, Item) else writing._section_data(value)
    return [_data(v) for v in value] if isinstance(value, list) else value


def _match_items(old: Sequence[Item], new: Sequence[Item]) -> list[int | None]:
    """For each new item, the old one it rewrites: the same key (or its old key, now an alias: `rekey`),
    else the one at the same place when that had no key yet (`pin-keys`)."""
    by_key: dict[str, list[int]] = {}
    for n, item in enumerate(old):
        if item.key:
            by_key.setdefault(item.key, []).append(n)
    used: set[int] = set()
    matches: list[int | None] = []
    for i, item in enumerate(new):
        candidates = [c for k in (item.key, *item.aliases) if k for c in by_key.get(k, ())]
        j: int | None = next((c for c in candidates if c not in used), None)
        if j is None and i < len(old) and i not in used and old[i].key is None:
            j = i
        if j is not None:
            used.add(j)
        matches.append(j)
    return matches


def _match_sections(old: Sequence[Section], new: Sequence[Section]) -> list[int | None]:
    """For each new section, the old one of its heading, in order: a list may repeat a heading on purpose."""
    used: set[int] = set()
    matches: list[int | None] = []
    for section in new:
        j = next((j for j, o in enumerate(old) if j not in used and o.heading == section.heading), None)
        used.update(() if j is None else (j,))
        matches.append(j)
    return matches


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
