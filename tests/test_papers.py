"""From list to paper: `find`, `show`, `export` (the bibliography of exactly what a paper cites) and keys that
keep resolving after merges and `rekey --force`, checked with the real consumers: pdflatex + BibTeX, biber,
pandoc. Outside CI a consumer test skips only when its tool is missing; with CI=true it fails."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import consumer, run

# The newcomer's case from the issue: one list names the Transformer paper twice, once under a key derived
# from its title (provisional) and once under an author-year key; BERT, with its author, as a provisional
# key; and a third work for `find`.
LIST = """\
list: papers
source: papers.md
sections:
- heading: Attention
  items:
  - key: attention2017need
    key_provisional: true
    kind: paper
    title: Attention is all you need
    year: 2017
    ids:
      arxiv: '1706.03762'
    source_line: 3
  - key: vaswani2017attention
    kind: paper
    title: Attention Is All You Need
    authors: [Ashish Vaswani]
    et_al: true
    year: 2017
    venue: NeurIPS
    ids:
      arxiv: '1706.03762'
    source_line: 4
- heading: Pre-training
  items:
  - key: bert2018pretraining
    key_provisional: true
    kind: paper
    title: 'BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding'
    authors: [Jacob Devlin]
    et_al: true
    year: 2019
    venue: NAACL
    ids:
      arxiv: '1810.04805'
    source_line: 8
  - key: raffel2020exploring
    kind: paper
    title: Exploring the Limits of Transfer Learning with a Unified Text-to-Text Transformer
    authors: [Colin Raffel]
    et_al: true
    year: 2020
    venue: JMLR
    ids:
      arxiv: '1910.10683'
    source_line: 9
"""


@pytest.fixture
def papers(project: Path) -> Path:
    (project / "entries" / "papers.yaml").write_text(LIST, encoding="utf-8")
    assert run(project, "build").exit_code == 0
    return project


def _ok(project: Path, *args: str) -> str:
    result = run(project, *args)
    assert result.exit_code == 0, result.output
    return result.output


# -- keys are promises ----------------------------------------------------------------------------------
def test_a_merge_keeps_the_cited_key_and_the_merged_one_resolves_in_all_bib(papers: Path) -> None:
    bib = (papers / "bib" / "all.bib").read_text(encoding="utf-8")
    assert "@inproceedings{vaswani2017attention," in bib
    # The merged key resolves too: the same entry under it (BibTeX has no aliases).
    main = bib.split("@inproceedings{vaswani2017attention,")[1].split("\n}\n")[0]
    assert f"@inproceedings{{attention2017need,{main}\n}}\n" in bib


def test_rekey_leaves_merged_and_exported_keys_alone(papers: Path) -> None:
    """The issue: rekey printed `attention2017need -> vaswani2017attentiona` and the next build exported
    `vaswani2017attentiona`, so the paper's `vaswani2017attention` broke."""
    output = _ok(papers, "rekey")
    assert "->" not in output
    assert "Renamed 0 provisional keys" in output
    assert "kept 1 key bib/ already has" in output  # bert2018pretraining: exported, has an author
    _ok(papers, "build")
    bib = (papers / "bib" / "all.bib").read_text(encoding="utf-8")
    assert "vaswani2017attentiona" not in bib
    assert "@inproceedings{vaswani2017attention," in bib and "{bert2018pretraining," in bib


def test_rekey_force_keeps_the_old_key_as_an_alias_everywhere(papers: Path) -> None:
    output = _ok(papers, "rekey", "--force")
    assert "  bert2018pretraining -> devlin2019bert\n" in output
    entry = (papers / "entries" / "papers.yaml").read_text(encoding="utf-8")
    assert "  - key: devlin2019bert\n    aliases:\n    - bert2018pretraining\n" in entry
    _ok(papers, "build")
    bib = (papers / "bib" / "all.bib").read_text(encoding="utf-8")
    assert "@inproceedings{devlin2019bert," in bib and "@inproceedings{bert2018pretraining," in bib
    aliases = json.loads((papers / "bib" / ".curabib" / "aliases.json").read_text(encoding="utf-8"))
    assert aliases["bert2018pretraining"] == "devlin2019bert"
    _ok(papers, "build", "--dialect", "biblatex")
    biblatex = (papers / "bib" / "all.bib").read_text(encoding="utf-8")
    assert "ids = {bert2018pretraining}" in biblatex and "{bert2018pretraining," not in biblatex


