"""Helpers for the real-browser tests: serve a built site, drive Debian's Chromium.

* :func:`serve` runs Python's ``http.server`` on 127.0.0.1 in a thread, optionally under
  a sub-path (``/docs/team/``) as a site published in a sub-folder is.
* :func:`launch` starts Chromium through Playwright for Python. A missing browser is a
  test failure with the command that installs it, never a skip: CI must run these.
* :class:`Watch` records what a reader would see go wrong on a page: console errors,
  uncaught exceptions, failed requests, HTTP errors, and requests that leave the
  machine (answered locally, so a test never needs the network).
* :func:`generated_pages`, :func:`links_of`: find the pages and links to check from the
  built site itself, so new pages are covered without editing a list.
"""

from __future__ import annotations

import contextlib
import functools
import html.parser
import http.server
import os
import shutil
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("WA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL_HINT = (
    "install it with `scripts/setup.sh --test` (apt-get install chromium) "
    "or point WA_CHROMIUM at a Chromium binary"
)

#: Hosts Material for MkDocs contacts unless told not to (web fonts without
#: ``theme.font: false``, the repository's star count). Like every other request that
#: leaves the site, they are answered locally (a test never needs the network) and
#: reported as a problem: the site must display with no request to another host.
THEME_HOSTS = {"fonts.googleapis.com", "fonts.gstatic.com", "api.github.com"}


# --- serving ----------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib name)
        pass

    def translate_path(self, path: str) -> str:
        # Only URLs under the prefix map onto the folder; anything else is a 404, as a
        # site published under /docs/team/ has nothing at the host's root.
        clean = urllib.parse.urlsplit(path).path
        if not clean.startswith(self.prefix):
            return str(Path(self.directory) / ".outside-the-sub-path" / "404")
        return super().translate_path("/" + clean[len(self.prefix) :])


@contextlib.contextmanager
def serve(folder: Path, prefix: str = "/") -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (a free port) under ``prefix``; yields the base URL
    (``http://127.0.0.1:PORT/docs/team/``)."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    handler = functools.partial(type("Handler", (_QuietHandler,), {"prefix": prefix}), directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --- the browser ------------------------------------------------------------------


def chromium_problem() -> str | None:
    """Why Chromium cannot be used here, or None."""
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM}: {INSTALL_HINT}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed: pip install -e '.[test]'"
    return None


def launch(playwright):
    """Chromium, headless, with no background traffic of its own."""
    problem = chromium_problem()
    if problem:
        pytest.fail(problem, pytrace=False)
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def playwright_instance():
    """Playwright, once per session (import these fixtures into a test module)."""
    problem = chromium_problem()
    if problem:
        pytest.fail(problem, pytrace=False)
    from playwright.sync_api import sync_playwright

    p = sync_playwright().start()
    try:
        yield p
    finally:
        p.stop()


@pytest.fixture(scope="session")
def chromium(playwright_instance):
    browser = launch(playwright_instance)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def context(chromium):
    """A fresh browser context (1280 x 900) per test."""
    ctx = chromium.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield ctx
    finally:
        ctx.close()


@dataclass
class Watch:
    """What went wrong while a page was open (attach with :meth:`attach`)."""

    base: str
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    http_errors: list[str] = field(default_factory=list)
    #: Requests to other hosts: (url, answered locally because the theme asked for it)
    external: list[str] = field(default_factory=list)

    def attach(self, page) -> Watch:
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(f"{m.text} ({m.location.get('url', '')})"))
        page.on("pageerror", lambda exc: self.console_errors.append(f"uncaught: {exc}"))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url}: {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and self.http_errors.append(f"{r.status} {r.url}"))
        page.route("**/*", self._route)
        return self

    def _route(self, route) -> None:
        url = route.request.url
        parts = urllib.parse.urlsplit(url)
        if url.startswith(self.base) or parts.scheme in ("data", "blob"):
            route.continue_()
            return
        self.external.append(url)
        if parts.hostname == "api.github.com":
            route.fulfill(status=200, content_type="application/json", body="{}")
        elif parts.hostname == "fonts.googleapis.com":
            route.fulfill(status=200, content_type="text/css", body="")
        else:
            route.fulfill(status=204, body="")

    def problems(self) -> list[str]:
        foreign = list(self.external)
        return (
            [f"console: {m}" for m in self.console_errors]
            + [f"request failed: {m}" for m in self.failed]
            + [f"HTTP {m}" for m in self.http_errors]
            + [f"request leaves the site: {u}" for u in foreign]
        )


