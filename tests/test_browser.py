"""The published demo site in a real browser (Debian's Chromium through Playwright).

The demo (this repository's mkdocs.yml, docs/ and decisions/, replayed into a git
repository with backdated commits by :func:`mkdocs_wa.authoring.demo.make_demo_repo`) is built
once per session, twice: served at the root of a host, and built with
``site_url: https://example.org/docs/team/`` and served under ``/docs/team/``. The pages, images and links checked are found in the built site, so
pages added later (timelines, charts...) are covered without editing this file; the
key pages a reader needs are asserted to exist.

Run: ``python -m pytest tests/test_browser.py -q``. Chromium must be installed
(``scripts/setup.sh --test``); without it these tests fail, they do not skip.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from browser import (
    CONTRAST_JS,
    IMAGES_JS,
    Watch,
    broken_links,
    generated_pages,
    is_internal,
    links_of,
    serve,
    site_file,
)
from sites import REPO, build

pytestmark = pytest.mark.browser

TODAY = "2026-01-01"
SUB_PATH = "/docs/team/"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
#: WCAG AA for normal text: badges and marks are small, so no large-text allowance.
MIN_CONTRAST = 4.5


# --- the demo site --------------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    site: Path
    base: str  # URL the site is served at, ending in /
    log: str  # the build's stderr (warnings)
    pages: tuple[str, ...]  # generated pages, relative to the site root


def make_demo(root: Path, *, site_url: str | None = None) -> Path:
    """The demo project in ``root``: this checkout's mkdocs.yml, docs/ and decisions/,
    with the case studies replayed commit by commit over their real dates (proposed,
    accepted, result; tags), as ``mkdocs-wa demo`` serves it; ``today`` fixed so the
    pages do not change with the date."""
    from mkdocs_wa.authoring.demo import make_demo_repo

    make_demo_repo(root, REPO)
    config = yaml.safe_load((root / "mkdocs.yml").read_text("utf-8"))
    plugins = config["plugins"]
    for i, entry in enumerate(plugins):
        if entry == "well-architected":
            plugins[i] = entry = {"well-architected": {}}
        if isinstance(entry, dict) and "well-architected" in entry:
            entry["well-architected"] = {**(entry["well-architected"] or {}), "today": TODAY}
    if site_url:
        config["site_url"] = site_url
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return root


def _build_demo(root: Path, site_url: str | None) -> tuple[Path, str]:
    make_demo(root, site_url=site_url)
    result = build(root, strict=False)
    assert result.returncode == 0, f"the demo site does not build:\n{result.stderr}"
    return root / "site", result.stderr


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> Built:
    """The demo site served at the root of the host."""
    site, log = _build_demo(tmp_path_factory.mktemp("demo"), None)
    with serve(site) as base:
        yield Built(site, base, log, tuple(generated_pages(site)))


@pytest.fixture(scope="session")
def demo_sub(tmp_path_factory) -> Built:
    """The demo site built for https://example.org/docs/team/ and served under /docs/team/."""
    site, log = _build_demo(tmp_path_factory.mktemp("demo-sub"), "https://example.org" + SUB_PATH)
    with serve(site, SUB_PATH) as base:
        yield Built(site, base, log, tuple(generated_pages(site)))


@pytest.fixture(params=["root", "sub-path"])
def any_demo(request) -> Built:
    return request.getfixturevalue("demo" if request.param == "root" else "demo_sub")


# --- which pages are which ------------------------------------------------------------


def workloads(built: Built) -> list[str]:
    """Workloads that have decision pages."""
    return sorted({p.split("/")[1] for p in decision_pages(built)})


def decision_pages(built: Built) -> list[str]:
    """Decision pages: architecture/<workload>/<slug>/ named like NNNN-slug."""
    return [p for p in built.pages if re.fullmatch(r"architecture/[^/]+/\d+-[^/]+/", p)]


def timeline_pages(built: Built) -> list[str]:
    return [p for p in built.pages if re.fullmatch(r"architecture/[^/]+/timeline/", p)]


def page_with_diagram(built: Built) -> str:
    """A decision page that shows an architecture diagram (the richest page)."""
    for page in decision_pages(built):
        if "/diagrams/" in site_file(built.site, page).read_text("utf-8"):
            return page
    raise AssertionError("no decision page shows a diagram")


def key_pages(built: Built) -> dict[str, str]:
    """Name -> page of the pages a reader needs; a missing one fails the test that asks."""
    w = workloads(built)[0]
    keys = {
        "overview": "architecture/",
        "loops": "architecture/loops/",
        "decision-log": f"architecture/{w}/",
        "decision": page_with_diagram(built),
    }
    timelines = timeline_pages(built)
    if timelines:
        keys["timeline"] = timelines[0]
    return keys