# -- find and show ----------------------------------------------------------------------------------------
def test_find_ranks_by_title_words_authors_year_and_venue(papers: Path) -> None:
    output = _ok(papers, "find", "attention", "2017")
    assert output.startswith(
        "vaswani2017attention  Vaswani et al. (2017). Attention is all you need. NeurIPS.\n"
        "    papers / Attention\n"
    )
    assert _ok(papers, "find", "devlin", "--format", "key") == "bert2018pretraining\n"
    assert (
        _ok(papers, "find", "transformer", "--format", "key") == "raffel2020exploring\nbert2018pretraining\n"
    )
    assert _ok(papers, "find", "jmlr", "--format", "key") == "raffel2020exploring\n"
    # An alias or an identifier finds its work.
    assert _ok(papers, "find", "attention2017need", "--format", "key") == "vaswani2017attention\n"
    assert _ok(papers, "find", "arXiv:1910.10683", "--format", "key") == "raffel2020exploring\n"
    assert run(papers, "find", "nothing", "matches", "this").exit_code == 1


def test_find_prints_entries_for_pipes(papers: Path) -> None:
    assert _ok(papers, "find", "raffel", "--format", "bibtex").startswith("@article{raffel2020exploring,\n")
    (item,) = json.loads(_ok(papers, "find", "raffel", "--format", "csl-json"))
    assert (item["id"], item["container-title"]) == (
        "raffel2020exploring",
        "Journal of Machine Learning Research",
    )


def test_show_gives_the_entry_its_aliases_and_every_item_with_its_place(papers: Path) -> None:
    for reference in (
        "vaswani2017attention",
        "attention2017need",
        "arXiv:1706.03762",
        "https://arxiv.org/abs/1706.03762",
    ):
        output = _ok(papers, "show", reference)
        assert output.startswith("@inproceedings{vaswani2017attention,\n")
        assert "aliases: attention2017need\n" in output
        lines = output.replace(f"{papers}/", "").splitlines()
        assert (
            "  entries/papers.yaml:6 (papers.md:3)  Attention  [attention2017need] 'Attention is all you need'"
            in lines
        )
        assert (
            "  entries/papers.yaml:14 (papers.md:4)  Attention  [vaswani2017attention] 'Attention Is All You Need'"
            in lines
        )
    missing = run(papers, "show", "vaswani2017atention")
    assert missing.exit_code == 1 and "did you mean vaswani2017attention" in missing.output


# -- export: the bibliography of one paper ---------------------------------------------------------------
def test_export_writes_each_cited_key_and_lists_unknown_ones_with_their_nearest(papers: Path) -> None:
    result = run(papers, "export", "--keys", "raffel2020exploring,attention2017need vaswani2017atention")
    assert result.exit_code == 1
    assert "unknown key vaswani2017atention (nearest: vaswani2017attention" in result.output
    bib = result.output.split("unknown key")[0]
    assert re.findall(r"^@\w+\{([^,]+),", bib, re.M) == ["attention2017need", "raffel2020exploring"]


def test_export_reads_an_aux_file_with_its_inputs_and_nocite_star(papers: Path, tmp_path: Path) -> None:
    (tmp_path / "main.aux").write_text(
        "\\relax\n\\citation{vaswani2017attention,bert2018pretraining}\n\\@input{chap1.aux}\n",
        encoding="utf-8",
    )
    (tmp_path / "chap1.aux").write_text("\\relax\n\\citation{raffel2020exploring}\n", encoding="utf-8")
    out = tmp_path / "refs.bib"
    _ok(papers, "export", "--aux", str(tmp_path / "main.aux"), "-o", str(out))
    keys = re.findall(r"^@\w+\{([^,]+),", out.read_text(encoding="utf-8"), re.M)
    assert keys == ["bert2018pretraining", "raffel2020exploring", "vaswani2017attention"]
    (tmp_path / "all.aux").write_text("\\citation{*}\n", encoding="utf-8")
    every = _ok(papers, "export", "--aux", str(tmp_path / "all.aux"))
    assert re.findall(r"^@\w+\{([^,]+),", every, re.M) == [
        "bert2018pretraining",
        "raffel2020exploring",
        "vaswani2017attention",
    ]


