"""`entries/<list>.yaml`: read with a safe loader and checked field by field (`writing.py` writes it).

Errors name the file and line, say what is wrong and how to fix it. Reading walks the YAML nodes rather than
the loaded values so that every message has a line number and ids such as `2301.10010` stay text (a plain
YAML load would turn them into the float 2301.1001).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from curabib.errors import EntryError
from curabib.export.layout import TOP_LEVEL_NAMES
from curabib.ids import KINDS, Identifier
from curabib.keys import KEY_PATTERN
from curabib.model import LINK_KINDS, WORK_KINDS, CuratedList, Item, Link, Section

_NULL, _BOOL, _STR = "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:str"
_SEQ, _MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_SEQUENCE, _MAPPING = " sequence", " mapping"  # a `_Node`'s kind: no scalar's tag has a space
# The plain scalars YAML 1.1 (PyYAML's safe loader) reads as null or as a boolean.
_PLAIN_TAGS = dict.fromkeys(("", "~", "null", "Null", "NULL"), _NULL) | dict.fromkeys(
    [word for w in ("yes", "no", "true", "false", "on", "off") for word in (w, w.title(), w.upper())], _BOOL
)
# libyaml's parser when PyYAML has it (ten times faster on large lists); both keep line numbers.
_BASE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE_LOADER):  # type: ignore[misc]
    """libyaml's safe loader, resolving only the tags the entry format reads: null and booleans, by a
    table rather than PyYAML's regular expressions (a call per scalar: a third of composing a large list).
    Every other plain scalar is text as written, which ids such as `2301.10010` must stay anyway."""

    def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode:
            return _SEQ if kind is yaml.SequenceNode else _MAP
        return _PLAIN_TAGS.get(value, _STR) if implicit[0] else _STR


_BOOLEANS: dict[str, bool] = yaml.constructor.SafeConstructor.bool_values
LIST_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# A list's name is its file names in bib/: none may land on a file curabib writes at the top of bib/.
RESERVED_LIST_NAMES: dict[str, str] = TOP_LEVEL_NAMES | {
    "fetched": "entries/fetched/ holds the fetched-metadata store"
}


def list_name_problem(name: str) -> str | None:
    """Why `name` cannot name a list (its file names in entries/ and bib/), or None when it can."""
    if name in RESERVED_LIST_NAMES:
        return (
            f"'{name}' is reserved: {RESERVED_LIST_NAMES[name]} (reserved names: "
            f"{', '.join(sorted(RESERVED_LIST_NAMES))}); choose another name"
        )
    if not LIST_NAME.match(name):
        return f"'{name}' must be lowercase letters, digits and '-', starting with a letter or digit"
    return None


def list_paths(entries_dir: Path) -> list[Path]:
    """The list files of `entries_dir`. Hidden names are skipped: editors' lock files (Emacs `.#x.yaml`, a
    link to nowhere), swap files (`.x.yaml.swp`) and the like are not lists; backups (`x.yaml~`) do not
    end in `.yaml`."""
    if not entries_dir.is_dir():
        return []
    return sorted(p for p in entries_dir.glob("*.yaml") if not p.name.startswith((".", "#")) and p.is_file())


def load_all(entries_dir: Path) -> list[CuratedList]:
    """Every list in `entries_dir`, in file name order."""
    return [load(path) for path in list_paths(entries_dir)]


def load(path: Path) -> CuratedList:
    """The list in `path`, checked field by field."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise EntryError(path, 1, f"not UTF-8 text ({err.reason}); save the file as UTF-8") from err
    except OSError as err:
        raise EntryError(path, 1, f"cannot read: {err.strerror}") from err
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as err:
        line = err.problem_mark.line + 1 if err.problem_mark else 1
        raise EntryError(path, line, f"YAML syntax error: {err.problem}") from err
    except yaml.YAMLError as err:
        raise EntryError(path, 1, f"YAML error: {err}") from err
    if root is None:
        raise EntryError(path, 1, "the file is empty; expected a mapping with 'list' and 'sections'")
    reader = _Reader(path)
    curated = reader.curated_list(root)
    if curated.name != path.stem:
        line = reader.line_of(root, "list")
        message = f"list name '{curated.name}' differs from the file name '{path.stem}'; rename one of them"
        raise EntryError(path, line, message)
    return curated


