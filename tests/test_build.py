"""`curabib build`: the files a user gets under bib/, their names, what is in each, and stability."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from conftest import ROOT, SEED_LISTS, SEED_TITLES, SEEDS, Built, run, write_md
from curabib.export.layout import META_PATHS


def _keys(bib_file: Path) -> list[str]:
    return re.findall(r"^@\w+\{([^,]+),", bib_file.read_text(encoding="utf-8"), re.M)


def test_files_for_every_section_list_and_all(seeds_built: Built) -> None:
    bib = seeds_built.bib
    for name in ("all", "healthcare-llms", "my-llm"):
        assert (bib / f"{name}.bib").is_file() and (bib / f"{name}.json").is_file()
    pretrain = bib / "healthcare-llms" / "2-3-medical-domain-llms" / "2-3-1-pre-training.bib"
    assert _keys(pretrain)[:2] == ["biobert2020pretrained", "biobert2019saama"]
    # Chinese headings become ASCII file names.
    assert (bib / "llms-study" / "llm-de-chu-bu-tan-jiu" / "da-mo-xing-tui-jian.bib").is_file()


def test_parent_section_holds_its_subsections(seeds_built: Built) -> None:
    folder = seeds_built.bib / "healthcare-llms"
    parent = set(_keys(folder / "2-3-medical-domain-llms.bib"))
    children = [set(_keys(p)) for p in (folder / "2-3-medical-domain-llms").glob("*.bib")]
    assert len(children) == 3
    assert parent == set().union(*children)


def test_a_work_appears_once_per_file(seeds_built: Built) -> None:
    for bib_file in seeds_built.bib.rglob("*.bib"):
        keys = _keys(bib_file)
        assert len(keys) == len(set(keys)), bib_file
    # "Chatcad" is listed in four sections of the healthcare list: once in the list's file.
    listed = (seeds_built.root / "entries" / "healthcare-llms.yaml").read_text(encoding="utf-8")
    assert listed.count("arxiv: '2302.07257'") == 3
    assert _keys(seeds_built.bib / "healthcare-llms.bib").count("chatcad2023interactive") == 1


def test_index_maps_files_to_list_section_and_count(seeds_built: Built) -> None:
    index = json.loads((seeds_built.bib / ".curabib" / "index.json").read_text(encoding="utf-8"))["files"]
    entry = index["llms-study/llm-de-chu-bu-tan-jiu/da-mo-xing-tui-jian.json"]
    assert entry == {
        "format": "csl-json",
        "list": "llms-study",
        "section": ["LLM的初步探究", "大模型推荐"],
        "entries": 9,
    }
    on_disk = {p.relative_to(seeds_built.bib).as_posix() for p in seeds_built.bib.rglob("*") if p.is_file()}
    assert on_disk == set(index) | set(META_PATHS)
    # "entries" counts works: a .bib also holds a copy of a work under each of its old keys.
    old_keys = json.loads((seeds_built.bib / ".curabib" / "aliases.json").read_text(encoding="utf-8"))
    for path, meta in index.items():
        if path.endswith(".bib"):
            assert len([k for k in _keys(seeds_built.bib / path) if k not in old_keys]) == meta["entries"]


def test_second_build_changes_no_byte(seeds_built: Built) -> None:
    before = {p: p.read_bytes() for p in seeds_built.bib.rglob("*") if p.is_file()}
    assert run(seeds_built.root, "build").exit_code == 0
    after = {p: p.read_bytes() for p in seeds_built.bib.rglob("*") if p.is_file()}
    assert after == before
    assert run(seeds_built.root, "build", "--check").exit_code == 0


def test_committed_bib_is_what_build_writes(repo_copy: Path) -> None:
    result = run(repo_copy, "build", "--check")
    assert result.exit_code == 0, result.output


def test_committed_entries_are_the_imported_seeds_with_their_corrections(repo_copy: Path) -> None:
    # Re-importing every seed over the committed entries changes nothing: the imports are reproducible
    # and the hand corrections (identifiers fixed, with a note saying why) survive them.
    committed = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "entries").glob("*.yaml")}
    seeds = repo_copy / "tests" / "fixtures" / "seeds"  # where README "Our own entries" imports them from
    shutil.copytree(SEEDS, seeds)
    for seed, name in SEED_LISTS.items():
        title = ("--title", SEED_TITLES[name]) if name in SEED_TITLES else ()
        assert run(repo_copy, "import-md", str(seeds / seed), "--list", name, *title).exit_code == 0
    for name, text in committed.items():
        assert (repo_copy / "entries" / name).read_text(encoding="utf-8") == text, name
    notes = [
        line for text in committed.values() for line in text.splitlines() if line.strip().startswith("note:")
    ]
    # The two wrong arXiv links, in llms-practical-guide and llms-study (a note each, and its line), and
    # the nine rows of LLMsStudy's model table, whose size column (大小) is kept as the note.
    corrections = [line for line in notes if "大小" not in line]
    assert len(corrections) == 4 and len(notes) == 4 + 9


def test_a_corrected_link_is_not_exported(repo_copy: Path) -> None:
    run(repo_copy, "build")
    bib = (repo_copy / "bib" / "llms-practical-guide.bib").read_text(encoding="utf-8")
    megatron = bib[bib.index("Training Multi-Billion") :].split("\n}\n")[0]
    assert "1910.02054" not in megatron


def test_our_own_entries_pass_check(repo_copy: Path) -> None:
    result = run(repo_copy, "check")
    assert result.exit_code == 0, result.output
    assert "Checked 5 lists: 0 errors" in result.output


def test_headings_cannot_escape_bib(project: Path) -> None:
    md = "# T\n## ../../../etc\n- [A paper](https://arxiv.org/abs/1706.03762)\n## ..\n- [B](https://example.org/b)\n## ..\n- [C](https://example.org/c)\n"
    assert run(project, "import-md", str(write_md(project, md)), "--list", "evil").exit_code == 0
    assert run(project, "build").exit_code == 0
    files = sorted(p.relative_to(project).as_posix() for p in project.rglob("*.bib"))
    assert files == [
        "bib/all.bib",
        "bib/evil.bib",
        "bib/evil/etc.bib",
        "bib/evil/section-2.bib",
        "bib/evil/section.bib",
    ]


def test_item_added_by_hand_without_key_gets_a_warned_deterministic_key(project: Path) -> None:
    (project / "entries" / "mine.yaml").write_text(
        "list: mine\nsections:\n- heading: S\n  items:\n  - title: Attention Is All You Need\n"
        "    authors: [Ashish Vaswani]\n    year: 2017\n",
        encoding="utf-8",
    )
    result = run(project, "build")
    assert result.exit_code == 0
    assert "entries/mine.yaml:5: warning: no key: using 'vaswani2017attention'" in result.output
    assert _keys(project / "bib" / "mine.bib") == ["vaswani2017attention"]
    assert run(project, "pin-keys").exit_code == 0
    assert "key: vaswani2017attention" in (project / "entries" / "mine.yaml").read_text(encoding="utf-8")
    assert "warning:" not in run(project, "build").output


def test_build_without_entries_is_an_input_error(project: Path) -> None:
    result = run(project, "build")
    assert result.exit_code == 2
    assert "no lists in" in result.output
