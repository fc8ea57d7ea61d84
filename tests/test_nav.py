"""The section's navigation: decision pages out of it by default (issue 19, linear scale),
back in with ``nav_decisions``; the plugin and ``mkdocs-wa generate`` agree.

Real MkDocs builds (``--strict``) of a small project, read back from the built HTML.
"""

from __future__ import annotations

import json
import re
import urllib.parse

import yaml
from sites import article, build, decision_yaml, make_project, read

from mkdocs_wa.cli import main
from mkdocs_wa.pipeline.generate import NAV_FILE

DECISIONS = {
    "app/0000-sessions-in-db.yaml": decision_yaml("APP-0000", "Keep sessions in the database", "superseded", "2023-11-01"),
    "app/0001-queue.yaml": decision_yaml("APP-0001", "Use a queue between web and workers", "accepted", "2024-01-10"),
    "app/0002-cache.yaml": decision_yaml("APP-0002", "Cache sessions in memory", "accepted", "2024-04-02", supersedes=["APP-0000"]),
    "billing/0001-stripe.yaml": decision_yaml("BIL-0001", "Take payments with Stripe", "accepted", "2024-02-01"),
}
DECISION_PAGES = ["architecture/app/0000-sessions-in-db/", "architecture/app/0001-queue/",
                  "architecture/app/0002-cache/", "architecture/billing/0001-stripe/"]


def project(tmp_path, **kwargs):
    return make_project(tmp_path, DECISIONS, **kwargs)


def primary_nav(html: str) -> str:
    start = html.index("md-nav--primary")
    return html[start : html.index('class="md-content"', start)]


def nav_targets(site, page: str) -> list[str]:
    """The primary navigation's links on ``page``, as site paths, in order."""
    base = "http://site/" + page
    out = []
    for href in re.findall(r'<a href="([^"]*)"', primary_nav(read(site, page + "index.html"))):
        url = urllib.parse.urljoin(base, href).split("#")[0]
        if url.startswith("http://site/") and url[len("http://site/"):] not in out:
            out.append(url[len("http://site/"):])
    # The current page is written as a <label>/<a> pair too; the set of targets is what counts.
    return out


