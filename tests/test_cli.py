"""The command line as a user meets it: documentation, help, bad input, summaries."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from conftest import ROOT, run, write_md
from curabib.cli import main

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(main.commands)


def test_commands_are_the_documented_ones() -> None:
    documented = set(re.findall(r"^\| `curabib ([a-z-]+)", README, re.M))
    assert documented == set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example_and_a_readme_section(name: str) -> None:
    result = run(Path("."), name, "--help")
    assert result.exit_code == 0
    assert "Example: curabib " + name in " ".join(result.output.split())
    assert re.search(rf"^### `curabib {name}", README, re.M) or f"`curabib {name}`" in README
    command = main.commands[name]
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert any(opt in README for opt in param.opts), f"{name} {param.opts} is not in the README"


def test_readme_setup_commands_are_what_ci_runs() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    assert blocks[0] == "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/curabib build"
    assert blocks[1] == "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest"
    assert blocks[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8").replace(
        "pip install -q", "pip install"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"# Title\n\x00\x01\x02 binary", "not a text file"),
        (b"caf\xe9 latin-1 text", "not UTF-8 text"),
        (b"# Only a heading\n\nSome prose without any link.\n", "no items found"),
    ],
)  # fmt: skip
def test_import_refuses_bad_files_and_writes_nothing(project: Path, content: bytes, message: str) -> None:
    path = project / "in.md"
    path.write_bytes(content)
    result = run(project, "import-md", str(path), "--list", "bad")
    assert result.exit_code == 2
    assert message in result.output
    assert list((project / "entries").iterdir()) == []


def test_import_of_a_missing_file_and_a_bad_list_name(project: Path) -> None:
    missing = run(project, "import-md", str(project / "nope.md"), "--list", "x")
    assert missing.exit_code == 2 and "cannot read" in missing.output
    md = write_md(project, "- [A](https://arxiv.org/abs/1706.03762)\n")
    for name in ("Bad Name", "all", "../up"):
        assert run(project, "import-md", str(md), "--list", name).exit_code == 2


def test_import_summary_counts(project: Path) -> None:
    md = write_md(
        project,
        "# My list\n## Papers\n- **A**, 2020. [Paper](https://arxiv.org/abs/2001.08361)\n"
        "- [Code](https://github.com/a/b)\n* \n## Catalog\n- [Papers](#papers)\n",
    )
    result = run(project, "import-md", str(md), "--list", "mine")
    assert result.exit_code == 0
    assert "Imported 2 items in 1 sections" in result.output  # the paper, and the repository
    assert "identifiers: arxiv 1, github 1" in result.output
    assert re.search(r"1\s+empty placeholder bullet", result.output)
    assert re.search(r"section 'Catalog' is boilerplate", result.output)


def test_readme_entry_example_is_a_valid_entries_file(tmp_path: Path) -> None:
    from curabib.project.entries import load

    example = re.search(r"```yaml\n(list: llms-practical-guide.*?)```", README, re.S)
    assert example is not None
    path = tmp_path / "llms-practical-guide.yaml"
    path.write_text(example.group(1), encoding="utf-8")
    items = list(load(path).all_items())
    assert [i.key for i in items] == ["chowdhery2022palm", "bloom2022176bparameter"]
