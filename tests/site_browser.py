"""A real browser for the site tests: headless Chromium driven by selenium through the system chromedriver,
pages served from a folder by a local HTTP server on 127.0.0.1 (a secure context, so the async Clipboard API
works), and every request the page makes recorded from Chromium's own network log.

Nothing here touches the network: selenium is given the chromedriver path (so Selenium Manager, which would
download one, never runs, and SE_OFFLINE forbids it anyway), Chromium's background services are off, and
its host resolver answers "not found" for every name but 127.0.0.1.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

WINDOW = (1280, 900)
WAIT = 10.0  # seconds a page gets to react to a keystroke, a filter or a click
LOCAL_SCHEMES = ("file", "data", "blob", "about", "chrome-error")
Work = dict[str, Any]  # one work's `li`: key, year, type, venue, id, text (what a reader sees); hidden, shown


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (a free port) for as long as the block runs; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class Browser:
    """One headless Chromium for a test module, and what it saw."""

    def __init__(self, chromium: str, chromedriver: str, base_url: str) -> None:
        # Belt and braces: with a driver path Selenium Manager is not run, and SE_OFFLINE forbids it to download.
        self._offline = os.environ.get("SE_OFFLINE")
        os.environ["SE_OFFLINE"] = "true"
        self.base_url = base_url
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for argument in (
            "--headless=new",
            "--disable-gpu",
            f"--window-size={WINDOW[0]},{WINDOW[1]}",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-default-apps",
            "--disable-sync",
            "--disable-extensions",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--lang=en-US",
        ):
            options.add_argument(argument)
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            options.add_argument("--no-sandbox")  # Chromium refuses to run as root with its sandbox
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
        self.driver = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
        self.driver.set_script_timeout(60)
        self.origin = base_url.rstrip("/")
        self.requests: list[str] = []
        self.console: list[dict[str, Any]] = []

    def close(self) -> None:
        self.driver.quit()
        if self._offline is None:
            os.environ.pop("SE_OFFLINE", None)
        else:
            os.environ["SE_OFFLINE"] = self._offline

    # -- pages -------------------------------------------------------------------------------------------
    def url(self, path: str) -> str:
        return self.base_url + path

    def open(self, url: str) -> None:
        """Load a page (a full URL, or a path under the served folder) and wait until it has loaded."""
        # Headless tabs are not focused, and the Clipboard API refuses an unfocused document; the grant is
        # the reader's "allow" (given again for each page: a new tab does not always inherit it).
        self.driver.execute_cdp_cmd("Emulation.setFocusEmulationEnabled", {"enabled": True})
        self.driver.execute_cdp_cmd(
            "Browser.grantPermissions",
            {"origin": self.origin, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
        )
        self.driver.get(url if "://" in url else self.url(url))
        WebDriverWait(self.driver, WAIT, poll_frequency=0.05).until(
            lambda d: d.execute_script("return document.readyState") == "complete"
        )

    def open_fresh(self, url: str) -> None:
        """Open `url` in a new tab, as a reader following a shared link does, and close the old tab."""
        old = self.driver.current_window_handle
        self.driver.switch_to.new_window("tab")
        new = self.driver.current_window_handle
        self.driver.switch_to.window(old)
        self.driver.close()
        self.driver.switch_to.window(new)
        self.open(url)

    def js(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def js_async(self, script: str, *args: Any) -> Any:
        """Run `script` with `done` bound to the callback selenium waits for."""
        return self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];\n" + script, *args
        )

    def find(self, css: str) -> WebElement:
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str) -> list[WebElement]:
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def click(self, css: str) -> None:
        """Click an element as a reader does: scrolled to the middle of the window and still."""
        element = self.find(css)
        self.js("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'})", element)
        where = "const r = arguments[0].getBoundingClientRect(); return [r.x, r.y, r.width, r.height]"
        last: list[Any] = []

        def still() -> bool:
            nonlocal last
            now = self.js(where, element)
            settled = now == last
            last = now
            return bool(settled)

        self.wait_for(still, f"{css} never stopped moving")
        element.click()

    def wait_for(self, condition: Any, message: str = "") -> Any:
        return WebDriverWait(self.driver, WAIT, poll_frequency=0.05).until(lambda _: condition(), message)

    # -- the list page's contract ------------------------------------------------------------------------
    def count_text(self) -> str:
        return str(self.js("return document.getElementById('count').textContent.trim()"))

    def works(self, visible: bool | None = None) -> list[Work]:
        """Every work as the page shows it (all of them, or only the shown / hidden ones): its key (its id
        after the first `-`), year (`data-year`), type (its badge's second class) and venue (the venue
        shown, or the badge's "published at <venue>")."""
        rows: list[Work] = self.js(
            """return [...document.querySelectorAll('.works > li')].map(li => {
                   const key = li.id.slice(li.id.indexOf('-') + 1);
                   const badge = li.querySelector('.badge'), venue = li.querySelector('.venue');
                   const published = badge.textContent.match(/^published at (.*)$/);
                   return {key: key, year: li.dataset.year || '', type: badge.classList[1], id: li.id,
                   venue: (venue ? venue.textContent : published ? published[1] : '').toLowerCase(),
                   text: [...li.querySelectorAll('.ref, .meta, .note')].map(e => e.textContent)
                         .concat([key]).join(' '),
                   hidden: li.hidden, shown: li.getClientRects().length > 0}})"""
        )
        if visible is None:
            return rows
        return [r for r in rows if (not r["hidden"]) == visible]

    # -- what left the page ------------------------------------------------------------------------------
    def drain_log(self) -> list[str]:
        """The URLs of every request the page made since the last call (Chromium's Network events)."""
        seen = []
        for entry in self.driver.get_log("performance"):  # type: ignore[no-untyped-call]
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                seen.append(str(message["params"]["request"]["url"]))
            elif message.get("method") == "Network.webSocketCreated":
                seen.append(str(message["params"]["url"]))
        self.requests += seen
        return seen

    def foreign_requests(self) -> list[str]:
        """Requests seen so far that went anywhere but the local server or the page's own data."""
        self.drain_log()
        return [u for u in self.requests if not self.is_local(u)]

    def is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES:
            return True
        return parts.scheme == "http" and f"{parts.scheme}://{parts.netloc}" == self.origin

    # -- the clipboard and axe-core ----------------------------------------------------------------------
    def clipboard(self) -> str:
        result = self.js_async(
            "navigator.clipboard.readText().then(t => done({text: t}), e => done({error: String(e)}));"
        )
        assert "error" not in result, result
        return str(result["text"])

    def clear_clipboard(self) -> None:
        result = self.js_async(
            "navigator.clipboard.writeText('').then(() => done({}), e => done({error: String(e)}));"
        )
        assert "error" not in result, result

    def axe(self, axe_source: str) -> list[dict[str, Any]]:
        """axe-core's violations on the current page (every rule axe runs by default)."""
        self.js(axe_source)
        result: dict[str, Any] = self.js_async(
            """axe.run(document, {resultTypes: ['violations']})
                  .then(r => done({violations: r.violations.map(v => ({
                      id: v.id, impact: v.impact, help: v.help,
                      count: v.nodes.length,
                      nodes: [...new Set(v.nodes.map(n => n.html.slice(0, 200)))].slice(0, 5)}))}))
                  .catch(e => done({error: String(e)}));"""
        )
        assert "error" not in result, result
        violations: list[dict[str, Any]] = result["violations"]
        return violations
