"""Every file `build` writes, read back by the tools people use: bibtexparser, pybtex, the CSL-JSON schema,
citeproc-py, and (in CI, where .ci/run installs it) pandoc."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from pybtex.database import parse_string as pybtex_parse

from conftest import FIXTURES, Built, run, write_md

TRICKY = """\
# Tricky
## Specials & Unicode
- **50% of C# programs_are {weird} ~ $5 ^ 2 \\ back**, 2021. [Paper](https://arxiv.org/abs/2101.00001)
- **"Émile Zola and Ǆ: naïve café au lait @home"**. *Laurens van der Maaten et al.* Arxiv 2008. [Paper](https://arxiv.org/abs/0801.0001v3)
- **华驼(HuaTuo): 基于中文医学知识的LLaMA微调模型**, 2023. [Repo](https://github.com/SCIR-HI/Huatuo-Llama-Med-Chinese)
- Vicuna: An Open-Source Chatbot Impressing GPT-4 with 90%* ChatGPT Quality
  - [Blog](https://lmsys.org/blog/2023-03-30-vicuna/)
- **Findings paper**, EMNLP findings 2021 [Paper](https://aclanthology.org/2021.findings-emnlp.354/)
- [A dataset](https://huggingface.co/datasets/org/data)
- [A model](https://huggingface.co/org/model)
"""


@pytest.fixture(scope="module")
def tricky(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tricky")
    (root / "entries").mkdir()
    assert run(root, "import-md", str(write_md(root, TRICKY)), "--list", "tricky").exit_code == 0
    assert run(root, "build").exit_code == 0
    return root


def _outputs(root: Path, suffix: str) -> Iterator[Path]:
    """The files a user sees: curabib's own (index, aliases, provenance) sit in a dot-folder."""
    bib = root / "bib"
    yield from (p for p in sorted(bib.rglob(f"*{suffix}")) if not p.relative_to(bib).parts[0].startswith("."))


def _roots(seeds_built: Built, tricky: Path) -> list[Path]:
    return [seeds_built.root, tricky]


def test_bibtexparser_reads_every_bib_without_failures(seeds_built: Built, tricky: Path) -> None:
    for root in _roots(seeds_built, tricky):
        for path in _outputs(root, ".bib"):
            library = bibtexparser.parse_file(str(path))
            assert library.failed_blocks == [], path
            assert all(entry.fields_dict.get("title") for entry in library.entries), path


def test_every_bib_is_laid_out_as_bibtexparser_writes_it(seeds_built: Built, tricky: Path) -> None:
    # We format entries ourselves (bibtexparser's writer was a third of rendering at 100k works): parsing
    # a file and writing it back with bibtexparser, in our layout, must give the very same bytes.
    layout = bibtexparser.BibtexFormat()
    layout.indent, layout.block_separator, layout.value_column = "  ", "\n", 0
    for root in _roots(seeds_built, tricky):
        for path in _outputs(root, ".bib"):
            text = path.read_text(encoding="utf-8")
            written = bibtexparser.write_string(
                bibtexparser.parse_string(text, parse_stack=[]), unparse_stack=[], bibtex_format=layout
            )
            assert written == text, path


def test_pybtex_reads_every_bib(seeds_built: Built, tricky: Path) -> None:
    for root in _roots(seeds_built, tricky):
        for path in _outputs(root, ".bib"):
            data = pybtex_parse(path.read_text(encoding="utf-8"), "bibtex")
            assert len(data.entries) == path.read_text(encoding="utf-8").count("\n@") + 1, path


def test_titles_read_back_as_written(tricky: Path) -> None:
    library = bibtexparser.parse_file(
        str(tricky / "bib" / "tricky.bib"),
        append_middleware=[bibtexparser.middlewares.LatexDecodingMiddleware()],
    )
    # pylatexenc reads \textasciicircum as U+02C6, the same glyph as "^" (every other reader gives "^").
    titles = {e.fields_dict["title"].value.replace("\u02c6", "^") for e in library.entries}
    assert "50% of C# programs_are {weird} ~ $5 ^ 2 \\ back" in titles
    assert "Émile Zola and Ǆ: naïve café au lait @home" in titles
    assert "华驼(HuaTuo): 基于中文医学知识的LLaMA微调模型" in titles


def test_arxiv_preprint_in_both_formats(tricky: Path) -> None:
    bib = (tricky / "bib" / "tricky.bib").read_text(encoding="utf-8")
    assert "eprinttype = {arxiv},\n  eprint = {0801.0001}," in bib
    assert "archiveprefix" not in bib.lower() and "primaryclass" not in bib.lower()
    assert "author = {van der Maaten, Laurens and others}" in bib
    items = {i["title"]: i for i in json.loads((tricky / "bib" / "tricky.json").read_text(encoding="utf-8"))}
    preprint = items["Émile Zola and Ǆ: naïve café au lait @home"]
    assert preprint["type"] == "article"
    assert preprint["publisher"] == "arXiv"
    assert preprint["number"] == "arXiv:0801.0001"
    assert preprint["DOI"] == "10.48550/arXiv.0801.0001"
    assert preprint["URL"] == "https://arxiv.org/abs/0801.0001"
    assert preprint["author"] == [{"family": "van der Maaten", "given": "Laurens"}]
    assert preprint["id"] == preprint["citation-key"] == "maaten2008emile"


def test_non_papers_keep_their_kind(tricky: Path) -> None:
    items = {i["title"]: i for i in json.loads((tricky / "bib" / "tricky.json").read_text(encoding="utf-8"))}
    repo = items["华驼(HuaTuo): 基于中文医学知识的LLaMA微调模型"]
    assert (repo["type"], repo["genre"], repo["container-title"]) == ("webpage", "Computer program", "GitHub")
    assert (
        items["Vicuna: An Open-Source Chatbot Impressing GPT-4 with 90%* ChatGPT Quality"]["type"]
        == "post-weblog"
    )
    assert items["A dataset"]["type"] == "dataset"
    assert not any(i["type"] == "software" for i in items.values())  # Zotero refuses the whole file
    bib = (tricky / "bib" / "tricky.bib").read_text(encoding="utf-8")
    assert "@software" not in bib and "@online" not in bib
    assert "howpublished = {GitHub}" in bib


def test_biblatex_dialect_uses_biblatex_types(tricky: Path, tmp_path: Path) -> None:
    shutil.copytree(tricky / "entries", tmp_path / "entries")
    assert run(tmp_path, "build", "--dialect", "biblatex").exit_code == 0
    bib = (tmp_path / "bib" / "tricky.bib").read_text(encoding="utf-8")
    assert [line.split("{")[0] for line in bib.splitlines() if line.startswith("@")] == [
        # two preprints, the repository, the blog post, the EMNLP Findings paper (no author known, its venue
        # is: typed by it), the dataset, the model
        *("@misc", "@misc", "@software", "@online", "@inproceedings", "@dataset", "@online")
    ]


def test_a_paper_without_authors_is_typed_by_its_venue_and_keyed_short(tricky: Path) -> None:
    bib = (tricky / "bib" / "tricky.bib").read_text(encoding="utf-8")
    assert (
        "@inproceedings{findings2021paper,\n"
        "  key = {Findings paper},\n"
        "  title = {Findings paper},\n"
        "  booktitle = {Findings of the Association for Computational Linguistics: EMNLP},\n"
        "  year = {2021},\n"
        "  url = {https://aclanthology.org/2021.findings-emnlp.354/}\n"
        "}\n"
    ) in bib
    # A long title without authors: BibTeX styles cite it by `key`, three words, escaped like any field.
    assert "@misc{502021c,\n  key = {50\\% of C\\#},\n" in bib
    items = {i["id"]: i for i in json.loads((tricky / "bib" / "tricky.json").read_text(encoding="utf-8"))}
    findings = items["findings2021paper"]
    assert (findings["type"], findings["container-title"]) == (
        "paper-conference",
        "Findings of the Association for Computational Linguistics: EMNLP",
    )
    assert "author" not in findings


def _schema() -> dict[str, object]:
    loaded: dict[str, object] = json.loads(
        (FIXTURES / "schema" / "csl-data.json").read_text(encoding="utf-8")
    )
    return loaded


def test_every_json_is_valid_csl(seeds_built: Built, tricky: Path) -> None:
    validator = jsonschema.Draft7Validator(_schema())
    for root in _roots(seeds_built, tricky):
        for path in _outputs(root, ".json"):
            errors = list(validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))))
            assert errors == [], f"{path}: {errors[0].message if errors else ''}"


# citeproc-py predates CSL 1.0.2's `citation-key` and warns about it; the rest must render.
@pytest.mark.filterwarnings("ignore:The following arguments for Reference are unsupported")
def test_citeproc_py_renders_every_item(seeds_built: Built, tricky: Path) -> None:
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    for root in _roots(seeds_built, tricky):
        items = json.loads((root / "bib" / "all.json").read_text(encoding="utf-8"))
        source = CiteProcJSON(items)
        bibliography = CitationStylesBibliography(style, source, formatter.plain)
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        rendered = [str(entry) for entry in bibliography.bibliography()]
        assert len(rendered) == len(items)
        assert all(rendered)


def _pandoc() -> str:
    found = shutil.which("pandoc")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pandoc is missing in CI: .ci/run must install it")
        pytest.skip("pandoc is not installed (CI installs it)")
    return found


def _old_keys(root: Path) -> dict[str, str]:
    """Old key -> the key its work keeps (merged or re-keyed), as the build recorded them."""
    return dict(json.loads((root / "bib" / ".curabib" / "aliases.json").read_text(encoding="utf-8")))


def test_pandoc_reads_every_bib_and_json(seeds_built: Built, tricky: Path) -> None:
    pandoc = _pandoc()
    for root in _roots(seeds_built, tricky):
        for path in [*_outputs(root, ".bib"), *_outputs(root, ".json")]:
            reader = "bibtex" if path.suffix == ".bib" else "csljson"
            done = subprocess.run(
                [pandoc, "-f", reader, "-t", "csljson", str(path)],
                capture_output=True,
                text=True,
                check=False,
            )
            assert done.returncode == 0 and done.stderr == "", f"{path}: {done.stderr}"
            read = {item["id"] for item in json.loads(done.stdout)}
            ours = {item["id"] for item in json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))}
            # A .bib also holds a copy of each of its works under each of the work's old keys.
            copies = (
                {old for old, key in _old_keys(root).items() if key in ours} if reader == "bibtex" else set()
            )
            assert read == ours | copies, path


def test_pandoc_reads_the_paper_without_authors_as_a_conference_paper(tricky: Path) -> None:
    pandoc = _pandoc()
    for reader in ("bibtex", "biblatex"):
        done = subprocess.run(
            [pandoc, "-f", reader, "-t", "csljson", str(tricky / "bib" / "tricky.bib")],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert done.stderr == ""
        findings = {i["id"]: i for i in json.loads(done.stdout)}["findings2021paper"]
        assert findings["type"] == "paper-conference" and "author" not in findings
        # pandoc's BibTeX reader puts container titles in sentence case: compare the words.
        assert findings["container-title"].lower() == (
            "findings of the association for computational linguistics: emnlp"
        )


def test_pandoc_reads_the_same_works_from_bib_and_json(tricky: Path) -> None:
    pandoc = _pandoc()
    path = tricky / "bib" / "tricky.bib"
    done = subprocess.run(
        [pandoc, "-f", "bibtex", "-t", "csljson", str(path)], capture_output=True, text=True, check=True
    )
    from_bib = {i["id"]: i for i in json.loads(done.stdout)}
    ours = {i["id"]: i for i in json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))}
    assert from_bib.keys() == ours.keys()
    for key, item in ours.items():
        assert from_bib[key].get("DOI", "").lower() == item.get("DOI", "").lower(), key
        assert from_bib[key].get("issued") == item.get("issued"), key
