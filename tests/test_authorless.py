"""Papers whose venue is known before their authors are: typed by what they are in every format
(@inproceedings or @article in BibTeX and biblatex, Conference Paper or Journal Article in CSL and Zotero),
cited by a short `key` rather than their whole title, and reported by `check` where the list can settle
them. Read back by BibTeX (plain, plainnat, abbrvnat, compiled with pdflatex), biber and pandoc."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import consumer, run
from curabib.export import bibtex
from curabib.export.common import ExportOptions
from curabib.model import Person, Work

# Written by hand, so every line number below is known: items start at lines 5, 12, 18, 22, 28 and 35.
ENTRIES = """\
list: mine
sections:
- heading: Papers
  items:
  - key: attention2017need
    kind: paper
    title: Attention Is All You Need
    year: 2017
    venue: NeurIPS
    ids:
      arxiv: '1706.03762'
  - key: scaling2020laws
    kind: paper
    title: Scaling Laws for Neural Language Models
    year: 2020
    ids:
      arxiv: '2001.08361'
  - key: designing2020deep
    kind: paper
    title: 'Designing a Deep Learning-Driven Resource-Efficient Diagnostic System for Metastatic Breast Cancer: Reducing Long Delays of Clinical Diagnosis and Improving Patient Survival in Developing Countries'
    year: 2020
  - key: gpt32020language
    kind: paper
    label: GPT-3
    title: Language Models are Few-Shot Learners
    year: 2020
    venue: NeurIPS
  - key: bigger2023always
    kind: paper
    title: In AI, is bigger always better?
    year: 2023
    venue: Nature
- heading: Again
  items:
  - key: attention2017need
    kind: paper
    title: Attention Is All You Need
    year: 2017
    venue: NeurIPS
    ids:
      arxiv: '1706.03762'
