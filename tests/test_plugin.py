"""The MkDocs plugin, tested by building real sites in temporary folders."""

from __future__ import annotations

import json
import re

from sites import article, build, decision_yaml, make_project, read, tree

QUEUE = decision_yaml(
    "APP-0001",
    "Use a queue between web and workers",
    "accepted",
    "2024-01-10",
    deciders=["Ana", "Bo"],
    tags=["async"],
    context="Web requests **wait** for slow jobs.",
    decision="Put jobs on a queue.",
    consequences="Workers scale apart from web.",
    principles=["on-demand"],
    hypothesis={
        "statement": "p95 response drops under 300 ms.",
        "review_by": "2024-03-01",
        "metrics": [
            {"name": "p95 response", "unit": "ms", "baseline": 900, "target": "<= 300", "observed": 250},
            {"name": "Error rate", "unit": "%", "baseline": 2, "target": "< 1", "observed": 1.5},
        ],
    },
    result={"outcome": "inconclusive", "measured_on": "2024-02-20", "summary": "Faster, errors not yet down.", "learned": "Retry storms."},
    pillars={"reliability": {"score": 3}, "performance-efficiency": {"score": 4, "note": "p95 250 ms"}},
)
CACHE = decision_yaml(
    "APP-0002",
    "Cache sessions in memory",
    "accepted",
    "2024-04-02",
    supersedes=["APP-0000"],
    pillars={"reliability": {"score": 4}, "performance-efficiency": {"score": 3}},
)
OLD = decision_yaml("APP-0000", "Keep sessions in the database", "superseded", "2023-11-01")


def project(tmp_path, **kwargs):
    decisions = kwargs.pop(
        "decisions",
        {"app/0000-sessions-in-db.yaml": OLD, "app/0001-queue.yaml": QUEUE, "app/0002-cache.yaml": CACHE},
    )
    return make_project(tmp_path, decisions, **kwargs)


def test_builds_a_page_per_decision_a_log_and_an_overview(tmp_path):
    root = project(tmp_path)
    before = tree(root / "docs") | {"decisions/" + k: v for k, v in tree(root / "decisions").items()}
    result = build(root)
    assert result.returncode == 0, result.stderr
    site = root / "site"
    page = read(site, "architecture/app/0001-queue/index.html")
    assert "APP-0001 · Use a queue between web and workers" in page
    assert re.search(r'class="wa-status wa-status--accepted"><span class="twemoji wa-icon"[^>]*><svg.*?</svg></span> Accepted<', page)
    assert "Ana, Bo" in page
    assert "<strong>wait</strong>" in page  # Markdown in decision text is rendered
    # metrics table: baseline, target, observed and the verdict, in words
    # (the verdict first: on a phone the key column stays in view)
    assert re.search(r"p95 response</td>\s*<td><span class=\"wa-met\">.*?</span> met</span></td>\s*<td>250 ms</td>\s*<td>&lt;= 300 ms</td>\s*<td>900 ms</td>", page)
    assert re.search(r"Error rate</td>\s*<td><span class=\"wa-missed\">.*?</span> missed</span></td>\s*<td>1.5%</td>", page)
    assert "1 of 2 targets met</span> (1 missed)" in page  # the summary card
    assert re.search(r'wa-outcome--inconclusive">.*?</span> Inconclusive</span> on 2024-02-20', page)
    assert "Retry storms." in page
    assert "Use on-demand resources wherever possible" in page
    # the scorecard compares with the previous iteration
    cache = read(site, "architecture/app/0002-cache/index.html")
    assert re.search(r"Reliability</td>\s*<td><span class=\"wa-score wa-score--4\">4/5</span></td>\s*<td><span class=\"wa-up\">.*?</span> up 1 from 3</span>", cache)
    assert re.search(r"Performance Efficiency</td>\s*<td>.*?3/5</span></td>\s*<td><span class=\"wa-down\">.*?</span> down 1 from 4</span>", cache)
    # supersedes / superseded by link both ways
    assert 'href="../0000-sessions-in-db/"' in cache
    old = read(site, "architecture/app/0000-sessions-in-db/index.html")
    # a superseded decision opens with a warning naming its successor
    warning = re.search(r'<div class="admonition warning">(.*?)</div>', old, re.S)
    assert warning and "Superseded" in warning.group(1) and 'href="../0002-cache/"' in warning.group(1)
    assert "wa-status--superseded" in old
    log = article(read(site, "architecture/app/index.html"))
    assert log.index("APP-0002") < log.index("APP-0001") < log.index("APP-0000")  # newest first
    assert "Current pillar scores" in log
    overview = read(site, "architecture/index.html")
    assert 'href="app/"' in overview
    # the build wrote nothing into docs/ or decisions/
    after = tree(root / "docs") | {"decisions/" + k: v for k, v in tree(root / "decisions").items()}
    assert after == before


