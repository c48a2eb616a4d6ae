"""`curabib check`: every finding has a place (its entries line and, for an imported item, its Markdown
line; every item of a merged work), no false `unresolved` or `duplicate-in-section`, `--level`, and
`--markdown`, which checks what importing a Markdown list would commit without writing entries/."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import Built, run, write_md
from curabib.cli import main
from curabib.model import FOUND, Record
from curabib.project import Project

README = """# L

## A

- **Attention Is All You Need**, 2017. [Paper](https://arxiv.org/abs/1706.03762)
- **Some Undated Thing About Robots**. [Paper](https://example.org/robots.pdf)
- **Language Models are Few-Shot Learners**, NeurIPS 2020. [Paper](https://arxiv.org/abs/2005.14165)
- **ZeRO: Memory Optimizations Toward Training Trillion Parameter Models**, 2019. [Paper](https://arxiv.org/abs/1910.02054)
- **Megatron-LM: Training Multi-Billion Parameter Language Models Using Model Parallelism**, 2019. [Paper](https://arxiv.org/abs/1910.02054)

## B

- **Some Undated Thing About Robots**. [Paper](https://example.org/robots.pdf)
"""


def _check(folder: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    """`curabib check ...` run in the project folder, as in a workflow or a pre-commit hook."""
    monkeypatch.chdir(folder)
    return CliRunner().invoke(main, ["check", *args], catch_exceptions=False)


def _findings(result: Result) -> list[str]:
    """The finding lines, without the summary line that ends the output."""
    lines = result.output.splitlines()
    assert lines[-1].startswith("Checked "), result.output
    return lines[:-1]


def _entries(project: Path, name: str, items: str, source: str = "") -> None:
    header = f"list: {name}\n" + (f"source: {source}\n" if source else "")
    (project / "entries" / f"{name}.yaml").write_text(header + "sections:\n" + items, encoding="utf-8")


# -- every finding has a place -----------------------------------------------------------------------------
def test_every_finding_names_its_entries_line_and_its_markdown_line(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(project, "import-md", str(write_md(project, README, "README.md")), "--list", "l")
    text = _check(project, monkeypatch)
    findings = _findings(text)
    place = re.compile(r"entries/l\.yaml:\d+ \(README\.md:\d+\): (error|warning|info): [a-z-]+: ")
    assert findings and all(place.match(line) for line in findings), findings
    # work-level findings that named only a key before: at the item, in both files
    assert any(
        line.startswith("entries/l.yaml:20 (README.md:6): warning: missing-year: ") for line in findings
    )
    assert any(
        line.startswith("entries/l.yaml:27 (README.md:7): info: venue-from-hint: ") for line in findings
    )
    # the work is listed in two sections: the finding names the other item too
    year = next(line for line in findings if "missing-year" in line)
    assert year.endswith("has no year (also listed at entries/l.yaml:60 (README.md:13))")
    # the annotations: every one lands on a line of the Markdown
    github = _findings(_check(project, monkeypatch, "--format", "github"))
    assert len(github) == len(findings)
    assert all(
        re.match(r"::(error|warning|notice) file=README\.md,line=\d+,title=[a-z-]+::", g) for g in github
    )
    assert "::warning file=README.md,line=6,title=missing-year::" in "\n".join(github)
    assert "::notice file=README.md,line=7,title=venue-from-hint::" in "\n".join(github)


def test_a_work_listed_in_two_lists_is_reported_once_naming_both_items(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a", "b"):
        md = f"# {name}\n\n- **Some Undated Thing About Robots**. [Paper](https://example.org/robots.pdf)\n"
        run(project, "import-md", str(write_md(project, md, f"{name}.md")), "--list", name)
    findings = [line for line in _findings(_check(project, monkeypatch)) if "missing-year" in line]
    assert findings == [
        "entries/a.yaml:8 (a.md:3): warning: missing-year: 'Some Undated Thing About Robots' has no year "
        "(also listed at entries/b.yaml:8 (b.md:3))"
    ]


def test_a_finding_points_at_the_markdown_only_when_it_is_there(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    md = write_md(project, README, "README.md")
    run(project, "import-md", str(md), "--list", "l")
    md.unlink()
    findings = _findings(_check(project, monkeypatch))
    year = next(line for line in findings if "missing-year" in line)
    # the entries line to jump to; the message still says which Markdown line the items came from
    assert year.startswith("entries/l.yaml:20: warning: missing-year: ")
    assert year.endswith("(also listed at entries/l.yaml:60 (README.md:13))")
    github = _findings(_check(project, monkeypatch, "--format", "github"))
    assert all(re.match(r"::\w+ file=entries/l\.yaml,line=\d+,title=", line) for line in github), github


def test_a_fetched_record_that_contradicts_the_title_is_reported_at_the_item(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    md = "# L\n\n- **Deep Residual Learning for Image Recognition**, 2016. [Paper](https://arxiv.org/abs/1706.03762)\n"
    run(project, "import-md", str(write_md(project, md, "README.md")), "--list", "l")
    when = datetime(2024, 1, 1, tzinfo=UTC).isoformat()
    fields = {"title": "Attention Is All You Need", "authors": [], "year": 2017}
    Project.open(project).store.put(Record("arxiv", "arxiv:1706.03762", FOUND, when, "u", fields))
    github = _findings(_check(project, monkeypatch, "--format", "github", "--level", "error"))
    assert [line.split("::")[1] for line in github] == [
        "error file=README.md,line=3,title=wrong-link-fetched"
    ]


def test_every_finding_on_the_seed_lists_names_an_entries_line(seeds_built: Built) -> None:
    """Five real lists, every code they raise (possible duplicates, merged works across lists, ...)."""
    findings = _findings(run(seeds_built.root, "check"))
    entries = f"{seeds_built.root}/entries/"
    assert len(findings) > 100
    assert [f for f in findings if not re.match(rf"{re.escape(entries)}[a-z-]+\.yaml:\d+: ", f)] == []
    codes = {f.split(": ")[2] for f in findings}
    assert {"possible-duplicate", "venue-from-hint", "missing-authors", "provisional-keys"} <= codes


# -- no false findings ----------------------------------------------------------------------------------
UNRESOLVED = """\
- heading: A
  items:
  - {key: vaswani2017attention, kind: paper, title: Attention Is All You Need, year: 2017, ids: {arxiv: '1706.03762'}}
  - {key: he2016deep, kind: paper, title: Deep Residual Learning for Image Recognition, year: 2016}
  - {key: nothing2021, kind: paper, title: A Paper That Has No Identifier At All, year: 2021}
- heading: B
  items:
  - {key: attention2017, kind: paper, title: Attention Is All You Need, year: 2017}
  - {key: he2016deep, kind: paper, title: Deep Residual Learning for Image Recognition, year: 2016, ids: {arxiv: '1512.03385'}}
  - {key: nothing2021, kind: paper, title: A Paper That Has No Identifier At All, year: 2021}
"""


def test_an_item_merged_with_an_identified_work_is_not_unresolved(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # he2016deep: the same key as an item with an arXiv id; attention2017: merged by its title with one
    _entries(project, "l", UNRESOLVED)
    findings = [line for line in _findings(_check(project, monkeypatch)) if ": unresolved: " in line]
    assert findings == [
        "entries/l.yaml:7: warning: unresolved: 'A Paper That Has No Identifier At All': no identifier yet; "
        "`curabib refresh` looks it up by title (also listed at entries/l.yaml:12)"
    ]


COLLISION = """\
- heading: A
  items:
  - {key: kaplan2020scaling, kind: paper, title: Scaling Laws for Neural Language Models, year: 2020}
  - {key: kaplan2020scaling, kind: paper, title: A Completely Different Paper On Robots, year: 2020}
  - {key: kaplan2020scaling, kind: paper, title: Scaling Laws for Neural Language Models, year: 2020}
"""


def test_two_works_sharing_a_key_are_a_key_collision_not_a_duplicate(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _entries(project, "l", COLLISION)
    result = _check(project, monkeypatch)
    assert result.exit_code == 1
    findings = [line for line in _findings(result) if ": key-collision: " in line or "duplicate" in line]
    assert findings == [
        "entries/l.yaml:6: error: key-collision: key kaplan2020scaling also names 'Scaling Laws for Neural "
        "Language Models' (entries/l.yaml:5)",
        # the third item is the first one again: that is a duplicate
        "entries/l.yaml:7: warning: duplicate-in-section: 'Scaling Laws for Neural Language Models' is "
        "already listed in 'A' at entries/l.yaml:5",
    ]


# -- --level and the summary ----------------------------------------------------------------------------
def test_level_shows_the_findings_at_that_level_or_above_and_counts_them(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(project, "import-md", str(write_md(project, README, "README.md")), "--list", "l")
    every = _check(project, monkeypatch)
    assert every.exit_code == 1
    assert every.output.splitlines()[-1] == "Checked 1 list: 1 error, 3 warnings, 2 info"
    warnings = _check(project, monkeypatch, "--level", "warning")
    assert warnings.exit_code == 1
    assert warnings.output.splitlines()[-1] == "Checked 1 list: 1 error, 3 warnings"
    assert len(_findings(warnings)) == 4 and ": info: " not in warnings.output
    errors = _check(project, monkeypatch, "--level", "error", "--format", "github")
    assert errors.exit_code == 1
    assert errors.output.splitlines() == [
        errors.output.splitlines()[0],
        "Checked 1 list: 1 error",
    ]
    assert errors.output.startswith("::error file=README.md,line=9,title=wrong-link::")
    assert _check(project, monkeypatch, "--level", "fatal").exit_code == 2


def test_warnings_alone_exit_0_and_the_summary_says_one_of_each_in_the_singular(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _entries(project, "a", "- heading: A\n  items:\n  - {key: thing, kind: paper, title: A Thing}\n")
    _entries(project, "b", "- heading: B\n  items:\n  - {key: other, kind: blog, title: Another Thing}\n")
    result = _check(project, monkeypatch, "--level", "warning")
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "Checked 2 lists: 0 errors, 2 warnings"
    one = _check(project, monkeypatch, "--level", "warning", "--format", "json")
    assert one.exit_code == 0 and '"level": "info"' not in one.output


# -- --markdown: what the import would commit -----------------------------------------------------------
CLEAN = README.split("- **ZeRO")[0]  # no wrong link, nothing after section A's third item


def test_check_markdown_reports_what_the_import_would_commit_and_writes_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    md = write_md(project, CLEAN, "README.md")
    run(project, "import-md", str(md), "--list", "l")
    entries = project / "entries" / "l.yaml"
    before = entries.read_bytes()
    clean = _check(project, monkeypatch, "--markdown", "README.md", "--list", "l", "--level", "error")
    assert clean.exit_code == 0 and clean.output == "Checked 1 list: 0 errors\n"
    md.write_text(README, encoding="utf-8")  # the edit a commit would bring: a wrong link, more items
    staged = _check(project, monkeypatch, "--markdown", "README.md", "--list", "l", "--format", "github")
    assert staged.exit_code == 1
    assert "::error file=README.md,line=9,title=wrong-link::" in staged.output
    assert "curabib-check-" not in staged.output  # never the scratch folder
    assert entries.read_bytes() == before
    assert sorted(p.name for p in (project / "entries").iterdir()) == ["l.yaml"]
    # the same findings, at the same lines, as once the import is done
    text = _check(project, monkeypatch, "--markdown", "README.md", "--list", "l")
    run(project, "import-md", str(md), "--list", "l")
    assert entries.read_bytes() != before
    assert _check(project, monkeypatch).output == text.output
    assert _check(project, monkeypatch, "--format", "github").output == staged.output


def test_check_markdown_finds_its_list_by_source_else_asks_for_it(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    md = write_md(project, README, "README.md")
    run(project, "import-md", str(md), "--list", "l")
    assert (
        _check(project, monkeypatch, "--markdown", "README.md").output == _check(project, monkeypatch).output
    )
    other = write_md(project, README, "OTHER.md")
    result = _check(project, monkeypatch, "--markdown", other.name)
    assert result.exit_code == 2
    assert "no list in entries was imported from OTHER.md: name the list it imports into with --list" in (
        result.output
    )
    assert _check(project, monkeypatch, "--list", "l").exit_code == 2  # --list only with --markdown
    bad = _check(project, monkeypatch, "--markdown", "README.md", "--list", "Bad Name")
    assert bad.exit_code == 2 and "--list" in bad.output


def test_check_markdown_of_a_new_list_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_md(tmp_path, README, "README.md")
    result = _check(tmp_path, monkeypatch, "--markdown", "README.md", "--list", "mine")
    assert result.exit_code == 1
    assert "entries/mine.yaml:48 (README.md:9): error: wrong-link: " in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md"]


def test_check_markdown_names_files_as_reached_from_here(project: Path) -> None:
    md = write_md(project, README, "README.md")
    result = run(project, "check", "--markdown", str(md), "--list", "l", "--level", "error")
    assert result.output.startswith(f"{project}/entries/l.yaml:48 ({md}:9): error: wrong-link: ")
    assert not (project / "entries" / "l.yaml").exists()