"""
TYPED = {"attention2017need", "gpt32020language", "bigger2023always"}  # a venue, no author


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("authorless")
    (root / "entries").mkdir()
    (root / "entries" / "mine.yaml").write_text(ENTRIES, encoding="utf-8")
    assert run(root, "build").exit_code == 0
    return root


def _entry(bib: str, key: str) -> str:
    match = re.search(rf"^@\w+\{{{key},\n.*?^\}}\n", bib, re.MULTILINE | re.DOTALL)
    assert match is not None, key
    return match.group(0)


def test_a_paper_at_a_known_venue_is_typed_by_it_before_its_authors_are_known(built: Path) -> None:
    bib = (built / "bib" / "mine.bib").read_text(encoding="utf-8")
    assert _entry(bib, "attention2017need") == (
        "@inproceedings{attention2017need,\n"
        "  key = {Attention Is All},\n"
        "  title = {Attention Is All You Need},\n"
        "  booktitle = {Advances in Neural Information Processing Systems},\n"
        "  volume = {30},\n"
        "  year = {2017},\n"
        "  eprinttype = {arxiv},\n"
        "  eprint = {1706.03762},\n"
        "  url = {https://arxiv.org/abs/1706.03762}\n"
        "}\n"
    )
    assert _entry(bib, "bigger2023always") == (
        "@article{bigger2023always,\n"
        "  key = {In AI, is bigger},\n"
        "  title = {In {AI}, is bigger always better?},\n"
        "  journal = {Nature},\n"
        "  year = {2023}\n"
        "}\n"
    )
    # The list's label is the key field when there is one.
    assert _entry(bib, "gpt32020language").startswith("@inproceedings{gpt32020language,\n  key = {GPT-3},\n")


def test_an_arxiv_preprint_without_a_venue_stays_misc_with_its_eprint(built: Path) -> None:
    bib = (built / "bib" / "mine.bib").read_text(encoding="utf-8")
    assert _entry(bib, "scaling2020laws") == (
        "@misc{scaling2020laws,\n"
        "  key = {Scaling Laws for Neural},\n"
        "  title = {Scaling Laws for Neural Language Models},\n"
        "  year = {2020},\n"
        "  eprinttype = {arxiv},\n"
        "  eprint = {2001.08361},\n"
        "  doi = {10.48550/arXiv.2001.08361},\n"
        "  url = {https://arxiv.org/abs/2001.08361}\n"
        "}\n"
    )
    # A long title is never the key: three words of it.
    assert _entry(bib, "designing2020deep").startswith(
        "@misc{designing2020deep,\n  key = {Designing a Deep},\n"
    )


def test_the_biblatex_dialect_types_them_alike(built: Path, tmp_path: Path) -> None:
    shutil.copytree(built / "entries", tmp_path / "entries")
    assert run(tmp_path, "build", "--dialect", "biblatex").exit_code == 0
    bib = (tmp_path / "bib" / "mine.bib").read_text(encoding="utf-8")
    assert [line.split(",")[0] for line in bib.splitlines() if line.startswith("@")] == [
        "@inproceedings{attention2017need",
        "@misc{scaling2020laws",
        "@misc{designing2020deep",
        "@inproceedings{gpt32020language",
        "@article{bigger2023always",
    ]


def test_csl_and_zotero_rdf_type_them_alike(built: Path) -> None:
    items = {i["id"]: i for i in json.loads((built / "bib" / "mine.json").read_text(encoding="utf-8"))}
    assert (items["attention2017need"]["type"], items["attention2017need"]["container-title"]) == (
        "paper-conference",
        "Advances in Neural Information Processing Systems",
    )
    assert (items["bigger2023always"]["type"], items["bigger2023always"]["container-title"]) == (
        "article-journal",
        "Nature",
    )
    rdf = (built / "bib" / "mine.rdf").read_text(encoding="utf-8")
    described = {m[1]: m[0] for m in re.finditer(r'rdf:about="#item_([^"]+)">.*?</(?:rdf:Description|bib:\w+)>\n', rdf, re.DOTALL)}  # fmt: skip
    assert "<z:itemType>conferencePaper</z:itemType>" in described["attention2017need"]
    assert (
        "<dc:title>Advances in Neural Information Processing Systems</dc:title>"
        in described["attention2017need"]
    )
    assert "<z:itemType>journalArticle</z:itemType>" in described["bigger2023always"]
    assert "<z:itemType>preprint</z:itemType>" in described["scaling2020laws"]


def test_check_reports_missing_authors_at_the_item_with_the_fix(built: Path) -> None:
    output = run(built, "check").output.replace(f"{built}/", "")
    found = [line for line in output.splitlines() if ": missing-authors: " in line]
    assert found == [
        "entries/mine.yaml:5: warning: missing-authors: 'Attention Is All You Need' is exported as "
        "@inproceedings (Advances in Neural Information Processing Systems) without any author (also listed "
        "at entries/mine.yaml:35): BibTeX styles warn 'empty author' and cite it as 'Attention Is All'; "
        "`curabib refresh` then `curabib rekey` fill the authors, or write them under `authors:` in entries/",
        "entries/mine.yaml:22: warning: missing-authors: 'Language Models are Few-Shot Learners' is exported "
        "as @inproceedings (Advances in Neural Information Processing Systems) without any author: BibTeX "
        "styles warn 'empty author' and cite it as 'GPT-3'; `curabib refresh` then `curabib rekey` fill the "
        "authors, or write them under `authors:` in entries/",
        "entries/mine.yaml:28: warning: missing-authors: 'In AI, is bigger always better?' is exported as "
        "@article (Nature) without any author: BibTeX styles warn 'empty author' and cite it as "
        "'In AI, is bigger'; `curabib refresh` then `curabib rekey` fill the authors, or write them under "
        "`authors:` in entries/",
    ]


def test_written_authors_settle_it(built: Path, tmp_path: Path) -> None:
    shutil.copytree(built / "entries", tmp_path / "entries")
    path = tmp_path / "entries" / "mine.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("    label: GPT-3\n", "    label: GPT-3\n    authors: [Tom Brown]\n"), "utf-8"
    )
    output = run(tmp_path, "check").output.replace(f"{tmp_path}/", "")
    found = [line.split(": warning")[0] for line in output.splitlines() if ": missing-authors: " in line]
    assert found == ["entries/mine.yaml:5", "entries/mine.yaml:29"]  # GPT-3 (line 22) is settled
    assert run(tmp_path, "build").exit_code == 0
    entry = _entry((tmp_path / "bib" / "mine.bib").read_text(encoding="utf-8"), "gpt32020language")
    assert entry.startswith("@inproceedings{gpt32020language,\n  author = {Brown, Tom},\n  title = ")
    assert "key = " not in entry  # styles label it by its author


# -- the short `key` ---------------------------------------------------------------------------------------
def _work(title: str | None, label: str | None = None, **fields: Any) -> Work:
    base: dict[str, Any] = {"key": "k", "kind": "paper", "title": title, "label": label, "authors": (),
                            "et_al": False, "year": 2023, "venue": None, "url": None, "ids": ()}  # fmt: skip
    return Work(**{**base, **fields})


LABELS = [
    ("the list's label", _work("Language Models are Few-Shot Learners", "GPT-3"), "GPT-3"),
    ("a short part before the colon", _work("LoRA: Low-Rank Adaptation of Large Language Models"), "LoRA"),
    ("the first three words", _work("Attention Is All You Need"), "Attention Is All"),
    ("not ending on a function word", _work("Language Models are Few-Shot Learners"), "Language Models are Few-Shot"),
    ("a leading article not counted", _work("A Survey of Large Language Models"), "A Survey of Large"),
    (
        "a long title whose part before the colon is long too",
        _work("Designing a Deep Learning-Driven Resource-Efficient Diagnostic System for Metastatic Breast "
              "Cancer: Reducing Long Delays of Clinical Diagnosis and Improving Patient Survival in Developing "
              "Countries"),
        "Designing a Deep",
    ),
    (
        "cut at a space within 40 columns, again not ending on a function word",
        _work("Retrieval-augmented generation for knowledge-intensive NLP tasks"),
        "Retrieval-augmented generation",
    ),
    ("a Chinese title before its colon", _work("华驼(HuaTuo): 基于中文医学知识的LLaMA微调模型"), "华驼(HuaTuo)"),
    (
        "an unspaced Chinese label, cut at 40 columns (a Chinese character takes two)",
        _work(None, "ChatGPT在单个NLP数据集任务上比SOTA有多大提升？"),
        "ChatGPT在单个NLP数据集任务上比SOTA有多大",
    ),
    (
        "a label that is only an arXiv id gives way to the title",
        _work("A Survey of Large Language Models", "arXiv:2303.18223"),
        "A Survey of Large",
    ),
    ("an identifier's colon is no separator", _work("arXiv:2204.05832"), "arXiv:2204.05832"),
    ("neither title nor label: the citation key", _work(None), "k"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "work", "expected"), LABELS, ids=[c[0] for c in LABELS])
def test_the_key_field_is_a_short_label(case: str, work: Work, expected: str) -> None:
    assert bibtex.sort_label(work) == expected
    assert f"  key = {{{expected}}},\n" in bibtex.render(work, ExportOptions())


def test_the_key_field_is_escaped_and_only_written_without_authors() -> None:
    work = _work("50% of C# programs_are {weird}")
    assert "  key = {50\\% of C\\#},\n" in bibtex.render(work, ExportOptions())
    authored = _work("Attention Is All You Need", authors=(Person("Vaswani", "Ashish"),))
    assert "key = " not in bibtex.render(authored, ExportOptions())


# -- the real consumers ----------------------------------------------------------------------------------


CITING = r"""\documentclass{article}
%s
\usepackage{url}
\hyphenpenalty=10000 \exhyphenpenalty=10000
\begin{document}
\raggedright
CITE %s{attention2017need}.