class _Node:
    """A kind or tag (`_MAPPING`, `_SEQUENCE`, a scalar's), a value (text, nodes, (key, value) pairs), a line
    from 0. PyYAML's nodes keep two marks each: twice the memory and collector's time on 25,000 entries."""

    __slots__ = ("line", "tag", "value")

    def __init__(self, tag: str, value: Any, line: int) -> None:
        self.tag, self.value, self.line = tag, value, line


def _compose(text: str) -> _Node | None:
    """The document's node tree, as `yaml.compose` makes it (tags resolved by `_Loader`, aliases followed),
    in `_Node`s; None for an empty file. Raises PyYAML's errors, with their marks."""
    loader = _Loader(text)
    try:
        loader.get_event()  # the stream's start
        if loader.check_event(yaml.StreamEndEvent):
            return None
        loader.get_event()  # the document's start
        root = _compose_node(loader)
        loader.get_event()  # the document's end
        if not loader.check_event(yaml.StreamEndEvent):
            mark = loader.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "expected a single document in the stream", mark)
        return root
    finally:
        loader.dispose()


def _compose_node(loader: Any) -> _Node:
    """The next node of `loader`'s events, with all below it: a stack of open collections, not recursion."""
    anchors: dict[str, _Node] = {}
    open_nodes: list[_Node] = []
    next_event = loader.get_event
    while True:
        event = next_event()
        kind = type(event)
        if kind is _SCALAR:
            tag = event.tag
            if tag is None or tag == "!":  # `_Loader.resolve`, inlined: some 25 calls fewer an entry
                tag = _PLAIN_TAGS.get(event.value, _STR) if event.implicit[0] else _STR
            node = _Node(tag, event.value, event.start_mark.line)
        elif kind is _MAP_START or kind is _SEQ_START:
            node = _Node(_MAPPING if kind is _MAP_START else _SEQUENCE, [], event.start_mark.line)
            open_nodes.append(node)
        elif kind is _MAP_END or kind is _SEQ_END:
            node = open_nodes.pop()
            if node.tag == _MAPPING:  # keys and values came in turn
                node.value = list(zip(node.value[::2], node.value[1::2], strict=True))
        elif event.anchor in anchors:  # an alias
            node = anchors[event.anchor]
        else:
            undefined = f"found undefined alias {event.anchor!r}"
            raise yaml.composer.ComposerError(None, None, undefined, event.start_mark)
        if kind is _SCALAR or kind is _MAP_START or kind is _SEQ_START:
            if event.anchor is not None:
                anchors[event.anchor] = node
            if kind is not _SCALAR:
                continue  # its nodes come next
        if not open_nodes:
            return node
        open_nodes[-1].value.append(node)