def open_page(context, built: Built, page: str):
    """Open ``page`` with a :class:`Watch` attached; returns (page, watch)."""
    tab = context.new_page()
    watch = Watch(built.base).attach(tab)
    response = tab.goto(built.base + page, wait_until="networkidle")
    assert response is not None and response.status == 200, f"{page}: HTTP {response.status if response else '-'}"
    return tab, watch


# --- tests ----------------------------------------------------------------------------


def test_the_watch_sees_what_goes_wrong(tmp_path, context):
    """The checks below can fail: a page with a console error, a missing image, a
    script error and a request to another host is reported on every count."""
    (tmp_path / "index.html").write_text(
        "<!doctype html><title>t</title><body><img src='missing.png'>"
        "<img src='https://example.invalid/x.png'><script>console.error('boom'); undefined_fn();</script>",
        encoding="utf-8",
    )
    with serve(tmp_path) as base:
        built = Built(tmp_path, base, "", ("",))
        tab, watch = open_page(context, built, "")
        images = tab.evaluate(IMAGES_JS)
        tab.close()
    text = "\n".join(watch.problems())
    assert "boom" in text and "undefined_fn" in text
    assert "HTTP 404" in text and "missing.png" in text
    assert "request leaves the site: https://example.invalid/x.png" in text
    assert [i["naturalWidth"] for i in images] == [0, 0]


def test_the_server_has_nothing_outside_the_sub_path(tmp_path):
    """Served under /docs/team/, a link to the host's root is broken, as when published."""
    (tmp_path / "index.html").write_text("<p>home</p>", encoding="utf-8")
    with serve(tmp_path, SUB_PATH) as base:
        assert base.endswith(SUB_PATH)
        with urllib.request.urlopen(base, timeout=10) as response:
            assert response.status == 200
        for outside in ("/", "/index.html"):
            with pytest.raises(urllib.error.HTTPError) as exc:
                urllib.request.urlopen(urllib.parse.urljoin(base, outside), timeout=10)
            assert exc.value.code == 404


def test_key_pages_exist(demo):
    pages = set(demo.pages)
    assert "architecture/" in pages, "no overview / review dashboard"
    assert "architecture/loops/" in pages, "no feedback loops page"
    for w in workloads(demo):
        assert f"architecture/{w}/" in pages, f"no decision log for workload {w}"
    assert len(workloads(demo)) >= 2, demo.pages
    assert decision_pages(demo), "no decision page"
    assert (demo.site / "architecture" / "decisions.json").is_file(), "no JSON export"
    page_with_diagram(demo)


def test_the_demo_builds_without_warnings(demo):
    """What ``mkdocs build --strict`` would refuse (broken links, decision warnings)."""
    warnings = [line for line in demo.log.splitlines() if line.startswith(("WARNING", "ERROR"))]
    assert not warnings, "\n".join(warnings)


def test_every_workload_has_a_timeline_page(demo):
    # Not skipped while the timeline is missing: a site without it is not done.
    missing = [w for w in workloads(demo) if f"architecture/{w}/timeline/" not in demo.pages]
    assert not missing, (
        f"no timeline page (architecture/<workload>/timeline/index.html) for {missing}; "
        f"generated pages: {sorted(demo.pages)}"
    )


def test_generated_pages_load_without_errors(demo, context):
    """Every generated page (overview, loops, logs, timelines, decisions): no console
    error, no failed request, no HTTP error, nothing fetched from another host."""
    assert len(demo.pages) >= 5
    problems: dict[str, list[str]] = {}
    for page in demo.pages:
        tab, watch = open_page(context, demo, page)
        tab.close()
        if watch.problems():
            problems[page] = watch.problems()
    assert not problems, json.dumps(problems, indent=2)


def test_no_request_leaves_the_machine(demo, context):
    """The home page, a guide page and the generated pages, with search used: every
    request the browser makes goes to 127.0.0.1, the site's own server. No web fonts
    (``theme.font: false``), no star count from api.github.com, no CDN."""
    hosts: dict[str, set[str]] = {}
    pages = ["", "guide/getting-started/", *demo.pages[:3]]
    for page in pages:
        tab = context.new_page()
        Watch(demo.base).attach(tab)  # answers other hosts locally: no network needed
        tab.on("request", lambda r, page=page: hosts.setdefault(page, set()).add(urllib.parse.urlsplit(r.url).hostname or r.url.split(":")[0]))
        tab.goto(demo.base + page, wait_until="networkidle")
        if page == "":
            tab.locator(".md-search__input").click()
            tab.locator(".md-search__input").press_sequentially("chat", delay=20)
            tab.wait_for_selector(".md-search-result__item", timeout=20_000)
        tab.close()
    assert set(hosts) == set(pages)
    leaving = {page: sorted(h - {"127.0.0.1", "data", "blob"}) for page, h in hosts.items() if h - {"127.0.0.1", "data", "blob"}}
    assert not leaving, leaving


