"""Terms whose case BibTeX must keep ("LLaMA", "LoRA"): the editable list in data/terms.yaml, and a user's
file in the same format (a YAML list of strings). Read as written; `export.latex` cleans them."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

import yaml


@functools.cache
def builtin_terms() -> tuple[str, ...]:
    source = resources.files("curabib") / "data" / "terms.yaml"
    return parse_terms(source.read_text(encoding="utf-8"), "curabib/data/terms.yaml")


def read_terms(path: Path) -> tuple[str, ...]:
    """A user's terms file; `ValueError` naming the file when it is not a YAML list of strings."""
    return parse_terms(path.read_text(encoding="utf-8"), str(path))


def parse_terms(text: str, source: str) -> tuple[str, ...]:
    data = yaml.safe_load(text)
    if data is None:
        return ()
    if not isinstance(data, list) or not all(isinstance(t, str) for t in data):
        raise ValueError(f"{source}: expected a YAML list of strings")
    return tuple(data)
