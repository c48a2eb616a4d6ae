"""Writing `entries/<list>.yaml`: a new file in the entry layout, or an existing one edited in place (its
comments, key order and formatting are the curator's: `edits.py`), always atomically."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from curabib.model import CuratedList, Item, Section
from curabib.project.files import write_text_atomic

HEADER = (
    "# curabib curated list. Edit freely: your titles, names, notes and keys win; years and venues are\n"
    "# weighed as evidence unless pinned.\n"
    "# Format: docs/entries.md in curabib's repository; `curabib check` names any mistake by line.\n"
)


# -- the layout --------------------------------------------------------------------------------------
def dump(curated: CuratedList) -> str:
    """The text of a new entry file: the header and the list in the layout every import writes."""
    data: dict[str, Any] = {"list": curated.name}
    _put(data, "title", curated.title)
    _put(data, "source", curated.source)
    _put(data, "source_url", curated.source_url)
    if curated.items:
        data["items"] = [_item_data(i) for i in curated.items]
    data["sections"] = [_section_data(s) for s in curated.sections]
    return HEADER + yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=110,
        default_flow_style=False,
    )


def save(curated: CuratedList, entries_dir: Path) -> Path:
    """Write `curated` to `entries/<list>.yaml`, atomically. An existing file is edited rather than
    rewritten (see `project/edits.py`): its comments, key order and formatting are the curator's."""
    from curabib.project.edits import edited  # ruamel.yaml is loaded only when a file is edited

    path = entries_dir / f"{curated.name}.yaml"
    text = dump(curated)
    if path.exists():
        text = edited(path, curated, text)
    write_text_atomic(path, text)
    return path


def _put(data: dict[str, Any], key: str, value: object) -> None:
    if value not in (None, False, (), []):
        data[key] = list(value) if isinstance(value, tuple) else value


def _section_data(section: Section) -> dict[str, Any]:
    data: dict[str, Any] = {"heading": section.heading}
    if section.items:
        data["items"] = [_item_data(i) for i in section.items]
    if section.sections:
        data["sections"] = [_section_data(s) for s in section.sections]
    return data


def _item_data(item: Item) -> dict[str, Any]:
    data: dict[str, Any] = {}
    put: Callable[[str, object], None] = lambda k, v: _put(data, k, v)  # noqa: E731
    put("key", item.key)
    put("key_provisional", item.key_provisional)
    put("aliases", item.aliases)
    data["kind"] = item.kind
    put("label", item.label)
    put("title", item.title)
    put("authors", item.authors)
    put("et_al", item.et_al)
    put("year", item.year)
    put("venue", item.venue)
    put("pinned", item.pinned)
    if item.ids:
        ids: dict[str, Any] = {}
        for ident in item.ids:
            ids[ident.kind] = ident.value
            _put(ids, f"{ident.kind}_version", ident.version)
            _put(ids, f"{ident.kind}_derived", ident.derived)
        data["ids"] = ids
    put("note", item.note)
    if item.links:
        data["links"] = [
            {"kind": link.kind, "url": link.url, **({"text": link.text} if link.text else {})}
            for link in item.links
        ]
    put("source_line", item.source_line)
    return data


# libyaml's emitter when PyYAML has it: a third of a large import was the pure-Python emitter. Its output is
# the same, byte for byte, for everything the entry format holds (tests/test_build.py compares them).
_BASE_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BASE_DUMPER):  # type: ignore[misc]
    """Block style, with short link mappings on one line each for readability."""

    def represent_mapping(self, tag: str, mapping: Any, flow_style: bool | None = None) -> yaml.MappingNode:
        represent = yaml.representer.SafeRepresenter.represent_mapping  # the C dumper has no Python super
        node: yaml.MappingNode = represent(self, tag, mapping, flow_style)
        if isinstance(mapping, dict) and set(mapping) <= {"kind", "url", "text"} and "url" in mapping:
            node.flow_style = True
        return node
