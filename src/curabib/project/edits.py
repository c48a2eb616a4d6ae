"""Rewriting an existing `entries/<list>.yaml` without losing the curator's comments, key order and layout.

A round-trip YAML library re-emits the whole file, and that is not keeping it: ruamel.yaml re-wraps long
scalars at its own width (leaving a trailing space at the break), and drops the comment of a field it
removes. So the file is edited as text: the YAML is composed once for where each field, item and section
starts and ends (`entries_shape.py`), and every line that belongs to nothing that changed is copied byte
for byte. Only a changed field is written anew (`entries_text.py`: by ruamel.yaml, in the file's
indentation), and the comments on its lines stay: the comment on its line goes to the line of the new
value, or of the field that takes a removed field's place, else it stays where it was as a whole-line
comment; whole-line comments are never dropped with a field.

Items and sections are edited one by one: each new one is matched with the old one it rewrites (by key,
or by heading), so that an item that moved takes its comments along and one that did not change is
copied as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

from curabib.model import CuratedList, Item, Section
from curabib.project import entries, writing
from curabib.project.entries_shape import FileShape, Part
from curabib.project.entries_text import NewText, with_comment


def edited(path: Path, curated: CuratedList, fresh_text: str) -> str:
    """The text of `path` changed to hold `curated`; `fresh_text` (what a new file would hold) when the
    file is exactly as curabib last wrote it, since there is nothing of the curator's to keep."""
    text = path.read_text(encoding="utf-8")
    old = entries.load(path)
    if text == writing.dump(old):
        return fresh_text
    out = "".join(_Editor(text).document(old, curated))
    return out if text.endswith("\n") else out.removesuffix("\n")


_Special = Callable[[Part, Any, Any], list[str] | None]


class _Editor:
    """One file's edit: its lines copied where nothing changed, new text where something did."""

    def __init__(self, text: str) -> None:
        self.shape = FileShape(text)
        self.new_text = NewText(self.shape.spaces)
        self.pending: str | None = None  # the comment of a removed field, for the field taking its place
        self.special: dict[str, _Special] = {  # the fields holding items and sections: edited one by one
            "items": lambda part, old, new: self._sequence(part, old, new, _match_items),
            "sections": lambda part, old, new: self._sequence(part, old, new, _match_sections),
        }

    # -- the document, its sections and items ---------------------------------------------------------
    def document(self, old: CuratedList, new: CuratedList) -> list[str]:
        parts = self.shape.fields(self.shape.root, 0, 0, len(self.shape.lines))
        return self._mapping(parts, _list_fields(old), _list_fields(new), entries.LIST_FIELDS)

    def _sequence(
        self, part: Part, old: Any, new: Any, match: Callable[[Any, Any], list[int | None]]
    ) -> list[str] | None:
        """A changed list of items or sections: each edited in place, new ones written, gone ones dropped
        (with the comments that introduce them), in the new order. None when not a block sequence."""
        if not (old and new and isinstance(part.node, yaml.SequenceNode) and not part.node.flow_style):
            return None
        elements = self.shape.elements(part.node, part.line + 1, part.end)
        out = self.shape.copy(part.line, elements[0].start)
        for value, j in zip(new, match(old, new), strict=True):
            if j is None:
                out += self.new_text.lines(_data([value]), elements[0].col)
            elif old[j] == value:
                out += self.shape.copy(elements[j].start, elements[j].end)
            else:
                order = entries.ITEM_FIELDS if isinstance(value, Item) else entries.SECTION_FIELDS
                before, after = _fields_of(old[j]), _fields_of(value)
                out += self._element(elements[j], before, after, order)
        return out

    def _element(
        self, part: Part, before: dict[str, Any], after: dict[str, Any], order: tuple[str, ...]
    ) -> list[str]:
        """One changed element of a sequence: its fields edited, its dash kept on its first field."""
        node, lead = part.node, self.shape.copy(part.start, part.line)
        if not isinstance(node, yaml.MappingNode) or node.flow_style or part.prefix is None:
            whole = [{k: _data(v) for k, v in after.items() if v is not None}]
            return lead + self._replaced(part, whole, element=True)
        first = node.value[0][0].start_mark.line
        prefix = part.prefix
        with self.shape.without_dash(part.line, prefix):
            body = self._mapping(self.shape.fields(node, first, first, part.end), before, after, order)
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
        self, parts: list[Part], before: dict[str, Any], after: dict[str, Any], order: tuple[str, ...]
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

    def _changed(self, part: Part, before: Any, after: Any) -> list[str]:
        if before == after:  # unchanged, or a default the file leaves out (`kind: paper`)
            return self.shape.copy(part.start, part.end)
        lead = self.shape.copy(part.start, part.line)
        if part.key in self.special and (lines := self.special[part.key](part, before, after)) is not None:
            return lead + lines
        node, both = part.node, isinstance(before, dict) and isinstance(after, dict) and after
        if both and isinstance(node, yaml.MappingNode) and not node.flow_style:
            first = node.value[0][0].start_mark  # `ids`: only the identifiers that changed
            start = self.shape.lead_start(first.line, first.column, part.line + 1)
            parts = self.shape.fields(node, start, part.line + 1, part.end)
            inner = self._mapping(parts, before, after, (*after, *before))
            return lead + self.shape.copy(part.line, start) + inner
        if after is None:
            self.pending = self.shape.comment(part.line)
            return lead + self.shape.comments_below(part)
        return lead + self._replaced(part, {part.key: _data(after)})

    def _replaced(self, part: Part, value: Any, element: bool = False) -> list[str]:
        """`part` written anew as `value`; the comment on its first line goes to the new one, the comments
        below stay."""
        if element:
            lines = self.new_text.lines(value, part.col)
        else:
            (key, data), *_ = value.items()
            lines = self._field(key, data, part.col)
        return with_comment(lines, self.shape.comment(part.line)) + self.shape.comments_below(part)

    # -- writing new text ---------------------------------------------------------------------------------
    def _field(self, key: str, value: Any, col: int) -> list[str]:
        lines = with_comment(self.new_text.lines({key: _data(value)}, col), self.pending)
        self.pending = None  # a removed field's comment: this field takes its place
        return lines


def _list_fields(curated: CuratedList) -> dict[str, Any]:
    return {
        "list": curated.name,
        "title": curated.title,
        "source": curated.source,
        "source_url": curated.source_url,
        "items": curated.items or None,
        "sections": curated.sections,
    }


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
