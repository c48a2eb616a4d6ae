"""curabib in a list's own CI: `check --format github`, the `source_line` of imported items, the Markdown
summary of `refresh`, the pre-commit hook, the GitHub Action and the example workflows."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import run, write_md
from curabib.check.annotations import escape_data, escape_property, github_line
from curabib.cli import main
from curabib.errors import EntryError
from curabib.model import Diagnostic
from curabib.project import entries
from recorded_server import RecordedServer
from test_refresh import PAPERS

REPO = Path(__file__).resolve().parent.parent

LIST_MD = """# L

## A

- **ZeRO: Memory Optimizations Toward Training Trillion Parameter Models**, 2019. [Paper](https://arxiv.org/abs/1910.02054)
- **Megatron-LM: Training Multi-Billion Parameter Language Models Using Model Parallelism**, 2019. [Paper](https://arxiv.org/abs/1910.02054)
- **Chinchilla Scaling Revisited Across Many Domains**, 2022. [Paper](https://arxiv.org/abs/2203.15556)
- **Chinchilla Scaling Revisited Across Many Domains**, 2022. [Paper](https://arxiv.org/abs/2203.15556)

## B

- **A Paper That Has No Identifier At All**, 2021. [Paper](https://example.org/paper.html)
"""


def _check_github(folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[str]]:
    monkeypatch.chdir(folder)  # as in a workflow: the repository is the working directory
    result = CliRunner().invoke(main, ["check", "--format", "github"], catch_exceptions=False)
    return result.exit_code, result.output.splitlines()


def test_check_format_github_points_at_the_markdown_lines(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    md = write_md(project, LIST_MD, "README.md")
    run(project, "import-md", str(md), "--list", "l")
    code, lines = _check_github(project, monkeypatch)
    assert code == 1
    # the wrong link: the second item sharing arXiv 1910.02054 (line 6), with a clearly different title
    assert any(
        re.fullmatch(
            r"::error file=README\.md,line=6,title=wrong-link::arxiv:1910\.02054 is also on 'ZeRO.*", line
        )
        for line in lines
    ), lines
    # the duplicate in section A: the second Chinchilla item (line 8)
    assert any(
        line.startswith("::warning file=README.md,line=8,title=duplicate-in-section::") for line in lines
    ), lines
    # the item without an identifier (line 12)
    assert any(line.startswith("::warning file=README.md,line=12,title=unresolved::") for line in lines), (
        lines
    )
    assert lines[-1].startswith("Checked 1 lists: ")
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines[:-1])


def test_check_format_github_falls_back_to_the_entries_file(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    md = write_md(project, LIST_MD, "README.md")
    run(project, "import-md", str(md), "--list", "l")
    md.unlink()  # the Markdown is not where `source` says: point at entries/ instead
    _, lines = _check_github(project, monkeypatch)
    wrong = next(line for line in lines if "title=wrong-link" in line)
    assert wrong.startswith("::error file=entries/l.yaml,line=")


def test_source_line_is_written_and_the_fresh_markdown_line_wins_on_reimport(project: Path) -> None:
    md = write_md(project, LIST_MD, "README.md")
    run(project, "import-md", str(md), "--list", "l")
    path = project / "entries" / "l.yaml"
    lines = [i.source_line for i in entries.load(path).all_items()]
    assert lines == [5, 6, 7, 8, 12]
    # a hand edit is kept; three new lines above the items move every source_line
    path.write_text(
        path.read_text(encoding="utf-8").replace("\nsections:", "\nsections: # checked", 1), encoding="utf-8"
    )
    md.write_text(LIST_MD.replace("# L\n", "# L\n\nIntro.\n\n", 1), encoding="utf-8")
    run(project, "import-md", str(md), "--list", "l")
    assert [i.source_line for i in entries.load(path).all_items()] == [n + 3 for n in lines if n is not None]
    assert "# checked" in path.read_text(encoding="utf-8")


def test_source_line_must_be_a_line_number(project: Path) -> None:
    path = project / "entries" / "l.yaml"
    path.write_text(
        "list: l\nsections:\n- heading: A\n  items:\n  - title: T\n    source_line: twelve\n",
        encoding="utf-8",
    )
    with pytest.raises(EntryError, match="source_line"):
        entries.load(path)


def test_github_escaping() -> None:
    assert escape_data("100% a\r\nb") == "100%25 a%0D%0Ab"
    assert escape_property("a,b:c%") == "a%2Cb%3Ac%25"
    finding = Diagnostic("info", "label-only", "x\ny", subject="k:1")
    assert github_line(finding) == "::notice title=label-only::k:1: x%0Ay"
    at = Diagnostic("warning", "w", "m", file="a,b.md", line=3)
    assert github_line(at) == "::warning file=a%2Cb.md,line=3,title=w::m"


def test_refresh_summary_as_markdown() -> None:
    from curabib.fetch.executor import Report
    from curabib.fetch.summary import MAX_BULLETS, markdown

    report = Report(
        enriched=["a2020x"],
        changed={"arxiv:2001.08361": ["title", "year"]},
        published=["b2021y"],
        not_found=[f"k{n}" for n in range(MAX_BULLETS + 5)],
        conflicts=[
            Diagnostic("warning", "fetched-title-conflict", "Ours <T>\nvs theirs", "entries/l.yaml", 7)
        ],
    )
    text = markdown(report, 120, "2 arXiv, 1 Crossref")
    lines = text.splitlines()
    assert lines[0] == "## curabib refresh"
    assert "Refreshed 120 entries (2 arXiv, 1 Crossref requests, retries included)." in lines
    assert "| enriched | 1 |" in lines and "| published versions found | 1 |" in lines
    assert f"| not found | {MAX_BULLETS + 5} |" in lines
    assert "### Changed fields (1)" in lines and "- `arxiv:2001.08361`: title, year" in lines
    assert "- `entries/l.yaml:7`: Ours &lt;T> vs theirs" in lines
    assert "- … and 5 more" in lines
    assert "### Errors" not in text


# -- the pre-commit hook, the action and the example workflows --------------------------------------------
def _tool(name: str) -> str:
    path = Path(sys.executable).parent / name
    if not path.exists():
        pytest.skip(f"{name} is not installed in this environment")
    return str(path)


@pytest.mark.parametrize(
    ("schema", "files"),
    [
        ("vendor.github-actions", ["action.yml"]),
        ("vendor.github-workflows", ["examples/workflows/check.yml", "examples/workflows/refresh.yml"]),
    ],
)
def test_action_and_workflows_are_valid(schema: str, files: list[str]) -> None:
    # The schemas ship with check-jsonschema (`--builtin-schema`): nothing is downloaded.
    done = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", schema, *files],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_pre_commit_manifest() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "curabib-check" and hook["entry"] == "curabib check"
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    assert all(files.search(p) for p in ("entries/l.yaml", "lists/entries/l.yaml", "README.md", "docs/a.md"))
    assert not any(files.search(p) for p in ("entries/fetched/arxiv/x.json", "bib/l.bib", "src/x.py"))
    # check-jsonschema has no schema for hook manifests: pre-commit validates its own (offline).
    done = subprocess.run(
        [_tool("pre-commit"), "validate-manifest", ".pre-commit-hooks.yaml"],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_pre_commit_hook_entry_fails_on_an_error_finding(project: Path) -> None:
    """The hook's entry run as pre-commit runs it: in the repository, no file names, the exit code decides."""
    hook = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    command = [_tool(hook["entry"].split()[0]), *hook["entry"].split()[1:]]
    md = write_md(project, LIST_MD, "README.md")
    run(project, "import-md", str(md), "--list", "l")
    done = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "error: wrong-link" in done.stdout
    clean = LIST_MD.split("- **Megatron-LM")[0]  # the ZeRO item alone: nothing wrong
    md.write_text(clean, encoding="utf-8")
    (project / "entries" / "l.yaml").unlink()
    run(project, "import-md", str(md), "--list", "l")
    done = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_refresh_prints_a_markdown_summary_for_a_pull_request(project: Path, online: RecordedServer) -> None:
    md = write_md(project, PAPERS)
    assert run(project, "import-md", str(md), "--list", "papers").exit_code == 0
    result = run(project, "refresh", "--summary", "markdown")
    assert result.exit_code == 0, result.output
    assert re.search(r"^#+ .*[Rr]efresh", result.output, re.M)  # a heading
    assert re.search(r"^\| *enriched *\| *\d+ *\|", result.output, re.M)  # the table of counts
    assert "published versions found" in result.output
