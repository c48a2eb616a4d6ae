"""The GitHub Action (action.yml) run for real, step by step, in temporary git repositories, as the runner
runs a composite action: each `run:` script with `bash --noprofile --norc -eo pipefail`, its `env:` with the
inputs substituted (the workflow's `with:`, then the action's defaults), `if:` evaluated, GITHUB_OUTPUT and
GITHUB_STEP_SUMMARY files, and `git push` to a real (bare) origin. Only the runner's setup is not run:
`uses:` steps (actions/setup-python) and the step that pip-installs curabib, which the venv's curabib on
PATH stands for. Nothing reaches the network: refresh is off, or asks the recorded server.

Also the pre-commit hook `curabib-check-markdown`, run by pre-commit itself on staged changes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from recorded_server import RecordedServer
from test_refresh import PAPERS

REPO = Path(__file__).resolve().parent.parent
ACTION: dict[str, Any] = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
WORKFLOWS = REPO / "examples" / "workflows"
BIN = Path(sys.executable).parent  # the venv's curabib, as `pip install` puts it on the runner's PATH

LIST = """# Awesome Training

Papers on training large models.

## Scaling

- **ZeRO: Memory Optimizations Toward Training Trillion Parameter Models**, 2019. [Paper](https://arxiv.org/abs/1910.02054)
- **Scaling Laws for Neural Language Models**, 2020. [Paper](https://arxiv.org/abs/2001.08361)

## Attention

- **Attention Is All You Need**, 2017. [Paper](https://arxiv.org/abs/1706.03762)
"""
NEW_PAPER = (
    "- **Training Compute-Optimal Large Language Models**, 2022. [Paper](https://arxiv.org/abs/2203.15556)\n"
)
# A wrong link: the arXiv id of ZeRO under a clearly different title.
WRONG_LINK = "- **Megatron-LM: Training Multi-Billion Parameter Language Models Using Model Parallelism**, 2019. [Paper](https://arxiv.org/abs/1910.02054)\n"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
CONDITION = re.compile(r"\s*inputs\.([\w-]+)\s*==\s*'([^']*)'\s*")


# -- the runner -----------------------------------------------------------------------------------------
@dataclass
class ActionRun:
    code: int  # the exit code of the first failing step, or 0
    log: str  # every step's stdout and stderr, as the job's log shows them
    ran: list[str]  # the names of the steps run
    outputs: dict[str, str]  # the action's outputs
    summary: str  # the job summary (GITHUB_STEP_SUMMARY)


def _with(workflow: str, job: str, **override: str) -> dict[str, str]:
    """The `with:` the example workflow gives our action (uses: OWNER/curabib@...), plus overrides."""
    jobs = yaml.safe_load((WORKFLOWS / workflow).read_text(encoding="utf-8"))["jobs"]
    (step,) = [s for s in jobs[job]["steps"] if s.get("uses", "").startswith("OWNER/curabib@")]
    return {**{k: str(v) for k, v in step["with"].items()}, **override}


def _substitute(text: str, context: Mapping[str, Mapping[str, Any]]) -> str:
    def value(match: re.Match[str]) -> str:
        path = match[1]
        assert re.fullmatch(r"[\w-]+(\.[\w-]+)+", path), f"this runner evaluates paths only, not {path!r}"
        head, *rest = path.split(".")
        found: Any = context[head]
        for part in rest:
            found = found.get(part, "") if isinstance(found, Mapping) else ""
        return str(found)

    return EXPRESSION.sub(value, text)


def _condition(text: str, inputs: Mapping[str, str]) -> bool:
    """`inputs.x == 'y'` terms joined by `&&`: the only conditions action.yml uses (GitHub compares strings
    ignoring case)."""
    terms = [CONDITION.fullmatch(term) for term in text.split("&&")]
    assert all(terms), f"this runner knows no condition {text!r}"
    return all(inputs[t[1]].casefold() == t[2].casefold() for t in terms if t)


def _read_outputs(path: Path) -> dict[str, str]:
    outputs, lines = {}, iter(path.read_text(encoding="utf-8").splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            value = []
            for body in lines:
                if body == delimiter:
                    break
                value.append(body)
            outputs[name] = "\n".join(value)
        elif "=" in line:
            name, value_ = line.split("=", 1)
            outputs[name] = value_
    return outputs


def run_action(
    workspace: Path,
    inputs: Mapping[str, str],
    *,
    event: str = "pull_request",
    ref: str = "refs/pull/7/merge",
    extra_env: Mapping[str, str] | None = None,
    tools: Path | None = None,
) -> ActionRun:
    runner = workspace.parent / f"runner-{len(list(workspace.parent.glob('runner-*')))}"
    (runner / "temp").mkdir(parents=True)
    github = {
        "action_path": str(REPO),
        "token": "ghs_test-token",
        "repository": "owner/awesome-training",
        "event_name": event,
        "ref": ref,
        "workspace": str(workspace),
    }
    declared = ACTION["inputs"]
    assert set(inputs) <= set(declared), f"inputs the action does not declare: {set(inputs) - set(declared)}"
    missing = [n for n, spec in declared.items() if spec.get("required") and n not in inputs]
    assert not missing, f"required inputs not given: {missing}"
    context: dict[str, Any] = {"github": github, "runner": {"temp": str(runner / "temp")}, "steps": {}}
    context["inputs"] = {
        name: inputs.get(name, _substitute(str(spec.get("default", "")), context))
        for name, spec in declared.items()
    }
    path = os.pathsep.join([*([str(tools)] if tools else []), str(BIN), os.environ["PATH"]])
    base = {
        "PATH": path,
        "HOME": str(runner),  # no global git config of whoever runs the tests
        "GIT_CONFIG_NOSYSTEM": "1",
        "LANG": "C.UTF-8",
        "RUNNER_TEMP": str(runner / "temp"),
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_ACTION_PATH": str(REPO),
        "GITHUB_EVENT_NAME": event,
        "GITHUB_REF": ref,
        "GITHUB_REPOSITORY": github["repository"],
        **(extra_env or {}),
    }
    log, ran, summary, code = [], [], runner / "summary.md", 0
    summary.touch()
    for number, step in enumerate(ACTION["runs"]["steps"]):
        if "uses" in step:
            continue  # the runner's setup: actions/setup-python
        if step.get("id") == "install":  # curabib from the action's own checkout: the venv's stands for it
            assert (
                step["env"] == {"ACTION_PATH": "${{ github.action_path }}"}
                and '"$ACTION_PATH"' in step["run"]
            )
            continue
        if "if" in step and not _condition(step["if"], context["inputs"]):
            continue
        assert step["shell"] == "bash"
        output = runner / f"output-{number}"
        output.touch()
        script = runner / f"step-{number}.sh"
        script.write_text(step["run"], encoding="utf-8")
        env = {k: _substitute(str(v), context) for k, v in step.get("env", {}).items()}
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace, env={**base, **env, "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary)},
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        ran.append(step["name"])
        log.append(done.stdout + done.stderr)
        if "id" in step:
            context["steps"][step["id"]] = {"outputs": _read_outputs(output)}
        if done.returncode:
            code = done.returncode
            break
    outputs = {name: _substitute(spec["value"], context) for name, spec in ACTION["outputs"].items()}
    return ActionRun(code, "".join(log), ran, outputs, summary.read_text(encoding="utf-8"))


# -- list repositories ----------------------------------------------------------------------------------
def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=folder, capture_output=True, text=True, timeout=60, check=True,
        env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(folder)},
    )  # fmt: skip
    return done.stdout


def curabib(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "curabib"), *args], cwd=folder, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    """A list's repository as its maintainer left it: README.md, entries/ imported and bib/ built, all
    committed on main and pushed to a bare origin."""
    bare = tmp_path / "origin.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(bare))
    work = tmp_path / "maintainer"
    git(tmp_path, "clone", "--quiet", str(bare), str(work))
    (work / "README.md").write_text(LIST, encoding="utf-8")
    assert curabib(work, "import-md", "README.md", "--list", "my-list").returncode == 0
    assert curabib(work, "build").returncode == 0
    git(work, "add", "--all")
    git(work, "commit", "--quiet", "-m", "The list")
    git(work, "push", "--quiet", "origin", "main")
    return bare


def checkout(origin: Path, name: str, ref: str = "main") -> Path:
    """What actions/checkout leaves: a clone of the ref, with origin as its remote."""
    folder = origin.parent / name
    git(origin.parent, "clone", "--quiet", "--branch", ref, str(origin), str(folder))
    return folder


def pull_request(origin: Path, addition: str, name: str = "pr") -> tuple[Path, int]:
    """A contributor's pull request that edits only README.md: one item added at the end of `Scaling`;
    returns the checkout and the new item's line."""
    work = checkout(origin, name)
    text = LIST.replace("\n\n## Attention", "\n" + addition.rstrip("\n") + "\n\n## Attention")
    (work / "README.md").write_text(text, encoding="utf-8")
    git(work, "commit", "--quiet", "-am", "Add a paper")
    return work, text[: text.index("\n\n## Attention")].count("\n") + 1


def changed_files(folder: Path, commit: str = "HEAD") -> list[str]:
    return git(folder, "show", "--format=", "--name-only", commit).split()


# -- check mode: a contributor's pull request -----------------------------------------------------------
def test_a_pull_request_adding_a_paper_passes_and_writes_nothing(origin: Path) -> None:
    work, _ = pull_request(origin, NEW_PAPER)
    # The bug this mode fixes: the committed bib/ is now older than README.md, which is no one's fault.
    assert curabib(work, "import-md", "README.md", "--list", "my-list").returncode == 0
    assert curabib(work, "build", "--check").returncode == 1
    git(work, "checkout", "--quiet", "--", ".")
    git(work, "clean", "--quiet", "-fd")

    done = run_action(work, _with("check.yml", "check"))
    assert done.code == 0, done.log
    assert "::error" not in done.log
    assert re.search(r"^Checked 1 lists?: 0 errors", done.summary, re.M), done.summary
    assert git(work, "status", "--porcelain") == ""  # no entries/ or bib/ to commit, nothing written


def test_a_wrong_link_fails_with_an_annotation_on_its_markdown_line(origin: Path) -> None:
    work, line = pull_request(origin, WRONG_LINK)
    done = run_action(work, _with("check.yml", "check"))
    assert done.code == 1, done.log
    annotation = f"::error file=README.md,line={line},title=wrong-link::arxiv:1910.02054"
    assert any(row.startswith(annotation) for row in done.log.splitlines()), done.log
    assert git(work, "status", "--porcelain") == ""
    # fail-on: never keeps the annotation and passes
    relaxed = run_action(work, _with("check.yml", "check", **{"fail-on": "never"}))
    assert relaxed.code == 0, relaxed.log
    assert annotation in relaxed.log


def test_a_list_that_keeps_no_entries_yet_is_checked_from_its_markdown(tmp_path: Path) -> None:
    """The check workflow added before the first publish: only README.md in the repository."""
    work = tmp_path / "work"
    work.mkdir()
    git(work, "init", "--quiet", "--initial-branch=main")
    (work / "README.md").write_text(LIST + "\n" + WRONG_LINK, encoding="utf-8")
    git(work, "add", "README.md")
    git(work, "commit", "--quiet", "-m", "The list")
    done = run_action(work, _with("check.yml", "check"))
    assert done.code == 1, done.log
    line = (LIST + "\n" + WRONG_LINK).splitlines().index(WRONG_LINK.rstrip("\n")) + 1
    assert f"::error file=README.md,line={line},title=wrong-link::" in done.log
    assert sorted(p.name for p in work.iterdir()) == [".git", "README.md"]


def test_a_warning_passes_unless_fail_on_is_warning(origin: Path) -> None:
    twice = LIST.splitlines()[7] + "\n"  # Scaling Laws, listed again in the same section
    work, line = pull_request(origin, twice)
    annotation = f"::warning file=README.md,line={line},title=duplicate-in-section::"
    done = run_action(work, _with("check.yml", "check"))
    assert done.code == 0, done.log
    assert annotation in done.log
    strict = run_action(work, _with("check.yml", "check", **{"fail-on": "warning"}))
    assert strict.code == 1, strict.log
    assert annotation in strict.log and "warnings found and fail-on is warning" in strict.log
    quiet = run_action(work, _with("check.yml", "check", level="error"))
    assert quiet.code == 0 and "::warning" not in quiet.log, quiet.log


@pytest.mark.parametrize(
    ("inputs", "event", "ref", "message"),
    [
        ({"mode": "publish"}, "pull_request", "refs/pull/7/merge", "never on pull_request"),
        ({"mode": "publish"}, "pull_request_target", "refs/heads/main", "never on pull_request_target"),
        ({"mode": "publish"}, "push", "refs/tags/v1", "this run is for refs/tags/v1"),
        ({"mode": "deploy"}, "push", "refs/heads/main", "mode must be check or publish"),
        ({"fail-on": "warning", "level": "error"}, "pull_request", "refs/pull/7/merge", "fail-on: warning"),
        ({"open-pr": "yes"}, "push", "refs/heads/main", "open-pr must be true or false"),
    ],
)
def test_wrong_inputs_and_publish_on_a_pull_request_stop_before_anything_runs(
    tmp_path: Path, inputs: dict[str, str], event: str, ref: str, message: str
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    done = run_action(work, {"list": "my-list", **inputs}, event=event, ref=ref)
    assert done.code == 1 and done.ran == ["Check the inputs"], done.log
    assert "::error title=curabib::" in done.log and message in done.log, done.log


# -- publish mode: after the merge --------------------------------------------------------------------------
def test_publish_commits_the_rebuilt_files_and_nothing_else(origin: Path) -> None:
    pr, _ = pull_request(origin, NEW_PAPER)
    git(pr, "push", "--quiet", "origin", "HEAD:main")  # the merge
    work = checkout(origin, "publish")
    (work / "notes.txt").write_text("a stray file in the workspace\n", encoding="utf-8")
    merged = git(work, "rev-parse", "HEAD").strip()

    done = run_action(work, _with("publish.yml", "publish"), event="push", ref="refs/heads/main")
    assert done.code == 0, done.log
    head = git(origin, "rev-parse", "main").strip()
    assert head != merged and done.outputs["changed"] == "true" and done.outputs["commit"] == head
    assert git(origin, "log", "-1", "--format=%an <%ae>%n%s%n%P", "main").splitlines() == [
        "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>",
        "curabib: import the list, rebuild entries/ and bib/",
        merged,
    ]
    files = changed_files(origin, "main")
    assert "entries/my-list.yaml" in files and "bib/my-list.bib" in files and "bib/all.json" in files
    assert all(f.startswith(("entries/", "bib/")) for f in files), files
    assert "notes.txt" not in git(origin, "ls-tree", "-r", "--name-only", "main")
    # what was pushed is what build writes from README.md
    fresh = checkout(origin, "fresh")
    assert "Training Compute-Optimal" in (fresh / "entries" / "my-list.yaml").read_text(encoding="utf-8")
    assert curabib(fresh, "build", "--check").returncode == 0
    # the site for Pages, outside the repository
    site = Path(done.outputs["site-path"])
    assert (site / "index.html").is_file() and (site / "my-list.html").is_file()
    assert "Training Compute-Optimal" in (site / "my-list.html").read_text(encoding="utf-8")
    assert not site.is_relative_to(work)

    again = run_action(fresh, _with("publish.yml", "publish"), event="push", ref="refs/heads/main")
    assert again.code == 0, again.log
    assert again.outputs["changed"] == "false" and again.outputs["commit"] == ""
    assert git(origin, "rev-parse", "main").strip() == head  # nothing changed: no commit


def test_publish_leaves_a_branch_that_moved_on_to_the_run_for_its_newest_commit(origin: Path) -> None:
    pr, _ = pull_request(origin, NEW_PAPER)
    git(pr, "push", "--quiet", "origin", "HEAD:main")  # a merge: this run's push
    work = checkout(origin, "publish")
    (pr / "CONTRIBUTING.md").write_text("Add papers to README.md.\n", encoding="utf-8")
    git(pr, "add", "CONTRIBUTING.md")
    git(pr, "commit", "--quiet", "-m", "How to contribute")
    git(pr, "push", "--quiet", "origin", "HEAD:main")  # pushed while this run was starting
    merged = git(origin, "rev-parse", "main").strip()
    done = run_action(work, _with("publish.yml", "publish"), event="push", ref="refs/heads/main")
    assert done.code == 0, done.log
    assert "::notice title=curabib::main moved on since this run started" in done.log
    assert done.outputs["changed"] == "false"
    assert git(origin, "rev-parse", "main").strip() == merged


GH = """#!/usr/bin/env bash
# The GitHub CLI as the action calls it: every call logged; no pull request is open yet.
printf '%s\\n' "GH_TOKEN=$GH_TOKEN GH_REPO=$GH_REPO $*" >> "$GH_LOG"
case "$1 $2" in
  "pr list") echo "" ;;
  "pr create")
    while [ $# -gt 0 ]; do [ "$1" = --body-file ] && cp "$2" "$GH_LOG.body"; shift; done
    echo "https://github.com/owner/awesome-training/pull/8" ;;
esac
"""


def test_scheduled_refresh_opens_a_pull_request_with_the_summary(
    tmp_path: Path, online: RecordedServer
) -> None:
    bare = tmp_path / "origin.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(bare))
    work = tmp_path / "maintainer"
    git(tmp_path, "clone", "--quiet", str(bare), str(work))
    (work / "README.md").write_text(PAPERS, encoding="utf-8")
    git(work, "add", "README.md")
    git(work, "commit", "--quiet", "-m", "The list")
    git(work, "push", "--quiet", "origin", "main")
    start = git(bare, "rev-parse", "main").strip()
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "gh").write_text(GH, encoding="utf-8")
    (tools / "gh").chmod(0o755)
    gh_log = tmp_path / "gh.log"
    environment = {name: os.environ[name] for name in os.environ if name.startswith("CURABIB_")}

    inputs = _with("refresh.yml", "refresh", list="papers")
    done = run_action(
        work, inputs, event="schedule", ref="refs/heads/main", tools=tools,
        extra_env={**environment, "GH_LOG": str(gh_log)},
    )  # fmt: skip
    assert done.code == 0, done.log
    assert "Refresh metadata" in done.ran and "Write the bibliography site" not in done.ran
    assert git(bare, "rev-parse", "main").strip() == start  # the default branch is left alone
    files = changed_files(bare, "curabib/refresh")
    assert any(f.startswith("entries/fetched/") for f in files) and "bib/papers.bib" in files
    assert all(f.startswith(("entries/", "bib/")) for f in files), files
    calls = gh_log.read_text(encoding="utf-8").splitlines()
    assert calls[-1].startswith(
        "GH_TOKEN=ghs_test-token GH_REPO=owner/awesome-training pr create --head curabib/refresh --base main "
        "--title curabib: refresh metadata and rebuild bib/ --body-file "
    ), calls
    body = (tmp_path / "gh.log.body").read_text(encoding="utf-8")
    assert "## curabib refresh" in body and "| enriched |" in body
    assert done.outputs["pull-request"] == "https://github.com/owner/awesome-training/pull/8"
    assert "## curabib refresh" in done.summary


# -- the pre-commit hook, run by pre-commit ---------------------------------------------------------------
def test_the_markdown_hook_checks_what_will_be_committed(origin: Path, tmp_path: Path) -> None:
    """pre-commit runs `curabib-check-markdown` on the staged README.md (a local hook with our manifest's
    entry and file pattern; `language: system` uses the venv's curabib instead of installing one)."""
    pre_commit = BIN / "pre-commit"
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed (the test extras install it)")
    manifest = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = {**next(h for h in manifest if h["id"] == "curabib-check-markdown"), "language": "system"}
    work, line = pull_request(origin, NEW_PAPER, "hooked")
    git(work, "reset", "--quiet", "--soft", "HEAD~1")  # the contributor's edit, staged, not committed yet
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (tmp_path / "pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(BIN), os.environ["PATH"]]),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "HOME": str(tmp_path),
        "GIT_CONFIG_NOSYSTEM": "1",
    }

    def hook_run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(pre_commit), "run", "--config", str(tmp_path / "pre-commit-config.yaml"), hook["id"]],
            cwd=work, env=env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip

    done = hook_run()
    assert done.returncode == 0, done.stdout + done.stderr
    # an unstaged wrong link is not what will be committed: set aside, not checked
    readme = work / "README.md"
    staged = readme.read_text(encoding="utf-8")
    readme.write_text(staged.replace(NEW_PAPER, NEW_PAPER + WRONG_LINK), encoding="utf-8")
    done = hook_run()
    assert done.returncode == 0, done.stdout + done.stderr
    assert readme.read_text(encoding="utf-8") != staged  # and given back
    # staged, it fails the commit, naming README.md and the line
    git(work, "add", "README.md")
    done = hook_run()
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(rf"\bREADME\.md:{line + 1}\b.*: error: wrong-link: arxiv:1910\.02054", done.stdout), (
        done.stdout
    )
    assert "Megatron" not in (work / "entries" / "my-list.yaml").read_text(encoding="utf-8")
