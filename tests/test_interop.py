"""Every output read by the real consumers people use: biber, BibTeX + natbib, biblatex, pandoc, citation-js,
Better BibTeX's parser and citeproc-js. `.ci/run` installs them; outside CI a test skips only when its
consumer is missing, and with CI=true a missing consumer fails.

Corpora: our own entries (the five seeds, as committed), a tricky list (specials, Unicode, Chinese, particles,
non-papers) and the recorded example (refreshed works: authors, published versions, venues).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import ROOT, Built, consumer
from curabib.matching import normalized_title

NODE_DIR = ROOT / "tests" / "node"
EXAMPLE = ROOT / "examples" / "recorded"


@pytest.fixture(scope="module")
def corpora(seeds_built: Built, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    from conftest import run, write_md
    from test_consumers import TRICKY

    tricky = tmp_path_factory.mktemp("tricky-interop")
    (tricky / "entries").mkdir()
    run(tricky, "import-md", str(write_md(tricky, TRICKY)), "--list", "tricky")
    run(tricky, "build")
    return [seeds_built.bib, tricky / "bib", EXAMPLE / "bib"]


def _bibs(corpora: list[Path]) -> Iterator[Path]:
    for bib in corpora:
        yield from sorted(bib.rglob("*.bib"))


def _jsons(corpora: list[Path]) -> Iterator[Path]:
    for bib in corpora:
        # Every .json a user sees is CSL: curabib's own files sit in a dot-folder.
        yield from (p for p in sorted(bib.rglob("*.json")) if not p.relative_to(bib).parts[0].startswith("."))


def _yearless(bib_file: Path) -> set[str]:
    """Keys of works that no source gave a year: one warning class consumers may still raise."""
    items = json.loads(bib_file.with_suffix(".json").read_text(encoding="utf-8"))
    return {item["id"] for item in items if "issued" not in item}


_ENTRY = re.compile(r"^@(?P<type>\w+)\{(?P<key>[^,]+),\n(?P<body>.*?)^\}$", re.MULTILINE | re.DOTALL)


def _authorless_typed(bib_file: Path) -> set[str]:
    """Keys of entries typed by their venue (@inproceedings, @article) that no source gave an author yet:
    the other warning class. BibTeX's styles say "empty author" and biber's data model "Missing mandatory
    field 'author'" for them, the honest signal that `curabib check` reports as `missing-authors`."""
    text = bib_file.read_text(encoding="utf-8")
    return {
        m["key"] for m in _ENTRY.finditer(text) if m["type"] != "misc" and "  author = {" not in m["body"]
    }


def test_the_corpora_hold_typed_entries_without_authors(corpora: list[Path]) -> None:
    """The warnings allowed for them are not vacuous: the seeds and the tricky list have such entries."""
    seeds, tricky, _ = corpora
    assert "findings2021paper" in _authorless_typed(tricky / "all.bib")
    assert {"attention2017need", "gpt32020language", "bert2018pretraining"} & _authorless_typed(
        seeds / "all.bib"
    )


