"""Issue 20, keys are promises: a re-import knows an item the curator edited, keeps its key, and says what
the Markdown now says otherwise instead of ignoring it."""

from __future__ import annotations

from pathlib import Path

from conftest import run, write_md
from curabib.project.entries import load

MD = """\
# Reading

## Transformers

- **Attention is all you need**. *Ashish Vaswani et al.* NeurIPS 2017. [[paper](https://papers.nips.cc/paper/7181-attention-is-all-you-need.pdf)] [[code](https://github.com/tensorflow/tensor2tensor)]
- **Language Models are Few-Shot Learners**. *Tom B. Brown et al.* NeurIPS 2020. [[paper](https://arxiv.org/abs/2005.14165)]
- **GPT-4 Technical Report**. 2023. [[paper](https://arxiv.org/abs/2303.08774)]
"""
# entries/demo.yaml as the first import writes it has the three items at lines 10, 24 and 37.
KEYS = ["vaswani2017attention", "brown2020language", "gpt42023technical"]
NOTHING_LEFT = (
    "  merge: 0 differences in the Markdown not taken, 0 entries kept that the Markdown no longer has\n"
)


def _imported(project: Path, markdown: str = MD) -> tuple[Path, Path]:
    md = write_md(project, markdown)
    result = run(project, "import-md", str(md), "--list", "demo")
    assert result.exit_code == 0, result.output
    return md, project / "entries" / "demo.yaml"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _keys(path: Path) -> list[str | None]:
    return [item.key for item in load(path).all_items()]


def test_a_title_whose_case_the_curator_fixed_stays_one_item_with_its_key(project: Path) -> None:
    md, path = _imported(project)
    _edit(path, "title: Attention is all you need\n", "title: Attention Is All You Need\n")
    result = run(project, "import-md", str(md), "--list", "demo")
    assert result.exit_code == 0, result.output
    assert "not in the Markdown" not in result.output
    assert NOTHING_LEFT in result.output
    assert _keys(path) == KEYS
    assert next(load(path).all_items()).title == "Attention Is All You Need"
    assert run(project, "build").exit_code == 0
    bib = (project / "bib" / "demo.bib").read_text(encoding="utf-8")
    assert "{vaswani2017attention,\n" in bib
    assert "vaswani2017attentiona" not in bib


def test_what_the_markdown_now_says_otherwise_is_reported_with_both_places(project: Path) -> None:
    md, path = _imported(project)
    # The curator pinned Brown et al.'s venue: the Markdown's new one is not news to them.
    _edit(
        path,
        "    venue: NeurIPS\n    ids:\n      arxiv:",
        "    venue: NeurIPS\n    pinned: [venue]\n    ids:\n      arxiv:",
    )
    changed = MD.replace("NeurIPS 2020.", "ICML 2021.").replace(
        "GPT-4 Technical Report**", "GPT-4 Technical Report (OpenAI)**"
    )
    write_md(project, changed)
    result = run(project, "import-md", str(md), "--list", "demo")
    assert result.exit_code == 0, result.output
    demo = project / "entries" / "demo.yaml"  # as the user reaches it: under -C, the project's path
    assert result.stderr == (
        f"{demo}:24: warning: the Markdown (list.md:6) now says year 2021; entries/ keeps 2020: "
        "edit entries/ to take it\n"
        f"{demo}:38: warning: the Markdown (list.md:7) now says title 'GPT-4 Technical Report "
        "(OpenAI)'; entries/ keeps 'GPT-4 Technical Report': edit entries/ to take it\n"
    )
    assert (
        "  merge: 2 differences in the Markdown not taken, 0 entries kept that the Markdown no longer has "
        "(warnings above)\n"
    ) in result.output
    items = list(load(path).all_items())
    assert [(i.key, i.title, i.year, i.venue) for i in items] == [
        ("vaswani2017attention", "Attention is all you need", 2017, "NeurIPS"),
        ("brown2020language", "Language Models are Few-Shot Learners", 2020, "NeurIPS"),
        ("gpt42023technical", "GPT-4 Technical Report", 2023, None),
    ]


def test_a_link_changed_to_another_link_of_the_same_work_is_the_same_item(project: Path) -> None:
    md, path = _imported(project)
    # The curator links the PDF rather than the abstract page, and fixes a title's case while at it.
    _edit(path, "url: 'https://arxiv.org/abs/2005.14165'", "url: 'https://arxiv.org/pdf/2005.14165.pdf'")
    _edit(
        path, "title: Language Models are Few-Shot Learners", "title: Language Models Are Few-Shot Learners"
    )
    # The Markdown now links GPT-4's PDF, and the Transformer paper's arXiv page instead of NeurIPS'.
    changed = MD.replace("arxiv.org/abs/2303.08774", "arxiv.org/pdf/2303.08774v2.pdf")
    write_md(project, changed)
    result = run(project, "import-md", str(md), "--list", "demo")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert NOTHING_LEFT in result.output
    assert _keys(path) == KEYS
    links = [item.links[0].url for item in load(path).all_items()]
    assert links[1:] == ["https://arxiv.org/pdf/2005.14165.pdf", "https://arxiv.org/abs/2303.08774"]


def test_the_same_arxiv_id_through_another_site_is_the_same_item(project: Path) -> None:
    # A two-word title gives assign_keys nothing to find it by once the link is not an arXiv one.
    md, path = _imported(
        project, "# Reading\n\n- **Scaling Laws**. 2020. [[paper](https://arxiv.org/abs/2001.08361)]\n"
    )
    _edit(path, "title: Scaling Laws", "title: Scaling laws")
    write_md(
        project,
        "# Reading\n\n- **Scaling Laws**. 2020. [[paper](https://huggingface.co/papers/2001.08361)]\n",
    )
    result = run(project, "import-md", str(md), "--list", "demo")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert _keys(path) == ["scaling2020laws"]
    assert next(load(path).all_items()).title == "Scaling laws"


def test_a_title_changed_to_another_work_adds_a_new_item(project: Path) -> None:
    md, path = _imported(project)
    sparks = (
        "- **Sparks of Artificial General Intelligence**. 2023. [[paper](https://arxiv.org/abs/2303.12712)]\n"
    )
    write_md(project, MD.replace(MD.splitlines(keepends=True)[6], sparks))
    result = run(project, "import-md", str(md), "--list", "demo")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"{project / 'entries' / 'demo.yaml'}:37: warning: 'GPT-4 Technical Report' (gpt42023technical) is "
        "not in the Markdown "
        "(any more); kept in entries/ (delete it there if it should go)\n"
    )
    assert (
        "  merge: 0 differences in the Markdown not taken, 1 entry kept that the Markdown no longer has "
        "(warnings above)\n"
    ) in result.output
    assert _keys(path) == [*KEYS, "sparks2023artificial"]  # kept where it was, after Brown et al.


def test_the_same_title_with_another_arxiv_id_is_another_work(project: Path) -> None:
    first = "# Reading\n\n- **Scaling Laws**. 2020. [[paper](https://arxiv.org/abs/2001.08361)]\n"
    md, path = _imported(project, first)
    _edit(path, "title: Scaling Laws", "title: Scaling laws")
    write_md(project, first.replace("2001.08361", "2010.14701"))
    result = run(project, "import-md", str(md), "--list", "demo")
    assert result.exit_code == 0, result.output
    assert "(scaling2020laws) is not in the Markdown (any more)" in result.stderr
    assert _keys(path) == ["scaling2020lawsa", "scaling2020laws"]