_SCALAR, _MAP_START, _SEQ_START = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
_MAP_END, _SEQ_END = yaml.MappingEndEvent, yaml.SequenceEndEvent


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.origin: str | None = None  # the list's name, once read: every item names its list
        self.id_fields = _id_fields()  # once per file, not per item

    def fail(self, node: _Node, message: str) -> EntryError:
        return EntryError(self.path, node.line + 1, message)

    def line_of(self, node: _Node, key: str) -> int:
        for k, v in node.value if node.tag == _MAPPING else ():
            if k.value == key:
                return int(v.line) + 1
        return node.line + 1

    def mapping(self, node: _Node, what: str, allowed: dict[str, str]) -> dict[str, _Node]:
        if node.tag != _MAPPING:
            raise self.fail(node, f"{what} must be a mapping of fields")
        fields: dict[str, _Node] = {}
        for key_node, value in node.value:
            key = key_node.value
            if key not in allowed:
                raise self.fail(
                    key_node,
                    f"unknown field '{key}' in {what}; allowed fields: {', '.join(allowed)}",
                )
            if key in fields:
                raise self.fail(key_node, f"field '{key}' appears twice in {what}; keep one")
            fields[key] = value
        return fields

    def string(self, node: _Node, field: str) -> str:
        if node.tag in (_MAPPING, _SEQUENCE, _NULL):
            raise self.fail(node, f"'{field}' must be text")
        value = str(node.value).strip()
        if not value:
            raise self.fail(node, f"'{field}' is empty; remove the field or give it a value")
        return value

    def optional_string(self, fields: dict[str, _Node], field: str) -> str | None:
        node = fields.get(field)
        if node is None or node.tag == _NULL:
            return None
        return self.string(node, field)

    def boolean(self, fields: dict[str, _Node], field: str) -> bool:
        node = fields.get(field)
        if node is None:
            return False
        value = _BOOLEANS.get(str(node.value).lower()) if node.tag == _BOOL else None
        if value is None:
            raise self.fail(node, f"'{field}' must be true or false")
        return value

    def sequence(self, node: _Node | None, field: str) -> list[_Node]:
        if node is None or node.tag == _NULL:
            return []
        if node.tag != _SEQUENCE:
            raise self.fail(node, f"'{field}' must be a list (lines starting with '- ')")
        return list(node.value)

    def curated_list(self, node: _Node) -> CuratedList:
        fields = self.mapping(node, "the list", _LIST_FIELDS)
        if "list" not in fields:
            raise self.fail(node, "missing field 'list' (the list's name, same as the file name)")
        name = self.string(fields["list"], "list")
        problem = list_name_problem(name)
        if problem:
            raise self.fail(fields["list"], f"list name {problem}")
        self.origin = name
        return CuratedList(
            name=name,
            title=self.optional_string(fields, "title"),
            source=self.optional_string(fields, "source"),
            source_url=self.optional_string(fields, "source_url"),
            items=[self.item(n) for n in self.sequence(fields.get("items"), "items")],
            sections=[self.section(n) for n in self.sequence(fields.get("sections"), "sections")],
            path=str(self.path),  # as the user reaches it: "proj/entries/x.yaml" under -C proj
        )

    def section(self, node: _Node) -> Section:
        fields = self.mapping(node, "a section", _SECTION_FIELDS)
        if "heading" not in fields:
            raise self.fail(node, "a section needs a 'heading'")
        return Section(
            heading=self.string(fields["heading"], "heading"),
            items=[self.item(n) for n in self.sequence(fields.get("items"), "items")],
            sections=[self.section(n) for n in self.sequence(fields.get("sections"), "sections")],
        )

    def item(self, node: _Node) -> Item:
        fields = self.mapping(node, "an item", _ITEM_FIELDS)
        kind = self.optional_string(fields, "kind") or "paper"
        if kind not in WORK_KINDS:
            raise self.fail(fields["kind"], f"kind '{kind}' is not one of {', '.join(WORK_KINDS)}")
        key = self.optional_string(fields, "key")
        if key is not None and not KEY_PATTERN.match(key):
            raise self.fail(
                fields["key"],
                f"key '{key}' has characters BibTeX cannot take; use letters, digits and _ : . + / -",
            )
        item = Item(
            kind=kind,
            title=self.optional_string(fields, "title"),
            label=self.optional_string(fields, "label"),
            authors=tuple(self.string(n, "authors") for n in self.sequence(fields.get("authors"), "authors")),
            et_al=self.boolean(fields, "et_al"),
            year=self.year(fields.get("year")),
            venue=self.optional_string(fields, "venue"),
            links=tuple(self.link(n) for n in self.sequence(fields.get("links"), "links")),
            ids=self.ids(fields.get("ids")),
            key=key,
            key_provisional=self.boolean(fields, "key_provisional"),
            aliases=tuple(self.string(n, "aliases") for n in self.sequence(fields.get("aliases"), "aliases")),
            note=self.optional_string(fields, "note"),
            pinned=self.pinned(fields),
            line=node.line + 1,
            source_line=self.source_line(fields.get("source_line")),
            origin=self.origin,
        )
        if item.title is None and item.label is None:
            raise self.fail(node, "an item needs a 'title' or a 'label'")
        return item

    def pinned(self, fields: dict[str, _Node]) -> tuple[str, ...]:
        """The facts a curator settled by hand: each must be one `PINNABLE` field the item gives."""
        node = fields.get("pinned")
        names = []
        for name_node in self.sequence(node, "pinned"):
            name = self.string(name_node, "pinned")
            if name not in PINNABLE:
                raise self.fail(name_node, f"'{name}' cannot be pinned; pin one of: {', '.join(PINNABLE)}")
            if name not in fields or fields[name].tag == _NULL:
                raise self.fail(
                    name_node, f"'{name}' is pinned but the item has no '{name}'; write it, or unpin it"
                )
            names.append(name)
        return tuple(dict.fromkeys(names))

    def year(self, node: _Node | None) -> int | None:
        if node is None or node.tag == _NULL:
            return None
        if node.tag in (_MAPPING, _SEQUENCE) or not re.fullmatch(r"\d{4}", str(node.value)):
            raise self.fail(node, "'year' must be a four-digit year such as 2023")
        return int(node.value)

    def source_line(self, node: _Node | None) -> int | None:
        if node is None or node.tag == _NULL:
            return None
        if node.tag in (_MAPPING, _SEQUENCE) or not re.fullmatch(r"[1-9]\d*", str(node.value)):
            raise self.fail(node, "'source_line' must be a line number such as 12 (or leave it out)")
        return int(node.value)

    def link(self, node: _Node) -> Link:
        fields = self.mapping(node, "a link", _LINK_FIELDS)
        if "url" not in fields:
            raise self.fail(node, "a link needs a 'url'")
        kind = self.optional_string(fields, "kind") or "site"
        if kind not in LINK_KINDS:
            raise self.fail(fields["kind"], f"link kind '{kind}' is not one of {', '.join(LINK_KINDS)}")
        return Link(kind, self.string(fields["url"], "url"), self.optional_string(fields, "text"))

    def ids(self, node: _Node | None) -> tuple[Identifier, ...]:
        if node is None or node.tag == _NULL:
            return ()
        fields = self.mapping(node, "ids", self.id_fields)
        ids = []
        for kind in fields:  # in the order written: the first identifier is the work's main one
            if kind in KINDS:
                ids.append(
                    Identifier(
                        kind,
                        self.string(fields[kind], kind),
                        version=self.optional_string(fields, f"{kind}_version"),
                        derived=self.boolean(fields, f"{kind}_derived"),
                    )
                )
        return tuple(ids)


# The fields of a list, a section and an item, in the order the entry files write them (`edits.py` too).
LIST_FIELDS = ("list", "title", "source", "source_url", "items", "sections")
SECTION_FIELDS = ("heading", "items", "sections")
ITEM_FIELDS = (
    "key",
    "key_provisional",
    "aliases",
    "kind",
    "label",
    "title",
    "authors",
    "et_al",
    "year",
    "venue",
    "pinned",
    "ids",
    "note",
    "links",
    "source_line",
)
_LIST_FIELDS = dict.fromkeys(LIST_FIELDS, "")
_SECTION_FIELDS = dict.fromkeys(SECTION_FIELDS, "")
_ITEM_FIELDS = dict.fromkeys(ITEM_FIELDS, "")
# What a curator may pin: the facts other evidence could otherwise overrule (curated titles, names and
# notes always win, so pinning them would say nothing).
PINNABLE = ("year", "venue")
_LINK_FIELDS = dict.fromkeys(("kind", "url", "text"), "")


def _id_fields() -> dict[str, str]:
    """The fields of `ids`: each registered kind (a plugin's too), its version and whether derived."""
    return dict.fromkeys([k for kind in KINDS for k in (kind, f"{kind}_version", f"{kind}_derived")], "")