def test_export_is_deterministic_in_every_format(papers: Path) -> None:
    for fmt in ("bibtex", "biblatex", "csl-json"):
        first = _ok(papers, "export", "--keys", "raffel2020exploring attention2017need", "--format", fmt)
        assert first == _ok(
            papers, "export", "--keys", "attention2017need raffel2020exploring", "--format", fmt
        )
    items = json.loads(
        _ok(papers, "export", "--keys", "attention2017need", "--format", "csl-json").split("Exported")[0]
    )
    assert [item["id"] for item in items] == ["attention2017need"]


# -- the real consumers ----------------------------------------------------------------------------------
PAPER_TEX = r"""\documentclass{article}
\usepackage{natbib}
\begin{document}
Transformers \citep{vaswani2017attention}, the same paper under its merged key \citep{attention2017need},
and BERT under the key it had before \texttt{rekey --force} \citep{bert2018pretraining}.
\bibliographystyle{plainnat}
\bibliography{refs}
\end{document}
"""
PAPER_BIBLATEX = r"""\documentclass{article}
\usepackage[backend=biber]{biblatex}
\addbibresource{refs.bib}
\begin{document}
\cite{vaswani2017attention}, \cite{attention2017need}, \cite{bert2018pretraining}.
\printbibliography
\end{document}
"""
PAPER_MD = """\
# A paper

Transformers [@vaswani2017attention], the merged key [@attention2017need; see @bert2018pretraining].
Mail me at someone@example.org; `@notakey` in code.
"""


def _rekeyed(papers: Path) -> Path:
    """The project after `rekey --force` and a build: bert2018pretraining is now an old key."""
    _ok(papers, "rekey", "--force")
    _ok(papers, "build")
    return papers


def _pdflatex(tmp_path: Path) -> list[str]:
    return [consumer("pdflatex"), "-interaction=nonstopmode", "-halt-on-error", "paper.tex"]


def _first_pass(tmp_path: Path, tex: str) -> None:
    """LaTeX's first run: it writes the .aux (and the .bcf) the paper's citations are read from."""
    (tmp_path / "paper.tex").write_text(tex, encoding="utf-8")
    done = subprocess.run(_pdflatex(tmp_path), cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-2000:]


def _compile(tmp_path: Path, backend: list[str]) -> str:
    """The bibliography program, then LaTeX twice; the log must have no undefined citation."""
    pdflatex = _pdflatex(tmp_path)
    for command in (backend, pdflatex, pdflatex):
        done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False, timeout=300)
        assert done.returncode == 0, f"{command}: {done.stdout[-2000:]}"
    log = (tmp_path / "paper.log").read_text(encoding="utf-8", errors="replace")
    assert "undefined" not in log.lower(), [line for line in log.splitlines() if "undefined" in line.lower()]
    return (tmp_path / "paper.blg").read_text(encoding="utf-8", errors="replace")


def test_a_latex_paper_compiles_with_bibtex_from_the_exported_aux(papers: Path, tmp_path: Path) -> None:
    _rekeyed(papers)
    _first_pass(tmp_path, PAPER_TEX)
    _ok(papers, "export", "--aux", str(tmp_path / "paper.aux"), "-o", str(tmp_path / "refs.bib"))
    blg = _compile(tmp_path, [consumer("bibtex"), "paper"])
    assert "I didn't find a database entry" not in blg
    bbl = (tmp_path / "paper.bbl").read_text(encoding="utf-8")
    assert re.findall(r"\\bibitem\[[^\]]*\]\{([^}]+)\}", bbl) == [
        "bert2018pretraining",
        "attention2017need",
        "vaswani2017attention",
    ]