def test_search_index_finds_a_decision_by_title(tmp_path):
    root = project(tmp_path)
    assert build(root).returncode == 0
    index = json.loads(read(root / "site", "search/search_index.json"))
    hits = [doc["location"] for doc in index["docs"] if "Cache sessions in memory" in doc["title"]]
    assert "architecture/app/0002-cache/" in hits


def nav_titles(html: str) -> list[str]:
    nav = html[html.index("md-nav--primary") :]
    return [t.strip() for t in re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', nav, re.S)]


def test_navigation_without_explicit_nav_has_one_curated_section(tmp_path):
    root = project(tmp_path)
    assert build(root).returncode == 0
    assert nav_titles(read(root / "site", "index.html")) == [
        "Home",
        "Architecture",
        "Architecture review",
        "Decision explorer",
        "Feedback loops",
        "App",
        "App: decision log",
        "App: evolution timeline",
    ]  # decision pages are reached from the log (nav_decisions puts them back: tests/test_nav.py)


def test_explicit_nav_gets_the_section_appended(tmp_path):
    root = project(tmp_path, config={"nav": [{"Home": "index.md"}]})
    result = build(root)
    assert result.returncode == 0, result.stderr
    titles = nav_titles(read(root / "site", "index.html"))
    assert titles[:2] == ["Home", "Architecture"] and "App: decision log" in titles


def test_explicit_nav_naming_a_generated_page_is_left_alone(tmp_path):
    root = project(tmp_path, config={"nav": [{"Home": "index.md"}, {"Decisions": "architecture/app/index.md"}]})
    result = build(root, strict=False)
    assert result.returncode == 0, result.stderr
    titles = nav_titles(read(root / "site", "index.html"))
    assert titles == ["Home", "Decisions"]


def test_use_directory_urls_off(tmp_path):
    root = project(tmp_path, config={"use_directory_urls": False})
    result = build(root)
    assert result.returncode == 0, result.stderr
    cache = read(root / "site", "architecture/app/0002-cache.html")
    assert 'href="0000-sessions-in-db.html"' in cache
    assert (root / "site" / "architecture" / "app" / "index.html").exists()


def test_site_under_a_sub_path_uses_relative_links(tmp_path):
    root = project(tmp_path, config={"site_url": "https://example.org/docs/team/"})
    assert build(root).returncode == 0
    page = read(root / "site", "architecture/app/0002-cache/index.html")
    hrefs = re.findall(r'href="([^"]+)"', page)
    assert not [h for h in hrefs if h.startswith("/architecture")], "links must not be absolute to the host root"
    assert 'href="../0000-sessions-in-db/"' in page


HOSTILE = decision_yaml(
    "APP-0001",
    'Title <img src=x onerror="alert(1)"> here',
    "accepted",
    "2024-01-10",
    context="<script>alert('ctx')</script>\n\n<img src=x onerror=alert(2)>\n\n[click](javascript:alert(3))",
    tags=["<b>tag</b>"],
    hypothesis={
        "statement": "ok",
        "metrics": [{"name": "<svg onload=alert(4)>", "target": "<= 1", "observed": 1, "source": "javascript:alert(5)"}],
    },
)


def test_html_in_decisions_is_escaped_by_default(tmp_path):
    root = project(tmp_path, decisions={"app/0001-x.yaml": HOSTILE})
    result = build(root, strict=False)  # its feedback loop is (rightly) overdue
    assert result.returncode == 0, result.stderr
    page = read(root / "site", "architecture/app/0001-x/index.html")
    body = article(page)
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert" in body  # shown as text
    assert not re.search(r"<[^>]+\sonerror\s*=", body), "no live onerror attribute"
    assert not re.search(r"<[^>]+\sonload\s*=", body)
    assert "javascript:" not in " ".join(re.findall(r'href="([^"]*)"', body))
    assert "<b>tag</b>" not in body


def test_trusted_html_keeps_raw_html(tmp_path):
    text = decision_yaml("APP-0001", "Trusted", "accepted", "2024-01-10", context='<abbr title="x">WA</abbr> text')
    root = project(tmp_path, decisions={"app/0001-x.yaml": text}, plugin_options={"trusted_html": True})
    assert build(root).returncode == 0
    assert '<abbr title="x">WA</abbr>' in read(root / "site", "architecture/app/0001-x/index.html")


BROKEN = "schema: 1\nid: APP-0009\ntitle: Broken\nstatus: acepted\ndate: 2024-13-01\n"


def test_invalid_decision_fails_the_build_with_every_problem(tmp_path):
    root = project(tmp_path, decisions={"app/0001-queue.yaml": QUEUE, "app/0009-broken.yaml": BROKEN})
    result = build(root, strict=False)
    assert result.returncode != 0
    assert "decisions/app/0009-broken.yaml:4:9: error: status is 'acepted'" in result.stderr
    assert "did you mean 'accepted'" in result.stderr
    assert "on_invalid: skip" in result.stderr


def test_on_invalid_skip_builds_without_the_file_but_strict_still_fails(tmp_path):
    root = project(
        tmp_path,
        decisions={"app/0001-queue.yaml": QUEUE, "app/0009-broken.yaml": BROKEN},
        plugin_options={"on_invalid": "skip"},
    )
    lenient = build(root, strict=False)
    assert lenient.returncode == 0, lenient.stderr
    assert "WARNING" in lenient.stderr and "0009-broken.yaml:4:9" in lenient.stderr
    assert (root / "site/architecture/app/0001-queue/index.html").exists()
    assert not (root / "site/architecture/app/0009-broken/index.html").exists()
    assert build(root, strict=True).returncode != 0


def test_edit_link_points_at_the_yaml_file(tmp_path):
    root = project(tmp_path, config={"repo_url": "https://github.com/org/repo", "edit_uri": "edit/main/docs/"})
    assert build(root).returncode == 0
    page = read(root / "site", "architecture/app/0001-queue/index.html")
    assert 'href="https://github.com/org/repo/edit/main/decisions/app/0001-queue.yaml"' in page


def test_a_docs_page_in_the_generated_section_is_a_clear_error(tmp_path):
    root = project(tmp_path, docs={"index.md": "# Home\n", "architecture/index.md": "# Mine\n"})
    result = build(root, strict=False)
    assert result.returncode != 0
    assert "architecture/index.md (in docs/) and the plugin's page architecture/index.md both give the URL" in result.stderr


def test_custom_section_and_lens(tmp_path):
    azure = decision_yaml("APP-0001", "Azure scored", "accepted", "2024-01-10", pillars={"reliability": {"score": 2}})
    root = project(tmp_path, decisions={"app/0001-x.yaml": azure}, plugin_options={"section": "adr", "lens": "azure-well-architected"})
    assert build(root).returncode == 0
    assert "Azure Well-Architected Framework" in read(root / "site", "adr/index.html")


def test_disabled_plugin_generates_nothing(tmp_path):
    root = project(tmp_path, plugin_options={"enabled": False})
    assert build(root).returncode == 0
    assert not (root / "site" / "architecture").exists()