CITE %s{gpt32020language}.

CITE %s{designing2020deep}.

CITE %s{bigger2023always}.

CITE %s{scaling2020laws}.

\bibliographystyle{%s}
\bibliography{refs}
\end{document}
"""


def _typeset(built: Path, workdir: Path, style: str) -> tuple[str, str]:
    """pdflatex (writing DVI, which dvi2tty reads as text), BibTeX, pdflatex twice: the .blg and the text."""
    natbib = style != "plain"
    cite = r"\citet" if natbib else r"\cite"
    document = CITING % (r"\usepackage{natbib}" if natbib else "", *[cite] * 5, style)
    shutil.copyfile(built / "bib" / "mine.bib", workdir / "refs.bib")
    (workdir / "doc.tex").write_text(document, encoding="utf-8")
    latex = [
        consumer("pdflatex"),
        "-output-format=dvi",
        "-interaction=nonstopmode",
        "-halt-on-error",
        "doc.tex",
    ]
    for command in (latex, [consumer("bibtex"), "doc"], latex, latex):
        done = subprocess.run(command, cwd=workdir, capture_output=True, text=True, check=False, timeout=300)
        assert done.returncode == 0, f"{' '.join(command)}: {done.stdout[-3000:]}"
    log = (workdir / "doc.log").read_text(encoding="utf-8", errors="replace")
    assert not [line for line in log.splitlines() if re.search(r"Warning|^!", line)], log[-3000:]
    text = subprocess.run(
        [consumer("dvi2tty"), "-w132", "doc.dvi"], cwd=workdir, capture_output=True, text=True, check=True
    ).stdout
    return (workdir / "doc.blg").read_text(encoding="utf-8", errors="replace"), " ".join(text.split())


@pytest.mark.parametrize("style", ["plain", "plainnat", "abbrvnat"])
def test_bibtex_styles_accept_them_and_warn_only_about_the_empty_author(
    built: Path, tmp_path: Path, style: str
) -> None:
    blg, text = _typeset(built, tmp_path, style)
    warnings = {line for line in blg.splitlines() if line.startswith("Warning--") or "error" in line.lower()}
    assert warnings == {f"Warning--empty author in {key}" for key in TYPED}
    assert "Attention is all you need" in text or "Attention Is All You Need" in text  # the entry is there
    if style != "plain":
        # natbib's \citet prints the key where the authors would be (plainnat leaves the year out of a
        # label made from `key`), and the reference list names the work once by it, once by its title.
        assert (
            "CITE Attention Is All. CITE GPT-3. CITE Designing a Deep. CITE In AI, is bigger. "
            "CITE Scaling Laws for Neural."
        ) in text
        assert text.lower().count("attention is all you need") == 1
        assert text.lower().count("designing a deep learning-driven") == 1
        assert "Attention Is All. Attention is all you need. In Advances in Neural Information" in text


def test_biber_and_pandoc_read_them(built: Path, tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    shutil.copyfile(built / "bib" / "mine.bib", bib)
    done = subprocess.run(
        [consumer("biber"), "--tool", "--validate-datamodel", "--nolog", f"--output-file={bib}.out", str(bib)],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    problems = [line for line in (done.stdout + done.stderr).splitlines() if re.match(r"^(WARN|ERROR)", line)]
    assert sorted(problems) == sorted(
        f"WARN - Datamodel: Entry '{key}' ({bib}): Missing mandatory field 'author'" for key in TYPED
    )
    for reader in ("bibtex", "biblatex"):
        done = subprocess.run(
            [consumer("pandoc"), "-f", reader, "-t", "csljson", str(bib)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0 and done.stderr == "", done.stderr
        items = {i["id"]: i for i in json.loads(done.stdout)}
        assert items["attention2017need"]["type"] == "paper-conference"
        # pandoc's BibTeX reader puts container titles in sentence case: compare the words.
        assert items["attention2017need"]["container-title"].lower() == (
            "advances in neural information processing systems"
        )
        assert (items["bigger2023always"]["type"], items["bigger2023always"]["container-title"]) == (
            "article-journal",
            "Nature",
        )
