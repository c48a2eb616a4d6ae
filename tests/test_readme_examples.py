"""Every `curabib` command the README and the docs show runs as shown, on a copy of our own project.

The commands that ask the APIs run against the local server that answers from recorded responses, on a
patched clock; the README's "your Markdown list" is one of our seed lists.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS, run
from recorded_server import RecordedServer

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TEXT = "\n".join(page.read_text(encoding="utf-8") for page in PAGES)


def readme_commands() -> list[list[str]]:
    """The `curabib ...` lines of the shell blocks of the README and the docs, in order, as argument
    lists."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)\n```", TEXT, re.S):
        for line in block.splitlines():
            if line.startswith("curabib "):
                commands.append(shlex.split(line, comments=True)[1:])
    return commands


@pytest.fixture
def our_project(tmp_path: Path, online: RecordedServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of our entries/ and bib/, with our seed lists where the README names files, online against
    the recorded server. "Your list's README" is our seed of llms-practical-guide, in a repository of that
    name: `import-md README.md` names the list after it, and so re-imports our list (corrections kept)."""
    root = tmp_path / "llms-practical-guide"
    for name in ("entries", "bib"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copytree(SEEDS, root / "tests" / "fixtures" / "seeds")
    shutil.copy(SEEDS / "001_6adda429c211ee22.txt", root / "README.md")
    _paper(root)
    monkeypatch.chdir(root)  # the README's paths are relative to the project
    return root


def _paper(folder: Path) -> None:
    """A "paper" citing two of our works, as LaTeX (for BibTeX and for biber) and pandoc leave its
    citations: the files the README's `export` examples read."""
    (folder / "paper.aux").write_text("\\relax\n\\citation{chain2022thought,flan2021finetuned}\n")
    (folder / "paper.bcf").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bcf:controlfile version="3.10" xmlns:bcf="https://sourceforge.net/projects/biblatex">\n'
        '  <bcf:section number="0">\n'
        '    <bcf:citekey order="1" intorder="1">chain2022thought</bcf:citekey>\n'
        "  </bcf:section>\n</bcf:controlfile>\n"
    )
    (folder / "paper.md").write_text("Chain of thought [@chain2022thought], FLAN [@flan2021finetuned].\n")


def test_the_readme_shows_every_command() -> None:
    shown = {command[0] for command in readme_commands()}
    assert shown >= {"import-md", "build", "refresh", "add", "check", "dedupe", "pin-keys", "rekey"}
    assert shown >= {"find", "show", "export"}


def test_every_readme_command_runs_as_shown(our_project: Path) -> None:
    for command in readme_commands():
        result = run(our_project, *command)
        # `build --check` right after `build --venue short` agrees: it compares with the last build's options.
        assert result.exit_code == 0, f"curabib {' '.join(command)}:\n{result.output}"
        assert "Traceback" not in result.output