# -- biber ---------------------------------------------------------------------------------------------
def _validate(biber: str, path: Path, workdir: Path) -> list[str]:
    copy = workdir / f"{abs(hash(path))}.bib"
    shutil.copyfile(path, copy)
    done = subprocess.run(
        [biber, "--tool", "--validate-datamodel", "--nolog", f"--output-file={copy}.out", str(copy)],
        capture_output=True, text=True, check=False, cwd=workdir,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return [line for line in (done.stdout + done.stderr).splitlines() if re.match(r"^(WARN|ERROR)", line)]


def test_biber_validates_every_bib_against_its_data_model(corpora: list[Path], tmp_path: Path) -> None:
    biber = consumer("biber")
    paths = list(_bibs(corpora))
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(zip(paths, pool.map(lambda p: _validate(biber, p, tmp_path), paths), strict=True))
    for path, problems in results.items():
        allowed = {
            "Missing mandatory field - one of 'date, year' must be defined": _yearless(path),
            "Missing mandatory field 'author'": _authorless_typed(path),
        }
        unexpected = [
            line
            for line in problems
            if not any(
                message in line and (entry := re.search(r"Entry '([^']+)'", line)) and entry[1] in keys
                for message, keys in allowed.items()
            )
        ]
        assert unexpected == [], f"{path}: {unexpected[:5]}"


# -- LaTeX ---------------------------------------------------------------------------------------------
PREAMBLE = r"""\documentclass{article}
\usepackage{fontspec}
\setmainfont{DejaVu Serif}
\setsansfont{DejaVu Sans}
\setmonofont{DejaVu Sans Mono}
\usepackage{xeCJK}
\setCJKmainfont[AutoFakeSlant, AutoFakeBold]{Noto Serif CJK SC}
\setCJKsansfont[AutoFakeSlant, AutoFakeBold]{Noto Sans CJK SC}
\setCJKmonofont[AutoFakeSlant, AutoFakeBold]{Noto Sans Mono CJK SC}
"""
NATBIB = (
    PREAMBLE
    + r"""\usepackage{natbib}
\usepackage{url}
\begin{document}
\nocite{*}
\bibliographystyle{plainnat}
\bibliography{refs}
\end{document}
"""
)
BIBLATEX = (
    PREAMBLE
    + r"""\usepackage[backend=biber,style=authoryear]{biblatex}
\addbibresource{refs.bib}
\begin{document}
\nocite{*}
\printbibliography
\end{document}
"""
)


def _latex(workdir: Path, document: str, bib_file: Path, backend: list[str]) -> tuple[str, str]:
    shutil.copyfile(bib_file, workdir / "refs.bib")
    (workdir / "doc.tex").write_text(document, encoding="utf-8")
    xelatex = [consumer("xelatex"), "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
    for command in (xelatex, backend, xelatex, xelatex):
        done = subprocess.run(command, cwd=workdir, capture_output=True, text=True, check=False, timeout=600)
        assert done.returncode == 0, f"{' '.join(command)}: {done.stdout[-3000:]}"
    blg = (workdir / "doc.blg").read_text(encoding="utf-8", errors="replace")
    log = (workdir / "doc.log").read_text(encoding="utf-8", errors="replace")
    return blg, log


def _log_warnings(log: str) -> list[str]:
    return [line for line in log.splitlines() if re.search(r"Warning|Missing character|^!", line)]


@pytest.mark.parametrize("style", ["natbib", "biblatex"])
def test_latex_documents_cite_everything_without_warnings(
    corpora: list[Path], tmp_path: Path, style: str
) -> None:
    for index, bib in enumerate(corpora):
        bib_file = bib / "all.bib"
        workdir = tmp_path / f"{style}-{index}"
        workdir.mkdir()
        if style == "natbib":
            blg, log = _latex(workdir, NATBIB, bib_file, [consumer("bibtex"), "doc"])
            problems = [line for line in blg.splitlines() if line.startswith("Warning--")]
            allowed = {
                "Warning--empty year in ": _yearless(bib_file),
                "Warning--empty author in ": _authorless_typed(bib_file),
            }
            problems = [
                p
                for p in problems
                if not any(p.startswith(start) and p.split()[-1] in keys for start, keys in allowed.items())
            ]
        else:
            blg, log = _latex(workdir, BIBLATEX, bib_file, [consumer("biber"), "doc"])
            problems = [line for line in blg.splitlines() if re.search(r"\] (WARN|ERROR) - ", line)]
        assert problems == [], f"{bib_file}: {problems[:5]}"
        assert _log_warnings(log) == [], f"{bib_file}: {_log_warnings(log)[:5]}"


# -- pandoc --------------------------------------------------------------------------------------------
def _pandoc_items(path: Path, reader: str) -> list[dict[str, object]]:
    done = subprocess.run(
        [consumer("pandoc"), "-f", reader, "-t", "csljson", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and done.stderr == "", f"{path} ({reader}): {done.stderr[:500]}"
    items: list[dict[str, object]] = json.loads(done.stdout)
    return items


def test_pandoc_reads_every_bib_as_bibtex_and_biblatex(corpora: list[Path]) -> None:
    for path in _bibs(corpora):
        for reader in ("bibtex", "biblatex"):
            _pandoc_items(path, reader)


def _title(value: object) -> str:
    """Markup and case aside: Better BibTeX's parser marks protected words with <span class="nocase">."""
    return normalized_title(re.sub(r"<[^>]+>", "", str(value or "")))


def _families(item: dict[str, object]) -> list[str]:
    names = item.get("author") or []
    assert isinstance(names, list)
    # BibTeX's "and others" is its marker for a list cut short, not a person: readers differ in how they
    # show it, so it is left out of the comparison.
    # A reader may split "van der Maaten" into a particle and a family name; we keep them together (Zotero).
    families = [
        normalized_title(
            " ".join(
                str(n.get(k) or "")
                for k in ("dropping-particle", "non-dropping-particle", "family", "literal")
            )
        )
        for n in names
    ]
    return [f for f in families if f != "others"]


def _year(item: dict[str, object]) -> object:
    issued = item.get("issued")
    return issued["date-parts"][0][0] if isinstance(issued, dict) and "date-parts" in issued else None


def test_pandoc_reading_of_each_bib_agrees_with_our_json(corpora: list[Path]) -> None:
    for path in _bibs(corpora):
        read_all = {str(i["id"]): i for i in _pandoc_items(path, "biblatex")}
        ours = {i["id"]: i for i in json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))}
        # A BibTeX-dialect .bib also holds a copy of a work under each of its old keys: the same work.
        old = _old_keys(path)
        from_bib = {key: item for key, item in read_all.items() if key not in old}
        assert list(from_bib) == list(ours), path
        for alias in set(read_all) - set(from_bib):
            assert _title(read_all[alias].get("title")) == _title(ours[old[alias]].get("title")), (
                path,
                alias,
            )
        for key, item in ours.items():
            read = from_bib[key]
            assert _title(read.get("title")) == _title(item.get("title")), (path, key)
            assert _families(read) == _families(item), (path, key)
            assert _year(read) == _year(item), (path, key)
            assert str(read.get("DOI", "")).lower() == str(item.get("DOI", "")).lower(), (path, key)


def _old_keys(bib_file: Path) -> dict[str, str]:
    """Old key -> the key its work keeps, from the build's aliases.json beside the bib folder's root."""
    root = next(p for p in bib_file.parents if (p / ".curabib").is_dir())
    return dict(json.loads((root / ".curabib" / "aliases.json").read_text(encoding="utf-8")))


# -- citation-js, Better BibTeX's parser, citeproc-js ---------------------------------------------------------
@pytest.fixture(scope="module")
def node_consumers(corpora: list[Path]) -> dict[str, dict[str, dict[str, object]]]:
    node = consumer("node")
    if not (NODE_DIR / "node_modules").is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("tests/node/node_modules is missing in CI: .ci/run must run npm ci there")
        pytest.skip("run `npm ci` in tests/node to install the JavaScript consumers")
    request = {"bib": [str(p) for p in _bibs(corpora)], "json": [str(p) for p in _jsons(corpora)]}
    done = subprocess.run(
        [node, "consumers.mjs"],
        input=json.dumps(request),
        cwd=NODE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, dict[str, dict[str, object]]] = json.loads(done.stdout)
    return result


def test_citation_js_and_better_bibtex_read_the_same_works_as_pandoc(
    corpora: list[Path], node_consumers: dict[str, dict[str, dict[str, object]]]
) -> None:
    for path in _bibs(corpora):
        pandoc = {str(i["id"]): i for i in _pandoc_items(path, "biblatex")}
        for reader in ("bbt", "citationjs"):
            seen = node_consumers[str(path)][reader]
            assert seen["errors"] == [], (path, reader, seen["errors"])
            entries = seen["entries"]
            assert isinstance(entries, list)
            assert [e["key"] for e in entries] == list(pandoc), (path, consumer)
            for entry in entries:
                read = pandoc[entry["key"]]
                assert _title(entry["title"]) == _title(read.get("title")), (path, reader, entry["key"])
                families = [normalized_title(f) for f in entry["families"] if f.lower() != "others"]
                assert families == _families(read), (path, reader, entry["key"])
                assert str(entry["year"] or None) == str(_year(read)), (path, reader, entry["key"])


def test_citeproc_js_renders_every_item_with_apa(
    corpora: list[Path], node_consumers: dict[str, dict[str, dict[str, object]]]
) -> None:
    for path in _jsons(corpora):
        seen = node_consumers[str(path)]["citeproc"]
        assert seen["errors"] == [] and seen["rendered"] == seen["items"], (path, seen)
