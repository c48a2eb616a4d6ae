"""The command line as a user meets it: documentation, help, bad input, summaries."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from conftest import ROOT, run, write_md
from curabib.cli import main

_SPEC = importlib.util.spec_from_file_location("generate", ROOT / "docs" / "generate.py")
assert _SPEC is not None and _SPEC.loader is not None
generate = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(generate)
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(main.commands)


def test_commands_are_the_documented_ones() -> None:
    documented = set(re.findall(r"^\| `curabib ([a-z-]+)", README, re.M))
    assert documented == set(COMMANDS)


def test_the_readme_is_short() -> None:
    """The README says what curabib is, sets it up and points to the docs: at most 250 lines."""
    assert len(README.splitlines()) <= 250


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example_shown_once_in_the_docs(name: str) -> None:
    result = run(Path("."), name, "--help")
    assert result.exit_code == 0
    assert "Example: curabib " + name in " ".join(result.output.split())
    shown = generate.documented()
    assert len(shown.get(name, [])) == 1, f"{name}: its --help is shown in {shown.get(name)}"
    command = main.commands[name]
    page = shown[name][0].read_text(encoding="utf-8")
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert any(opt in page for opt in param.opts), f"{name} {param.opts} is not in {shown[name][0]}"


def test_the_docs_show_the_help_as_the_commands_give_it() -> None:
    """`docs/generate.py --check`: every `--help` block in docs/ is what the command prints now."""
    checked = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "generate.py"), "--check"], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    for path in (ROOT / "docs").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert text == generate.generated(text), f"{path.name}: run `python docs/generate.py`"


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
    assert "Imported 2 items in 1 section into" in result.output  # the paper, and the repository
    assert "identifiers: arxiv 1, github 1" in result.output
    assert re.search(r"1\s+empty placeholder bullet", result.output)
    assert re.search(r"section 'Catalog' is boilerplate", result.output)


def test_readme_entry_example_is_a_valid_entries_file(tmp_path: Path) -> None:
    from curabib.project.entries import load

    example = re.search(
        r"```yaml\n(list: llms-practical-guide.*?)```",
        (ROOT / "docs" / "entries.md").read_text(encoding="utf-8"),
        re.S,
    )
    assert example is not None
    path = tmp_path / "llms-practical-guide.yaml"
    path.write_text(example.group(1), encoding="utf-8")
    items = list(load(path).all_items())
    assert [i.key for i in items] == ["chowdhery2022palm", "bloom2022176bparameter"]


def test_links_between_the_readme_and_the_docs_lead_somewhere() -> None:
    """Every relative link of the README and the docs names a file that exists (and a heading of it)."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    checked = 0
    for page in pages:
        for target, anchor in re.findall(
            r"\]\(([\w./-]+\.(?:md|png|py|yml))(?:#([\w-]+))?\)", page.read_text("utf-8")
        ):
            path = page.parent / target
            checked += 1
            assert path.is_file(), f"{page.name}: {target}"
            if anchor and path.suffix == ".md":
                headings = re.findall(r"(?m)^#+ (.*)$", path.read_text(encoding="utf-8"))
                slugs = {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}
                assert anchor in slugs, f"{page.name}: {target}#{anchor}"
    assert checked >= 10  # the README's links to each page of the docs, and theirs to each other
