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


# -- issue 20: `rekey` and `pin-keys` keep every comment and every line they have no reason to touch ------
# The layout curabib writes (a link wrapped at 110 columns as a new file has it), with what a curator adds:
# comments on a field's line and on lines of their own, authors, and a link written out by hand whose text
# runs past 110 columns on one line.
CURATED = """\
# curabib curated list. Edit freely: your titles, names, notes and keys win; years and venues are
# weighed as evidence unless pinned.
# Format: see README.md, section 'The entry format'.
list: mine
title: Reading
sections:
- heading: Models
  items:
  - key: attention2017need       # cited in chapter 2
    key_provisional: true        # from the title: the list named no author
    # authors added by hand, checked against the PDF
    kind: paper
    title: Attention Is All You Need
    authors:
    - Ashish Vaswani
    year: 2017
    ids:
      arxiv: '1706.03762'
    links:
    - {kind: paper, url: 'https://arxiv.org/abs/1706.03762'}
    source_line: 5
  - key: scao2022bloom           # pinned
    kind: paper
    title: 'BLOOM: A 176B-Parameter Open-Access Multilingual Language Model'
    authors:
    - Teven Le Scao
    year: 2022
    ids:
      arxiv: '2211.05100'
      github: bigscience-workshop/bloom
    links:
    - {kind: paper, url: 'https://arxiv.org/abs/2211.05100'}
    - {kind: code, url: 'https://github.com/bigscience-workshop/bloom', text: 'The BigScience training code, the
        data cards, the evaluation harness and every checkpoint of the model'}
    - kind: blog
      url: 'https://bigscience.huggingface.co/blog/bloom'
      text: The announcement, with the model card, the training logbook, the carbon footprint and how to run it at home
    source_line: 6
"""
HAND_ADDED = """\
  # added by hand, no key yet
  - title: Language Models are Few-Shot Learners
    authors: [Tom B. Brown]   # first author only
    year: 2020
"""


def _unrelated(text: str, touched: set[str]) -> list[str]:
    return [line for line in text.splitlines(keepends=True) if line not in touched]


def test_rekey_keeps_every_comment_and_leaves_every_other_line_as_it_was(project: Path) -> None:
    path = project / "entries" / "mine.yaml"
    path.write_text(CURATED, encoding="utf-8")
    result = run(project, "rekey")
    assert result.exit_code == 0, result.output
    assert "attention2017need -> vaswani2017attention" in result.output
    text = path.read_text(encoding="utf-8")
    # The key's comment stays on its line; the comment of the removed `key_provisional` goes to `aliases`,
    # which takes its place; the whole-line comment below it stays where it was.
    removed = (
        "  - key: attention2017need       # cited in chapter 2\n"
        "    key_provisional: true        # from the title: the list named no author\n"
    )
    added = (
        "  - key: vaswani2017attention       # cited in chapter 2\n"
        "    aliases:        # from the title: the list named no author\n"
        "    - attention2017need\n"
    )
    assert text == CURATED.replace(removed, added)
    assert _unrelated(text, set(added.splitlines(keepends=True))) == _unrelated(
        CURATED, set(removed.splitlines(keepends=True))
    )
    assert not [line for line in text.splitlines() if line != line.rstrip()]  # no trailing space


def test_pin_keys_keeps_every_comment_and_leaves_long_lines_unwrapped(project: Path) -> None:
    path = project / "entries" / "mine.yaml"
    path.write_text(CURATED + HAND_ADDED, encoding="utf-8")
    result = run(project, "pin-keys")
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    removed = "  - title: Language Models are Few-Shot Learners\n"
    added = "  - key: brown2020language\n    title: Language Models are Few-Shot Learners\n"
    assert text == CURATED + HAND_ADDED.replace(removed, added)
    assert _unrelated(text, set(added.splitlines(keepends=True))) == _unrelated(
        CURATED + HAND_ADDED, {removed}
    )
    assert not [line for line in text.splitlines() if line != line.rstrip()]
