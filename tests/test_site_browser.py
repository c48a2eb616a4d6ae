"""`curabib site` in a real browser: headless Chromium (selenium, the system chromedriver) reads the site of
our five seed lists as a reader would, searching, filtering, sharing a filtered URL and citing a work; every
link goes somewhere that exists, no request leaves the page, hostile titles stay text, and axe-core finds no
accessibility violation. `.ci/run` installs Chromium, chromedriver, selenium and axe-core; outside CI these
tests skip when one is missing, and with CI=true they fail.

The pages are served from a local HTTP server on 127.0.0.1 (a secure context: the Clipboard API needs one),
and one test opens a list page from disk (file://), as a reader who downloaded the site does.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

# selenium depends on trio, whose Hypothesis plugin (run when Hypothesis is first imported, which pytest's own
# Hypothesis plugin does at the end of a session that collected no Hypothesis test) warns that trio's random
# generator "could be garbage collected", and pyproject.toml makes warnings errors. Import Hypothesis now,
# with that one warning ignored: it is about trio's generator, which no test here uses.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="It looks like `register_random` was passed")
    import hypothesis  # noqa: F401

from conftest import ROOT, SEED_LISTS, Built, consumer, run
from curabib.cli import main

if TYPE_CHECKING:
    from site_browser import Browser, Work

AXE = ROOT / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"
TYPES = ("all", "published", "preprint", "paper", "repository", "dataset", "blog", "model", "webpage")
ENTRY = re.compile(r"^@\w+\{(?P<key>[^,]+),\n.*?^\}$", re.MULTILINE | re.DOTALL)

pytestmark = pytest.mark.skipif(
    "site" not in main.commands,
    reason="`curabib site` is not a command yet: these tests read the site it writes",
)


def _needed(what: str, hint: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing in CI: .ci/run must install it")
    pytest.skip(f"{what} is not installed ({hint})")


# -- the browser and the sites it reads ------------------------------------------------------------------
@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the local server serves: one site per subfolder."""
    return tmp_path_factory.mktemp("sites")


@pytest.fixture(scope="module")
def browser(sites: Path) -> Iterator[Browser]:
    chromium = consumer("chromium")
    chromedriver = consumer("chromedriver")
    if importlib.util.find_spec("selenium") is None:
        _needed("selenium", "pip install -e '.[test]' brings it")
    from site_browser import Browser, serve

    with serve(sites) as base_url:
        opened = Browser(chromium, chromedriver, base_url)
        try:
            yield opened
        finally:
            opened.close()


@pytest.fixture
def b(browser: Browser) -> Iterator[Browser]:
    """The module's browser, checked after each test: nothing the test did sent a request off the page."""
    browser.drain_log()
    before = len(browser.requests)
    yield browser
    browser.drain_log()
    foreign = [u for u in browser.requests[before:] if not browser.is_local(u)]
    assert foreign == [], foreign


