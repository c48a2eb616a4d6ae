"""Safe with the user's files (issue 13), as a user meets it: bib/ holds the user's files too, links,
file modes, reserved list names, duplicate keys, `build --check`, `check` and editors' lock files."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, run, write_md
from curabib.cli import main
from curabib.project import files

ZERO = "ZeRO: Memory Optimizations Toward Training Trillion Parameter Models"
ATTENTION = "Attention Is All You Need"


def paper(key: str, title: str, arxiv: str | None = None, year: int = 2019) -> str:
    link = f"\n  links:\n  - {{kind: paper, url: 'https://arxiv.org/abs/{arxiv}'}}" if arxiv else ""
    return f"- key: {key}\n  kind: paper\n  title: '{title}'\n  year: {year}{link}\n"


def write_list(project: Path, name: str, *items: str, section: str | None = None) -> Path:
    body = "".join(items)
    if section:
        indented = "".join("    " + line + "\n" for line in body.splitlines())
        text = f"list: {name}\nsections:\n- heading: {section}\n  items:\n{indented}"
    else:
        text = f"list: {name}\nitems:\n{body}"
    path = project / "entries" / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def built(project: Path) -> Path:
    write_list(project, "a", paper("rajbhandari2019zero", ZERO, "1910.02054"), section="Systems")
    write_list(project, "b", paper("vaswani2017attention", ATTENTION, "1706.03762", 2017))
    result = run(project, "build")
    assert result.exit_code == 0, result.output
    return project / "bib"


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


# -- bib/ holds only what curabib wrote, and curabib only removes what it wrote ------------------------
def test_the_users_files_in_bib_survive_builds_and_removed_lists_go(project: Path, built: Path) -> None:
    (built / "NOTES.md").write_text("my notes\n", encoding="utf-8")
    (built / ".git").mkdir()
    (built / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (built / "a" / "mine.txt").write_text("kept\n", encoding="utf-8")
    (project / "entries" / "a.yaml").unlink()
    result = run(project, "build")
    assert result.exit_code == 0, result.output
    assert (built / "NOTES.md").read_text(encoding="utf-8") == "my notes\n"
    assert (built / ".git" / "HEAD").is_file()
    assert (built / "a" / "mine.txt").is_file()  # the section's folder stays while it holds the user's file
    assert not (built / "a.bib").exists() and not (built / "a" / "systems.bib").exists()
    assert (built / "b.bib").is_file()
    assert [p.name for p in built.iterdir() if p.name.startswith(".curabib-staging")] == []  # no leftovers
    assert run(project, "build", "--check").exit_code == 0  # the user's files are not "stale"


def test_a_removed_lists_empty_folders_are_removed(project: Path, built: Path) -> None:
    (project / "entries" / "a.yaml").unlink()
    assert run(project, "build").exit_code == 0
    assert not (built / "a").exists()


def test_build_writes_through_a_symlinked_bib(project: Path, built: Path) -> None:
    elsewhere = project / "shared-bib"
    built.rename(elsewhere)
    (project / "bib").symlink_to("shared-bib")
    write_list(project, "c", paper("c2020x", "Another Paper Title Entirely", "2001.00001", 2020))
    for _ in range(2):
        result = run(project, "build")
        assert result.exit_code == 0, result.output
    assert (project / "bib").is_symlink()
    assert (elsewhere / "c.bib").is_file()
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".bib")) == []


def test_a_file_named_bib_is_refused_and_kept(project: Path) -> None:
    write_list(project, "b", paper("vaswani2017attention", ATTENTION, "1706.03762", 2017))
    (project / "bib").write_text("my bibliography\n", encoding="utf-8")
    for args in (("build",), ("build", "--check")):
        result = run(project, *args)
        assert result.exit_code == 2
        assert "is a file, not a folder" in result.output
    assert (project / "bib").read_text(encoding="utf-8") == "my bibliography\n"


def test_a_link_to_nothing_is_refused(project: Path) -> None:
    write_list(project, "b", paper("vaswani2017attention", ATTENTION, "1706.03762", 2017))
    (project / "bib").symlink_to("missing-folder")
    result = run(project, "build")
    assert result.exit_code == 2 and "does not exist" in result.output
    assert (project / "bib").is_symlink()


def test_a_failed_build_leaves_bib_as_it_was(
    project: Path, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (built / "NOTES.md").write_text("my notes\n", encoding="utf-8")
    before = snapshot(built)
    write_list(project, "c", paper("c2020x", "Another Paper Title Entirely", "2001.00001", 2020))
    real = files.write_owned

    def failing(folder: Path, written: object, previous: object) -> files.Written:
        def pieces() -> Iterator[tuple[str, list[bytes]]]:
            yield "all.bib", [b"half"]
            raise OSError(28, "No space left on device")

        return real(folder, pieces(), previous)  # type: ignore[arg-type]

    monkeypatch.setattr("curabib.project.write_owned", failing)
    with pytest.raises(OSError):
        run(project, "build")
    assert snapshot(built) == before
    assert [p.name for p in built.iterdir() if p.name.startswith(".curabib-staging")] == []  # no leftovers


class Killed(BaseException):
    """kill -9, as far as the code that runs is concerned: it stops here, and nothing cleans up."""


def test_a_build_killed_while_moving_files_in_is_finished_by_the_next(
    project: Path, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_list(project, "c", paper("c2020x", "Another Paper Title Entirely", "2001.00001", 2020))
    calls = []
    real_replace = os.replace

    def killed(source: str, target: str) -> None:  # the process dies after two files were moved in
        calls.append(target)
        if len(calls) > 3:  # the journal's own atomic write, then two files
            raise Killed
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(Killed):
        run(project, "build")
    monkeypatch.setattr(os, "replace", real_replace)
    assert [
        p.name for p in built.iterdir() if p.name.startswith(".curabib-staging")
    ] != []  # the journal waits
    files.recover(built)  # what the next run does first
    assert [p.name for p in built.iterdir() if p.name.startswith(".curabib-staging")] == []  # no leftovers
    assert run(project, "build", "--check").exit_code == 0


def test_an_interrupted_staging_is_discarded(built: Path) -> None:
    before = snapshot(built)
    (built / ".curabib-staging.dead" / "a").mkdir(parents=True)
    (built / ".curabib-staging.dead" / "all.bib").write_bytes(b"half")
    files.recover(built)
    assert snapshot(built) == before and not (built / ".curabib-staging.dead").exists()


def test_a_broken_or_hostile_index_never_removes_the_users_files(project: Path, built: Path) -> None:
    outside = project / "outside.txt"
    outside.write_text("mine\n", encoding="utf-8")
    (built / "old.bib").write_text("mine too\n", encoding="utf-8")
    index: dict[str, object] = {"files": {"../outside.txt": {}, "/etc/hostname": {}, "old.bib": {}}}
    (built / ".curabib" / "index.json").write_text(json.dumps(index), encoding="utf-8")
    assert run(project, "build").exit_code == 0
    assert outside.is_file()  # not inside bib/: never ours
    assert not (built / "old.bib").exists()  # listed by the index: written by a build, so replaced
    (built / "other.bib").write_text("mine\n", encoding="utf-8")
    (built / ".curabib" / "index.json").write_text("{ truncated", encoding="utf-8")
    assert run(project, "build").exit_code == 0
    assert (built / "other.bib").is_file()


def test_older_versions_leftovers_beside_bib_are_tidied(project: Path, built: Path) -> None:
    (project / ".bib.old").symlink_to("bib")
    (project / ".bib.new.abc").mkdir()
    assert run(project, "build").exit_code == 0
    assert not (project / ".bib.old").is_symlink() and not (project / ".bib.new.abc").exists()
    assert (built / "all.bib").is_file()


# -- only what changed is written ---------------------------------------------------------------------
def test_a_rebuild_writes_only_the_files_whose_bytes_changed(project: Path, built: Path) -> None:
    """A file already as the build makes it is not written again (its inode and time stay, so a LaTeX
    build or a sync tool sees nothing new); one a user changed, cut short or lengthened is made whole."""
    before = snapshot(built)
    ids = {p: os.stat(built / p).st_ino for p in before}
    edited = {"all.bib": b"% my note\n" + before["all.bib"], "b.bib": before["b.bib"][:40]}
    edited["a.json"] = before["a.json"] + b"\n[]"
    for relative, data in edited.items():
        (built / relative).write_bytes(data)
    os.utime(built / "a.rdf", (0, 0))
    result = run(project, "build")
    assert result.exit_code == 0, result.output
    assert f"Built {len(before)} files in {built}, 3 changed" in result.output
    assert snapshot(built) == before
    untouched = [p for p in before if p not in edited]
    assert {p: os.stat(built / p).st_ino for p in untouched} == {p: ids[p] for p in untouched}
    assert os.stat(built / "a.rdf").st_mtime == 0


# -- modes -----------------------------------------------------------------------------------------
def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.usefixtures("umask")
def test_written_files_follow_the_umask_and_rewritten_ones_keep_their_mode(project: Path) -> None:
    write_list(project, "b", paper("vaswani2017attention", ATTENTION, "1706.03762", 2017))
    assert run(project, "build").exit_code == 0
    bib = project / "bib"
    assert (
        mode(bib) == 0o755
        and mode(bib / "all.bib") == 0o644
        and mode(bib / ".curabib" / "index.json") == 0o644
    )
    os.chmod(bib / "all.bib", 0o664)
    write_list(project, "c", paper("c2020x", "Another Paper Title Entirely", "2001.00001", 2020))
    assert run(project, "build").exit_code == 0
    assert mode(bib / "all.bib") == 0o664 and mode(bib / "c.bib") == 0o644


def test_section_folders_follow_the_umask(project: Path) -> None:
    old = os.umask(0o002)
    try:
        write_list(project, "a", paper("rajbhandari2019zero", ZERO, "1910.02054"), section="Systems")
        assert run(project, "build").exit_code == 0
    finally:
        os.umask(old)
    assert mode(project / "bib") == 0o775 and mode(project / "bib" / "a") == 0o775
    assert mode(project / "bib" / "a" / "systems.bib") == 0o664


@pytest.mark.usefixtures("umask")
def test_an_atomic_rewrite_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    files.write_text_atomic(path, "a\n")
    assert mode(path) == 0o644
    os.chmod(path, 0o640)
    files.write_text_atomic(path, "b\n")
    assert mode(path) == 0o640 and path.read_text(encoding="utf-8") == "b\n"


# -- list names ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("all", "bib/all.bib is the bibliography of all lists"),
        ("fetched", "entries/fetched/ holds the fetched-metadata store"),
    ],
)
def test_reserved_list_names_are_refused_saying_why(project: Path, name: str, why: str) -> None:
    md = write_md(project, f"# L\n## A\n- **{ATTENTION}**, 2017. [Paper](https://arxiv.org/abs/1706.03762)\n")
    result = run(project, "import-md", str(md), "--list", name)
    assert result.exit_code == 2
    assert why in " ".join(result.output.split())
    assert not (project / "entries" / f"{name}.yaml").exists()
    write_list(project, name, paper("vaswani2017attention", ATTENTION, "1706.03762", 2017))
    result = run(project, "build")
    assert result.exit_code == 2 and why in " ".join(result.output.split())
    assert f"{name}.yaml:1" in result.output and not (project / "bib").exists()


def test_a_malformed_list_name_says_what_a_name_may_be(project: Path) -> None:
    md = write_md(project, f"# L\n- **{ATTENTION}**, 2017.\n")
    result = run(project, "import-md", str(md), "--list", "My List")
    assert result.exit_code == 2
    assert "must be lowercase letters, digits and '-'" in " ".join(result.output.split())


# -- duplicate keys --------------------------------------------------------------------------------
def test_one_key_on_two_works_fails_the_build_naming_both_places(project: Path) -> None:
    write_list(project, "a", paper("smith2019x", ZERO, "1910.02054"))
    write_list(project, "b", paper("vaswani2017attention", ATTENTION), paper("smith2019x", ATTENTION))
    result = run(project, "build")
    assert result.exit_code == 2
    assert f"{project}/entries/b.yaml:7: key smith2019x also names '{ZERO}' ({project}/entries/a.yaml:3)" in (
        result.output
    )
    assert "nothing was written" in result.output and not (project / "bib").exists()


def test_the_same_work_twice_under_one_key_builds(project: Path) -> None:
    write_list(project, "a", paper("rajbhandari2019zero", ZERO, "1910.02054"))
    write_list(project, "b", paper("rajbhandari2019zero", ZERO.upper(), "1910.02054"))
    result = run(project, "build")
    assert result.exit_code == 0, result.output
    assert (project / "bib" / "all.bib").read_text(encoding="utf-8").count("@") == 1


# -- build --check, check, dedupe, the benchmark generator, editors' files -------------------------
def test_build_check_compares_with_the_options_of_the_last_build(project: Path) -> None:
    (project / "entries" / "a.yaml").write_text(
        "list: a\nitems:\n- key: vaswani2017attention\n  kind: paper\n  title: Attention Is All You Need\n"
        "  year: 2017\n  venue: NeurIPS\n",
        encoding="utf-8",
    )
    assert run(project, "build", "--venue", "short", "--dialect", "biblatex").exit_code == 0
    index = json.loads((project / "bib" / ".curabib" / "index.json").read_text(encoding="utf-8"))
    assert index["options"] == {"dialect": "biblatex", "venue": "short"}
    result = run(project, "build", "--check")
    assert result.exit_code == 0, result.output
    assert "--dialect biblatex --venue short" in result.output
    assert run(project, "build", "--check", "--venue", "long").exit_code == 1  # given explicitly: wins
    assert run(project, "build").exit_code == 0  # no options: the settings' (and none recorded)
    assert (
        json.loads((project / "bib" / ".curabib" / "index.json").read_text(encoding="utf-8"))["options"] == {}
    )


def test_check_without_entries_is_an_input_error(tmp_path: Path) -> None:
    result = run(tmp_path, "check")
    assert result.exit_code == 2
    assert "is not a folder: no lists to check" in result.output


def test_check_names_files_from_the_users_folder_and_sorts_lines_as_numbers(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = [f"- key: p{n}\n  kind: paper\n  title: Unresolved Paper Number {n}\n" for n in range(5)]
    (project / "entries" / "l.yaml").write_text("list: l\nitems:\n" + "".join(items), encoding="utf-8")
    monkeypatch.chdir(project.parent)
    result = CliRunner().invoke(main, ["-C", project.name, "check"], catch_exceptions=False)
    lines = [line for line in result.output.splitlines() if "unresolved" in line]
    numbers = [int(line.split(":")[1]) for line in lines]
    assert all(line.startswith(f"{project.name}/entries/l.yaml:") for line in lines), lines
    assert numbers == sorted(numbers) and numbers[-1] >= 10


def test_dedupe_report_is_the_output_and_the_old_flag_still_works(project: Path) -> None:
    write_list(project, "a", paper("rajbhandari2019zero", ZERO, "1910.02054"))
    plain, flagged = run(project, "dedupe"), run(project, "dedupe", "--report")
    assert plain.exit_code == flagged.exit_code == 0 and plain.output == flagged.output
    assert "--report" not in run(project, "dedupe", "--help").output


def test_the_benchmark_generator_without_arguments_prints_its_usage() -> None:
    script = ROOT / "benchmarks" / "generate.py"
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "usage:" in result.stderr


def test_editors_lock_backup_and_swap_files_are_not_lists(project: Path) -> None:
    write_list(project, "b", paper("vaswani2017attention", ATTENTION, "1706.03762", 2017))
    entries = project / "entries"
    (entries / ".#b.yaml").symlink_to("user@host.1234:1700000000")  # Emacs: a link to nowhere
    (entries / "b.yaml~").write_text("list: [broken", encoding="utf-8")
    (entries / ".b.yaml.swp").write_bytes(b"\x00b0VIM 9.0")
    (entries / ".hidden.yaml").write_text("list: [broken", encoding="utf-8")
    for command in ("build", "check"):
        result = run(project, command)
        assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (project / "bib").glob("*.bib")) == ["all.bib", "b.bib"]


def test_add_refuses_a_reserved_list_name_saying_why(project: Path) -> None:
    result = run(project, "add", "arXiv:1706.03762", "--list", "all")
    assert result.exit_code == 2
    assert "'all' is reserved" in result.output


def test_curabibs_own_files_sit_apart_and_older_builds_ones_are_removed(project: Path, built: Path) -> None:
    """Every .json a user sees in bib/ is CSL: the index, aliases and provenance are in bib/.curabib/. The
    ones a build before that move left at the top are curabib's own: the next build removes them."""
    index = (built / ".curabib" / "index.json").read_text(encoding="utf-8")
    (built / "index.json").write_text(index, encoding="utf-8")  # as an older build left them
    (built / "provenance.json").write_text("{}\n", encoding="utf-8")
    (built / ".curabib" / "index.json").unlink()
    (built / "NOTES.json").write_text("{}\n", encoding="utf-8")  # the user's own
    assert run(project, "build").exit_code == 0
    assert not (built / "index.json").exists() and not (built / "provenance.json").exists()
    assert (built / "NOTES.json").exists()
    assert sorted(p.name for p in (built / ".curabib").iterdir()) == [
        "aliases.json",
        "index.json",
        "provenance.json",
    ]
