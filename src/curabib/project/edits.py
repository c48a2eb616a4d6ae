"""Rewriting an existing `entries/<list>.yaml` without losing the curator's comments, key order and layout.

The file is loaded with ruamel.yaml's round-trip loader (which keeps comments, quoting, flow style and key
order), and only what differs between the list as the file says (read again here with the checked reader)
and the list to write is changed in it, item by item: a field set, inserted or removed, an item or section
added or removed. Matching is positional against the file, so the round-trip values never need reading.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import SingleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from curabib.model import CuratedList, Item, Section
from curabib.project import entries, writing

_LIST_ORDER = ("list", "title", "source", "source_url", "items", "sections")
_SECTION_ORDER = ("heading", "items", "sections")
_ITEM_ORDER = ("key", "key_provisional", "aliases", "kind", "label", "title", "authors", "et_al", "year",
               "venue", "pinned", "ids", "note", "links", "source_line")  # fmt: skip
# The entry reader resolves plain scalars as YAML 1.1 does ("yes", "on", "1e3" are not text there), and
# ruamel.yaml writes YAML 1.2: new text that YAML 1.1 would not read back as text is quoted.
_RESOLVER = yaml.resolver.Resolver()


def edited(path: Path, curated: CuratedList, fresh_text: str) -> str:
    """The text of `path` changed to hold `curated`; `fresh_text` (what a new file would hold) when the
    file is exactly as curabib last wrote it, since there is nothing of the curator's to keep."""
    text = path.read_text(encoding="utf-8")
    old = entries.load(path)
    if text == writing.dump(old):
        return fresh_text
    _, indent, block_seq_indent = load_yaml_guess_indent(text)
    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 110
    rt.indent(mapping=indent or 2, sequence=(indent or 2) + (block_seq_indent or 0),
              offset=block_seq_indent or 0)  # fmt: skip
    doc = rt.load(text)
    _apply_list(doc, old, curated)
    out = io.StringIO()
    rt.dump(doc, out)
    return out.getvalue()


def _apply_list(doc: CommentedMap, old: CuratedList, new: CuratedList) -> None:
    for field in ("title", "source", "source_url"):
        _set(doc, field, getattr(old, field), getattr(new, field), _LIST_ORDER)
    _apply_items(doc, old.items, new.items, _LIST_ORDER)
    _apply_sections(doc, old.sections, new.sections, _LIST_ORDER)


def _apply_section(node: CommentedMap, old: Section, new: Section) -> None:
    _set(node, "heading", old.heading, new.heading, _SECTION_ORDER)
    _apply_items(node, old.items, new.items, _SECTION_ORDER)
    _apply_sections(node, old.sections, new.sections, _SECTION_ORDER)


def _apply_item(node: CommentedMap, old: Item, new: Item) -> None:
    before, after = writing._item_data(old), writing._item_data(new)
    for field in sorted(before.keys() | after.keys(), key=_ITEM_ORDER.index):
        _set(node, field, before.get(field), after.get(field), _ITEM_ORDER)


def _apply_items(parent: CommentedMap, old: list[Item], new: list[Item], order: tuple[str, ...]) -> None:
    if old == new:
        return
    if not new or "items" not in parent:  # a whole sequence to add or to remove
        before = [writing._item_data(i) for i in old] or None
        _set(parent, "items", before, [writing._item_data(i) for i in new] or None, order)
        return
    seq: CommentedSeq = parent["items"]
    matches = _match_items(old, new)
    for item, match in zip(new, matches, strict=True):
        if match is not None:
            _apply_item(seq[match], old[match], item)
    nodes = [
        seq[m] if m is not None else _plain(writing._item_data(i)) for i, m in zip(new, matches, strict=True)
    ]
    _rearrange(seq, [m for m in matches if m is not None], nodes)


def _apply_sections(
    parent: CommentedMap, old: list[Section], new: list[Section], order: tuple[str, ...]
) -> None:
    if old == new:
        return
    if "sections" not in parent or parent["sections"] is None:
        _set(parent, "sections", None, [writing._section_data(s) for s in new], order)
        return
    seq: CommentedSeq = parent["sections"]
    used: set[int] = set()
    matches: list[int | None] = []
    for section in new:  # by heading, in order: a list may repeat a heading on purpose
        j = next((j for j, o in enumerate(old) if j not in used and o.heading == section.heading), None)
        if j is not None:
            used.add(j)
            _apply_section(seq[j], old[j], section)
        matches.append(j)
    nodes = [
        seq[m] if m is not None else _plain(writing._section_data(s))
        for s, m in zip(new, matches, strict=True)
    ]
    _rearrange(seq, [m for m in matches if m is not None], nodes)


def _match_items(old: list[Item], new: list[Item]) -> list[int | None]:
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


def _rearrange(seq: CommentedSeq, kept: list[int], nodes: list[Any]) -> None:
    """Make `seq` hold `nodes`, where `kept` are the old positions reused, in their new order. Deleting and
    inserting through CommentedSeq moves the comments between entries along with them."""
    if kept == sorted(kept):
        for j in reversed(range(len(seq))):
            if j not in set(kept):
                del seq[j]
        for i, node in enumerate(nodes):
            if i >= len(seq) or seq[i] is not node:
                seq.insert(i, node)
    else:  # reordered: the comments inside each entry go with it
        while len(seq):
            del seq[len(seq) - 1]
        for node in nodes:
            seq.append(node)


def _set(node: CommentedMap, field: str, before: Any, after: Any, order: tuple[str, ...]) -> None:
    if before == after:  # unchanged, or a default the file leaves out (`kind: paper`)
        return
    if after is None:
        node.pop(field, None)
    elif field in node and isinstance(after, dict) and isinstance(node[field], CommentedMap):
        inner = before if isinstance(before, dict) else {}
        for key in list(dict.fromkeys([*inner, *after])):
            _set(node[field], key, inner.get(key), after.get(key), tuple(after) + tuple(inner))
    elif field in node:
        node[field] = _plain(after)
    else:
        rank = order.index(field) if field in order else len(order)
        position = sum(1 for key in node if key in order and order.index(key) < rank)
        node.insert(position, field, _plain(after))


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
