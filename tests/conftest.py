"""Shared fixtures: the seed lists, throwaway projects, the CLI, and one built copy of all five seeds."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from curabib.cli import main
from curabib.fetch import connect
from curabib.fetch.policy import Clock
from recorded_server import RecordedServer

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = FIXTURES / "seeds"

# seed file -> the list name our own entries/ use (see tests/fixtures/seeds/README.md)
SEED_LISTS = {
    "000_8fed83507412cc05.txt": "healthcare-llms",
    "001_6adda429c211ee22.txt": "llms-practical-guide",
    "002_6d5a6e76c99260a6.txt": "my-llm",
    "003_9b67356778e838e4.txt": "llms-study",
    "004_04855081760e47e5.txt": "llm-history-notes",
}
# Titles written in the lists as plain text or beside a second top heading, given as the README does.
SEED_TITLES = {
    "llms-practical-guide": "The Practical Guides for Large Language Models",
    "llms-study": "LLMsStudy",
}


def consumer(name: str) -> str:
    """The path of an external program a test reads our output with (pandoc, biber, bibtex, pdflatex...).
    Outside CI a missing one skips its test; with CI=true it fails: `.ci/run` must install it."""
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is missing in CI: .ci/run must install it")
        pytest.skip(f"{name} is not installed (CI installs it)")
    return found


def run(project: Path, *args: str) -> Result:
    """Run `curabib -C project ...` in-process, as a user would from a shell."""
    return CliRunner().invoke(main, ["-C", str(project), *args], catch_exceptions=False)


def import_seeds(project: Path) -> dict[str, Result]:
    results = {}
    for seed, name in SEED_LISTS.items():
        title = ("--title", SEED_TITLES[name]) if name in SEED_TITLES else ()
        results[name] = run(project, "import-md", str(SEEDS / seed), "--list", name, *title)
        assert results[name].exit_code == 0, results[name].output
    return results


@dataclass
class Built:
    root: Path
    imports: dict[str, Result]
    build: Result

    @property
    def bib(self) -> Path:
        return self.root / "bib"


@pytest.fixture(scope="session")
def seeds_built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """All five seeds imported (in the same order as our own entries/) and built, once per session."""
    root = tmp_path_factory.mktemp("seeds")
    imports = import_seeds(root)
    build = run(root, "build")
    assert build.exit_code == 0, build.output
    return Built(root, imports, build)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "entries").mkdir()
    return tmp_path


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A copy of this repository's own entries/ and bib/, to run commands on without touching them."""
    for name in ("entries", "bib"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def write_md(folder: Path, text: str, name: str = "list.md") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# -- the network, as the refresh tests meet it: the recorded server, a patched clock ---------------------
class FakeClock(Clock):
    """Time that moves only when the code under test sleeps; every sleep is recorded."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        super().__init__(monotonic=lambda: self.now, sleep=self._sleep)

    def _sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def server() -> Iterator[RecordedServer]:
    recorded = RecordedServer()
    yield recorded
    recorded.close()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """The clock refresh paces and backs off with: spacing is measured on it, never by sleeping."""
    fake = FakeClock()
    monkeypatch.setattr(connect, "CLOCK", fake)
    monkeypatch.setattr(connect, "TIMEOUT", 1.0)
    return fake


@pytest.fixture
def online(server: RecordedServer, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> RecordedServer:
    """Every source pointed at the recorded server, with the reader's contact."""
    monkeypatch.setenv("CURABIB_ARXIV_URL", server.arxiv_url)
    monkeypatch.setenv("CURABIB_CROSSREF_URL", server.crossref_url)
    monkeypatch.setenv("CURABIB_DBLP_URL", server.dblp_url)
    monkeypatch.setenv("CURABIB_GITHUB_URL", server.github_url)
    monkeypatch.setenv("CURABIB_MAILTO", "reader@example.org")
    return server