def test_every_image_displays(any_demo, context):
    """Every <img> (diagrams, charts, anything else) on the generated pages has loaded
    and has a size, at the root of a host and under a sub-path."""
    seen: set[str] = set()
    broken: list[str] = []
    for page in any_demo.pages:
        tab, watch = open_page(context, any_demo, page)
        images = tab.evaluate(IMAGES_JS)
        tab.close()
        for img in images:
            seen.add(img["src"])
            if not img["complete"] or img["naturalWidth"] <= 0 or img["naturalHeight"] <= 0:
                broken.append(f"{page}: {img['src']} ({img['url']}) complete={img['complete']} size={img['naturalWidth']}x{img['naturalHeight']}")
        broken += [f"{page}: {p}" for p in watch.problems()]
    assert not broken, "\n".join(broken)
    diagrams = {s for s in seen if "/diagrams/" in s or s.startswith("diagrams/")}
    assert diagrams, f"no diagram <img> found on any page; images seen: {sorted(seen)}"
    if timeline_pages(any_demo):
        charts = {s for s in seen if "charts/" in s}
        assert charts, f"timeline pages exist but show no chart <img>; images seen: {sorted(seen)}"


def test_every_internal_link_resolves(any_demo):
    """Crawl every link and source on the generated pages; each internal target answers
    200 from the server, and a #fragment names an element of the target page."""
    bad = broken_links(any_demo.site, any_demo.pages, any_demo.base)
    assert not bad, "\n".join(bad)


def test_links_stay_inside_the_sub_path(demo_sub):
    """Under /docs/team/ no link, image or script points at the host's root."""
    outside = [
        f"{page}: {url}"
        for page in demo_sub.pages
        for _, url in links_of(demo_sub.site, page, demo_sub.base)
        if is_internal(url, demo_sub.base) and not url.startswith(demo_sub.base)
    ]
    assert not outside, "\n".join(outside)


def test_search_finds_a_decision_by_title_and_opens_it(demo, context):
    export = json.loads((demo.site / "architecture" / "decisions.json").read_text("utf-8"))
    decision = export["decisions"][len(export["decisions"]) // 2]
    expected = f"architecture/{decision['workload']}/{decision['slug']}/"
    assert expected in demo.pages
    tab, watch = open_page(context, demo, "")
    box = tab.locator(".md-search__input")
    if not box.is_visible():  # a narrow window shows only the magnifier
        tab.locator('label[for="__search"]').first.click()
    box.click()
    # Typed key by key, as a reader does: Material reads the query on key events, and a
    # value set in one go (fill) is missed when it arrives as the index is loading.
    box.press_sequentially(decision["title"], delay=20)
    tab.wait_for_selector(".md-search-result__item", timeout=20_000)
    links = tab.locator(".md-search-result__item > a.md-search-result__link")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    wanted = [i for i, h in enumerate(hrefs) if urllib.parse.urljoin(tab.url, h).split("#")[0] == demo.base + expected]
    assert wanted, f"searching {decision['title']!r} did not list {expected}; results: {hrefs}"
    assert wanted[0] == 0, f"{expected} is not the first result for its own title: {hrefs}"
    links.nth(wanted[0]).click()
    tab.wait_for_url(demo.base + expected + "*", timeout=10_000)
    heading = tab.locator("article h1").first.inner_text()
    assert decision["id"] in heading and decision["title"] in heading, heading
    assert not watch.problems(), watch.problems()
    tab.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_key_pages(demo, chromium, scheme):
    """Full-page screenshots of the key pages, saved under test-artifacts/screenshots/;
    the palette follows the reader's colour scheme (Material's default/slate)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ctx = chromium.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    try:
        made = []
        contrasts: dict[str, float | None] = {}
        for name, page in key_pages(demo).items():
            tab, watch = open_page(ctx, demo, page)
            tab.evaluate(IMAGES_JS)  # lazy images in, before the picture is taken
            palette = tab.evaluate("document.body.getAttribute('data-md-color-scheme')")
            assert palette == ("slate" if scheme == "dark" else "default"), f"{page}: palette {palette} in {scheme} mode"
            measured = tab.evaluate(CONTRAST_JS)
            contrasts[name] = min((c["ratio"] for c in measured), default=None)
            low = [c for c in measured if c["ratio"] < MIN_CONTRAST]
            assert not low, f"{page} in {scheme} mode: text below {MIN_CONTRAST}:1 contrast: {low}"
            path = SCREENSHOTS / f"{name}-{scheme}.png"
            tab.screenshot(path=str(path), full_page=True)
            tab.close()
            assert path.stat().st_size > 10_000, path
            assert not watch.problems(), watch.problems()
            made.append(path.name)
        assert {"overview", "decision-log", "decision"} <= {m.rsplit("-", 1)[0] for m in made}
        # the status badges were measured, not skipped
        assert contrasts["decision-log"] is not None and contrasts["decision"] is not None, contrasts
        print(f"lowest contrast of plugin-styled text ({scheme}): {contrasts}")
    finally:
        ctx.close()