#: Every <img> of the page after it had the chance to load (lazy ones scrolled to).
IMAGES_JS = """
async () => {
  const out = [];
  for (const img of Array.from(document.images)) {
    img.scrollIntoView({block: "center"});
    if (!img.complete) {
      await new Promise(done => {
        img.addEventListener("load", done, {once: true});
        img.addEventListener("error", done, {once: true});
        setTimeout(done, 10000);
      });
    }
    if (img.complete && img.naturalWidth > 0) { try { await img.decode(); } catch (e) {} }
    out.push({src: img.getAttribute("src"), url: img.currentSrc || img.src,
              complete: img.complete, naturalWidth: img.naturalWidth,
              naturalHeight: img.naturalHeight, alt: img.alt});
  }
  window.scrollTo(0, 0);
  return out;
}
"""


#: WCAG contrast of every element styled by the plugin (class ``wa-*``) that shows
#: text, against the nearest opaque background behind it.
CONTRAST_JS = """
() => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = c => {
    const [r, g, b] = rgb(c).slice(0, 3).map(v => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor, v = rgb(c);
      if (v.length >= 3 && (v.length < 4 || v[3] > 0.5)) return c;
    }
    return "rgb(255, 255, 255)";
  };
  const out = [];
  for (const el of document.querySelectorAll('article [class*="wa-"]')) {
    const text = el.textContent.trim();
    if (!text || el.offsetParent === null) continue;
    const fg = getComputedStyle(el).color, bg = background(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    out.push({cls: el.className, text: text.slice(0, 40), fg, bg, ratio: (hi + 0.05) / (lo + 0.05)});
  }
  return out;
}
"""


# --- the built site ---------------------------------------------------------------


def generated_pages(site: Path, section: str = "architecture") -> list[str]:
    """Every HTML page the plugin generated, as URL paths relative to the site root
    (``architecture/``, ``architecture/app/0001-x/``), overview first."""
    pages = []
    for file in sorted((site / section).rglob("*.html")):
        rel = file.relative_to(site).as_posix()
        pages.append(rel[: -len("index.html")] if rel.endswith("/index.html") or rel == "index.html" else rel)
    return sorted(pages, key=lambda p: (p.count("/"), p))


class _Links(html.parser.HTMLParser):
    """Links (a, link), sources (img, script) and element ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str]] = []  # (tag, url)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        want = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src"}.get(tag)
        if want and a.get(want):
            self.refs.append((tag, a[want]))


def parse_links(text: str) -> _Links:
    parser = _Links()
    parser.feed(text)
    parser.close()
    return parser


def site_file(site: Path, url_path: str) -> Path | None:
    """The file a static server sends for ``url_path`` (relative to the site root)."""
    path = urllib.parse.unquote(url_path)
    target = site / path
    if path.endswith("/") or path == "":
        target = target / "index.html"
    return target if target.is_file() else None


def links_of(site: Path, page: str, base: str) -> list[tuple[str, str]]:
    """(tag, absolute URL) for every link and source on ``page``, resolved as a browser
    resolves them against the page's URL ``base + page``."""
    file = site_file(site, page)
    assert file is not None, f"no file for page {page}"
    here = base + page
    return [(tag, urllib.parse.urljoin(here, ref)) for tag, ref in parse_links(file.read_text("utf-8")).refs]


def is_internal(url: str, base: str) -> bool:
    """Whether ``url`` points at the server the site is on (inside the site or not:
    a link to the host's root from a site under /docs/team/ is internal, and broken)."""
    a, b = urllib.parse.urlsplit(url), urllib.parse.urlsplit(base)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


def broken_links(site, pages, base: str) -> list[str]:
    """Crawl every internal link and source of ``pages``: each target must answer 200 from
    the server at ``base``, and a #fragment must name an element of the target page.
    Returns what is broken, with the pages that link to it."""
    targets: dict[str, set[str]] = {}
    for page in pages:
        for _, url in links_of(site, page, base):
            if is_internal(url, base):
                targets.setdefault(url, set()).add(page)
    assert targets, "no internal link found"
    bad: list[str] = []
    ids: dict[str, set[str]] = {}
    for url, sources in sorted(targets.items()):
        bare, _, fragment = url.partition("#")
        if bare not in ids:
            try:
                with urllib.request.urlopen(bare, timeout=10) as response:
                    body, kind = response.read(), response.headers.get_content_type()
            except urllib.error.HTTPError as exc:
                bad.append(f"{exc.code} {url} (linked from {sorted(sources)[:3]})")
                ids[bare] = set()
                continue
            except (urllib.error.URLError, ConnectionError) as exc:
                bad.append(f"{exc} {url} (linked from {sorted(sources)[:3]})")
                ids[bare] = set()
                continue
            ids[bare] = parse_links(body.decode("utf-8", "replace")).ids if kind == "text/html" else set()
        if fragment and fragment not in ids[bare] and urllib.parse.unquote(fragment) not in ids[bare]:
            bad.append(f"#{fragment} not on {bare} (linked from {sorted(sources)[:3]})")
    return bad
