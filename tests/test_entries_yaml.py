"""The entries reader resolves plain scalars as PyYAML's safe loader does: null and booleans, else text."""

from __future__ import annotations

import itertools

import pytest
import yaml

from curabib.project.entries import _compose, _Loader

# Every case spelling of the words YAML 1.1 gives a meaning, and near misses that stay text.
WORDS = ["yes", "no", "true", "false", "on", "off", "null", "y", "n", "nul", "truth", "0", "1", "2301.10010"]
SPELLINGS = sorted(
    {"".join(c) for w in WORDS for c in itertools.product(*((ch.lower(), ch.upper()) for ch in w))}
    | {"~", ""}
)


@pytest.mark.parametrize("text", SPELLINGS)
def test_a_plain_scalar_gets_the_tag_the_safe_loader_would_give_it(text: str) -> None:
    value = yaml.safe_load(f"key: {text}\n")["key"]
    expected = {type(None): "null", bool: "bool"}.get(type(value), "str")
    node = yaml.compose(f"key: {text}\n", Loader=_Loader)
    assert node is not None
    assert node.value[0][1].tag == f"tag:yaml.org,2002:{expected}"
    read = _compose(f"key: {text}\n")  # what the reader walks: the loader's table, looked up inline
    assert read is not None
    assert read.value[0][1].tag == f"tag:yaml.org,2002:{expected}"


def test_quoted_and_nested_values_keep_their_own_tags() -> None:
    node = yaml.compose("a: 'true'\nb: [x]\nc: {d: null}\n", Loader=_Loader)
    assert node is not None
    tags = [value.tag.rsplit(":", 1)[1] for _, value in node.value]
    assert tags == ["str", "seq", "map"]
    assert node.value[2][1].value[0][1].tag.endswith(":null")
