"""The demo built three ways: MkDocs + plugin, ProperDocs + plugin, ``mkdocs-wa generate``
+ Zensical; each build strict, and the three sites the same where it matters.

Same site means: the same generated pages, the same main text on each (the article,
without navigation and theme chrome), the same images and links in it, and the same
search entries (location and title of every page and heading). The Zensical site is
also checked in a real browser (Debian's Chromium): every page loads without console
errors or failed requests, every image displays, every internal link answers, and
searching a decision's title lists its page.

Zensical and ProperDocs are test extras (``pip install -e '.[test]'``); without them
these tests fail with the command that installs them, they do not skip.

"""

from __future__ import annotations

import html.parser
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from browser import IMAGES_JS, Watch, broken_links, generated_pages, parse_links, serve, site_file
from sites import REPO

from mkdocs_wa.render.site import PAGE_EXTENSIONS

TODAY = "2026-01-01"
INSTALL = "pip install -e '.[test]' (scripts/setup.sh --test)"


def _tool(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.fail(f"{module} is not installed: {INSTALL}", pytrace=False)


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def make_demo(root: Path) -> Path:
    """The demo project (as ``mkdocs-wa demo`` makes it), ``today`` fixed, and the
    hand-written page whose URL the generated overview takes renamed."""
    from mkdocs_wa.authoring.demo import make_demo_repo

    make_demo_repo(root, REPO)
    config = yaml.safe_load((root / "mkdocs.yml").read_text("utf-8"))
    for i, entry in enumerate(config["plugins"]):
        if entry == "well-architected":
            config["plugins"][i] = entry = {"well-architected": {}}
        if isinstance(entry, dict) and "well-architected" in entry:
            entry["well-architected"] = {**(entry["well-architected"] or {}), "today": TODAY}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return root


def zensical_config(root: Path, config_file: str, *, nav: str) -> None:
    """mkdocs.yml for Zensical, as docs/guide/zensical.md tells: the stylesheet in
    extra_css, the explorer's script in extra_javascript, the Markdown extensions the
    generated pages use, and with ``nav='explicit'``, the section's nav from ``--print-nav``;
    ``nav='awesome'``: no nav, the awesome-nav plugin reads the generated .nav.yml;
    ``nav='none'``: no nav, Zensical lists the docs folder."""
    config = yaml.safe_load((root / "mkdocs.yml").read_text("utf-8"))
    config["extra_css"] = [*config.get("extra_css", []), "architecture/assets/mkdocs-wa.css"]
    config["extra_javascript"] = [*config.get("extra_javascript", []), "architecture/assets/explorer.js"]
    listed = [next(iter(e)) if isinstance(e, dict) else e for e in config.get("markdown_extensions", [])]
    for name, options in PAGE_EXTENSIONS:  # what `generate` says the site lacks
        if name not in listed:
            config.setdefault("markdown_extensions", []).append({name: dict(options)} if options else name)
    if nav == "explicit":
        printed = _run([sys.executable, "-m", "mkdocs_wa", "generate", "-f", "mkdocs.yml", "--print-nav"], root)
        assert printed.returncode == 0, printed.stdout + printed.stderr
        config["nav"] += yaml.safe_load(printed.stdout)
    else:
        config.pop("nav", None)
        if nav == "awesome":
            config["plugins"].append("awesome-nav")
    (root / config_file).write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


@dataclass(frozen=True)
class Site:
    tool: str
    root: Path
    site: Path
    log: str


@pytest.fixture(scope="module")
def demo_tree(tmp_path_factory) -> Path:
    return make_demo(tmp_path_factory.mktemp("demo-tree"))


def _copy(demo_tree: Path, tmp_path_factory, name: str) -> Path:
    root = tmp_path_factory.mktemp(name) / "project"
    shutil.copytree(demo_tree, root, symlinks=True)
    return root


@pytest.fixture(scope="module")
def mkdocs_site(demo_tree, tmp_path_factory) -> Site:
    root = _copy(demo_tree, tmp_path_factory, "mkdocs")
    result = _run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", "site"], root)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr}"
    return Site("mkdocs", root, root / "site", result.stderr)


@pytest.fixture(scope="module")
def properdocs_site(demo_tree, tmp_path_factory) -> Site:
    _tool("properdocs")
    root = _copy(demo_tree, tmp_path_factory, "properdocs")
    result = _run([sys.executable, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", "site"], root)
    assert result.returncode == 0, f"properdocs build --strict failed:\n{result.stderr}"
    return Site("properdocs", root, root / "site", result.stderr)


def build_with_zensical(root: Path, nav: str) -> Site:
    _tool("zensical")
    generated = _run([sys.executable, "-m", "mkdocs_wa", "generate", "-f", "mkdocs.yml", "--strict"], root)
    assert generated.returncode == 0, f"mkdocs-wa generate failed:\n{generated.stdout}{generated.stderr}"
    # The reference page an MkDocs hook adds (docs/hooks/format_reference.py): Zensical
    # runs no hook, so the demo writes it as a file (docs/recipes/zensical.yml does too).
    from mkdocs_wa.source.schema_docs import format_reference_markdown

    (root / "docs" / "reference" / "format.md").write_text(format_reference_markdown(), "utf-8")
    config = f"zensical-{nav}.yml"
    zensical_config(root, config, nav=nav)
    result = _run([sys.executable, "-m", "zensical", "build", "--strict", "--clean", "-f", config], root)
    assert result.returncode == 0, f"zensical build --strict failed:\n{result.stdout}{result.stderr}"
    return Site("zensical", root, root / "site", result.stdout + result.stderr)


@pytest.fixture(scope="module")
def zensical_site(demo_tree, tmp_path_factory) -> Site:
    return build_with_zensical(_copy(demo_tree, tmp_path_factory, "zensical"), "explicit")


# --- what a page shows ------------------------------------------------------------------


class _Article(html.parser.HTMLParser):
    """The text, images and links of a page's <article> (scripts and styles left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = self.skip = 0
        self.text: list[str] = []
        self.images: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "article":
            self.depth += 1
        if not self.depth:
            return
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "img" and a.get("src"):
            self.images.append(a["src"])
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1
        elif self.depth and tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            self.text.append(data)


@dataclass(frozen=True)
class Shown:
    text: str
    images: tuple[str, ...]
    links: tuple[str, ...]


def shown(site: Path, page: str) -> Shown:
    parser = _Article()
    parser.feed(site_file(site, page).read_text("utf-8"))
    text = re.sub(r"\s+", " ", " ".join(parser.text)).strip()
    # The "edit this page" button is theme chrome inside the article: its link differs
    # by design (docs/guide/zensical.md, "What differs").
    links = tuple(h for h in parser.links if "/edit/" not in h)
    return Shown(text, tuple(parser.images), links)


def search_entries(site: Path, section: str = "architecture/") -> set[tuple[str, str, str]]:
    """(location, title, text) of every search entry in the section: MkDocs' and
    ProperDocs' search/search_index.json, Zensical's search.json. Tags are left out of
    the text: the indexers keep different ones (Zensical keeps ``<small>``)."""
    mkdocs_index = site / "search" / "search_index.json"
    if mkdocs_index.is_file():
        docs = json.loads(mkdocs_index.read_text("utf-8"))["docs"]
    else:
        docs = json.loads((site / "search.json").read_text("utf-8"))["items"]
    return {
        (d["location"], d["title"], re.sub(r"\s+", " ", re.sub(r"<[^>]*>", "", d["text"])).strip())
        for d in docs
        if d["location"].startswith(section)
    }


# --- the three builds -------------------------------------------------------------------


def test_each_tool_builds_the_demo_strictly(mkdocs_site, properdocs_site, zensical_site):
    """Each fixture asserts its strict build passed; here: no warning in the logs either."""
    for built in (mkdocs_site, properdocs_site, zensical_site):
        warnings = [line for line in built.log.splitlines() if re.match(r"\s*(WARNING|ERROR|Warning:|Error:)", line)]
        assert not warnings, f"{built.tool}: " + "\n".join(warnings)
    assert "No issues found" in zensical_site.log or "issues found" not in zensical_site.log, zensical_site.log


@pytest.mark.parametrize("other", ["properdocs_site", "zensical_site"])
def test_the_same_pages_text_images_and_links(mkdocs_site, other, request):
    other_site: Site = request.getfixturevalue(other)
    reference = generated_pages(mkdocs_site.site)
    assert len(reference) >= 10 and "architecture/" in reference
    assert generated_pages(other_site.site) == reference
    different = []
    for page in reference:
        a, b = shown(mkdocs_site.site, page), shown(other_site.site, page)
        assert a.text, f"{page}: no main text"
        for what in ("text", "images", "links"):
            if getattr(a, what) != getattr(b, what):
                different.append(f"{page} {what}:\n  mkdocs:   {getattr(a, what)!r:.600}\n  {other_site.tool}: {getattr(b, what)!r:.600}")
    assert not different, "\n".join(different)
    # Diagrams, charts and the export are published at the same paths.
    assets = {p.relative_to(mkdocs_site.site).as_posix() for p in (mkdocs_site.site / "architecture").rglob("*") if p.suffix in (".svg", ".json")}
    assert any("/diagrams/" in a for a in assets) and any("/charts/" in a for a in assets)
    for asset in sorted(assets):
        assert (other_site.site / asset).read_bytes() == (mkdocs_site.site / asset).read_bytes(), asset


@pytest.mark.parametrize("other", ["properdocs_site", "zensical_site"])
def test_the_same_search_entries(mkdocs_site, other, request):
    other_site: Site = request.getfixturevalue(other)
    reference = search_entries(mkdocs_site.site)
    assert len(reference) > 50
    entries = search_entries(other_site.site)
    assert entries == reference, (
        f"only in mkdocs: {sorted(reference - entries)[:5]}\nonly in {other_site.tool}: {sorted(entries - reference)[:5]}"
    )


def _nav_links(site: Path, page: str) -> list[str]:
    """The targets of the primary navigation on ``page``, resolved to site paths."""
    text = site_file(site, page).read_text("utf-8")
    start = text.index("md-nav--primary")
    end = text.find('class="md-content"', start)
    nav = text[start : end if end > 0 else len(text)]  # nested <nav> per section: up to the content
    base = "http://site/" + page
    out = []
    for _, href in parse_links(nav).refs:
        url = urllib.parse.urljoin(base, href).split("#")[0]
        if url.startswith("http://site/"):
            out.append(url[len("http://site/") :])
    return out


@pytest.mark.parametrize("nav", ["explicit", "awesome", "none"])
def test_generated_pages_are_in_the_zensical_navigation(nav, demo_tree, tmp_path_factory, zensical_site):
    """With the --print-nav fragment in an explicit nav, with no nav and the awesome-nav
    plugin reading the generated .nav.yml, and with no nav at all: every generated page
    is in the navigation but the decisions' (as with the plugin, whose default
    nav_decisions is off); with no nav at all, Zensical lists them all. In the first two,
    in the plugin's order."""
    built = zensical_site if nav == "explicit" else build_with_zensical(_copy(demo_tree, tmp_path_factory, f"nav-{nav}"), nav)
    pages = generated_pages(built.site)
    if nav in ("explicit", "awesome"):
        pages = [p for p in pages if not re.fullmatch(r"architecture/[^/]+/(?!timeline/)[^/]+/", p)]
    listed = _nav_links(built.site, "guide/cli/")
    in_nav = [p for p in dict.fromkeys(listed) if p.startswith("architecture/")]
    assert set(in_nav) == set(pages), sorted(set(pages) ^ set(in_nav))
    if nav in ("explicit", "awesome"):
        export = json.loads((built.site / "architecture" / "decisions.json").read_text("utf-8"))
        workload = export["decisions"][0]["workload"]
        mine = [p for p in in_nav if p.startswith(f"architecture/{workload}/")]
        # The plugin's order: the log, the timeline, then the decisions.
        assert mine[:2] == [f"architecture/{workload}/", f"architecture/{workload}/timeline/"], mine
        assert in_nav[:3] == ["architecture/", "architecture/explorer/", "architecture/loops/"], in_nav


# --- the Zensical site in a browser ----------------------------------------------------


@dataclass(frozen=True)
class Served:
    site: Path
    base: str
    pages: tuple[str, ...]


@pytest.fixture(scope="module")
def served(zensical_site) -> Served:
    with serve(zensical_site.site) as base:
        yield Served(zensical_site.site, base, tuple(generated_pages(zensical_site.site)))


def _open(context, served: Served, page: str):
    tab = context.new_page()
    watch = Watch(served.base).attach(tab)
    response = tab.goto(served.base + page, wait_until="networkidle")
    assert response is not None and response.status == 200, f"{page}: HTTP {response.status if response else '-'}"
    return tab, watch


@pytest.mark.browser
def test_zensical_pages_load_and_every_image_displays(served, context):
    problems: list[str] = []
    seen: set[str] = set()
    for page in served.pages:
        tab, watch = _open(context, served, page)
        for img in tab.evaluate(IMAGES_JS):
            seen.add(img["src"])
            if not img["complete"] or img["naturalWidth"] <= 0 or img["naturalHeight"] <= 0:
                problems.append(f"{page}: image {img['src']} does not display")
        # The plugin's stylesheet applies (a status badge is styled by it).
        if page.count("/") == 3 and not tab.evaluate(
            "() => [...document.styleSheets].some(s => (s.href || '').endsWith('mkdocs-wa.css'))"
        ):
            problems.append(f"{page}: mkdocs-wa.css is not loaded")
        tab.close()
        problems += [f"{page}: {p}" for p in watch.problems()]
    assert not problems, "\n".join(problems)
    assert any("diagrams/" in s for s in seen) and any("charts/" in s for s in seen), sorted(seen)


@pytest.mark.browser
def test_zensical_internal_links_resolve(served):
    bad = broken_links(served.site, served.pages, served.base)
    assert not bad, "\n".join(bad)


@pytest.mark.browser
def test_zensical_search_finds_a_decision_by_title(served, context):
    export = json.loads((served.site / "architecture" / "decisions.json").read_text("utf-8"))
    decision = export["decisions"][len(export["decisions"]) // 2]
    expected = f"architecture/{decision['workload']}/{decision['slug']}/"
    assert expected in served.pages
    tab, watch = _open(context, served, "")
    # Zensical's search is a dialog in a shadow root (Playwright's CSS pierces it).
    tab.locator(".md-search__button").first.click()
    box = tab.locator('dialog[aria-label="Search"] input[aria-label="Search"]').first
    box.wait_for(state="visible", timeout=10_000)
    box.press_sequentially(decision["title"], delay=20)
    results = tab.locator('dialog[aria-label="Search"] ol[role="listbox"] a[role="option"]')
    results.first.wait_for(state="visible", timeout=20_000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert hrefs and urllib.parse.urljoin(tab.url, hrefs[0]).split("#")[0] == served.base + expected, (
        f"searching {decision['title']!r}: {expected} is not the first result: {hrefs}"
    )
    link = results.first
    link.click()
    tab.wait_for_url(served.base + expected + "*", timeout=10_000)
    heading = tab.locator("article h1").first.inner_text()
    assert decision["id"] in heading and decision["title"] in heading, heading
    assert not watch.problems(), watch.problems()
    tab.close()


def test_a_hostile_title_stays_text_in_the_zensical_head(tmp_path):
    """Zensical writes ``<title>{{ page.title | striptags }}``, and striptags unescapes:
    generated pages carry the escaped title in front matter, which it writes as it is."""
    _tool("zensical")
    from sites import decision_yaml, make_project

    title = "Evil </title><script>alert(1)</script> & co"
    root = make_project(tmp_path, {"app/0001-evil.yaml": decision_yaml("APP-0001", title)},
                        config={"extra_css": ["architecture/assets/mkdocs-wa.css"]})
    generated = _run([sys.executable, "-m", "mkdocs_wa", "generate"], root)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    result = _run([sys.executable, "-m", "zensical", "build", "--strict"], root)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (root / "site" / "architecture" / "app" / "0001-evil" / "index.html").read_text("utf-8")
    head = page[: page.index("</head>")]
    assert "<script>alert(1)" not in page
    assert re.search(r"<title>APP-0001 · Evil &lt;/title&gt;&lt;script&gt;alert\(1\)&lt;/script&gt; &amp; co - ", head), head[:2000]
    # A title without markup characters gets no front matter (the page stays as the plugin's).
    plain = (root / "docs" / "architecture" / "app" / "index.md").read_text("utf-8")
    assert not plain.startswith("---")