def active_entries(site, page: str) -> list[str]:
    """Titles of the navigation entries marked active on ``page``."""
    nav = primary_nav(read(site, page + "index.html"))
    found = []
    for m in re.finditer(r'<li class="md-nav__item[^"]*md-nav__item--active[^"]*"', nav):
        title = re.search(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', nav[m.end():], re.DOTALL)
        found.append(title.group(1).strip() if title else "")
    return found


def test_decision_pages_are_built_searchable_and_linked_but_not_in_the_nav(tmp_path):
    root = project(tmp_path, config={"site_url": "https://example.org/docs/"})
    result = build(root)  # --strict: a warning would fail it
    assert result.returncode == 0, result.stderr
    assert "not included in the" not in result.stderr
    site = root / "site"
    targets = nav_targets(site, "")
    assert targets == [
        "", "architecture/", "architecture/explorer/", "architecture/loops/",
        "architecture/app/", "architecture/app/timeline/", "architecture/billing/", "architecture/billing/timeline/",
    ], targets
    for page in DECISION_PAGES:
        html = read(site, page + "index.html")
        assert page not in {t for t in nav_targets(site, page)}
        # a way back: the workload's log, linked from the page's content...
        assert 'href="../"' in article(html), page
        # ... and shown as the current place in the navigation, with its sections
    assert active_entries(site, "architecture/app/0001-queue/") == ["Architecture", "App", "App: decision log"]
    assert active_entries(site, "architecture/billing/0001-stripe/") == ["Architecture", "Billing", "Billing: decision log"]
    # previous / next run through the workload's decisions
    queue = read(site, "architecture/app/0001-queue/index.html")
    assert '<link rel="prev" href="../0000-sessions-in-db/">' in queue
    assert '<link rel="next" href="../0002-cache/">' in queue
    # every decision page is in the search index and the sitemap
    index = json.loads(read(site, "search/search_index.json"))
    locations = {doc["location"] for doc in index["docs"]}
    assert set(DECISION_PAGES) <= locations
    hits = [d["location"] for d in index["docs"] if d["title"] == "APP-0002 · Cache sessions in memory"]
    assert hits == ["architecture/app/0002-cache/"]
    sitemap = read(site, "sitemap.xml")
    assert all(f"<loc>https://example.org/docs/{page}</loc>" in sitemap for page in DECISION_PAGES)
    # the log lists (and links) its decisions
    log = article(read(site, "architecture/app/index.html"))
    for slug in ("0000-sessions-in-db", "0001-queue", "0002-cache"):
        assert f'href="{slug}/"' in log


def test_explicit_nav_gets_the_section_without_decisions_and_no_warning(tmp_path):
    root = project(tmp_path, config={"nav": [{"Home": "index.md"}]})
    result = build(root)
    assert result.returncode == 0, result.stderr
    assert "not included in the" not in result.stderr
    site = root / "site"
    assert not set(DECISION_PAGES) & set(nav_targets(site, ""))
    assert active_entries(site, "architecture/app/0002-cache/") == ["Architecture", "App", "App: decision log"]


def test_nav_decisions_puts_them_back_under_their_workload(tmp_path):
    root = project(tmp_path, plugin_options={"nav_decisions": True})
    result = build(root)
    assert result.returncode == 0, result.stderr
    site = root / "site"
    assert nav_targets(site, "")[4:] == [
        "architecture/app/", "architecture/app/timeline/", *DECISION_PAGES[:3],
        "architecture/billing/", "architecture/billing/timeline/", DECISION_PAGES[3],
    ]
    # in the navigation, a decision page is its own active entry
    assert active_entries(site, "architecture/app/0001-queue/") == [
        "Architecture", "App", "APP-0001 · Use a queue between web and workers"]


def test_more_workloads_than_nav_workloads_leaves_them_to_the_overview(tmp_path):
    """Every page carries the navigation: with more workloads than ``nav_workloads`` it
    lists none of them, and their pages hang under the overview (which has a card per
    workload), the decisions under their log, as before."""
    root = project(tmp_path, plugin_options={"nav_workloads": 1})
    result = build(root)  # --strict: no page reported missing from the navigation
    assert result.returncode == 0, result.stderr
    assert "not included in the" not in result.stderr
    site = root / "site"
    listed = ["", "architecture/", "architecture/explorer/", "architecture/loops/"]
    for page in ["", "architecture/app/", "architecture/billing/timeline/", *DECISION_PAGES]:
        # (the current page may show as a link of its own)
        assert set(nav_targets(site, page)) | {page} == set(listed) | {page}, page
    assert active_entries(site, "architecture/app/") == ["Architecture", "Architecture review"]
    assert active_entries(site, "architecture/app/0001-queue/") == ["Architecture", "Architecture review"]
    queue = read(site, "architecture/app/0001-queue/index.html")
    assert '<link rel="prev" href="../0000-sessions-in-db/">' in queue
    overview = article(read(site, "architecture/index.html"))
    assert 'href="app/"' in overview and 'href="billing/"' in overview
    # two workloads, the default (30): listed as before
    root2 = project(tmp_path / "two")
    assert build(root2).returncode == 0
    assert "architecture/billing/timeline/" in nav_targets(root2 / "site", "")


def _as_site_paths(entries, section_dir: str = "") -> list[str]:
    """A nav (mkdocs.yml style) flattened to the pages' URLs."""
    out = []
    for e in entries:
        if isinstance(e, str):
            path = section_dir + e
            out.append(path[: -len("index.md")] if path.endswith("index.md") else path[: -len(".md")] + "/")
        else:
            for children in e.values():
                out += _as_site_paths(children, section_dir)
    return out


def test_generate_writes_the_plugins_navigation(tmp_path, capsys):
    """``mkdocs-wa generate``'s .nav.yml and --print-nav list what the plugin's nav lists,
    in its order, with and without nav_decisions."""
    for option in (False, True):
        root = project(tmp_path / str(option), plugin_options={"nav_decisions": option})
        assert build(root).returncode == 0
        plugin_nav = [t for t in nav_targets(root / "site", "") if t.startswith("architecture/")]
        assert main(["generate", "-f", str(root / "mkdocs.yml"), "--print-nav"]) == 0
        printed = yaml.safe_load(capsys.readouterr().out)
        assert _as_site_paths(printed[0]["Architecture"]) == plugin_nav
        assert main(["generate", "-f", str(root / "mkdocs.yml")]) == 0
        capsys.readouterr()
        written = yaml.safe_load((root / "docs" / "architecture" / NAV_FILE).read_text("utf-8"))
        assert _as_site_paths(written["nav"], "architecture/") == plugin_nav
        assert (set(DECISION_PAGES) <= set(plugin_nav)) is option
