"""Deduplication across sections and lists, and `curabib check`, on our seed lists and small cases."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import Built, run, write_md


def _entries(bib: str, title_fragment: str) -> list[str]:
    return [block for block in bib.split("\n\n") if title_fragment in block]


def _key(entry: str) -> str:
    found = re.match(r"@\w+\{([^,]+),", entry)
    assert found is not None, entry
    return found.group(1)


def _aliases(built: Built) -> dict[str, str]:
    return dict(json.loads((built.bib / ".curabib" / "aliases.json").read_text(encoding="utf-8")))


def test_one_record_per_work_in_all_bib(seeds_built: Built) -> None:
    bib = (seeds_built.bib / "all.bib").read_text(encoding="utf-8")
    aliases = _aliases(seeds_built)
    # Listed under arXiv (GPT-3) and the NeurIPS proceedings, in three lists: one record.
    few_shot = _entries(bib, "title = {Language Models are Few-Shot Learners}")
    assert len(few_shot) == 1 and "eprint = {2005.14165}" in few_shot[0]
    # T5 as "JMLR 2019" (with its author) and as a 2020 local PDF: one record, the pinned key kept, cited
    # as the JMLR article the list names; the merged key resolves as a copy of it (keys are promises).
    t5 = _entries(bib, "Exploring the Limits of Transfer Learning")
    assert [_key(entry) for entry in t5] == ["raffel2019exploring", "t52020exploring"]
    assert t5[0].startswith("@article{raffel2019exploring,")
    assert t5[1] == t5[0].replace("{raffel2019exploring,", "{t52020exploring,", 1)
    # Near-identical titles of different papers stay two.
    assert len(_entries(bib, "title = {P-Tuning: Prompt Tuning")) == 1
    assert len(_entries(bib, "title = {P-Tuning {v2}: Prompt Tuning")) == 1
    keys = re.findall(r"^@\w+\{([^,]+),", bib, re.M)
    assert len(keys) == len(set(keys)) == 363 + len(aliases)
    assert len([key for key in keys if key not in aliases]) == 363


def test_merged_keys_become_aliases_everywhere(seeds_built: Built) -> None:
    assert _aliases(seeds_built) == {
        "bloom2023176bparameter": "bloom2022176bparameter",
        "flan2022finetuned": "flan2021finetuned",
        "glm130b2023open": "glm2022glm130b",
        "lamda2022language": "lamda2021language",
        "multitask2022prompted": "t02021multitask",
        "palm2technical": "palm22023technical",
        "t52020exploring": "raffel2019exploring",
    }
    # The my-llm section that listed T5 under its own key now holds the kept key first, then the old key's
    # copy; the CSL-JSON holds the work once.
    models = (seeds_built.bib / "my-llm" / "pre-train" / "models.bib").read_text(encoding="utf-8")
    assert models.index("@article{raffel2019exploring,") < models.index("@article{t52020exploring,")
    csl = (seeds_built.bib / "my-llm" / "pre-train" / "models.json").read_text(encoding="utf-8")
    assert '"id": "raffel2019exploring"' in csl and "t52020exploring" not in csl


def test_dedupe_report(seeds_built: Built) -> None:
    result = run(seeds_built.root, "dedupe", "--report")
    assert result.exit_code == 0
    assert "merged  raffel2019exploring <- t52020exploring" in result.output
    assert "possible  chatdoctor2023medical / chatdoctor2023medicala  (near-identical titles" in result.output
    data = json.loads(run(seeds_built.root, "dedupe", "--format", "json").output)
    assert len(data["merged"]) == 7 and len(data["possible"]) == 1


def test_fuzzy_evidence_and_shared_ids_with_different_titles_never_merge(project: Path) -> None:
    md = """# L
## A
- **Scaling Laws for Neural Language Models**, 2020. [Paper](https://arxiv.org/abs/2001.08361)
- **Scaling Laws for Neural Language Model**, 2020. [Paper](https://example.org/other)
- **Training Compute-Optimal Large Language Models**, 2022. [Paper](https://arxiv.org/abs/2203.15556)
## B
- **Something Else Entirely About Robots**, 2022. [Paper](https://arxiv.org/abs/2203.15556)
- **Training Compute-Optimal Large Language Models**, 2012. [Paper](https://example.org/old)
"""
    run(project, "import-md", str(write_md(project, md)), "--list", "l")
    run(project, "build")
    bib = (project / "bib" / "l.bib").read_text(encoding="utf-8")
    assert len(re.findall(r"^@", bib, re.M)) == 5
    report = run(project, "dedupe").output
    assert "possible  " in report and "near-identical titles" in report
    assert "years differ (2022, 2012)" in report


def test_check_reports_errors_with_file_and_line_and_exits_1(project: Path) -> None:
    md = """# L
## A
- **ZeRO: Memory Optimizations Toward Training Trillion Parameter Models**, 2019. [Paper](https://arxiv.org/abs/1910.02054)
- **Megatron-LM: Training Multi-Billion Parameter Language Models Using Model Parallelism**, 2019. [Paper](https://arxiv.org/abs/1910.02054)
- **ZeRO: Memory Optimizations Toward Training Trillion Parameter Models**, 2019. [Paper](https://arxiv.org/abs/1910.02054)
"""
    run(project, "import-md", str(write_md(project, md)), "--list", "l")
    (project / "entries" / "broken.yaml").write_text(
        "list: broken\nsections:\n- heading: X\n  colour: red\n", encoding="utf-8"
    )
    result = run(project, "check")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "entries/broken.yaml:4: error: invalid-entry: unknown field 'colour' in a section" in lines[0]
    assert any(
        # -C gave the folder as an absolute path: findings name the files under it, and the Markdown line
        line.startswith(f"{project}/entries/l.yaml:")
        and re.search(
            rf"l\.yaml:\d+ \({re.escape(str(project))}/list\.md:4\): error: wrong-link: arxiv:1910\.02054 "
            "is also on 'ZeRO",
            line,
        )
        for line in lines
    )
    assert any("warning: duplicate-in-section" in line for line in lines)
    findings = json.loads(run(project, "check", "--format", "json").output)
    assert {f["code"] for f in findings} >= {
        "invalid-entry",
        "wrong-link",
        "duplicate-in-section",
        "provisional-keys",
    }
    assert all(set(f) == {"where", "level", "code", "message"} for f in findings)
