"""The code's shape, as a newcomer relies on it: pure stages that touch no file or network, small modules."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

SRC = ROOT / "src" / "curabib"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(src: Path, config: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(config), "--no-cache"],
        capture_output=True, text=True, env=env, cwd=src.parent, timeout=120, check=False,
    )  # fmt: skip


def test_the_pure_stages_import_no_file_or_network_module() -> None:
    done = lint_imports(ROOT / "src", ROOT / "pyproject.toml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "BROKEN" not in done.stdout


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("merge/normalize.py", "from curabib.project import store"),  # the store's file code, in merge
        ("export/csl.py", "import yaml"),
        ("dedupe/duplicates.py", "from curabib.cli import app"),
    ],
)
def test_a_stage_that_reaches_for_files_is_refused(tmp_path: Path, module: str, line: str) -> None:
    copy = tmp_path / "src" / "curabib"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__"))
    path = copy / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    done = lint_imports(tmp_path / "src", ROOT / "pyproject.toml")
    assert done.returncode == 1
    assert "Pure stages touch no file and no network BROKEN" in done.stdout


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_is_over_400_lines_and_no_cli_module_over_150() -> None:
    """The command line parses options and prints; the use cases live in the library (`project/`)."""
    sizes = {path.relative_to(SRC).as_posix(): _lines(path) for path in SRC.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 400} == {}
    assert {name: n for name, n in sizes.items() if name.startswith("cli/") and n > 150} == {}


def test_every_stage_is_a_folder_named_in_the_design_tree() -> None:
    readme = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    folders = sorted(p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    assert {
        "ingest",
        "ids",
        "sources",
        "fetch",
        "merge",
        "dedupe",
        "export",
        "check",
        "project",
        "cli",
    } <= set(folders)
    for folder in folders:
        assert f"{folder}/" in readme, f"src/curabib/{folder}/ is not in docs/design.md's design tree"


def test_every_client_is_paced_retried_and_counted_by_the_one_base() -> None:
    """Each registered source's client is a `PoliteClient`: one place owns pacing, retries, the host's
    state and the request count; no client runs the retry policy itself."""
    import importlib

    from curabib.fetch.clients.polite import PoliteClient
    from curabib.fetch.connection import Connection
    from curabib.fetch.policy import Clock, Hosts
    from curabib.sources import registered

    for source in registered():
        module = importlib.import_module(source.client)
        client = module.connect(Connection(source.default_url, None, 1.0, Clock(), Hosts()))
        assert isinstance(client, PoliteClient), source.name
        assert "policy.run(" not in (
            SRC / (source.client.removeprefix("curabib.").replace(".", "/") + ".py")
        ).read_text(encoding="utf-8"), source.name