def _write_site(project: Path, out: Path) -> Path:
    result = run(project, "site", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file(), sorted(p.name for p in out.iterdir())
    return out


@pytest.fixture(scope="module")
def seeds_site(seeds_built: Built, sites: Path) -> Path:
    return _write_site(seeds_built.root, sites / "seeds")


@pytest.fixture(scope="module")
def list_pages(seeds_site: Path) -> list[str]:
    """The list pages, as index.html links them (relative to the site folder)."""
    index = (seeds_site / "index.html").read_text(encoding="utf-8")
    pages = sorted({unquote(h) for h in re.findall(r'href="([^"#?:]+\.html)"', index)} - {"index.html"})
    assert pages, "index.html links to no list page"
    return pages


@pytest.fixture(scope="module")
def main_page(browser: Browser, seeds_site: Path, list_pages: list[str]) -> str:
    """The list page with the most works: the one the filter tests narrow."""
    sizes = {}
    for page in list_pages:
        browser.open(f"seeds/{page}")
        sizes[page] = len(browser.works())
    page = max(list_pages, key=lambda p: (sizes[p], p))
    assert sizes[page] >= 20, sizes
    return f"seeds/{page}"


def _works_text(n: int) -> str:
    return "1 work" if n == 1 else f"{n} works"


def _keys(works: list[Work]) -> list[str]:
    """The distinct works, in page order: a work the list has in several sections has one `li` in each."""
    return list(dict.fromkeys(w["key"] for w in works))


def _shown_keys(b: Browser) -> list[str]:
    return _keys(b.works(visible=True))


def _type_into(b: Browser, css: str, text: str) -> None:
    field = b.find(css)
    field.clear()
    field.send_keys(text)


def _settled(b: Browser, check: Callable[[Work], bool]) -> None:
    """Wait until the page has applied a filter: `check(work)` holds for every shown work and the count
    says how many are shown."""

    def done() -> bool:
        shown = b.works(visible=True)
        return all(check(w) for w in shown) and b.count_text() == _works_text(len(_keys(shown)))

    b.wait_for(done, "the list never settled on the filter")


def _page_errors(b: Browser) -> list[str]:
    """Errors in the console since the last call (script errors, failed loads), but for the favicon that
    Chromium asks every http page for."""
    logged = b.driver.get_log("browser")  # type: ignore[no-untyped-call]
    return [e["message"] for e in logged if e["level"] == "SEVERE" and "/favicon.ico " not in e["message"]]


def _containing(word: str) -> Callable[[Work], bool]:
    return lambda work: word in str(work["text"]).lower()


def _search_word(works: list[Work]) -> str:
    """A word in the text of several works but not all: the most common such one, for a stable choice."""
    counts: Counter[str] = Counter(
        w for work in works for w in set(re.findall(r"[a-z]{5,}", work["text"].lower()))
    )
    fitting: list[tuple[int, str]] = [(n, word) for word, n in counts.items() if 2 <= n <= len(works) // 2]
    assert fitting, "no word narrows the list"
    return max(fitting)[1]


# -- searching and filtering -------------------------------------------------------------------------------
def test_the_page_starts_with_every_work_shown(b: Browser, main_page: str) -> None:
    b.open(main_page)
    works = b.works()
    assert b.count_text() == _works_text(len(_keys(works)))
    assert all(w["shown"] and not w["hidden"] for w in works)
    ids = [w["id"] for w in works]
    assert len(set(ids)) == len(ids), "two works share an id"
    first = {w["key"]: w["id"] for w in reversed(works)}
    assert all(first[k] == f"w-{k}" for k in first)  # #w-<key> finds the work
    assert b.js("return document.querySelector('label[for=q]') !== null")
    assert [
        o for o in b.js("return [...document.querySelectorAll('#type option')].map(o => o.value)")
    ] == list(TYPES)


def test_typing_in_the_search_box_narrows_the_list_and_the_count(b: Browser, main_page: str) -> None:
    b.open(main_page)
    works = b.works()
    word = _search_word(works)
    _type_into(b, "#q", word)
    _settled(b, _containing(word))
    shown = b.works(visible=True)
    assert 0 < len(_keys(shown)) < len(_keys(works))
    assert b.count_text() == _works_text(len(_keys(shown)))
    assert all(w["shown"] for w in shown)
    # and nothing that matches is left out
    assert {w["key"] for w in works if word in w["text"].lower()} == {w["key"] for w in shown}
    assert all(not w["shown"] for w in b.works(visible=False))


def test_the_type_filter_narrows_the_list(b: Browser, main_page: str) -> None:
    from selenium.webdriver.support.ui import Select

    b.open(main_page)
    works = b.works()
    by_type = Counter(w["type"] for w in works)
    assert set(by_type) <= set(TYPES) - {"all"}, by_type
    kind = max((n, t) for t, n in by_type.items() if n < len(works))[1]
    Select(b.find("#type")).select_by_value(kind)
    _settled(b, lambda w: w["type"] == kind)
    assert _shown_keys(b) == _keys([w for w in works if w["type"] == kind])


def test_the_year_range_narrows_the_list(b: Browser, main_page: str) -> None:
    b.open(main_page)
    works = b.works()
    years = sorted(int(w["year"]) for w in works if w["year"])
    first, last = years[len(years) // 3], years[2 * len(years) // 3]
    _type_into(b, "#from", str(first))
    _type_into(b, "#to", str(last))
    _settled(b, lambda w: w["year"] != "" and first <= int(w["year"]) <= last)
    assert 0 < len(_shown_keys(b)) < len(_keys(works))
    assert _shown_keys(b) == _keys([w for w in works if w["year"] and first <= int(w["year"]) <= last])


def test_the_venue_filter_narrows_the_list(b: Browser, main_page: str) -> None:
    b.open(main_page)
    works = b.works()
    venues = Counter(w["venue"] for w in works if w["venue"])
    venue = max((n, v) for v, n in venues.items())[1]
    _type_into(b, "#venue", venue)
    _settled(b, lambda w: venue.lower() in w["venue"].lower())
    assert 0 < len(_shown_keys(b)) < len(_keys(works))
    assert {w["key"] for w in works if w["venue"] == venue} <= set(_shown_keys(b))


def test_a_filtered_url_opens_with_the_same_filter(b: Browser, main_page: str) -> None:
    from selenium.webdriver.support.ui import Select

    b.open(main_page)
    word = _search_word(b.works())
    _type_into(b, "#q", word)
    _settled(b, _containing(word))
    b.wait_for(lambda: parse_qs(urlsplit(b.driver.current_url).query).get("q") == [word], "q not in the URL")
    kind = Counter(w["type"] for w in b.works(visible=True)).most_common(1)[0][0]
    Select(b.find("#type")).select_by_value(kind)
    _settled(b, lambda w: _containing(word)(w) and w["type"] == kind)
    b.wait_for(lambda: parse_qs(urlsplit(b.driver.current_url).query).get("type") == [kind], "no type")
    url, count, keys = b.driver.current_url, b.count_text(), _shown_keys(b)

    b.open_fresh(url)
    assert b.find("#q").get_attribute("value") == word
    assert b.find("#type").get_attribute("value") == kind
    b.wait_for(lambda: b.count_text() == count, f"the shared URL did not restore {count}")
    assert _shown_keys(b) == keys


def test_the_page_works_opened_from_disk(b: Browser, seeds_site: Path, main_page: str) -> None:
    page = seeds_site / main_page.removeprefix("seeds/")
    b.open(page.as_uri())
    works = b.works()
    word = _search_word(works)
    b.open(f"{page.as_uri()}?q={word}")
    assert b.find("#q").get_attribute("value") == word
    _settled(b, _containing(word))
    assert 0 < len(_shown_keys(b)) < len(_keys(works))
    assert _page_errors(b) == []


# -- copying ---------------------------------------------------------------------------------------------
def _bib_entries(bib: Path) -> dict[str, str]:
    entries = {m["key"]: m[0] for m in ENTRY.finditer((bib / "all.bib").read_text(encoding="utf-8"))}
    assert entries
    return entries


def _cite(b: Browser, key: str, form: str = "bibtex") -> str:
    """Open the work's Cite dialog, choose the form, and return what the dialog shows."""
    b.click(f'li[id="w-{key}"] button.cite')
    b.wait_for(lambda: b.js("return document.getElementById('cite').open"), "the Cite dialog did not open")
    b.click(f'#cite input[name="format"][value="{form}"]')
    shown: str = b.js("return document.getElementById('cite-text').textContent")
    return shown


def _copy(b: Browser) -> str:
    b.clear_clipboard()
    b.click("#cite-copy")
    b.wait_for(lambda: b.clipboard() != "", "nothing reached the clipboard")
    b.wait_for(lambda: b.find("#cite-status").text == "Copied.", "the dialog did not say it copied")
    return b.clipboard()


def _close(b: Browser, key: str) -> None:
    b.click("#cite-close")
    b.wait_for(lambda: not b.js("return document.getElementById('cite').open"), "the dialog stayed open")
    focused = b.js("return document.activeElement.closest('li').id")
    assert focused == f"w-{key}"  # the reader is back on the work's Cite button


def test_the_cite_dialog_copies_the_works_bibtex(
    b: Browser, main_page: str, seeds_built: Built, seeds_site: Path
) -> None:
    """The first, a middle and the last work (the last in another cite file than the first): the dialog
    shows and copies the entry the list's .bib holds."""
    entries = _bib_entries(seeds_built.bib)
    b.open(main_page)
    works = b.works()
    assert len(_keys(works)) > 100  # so the last work's entry is in a second cite file
    for work in (works[0], works[len(works) // 2], works[-1]):
        key = work["key"]
        shown = _cite(b, key)
        copied = _copy(b)
        assert copied == shown
        assert copied.startswith("@"), copied
        assert "{" + key + ",\n" in copied.splitlines(keepends=True)[0]
        assert copied.strip() == entries[key].strip()
        _close(b, key)
    assert _page_errors(b) == []


@pytest.mark.parametrize("form", ["biblatex", "csl-json", "key"])
def test_the_cite_dialog_copies_the_other_forms(
    b: Browser, main_page: str, seeds_built: Built, form: str
) -> None:
    csl = {
        item["id"]: item for item in json.loads((seeds_built.bib / "all.json").read_text(encoding="utf-8"))
    }
    b.open(main_page)
    key = b.works()[1]["key"]
    _cite(b, key, form)
    copied = _copy(b)
    if form == "key":
        assert copied.strip() == key
    elif form == "biblatex":
        assert copied.startswith("@") and "{" + key + ",\n" in copied.splitlines(keepends=True)[0], copied
    else:
        assert json.loads(copied) == csl[key]
    _close(b, key)


def test_the_cite_dialog_works_opened_from_disk(b: Browser, seeds_site: Path, main_page: str) -> None:
    """A downloaded site (file://) loads its cite files too: a script element, not a fetch."""
    page = seeds_site / main_page.removeprefix("seeds/")
    b.open(page.as_uri())
    key = b.works()[-1]["key"]
    shown = _cite(b, key)
    assert shown.startswith("@") and "{" + key + ",\n" in shown
    b.driver.find_element("css selector", "#cite").send_keys("\ue00c")  # Escape closes it, as dialogs do
    b.wait_for(lambda: not b.js("return document.getElementById('cite').open"), "Escape did not close it")
    assert _page_errors(b) == []


def test_the_script_gives_every_work_one_cite_button(b: Browser, main_page: str) -> None:
    """The Cite buttons need the script, so it adds them (the page as written has none: a reader who
    blocks scripts sees no dead button): one a work, shown, named "Cite", saying it opens a dialog."""
    b.open(main_page)
    buttons = b.js(
        "return [...document.querySelectorAll('.works > li')].map(li => [...li.querySelectorAll('button')]"
        ".map(x => [x.className, x.textContent, x.getAttribute('aria-haspopup'), x.offsetWidth > 0]))"
    )
    assert buttons and all(row == [["cite", "Cite", "dialog", True]] for row in buttons), buttons[:3]


# -- links, requests, hostile text -------------------------------------------------------------------------
def _link_problems(b: Browser, site: Path, page: str) -> list[str]:
    b.open(f"{site.name}/{page}")
    ids = set(b.js("return [...document.querySelectorAll('[id]')].map(e => e.id)"))
    problems = []
    for href in b.js("return [...document.querySelectorAll('a')].map(a => a.getAttribute('href'))"):
        if href is None or href != href.strip() or re.search(r"\s", href):
            problems.append(f"{page}: a link without a usable href: {href!r}")
            continue
        parts = urlsplit(href)
        if parts.scheme in ("http", "https"):
            if not parts.netloc or "." not in parts.netloc:
                problems.append(f"{page}: {href!r} names no host")
        elif parts.scheme or parts.netloc:
            problems.append(f"{page}: {href!r} is neither http(s) nor a file of the site")
        elif parts.path:
            target = (site / page).parent / unquote(parts.path)
            if not target.resolve().is_relative_to(site.resolve()) or not target.is_file():
                problems.append(f"{page}: {href!r} points at no file of the site")
        elif parts.fragment and unquote(parts.fragment) not in ids:
            problems.append(f"{page}: {href!r} points at no element of the page")
    for src in b.js(
        "return [...document.querySelectorAll('[src], link[href]')].map(e => e.getAttribute('src') || e.getAttribute('href'))"
    ):
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or not (site / unquote(parts.path)).is_file():
            problems.append(f"{page}: the page loads {src!r}, not a file of the site")
    return problems


def test_every_link_on_every_page_goes_somewhere(b: Browser, seeds_site: Path, list_pages: list[str]) -> None:
    problems = [p for page in ["index.html", *list_pages] for p in _link_problems(b, seeds_site, page)]
    assert problems == [], "\n".join(problems[:40])


def test_the_index_links_to_every_list(b: Browser, seeds_site: Path, list_pages: list[str]) -> None:
    assert list_pages == sorted(f"{name}.html" for name in SEED_LISTS.values())
    for page in list_pages:
        b.open("seeds/index.html")
        b.click(f'a[href="{page}"]')
        b.wait_for(lambda page=page: urlsplit(b.driver.current_url).path.endswith(f"/{page}"), page)
        b.wait_for(lambda: b.count_text().endswith(("works", "work")), f"{page} shows no count")


def test_the_site_folder_holds_its_assets_and_the_bib_files(seeds_site: Path, seeds_built: Built) -> None:
    assert (seeds_site / "site.css").is_file()
    assert (seeds_site / "site.js").is_file()
    built = [p for p in seeds_built.bib.rglob("*") if p.is_file() and ".curabib" not in p.parts]
    assert any(p.suffix == ".bib" for p in built)
    for path in built:
        copy = seeds_site / "bib" / path.relative_to(seeds_built.bib)
        assert copy.is_file(), copy
        assert copy.read_bytes() == path.read_bytes(), copy


def test_no_request_leaves_the_page(browser: Browser, seeds_site: Path, list_pages: list[str]) -> None:
    browser.drain_log()
    start = len(browser.requests)
    for page in ["index.html", *list_pages]:
        browser.open(f"seeds/{page}")
        if page != "index.html":
            word = _search_word(browser.works())
            _type_into(browser, "#q", word)
            _settled(browser, _containing(word))
    browser.drain_log()
    seen = browser.requests[start:]
    assert any(u.endswith("/site.css") for u in seen) and any(u.endswith("/site.js") for u in seen), seen
    assert [u for u in seen if not browser.is_local(u)] == []
    assert _page_errors(browser) == []


def test_the_request_check_sees_a_request_that_leaves(browser: Browser, sites: Path) -> None:
    """The check above is not vacuous: a page that loads an image from elsewhere is caught (the browser's
    resolver refuses every name but 127.0.0.1, so nothing is actually sent)."""
    (sites / "leaky").mkdir(exist_ok=True)
    (sites / "leaky" / "index.html").write_text(
        '<!doctype html><title>t</title><img src="https://example.invalid/pixel.png" alt="">',
        encoding="utf-8",
    )
    browser.drain_log()
    start = len(browser.requests)
    browser.open("leaky/index.html")
    browser.wait_for(
        lambda: "https://example.invalid/pixel.png" in browser.drain_log() + browser.requests[start:]
    )
    assert not browser.is_local("https://example.invalid/pixel.png")
    assert browser.is_local(browser.url("leaky/index.html"))


HOSTILE = """\
list: hostile
title: '<script>window.pwned=1</script> Hostile'
sections:
- heading: '<img src=x onerror=window.pwned=1> Scripts'
  items:
  - key: pwned2020script
    kind: paper
    title: <script>window.pwned=1</script>
    year: 2020
    venue: arXiv
    links:
    - {kind: paper, url: 'https://example.org/script'}
    - {kind: site, url: 'javascript:window.pwned=1', text: '<script>window.pwned=1</script>'}
  - key: pwned2021attribute
    kind: paper
    label: '"onmouseover="window.pwned=1'
    note: '<script>window.pwned=1</script>'
    title: '"onmouseover="window.pwned=1'
    year: 2021
    venue: '<img src=x onerror="window.pwned=1">'
    links:
    - {kind: paper, url: 'https://example.org/attribute'}
  - key: pwned2022entities
    kind: paper
    title: 'Less < than & "more" > than &amp; <b onmouseover=window.pwned=1>bold</b> </li></ul><script>window.pwned=1</script>'
    year: 2022
    venue: '</script><script>window.pwned=1</script>'
    links:
    - {kind: paper, url: 'https://example.org/entities'}
"""


@pytest.fixture(scope="module")
def hostile_site(sites: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A project whose titles, headings, notes, venues and links carry markup and script, and its site."""
    project = tmp_path_factory.mktemp("hostile")
    (project / "entries").mkdir()
    (project / "entries" / "hostile.yaml").write_text(HOSTILE, encoding="utf-8")
    built = run(project, "build")
    assert built.exit_code == 0, built.output
    return project, _write_site(project, sites / "hostile")


def test_hostile_titles_stay_text(b: Browser, hostile_site: tuple[Path, Path]) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    project, site = hostile_site
    for page in ("index.html", "hostile.html"):  # the javascript: link among the entry's links is not one
        assert _link_problems(b, site, page) == [], page
    titles = [str(item["title"]) for item in json.loads((project / "bib" / "all.json").read_text("utf-8"))]
    for page in ("index.html", "hostile.html"):
        b.open(f"hostile/{page}")
        assert b.js("return typeof window.pwned") == "undefined", page
        # the page's scripts are site.js only, and no element carries an event handler
        assert set(b.js("return [...document.scripts].map(s => s.getAttribute('src'))")) <= {"site.js"}, page
        handlers = b.js(
            "return [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]"
            ".filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))"
        )
        assert handlers == [], page
        # the list's title, written as markup in entries/, is shown as written
        assert "<script>window.pwned=1</script> Hostile" in b.find("body").text, page
    for element in b.find_all(
        "h1, h2, .works > li, .works > li p, .works > li a"
    ):  # a real pointer over the text
        if not element.is_displayed():  # the closed Cite dialog's heading
            continue
        ActionChains(b.driver, duration=0).move_to_element(element).perform()
    b.js(  # and every pointer and focus event on every element, as if the reader touched them all
        "for (const e of document.querySelectorAll('body *')) for (const t of "
        "['mouseover', 'mouseenter', 'mousemove', 'focus', 'focusin']) e.dispatchEvent(new Event(t))"
    )
    assert b.js("return typeof window.pwned") == "undefined"
    text = b.find("body").text
    assert len(b.works()) == 3
    assert '"onmouseover="window.pwned=1' in text
    assert "<img src=x onerror=window.pwned=1> Scripts" in text  # a heading
    assert "\n<script>window.pwned=1</script>\n" in f"\n{text}\n"  # a note
    for title in titles:  # as the build cleaned them, shown literally
        assert title in text, (title, text)
    assert 'Less < than & "more" > than' in text
    assert text.count("window.pwned=1") >= 3, text


def test_a_hostile_query_in_the_url_stays_text(b: Browser, hostile_site: tuple[Path, Path]) -> None:
    payload = '"><img src=x onerror=window.pwned=1>'
    b.open(f"hostile/hostile.html?q={payload}&venue={payload}")
    assert b.find("#q").get_attribute("value") == payload
    assert b.js("return typeof window.pwned") == "undefined"
    assert b.js("return document.querySelectorAll('img[src=x]').length") == 0


# -- accessibility and the README's screenshot --------------------------------------------------------------
@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        _needed("axe-core", "run `npm ci` in tests/node")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("which", ["index", "list", "filtered list", "cite dialog"])
def test_axe_core_finds_no_violation(
    b: Browser, seeds_site: Path, main_page: str, axe_source: str, which: str
) -> None:
    b.open("seeds/index.html" if which == "index" else main_page)
    if which == "filtered list":
        word = _search_word(b.works())
        _type_into(b, "#q", word)
        _settled(b, _containing(word))
    if which == "cite dialog":
        _cite(b, b.works()[0]["key"], "csl-json")
    violations = b.axe(axe_source)
    assert violations == [], json.dumps(violations, indent=1)[:4000]


def test_a_screenshot_of_a_list_page(b: Browser, seeds_site: Path, tmp_path: Path) -> None:
    """With CURABIB_SCREENSHOT=1, the README's docs/site.png; otherwise a throwaway one. healthcare-llms:
    its contents are short enough to leave room for the works below the search."""
    target = (
        ROOT / "docs" / "site.png" if os.environ.get("CURABIB_SCREENSHOT") == "1" else tmp_path / "site.png"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    b.open("seeds/healthcare-llms.html")
    word = _search_word(b.works())
    _type_into(b, "#q", word)
    _settled(b, _containing(word))
    # The search as typed and its count, the contents, then the first works it found, with their buttons.
    from site_browser import WINDOW

    b.js("document.activeElement.blur(); window.scrollTo(0, 0)")
    b.driver.set_window_size(WINDOW[0], 1600)
    try:
        assert b.driver.save_screenshot(str(target))
    finally:
        b.driver.set_window_size(*WINDOW)
    assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
