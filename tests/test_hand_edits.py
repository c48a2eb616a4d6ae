"""Issue 13: commands that rewrite an entry file keep the curator's comments, order and edits; deep nesting."""

from __future__ import annotations

from pathlib import Path

from conftest import run, write_md

COMMENTED = """\
# My reading list -- kept by hand
list: mine
title: The Practical Guides for Large Language Models
sections:
- heading: Practical Guide for Models
  items:
  - key: chowdhery2022palm       # the citation key, pinned: later metadata never renames it
    kind: paper                  # paper | software | blog | model | dataset | webpage
    title: 'PaLM: Scaling Language Modeling with Pathways'
    authors:                     # as written
    - Aakanksha Chowdhery
    year: 2022
    ids:
      arxiv: '2204.02311'        # found in the link
    links:
    - {kind: paper, url: 'https://arxiv.org/abs/2204.02311'}
  # added by hand, no key yet
  - title: Attention Is All You Need
    authors: [Ashish Vaswani]
    year: 2017
"""


def test_pin_keys_keeps_comments_order_and_layout(project: Path) -> None:
    path = project / "entries" / "mine.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    assert run(project, "pin-keys").exit_code == 0
    text = path.read_text(encoding="utf-8")
    expected = COMMENTED.replace(
        "  - title: Attention Is All You Need\n",
        "  - key: vaswani2017attention\n    title: Attention Is All You Need\n",
    )
    assert text == expected


MD = """\
# Papers

- **Attention Is All You Need**. NeurIPS 2017. [[paper](https://arxiv.org/abs/1706.03762)]
- **PaLM: Scaling Language Modeling with Pathways**. 2022. [[paper](https://arxiv.org/abs/2204.02311)]
"""


def test_reimport_keeps_hand_edits_comments_and_title(project: Path) -> None:
    md = write_md(project, MD)
    assert run(project, "import-md", str(md), "--list", "mine", "--title", "My title").exit_code == 0
    path = project / "entries" / "mine.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "title: Attention Is All You Need", "title: Attention Is All You Need (corrected)  # mine"
    )
    text = text.replace(
        "  year: 2022\n", "  year: 2022\n  authors:\n  - Aakanksha Chowdhery\n  note: checked\n"
    )
    path.write_text(text, encoding="utf-8")
    updated = MD + "- **GPT-4 Technical Report**. 2023. [[paper](https://arxiv.org/abs/2303.08774)]\n"
    write_md(project, updated)
    result = run(project, "import-md", str(md), "--list", "mine")
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8")
    assert "Attention Is All You Need (corrected)  # mine" in after
    assert "- Aakanksha Chowdhery" in after and "note: checked" in after
    assert "title: My title" in after and "GPT-4 Technical Report" in after
    assert after.index("Attention") < after.index("PaLM") < after.index("GPT-4")


def test_thousand_nested_bullets_are_all_imported(project: Path) -> None:
    lines = [f"{'  ' * i}- [Nested paper {i}](https://example.org/paper{i}.pdf)" for i in range(1000)]
    md = write_md(project, "# Deep\n\n" + "\n".join(lines) + "\n")
    result = run(project, "import-md", str(md), "--list", "deep", "-v")
    assert result.exit_code == 0, result.output
    assert "Imported 1000 items" in result.output
    assert "skipped: 0 lines" in result.output
