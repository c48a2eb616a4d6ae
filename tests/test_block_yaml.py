"""The quick reader of entries files gives exactly what libyaml gives, or steps aside.

`block_yaml.parse` must return what libyaml loads (scalars as text, null and booleans resolved) or None; and
`entries.load` must give the same list as the libyaml-only path, or the same error. Checked on our own
entries, on a generated 2000-entry corpus, on random documents in the dumper's layout, and on those
documents broken at random, the way hand edits break them.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from curabib import block_yaml
from curabib.entries import EntryError, _Dumper, load, save

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate


class TextLoader(yaml.CSafeLoader):  # type: ignore[misc]
    """libyaml resolving only null and booleans: every other scalar stays the text written."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, Any]]]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag.endswith((":null", ":bool"))]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def reference(text: str) -> Any:
    """What libyaml reads, or the YAMLError it raises."""
    try:
        return yaml.load(text, Loader=TextLoader)
    except yaml.YAMLError as err:
        return err


def agrees(text: str) -> bool:
    """The quick reader accepted `text` (and then read it as libyaml does), or declined."""
    quick = block_yaml.parse(text)
    if quick is None:
        return False
    expected = reference(text)
    assert not isinstance(expected, yaml.YAMLError), f"accepted what libyaml refuses:\n{text}"
    assert quick == expected, text
    return True


def test_our_own_entries_and_a_generated_corpus_take_the_quick_path_with_identical_results(
    tmp_path: Path,
) -> None:
    own = sorted((ROOT / "entries").glob("*.yaml"))
    for curated in generate(2000, lists=2, seed=7).lists:
        save(curated, tmp_path)
    for path in [*own, *sorted(tmp_path.glob("*.yaml"))]:
        assert agrees(path.read_text(encoding="utf-8")), f"{path} was not read by the quick reader"
        assert load(path) == load(path, quick=False)


WORDS = ["yes", "No", "null", "~", "true", "OFF", "2301.10010", "0x1F", "1e3", "2020-01-02", "<<", "="]
# Characters the dumper quotes for or that YAML reads specially; then those that make it double-quote.
PIECES = [" ", ": ", " #", "#", "'", "''", '"', ",", "[", "]", "{", "}", "-", "- ", "?", "!", "&", "*"]
PIECES += ["|", ">", "%", "@", "`", "\\", "é", "Ø", "大", "\u00a0", ":", "  ", "...", "---", "http://x.y/?a"]
HARD = ["\t", "\n", "\u2028", "\x85", "\x07", "\ufeff", "\U0001f600"]


def random_text(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return rng.choice(WORDS)
    parts = []
    for _ in range(rng.randint(1, 30)):
        roll = rng.random()
        if roll < 0.6:
            parts.append(rng.choice(["model", "Attention", "van der", "Zoë", "LLM", "x", "2019"]))
        elif roll < 0.85:
            parts.append(" ")
        else:
            parts.append(rng.choice(PIECES) if rng.random() < 0.97 else rng.choice(HARD))
    return "".join(parts)


def random_document(rng: random.Random) -> str:
    def item() -> dict[str, Any]:
        data: dict[str, Any] = {"key": f"k{rng.randint(0, 999)}", "title": random_text(rng)}
        if rng.random() < 0.8:
            data["authors"] = [random_text(rng) for _ in range(rng.randint(0, 6))]
        if rng.random() < 0.5:
            data["year"] = rng.choice([2020, "2021", random_text(rng)])
        if rng.random() < 0.3:
            data["et_al"] = rng.choice([True, False, "yes"])
        if rng.random() < 0.5:
            data["ids"] = {"arxiv": rng.choice(["2301.10010", "1706.03762", random_text(rng)])}
        if rng.random() < 0.6:
            data["links"] = [{"kind": "paper", "url": random_text(rng), "text": random_text(rng)}]
        return data

    data = {
        "list": "demo",
        "sections": [
            {"heading": random_text(rng), "items": [item() for _ in range(rng.randint(0, 4))]}
            for _ in range(rng.randint(1, 3))
        ],
    }
    return dumped(data, width=rng.choice([40, 110]))


def test_random_documents_in_the_dumpers_layout_read_as_libyaml_reads_them() -> None:
    rng = random.Random(5)
    accepted = sum(agrees(random_document(rng)) for _ in range(400))
    assert accepted > 100  # not a vacuous check: many documents, odd characters and all, are read quickly


def mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    n = rng.randrange(len(lines))
    line = lines[n]
    choice = rng.randrange(8)
    if choice == 0:
        lines[n] = " " + line
    elif choice == 1:
        lines[n] = line[1:]
    elif choice == 2:
        lines.insert(n, rng.choice(["", "# note", "   # note", "  ", "---", "..."]))
    elif choice == 3:
        lines.insert(n, line)
    elif choice == 4:
        at = rng.randint(0, len(line))
        lines[n] = line[:at] + rng.choice(PIECES + HARD) + line[at:]
    elif choice == 5:
        at = rng.randint(0, len(line))
        lines[n] = line[:at] + line[at + 1 :]
    elif choice == 6:
        lines[n] = line.replace("'", "", 1)
    else:
        lines[n] = line.replace(": ", ":\n" + " " * rng.randint(0, 8), 1)
    return "\n".join(lines)


def test_hand_edits_and_mistakes_read_as_libyaml_reads_them_or_go_to_libyaml(tmp_path: Path) -> None:
    rng = random.Random(11)
    base = [random_document(rng) for _ in range(20)]
    base.append((ROOT / "entries" / "healthcare-llms.yaml").read_text(encoding="utf-8"))
    accepted = 0
    for _ in range(1500):
        text = rng.choice(base)
        for _ in range(rng.randint(1, 3)):
            text = mutate(text, rng)
        accepted += agrees(text)
    assert accepted > 100


def test_entries_read_quickly_equal_the_libyaml_reading_or_fail_with_its_error(tmp_path: Path) -> None:
    rng = random.Random(3)
    path = tmp_path / "demo.yaml"
    original = (ROOT / "entries" / "healthcare-llms.yaml").read_text(encoding="utf-8")
    original = original.replace("list: healthcare-llms", "list: demo")
    for _ in range(400):
        text = mutate(mutate(original, rng), rng)
        path.write_text(text, encoding="utf-8")
        try:
            expected: Any = load(path, quick=False)
        except EntryError as err:
            expected = str(err)
        try:
            actual: Any = load(path)
        except EntryError as err:
            actual = str(err)
        assert actual == expected, text


def dumped(data: dict[str, Any], width: int = 110) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=width)


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80), st.sampled_from([30, 110])
)
def test_any_text_in_any_place_reads_as_libyaml_reads_it(text: str, width: int) -> None:
    item = {"title": text, "authors": [text, "x"], "links": [{"kind": "paper", "url": text}]}
    agrees(dumped({"list": "demo", "sections": [{"heading": text, "items": [item]}]}, width))


@pytest.mark.parametrize(
    "text",
    [
        "list: demo\nsections:\n- heading: &a H\n",  # anchor
        "list: demo\nsections: [a, b]\n",  # flow sequence
        'list: "demo"\n',  # double quotes
        "list: |\n  demo\n",  # block scalar
        "list: demo\n\tsections:\n",  # tab
        "list: demo\r\nsections:\r\n",  # CRLF
        "---\nlist: demo\n",  # document marker
        "list: demo\nlist: again\n",  # repeated key
    ],
)
def test_what_the_quick_reader_does_not_know_is_left_to_libyaml(text: str) -> None:
    assert block_yaml.parse(text) is None