def test_a_latex_paper_compiles_with_bibtex_against_all_bib(papers: Path, tmp_path: Path) -> None:
    """A paper written before the merge and the rekey keeps compiling with bib/all.bib as it is."""
    _rekeyed(papers)
    _first_pass(tmp_path, PAPER_TEX)
    shutil.copyfile(papers / "bib" / "all.bib", tmp_path / "refs.bib")
    blg = _compile(tmp_path, [consumer("bibtex"), "paper"])
    assert "I didn't find a database entry" not in blg


def test_a_biblatex_paper_compiles_with_biber_from_the_exported_bcf(papers: Path, tmp_path: Path) -> None:
    _rekeyed(papers)
    (tmp_path / "refs.bib").write_text("", encoding="utf-8")
    _first_pass(tmp_path, PAPER_BIBLATEX)
    _ok(
        papers,
        "export",
        "--bcf",
        str(tmp_path / "paper.bcf"),
        "--format",
        "biblatex",
        "-o",
        str(tmp_path / "refs.bib"),
    )
    blg = _compile(tmp_path, [consumer("biber"), "paper"])
    assert not re.findall(r"\] (WARN|ERROR) - ", blg), blg


def test_pandoc_cites_every_key_from_the_exported_markdown(papers: Path, tmp_path: Path) -> None:
    _rekeyed(papers)
    (tmp_path / "paper.md").write_text(PAPER_MD, encoding="utf-8")
    for fmt, name in (("csl-json", "refs.json"), ("bibtex", "refs.bib")):
        _ok(
            papers,
            "export",
            "--markdown",
            str(tmp_path / "paper.md"),
            "--format",
            fmt,
            "-o",
            str(tmp_path / name),
        )
        pandoc = [consumer("pandoc"), "paper.md", "--citeproc", "--bibliography", name, "-t", "plain"]
        done = subprocess.run(pandoc, cwd=tmp_path, capture_output=True, text=True, check=False)
        assert done.returncode == 0 and "not found" not in done.stderr, done.stderr
        assert done.stdout.count("Attention Is All You Need") == 2 and "BERT" in done.stdout


LATEXMKRC = """\
$bibtex_use = 2;
$bibtex = "{curabib} -C '{project}' export --aux %B.aux -o refs.bib && bibtex %O %B";
"""


def test_latexmk_runs_export_before_every_bibtex(papers: Path, tmp_path: Path) -> None:
    """The README's latexmk hook: refs.bib is rewritten from the lists before each BibTeX run."""
    _rekeyed(papers)
    curabib = f"{sys.executable} -m curabib"
    (tmp_path / ".latexmkrc").write_text(LATEXMKRC.format(curabib=curabib, project=papers), encoding="utf-8")
    (tmp_path / "paper.tex").write_text(PAPER_TEX, encoding="utf-8")
    latexmk = [consumer("latexmk"), "-pdf", "-interaction=nonstopmode", "paper.tex"]
    done = subprocess.run(latexmk, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:]
    bbl = (tmp_path / "paper.bbl").read_text(encoding="utf-8")
    assert re.findall(r"\\bibitem\[[^\]]*\]\{([^}]+)\}", bbl) == [
        "bert2018pretraining",
        "attention2017need",
        "vaswani2017attention",
    ]


def test_biber_resolves_old_keys_through_ids_in_a_biblatex_build(papers: Path, tmp_path: Path) -> None:
    """With `build --dialect biblatex`, bib/all.bib holds each work once; biber reads its `ids` aliases."""
    _rekeyed(papers)
    _ok(papers, "build", "--dialect", "biblatex")
    shutil.copyfile(papers / "bib" / "all.bib", tmp_path / "refs.bib")
    _first_pass(tmp_path, PAPER_BIBLATEX)
    blg = _compile(tmp_path, [consumer("biber"), "paper"])
    assert "I didn't find a database entry" not in blg
    assert not re.findall(r"\] ERROR - ", blg), blg
