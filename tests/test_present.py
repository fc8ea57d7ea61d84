"""How generated pages present decisions: Material components, words, hidden empty
sections (issue 15; imported pages, issue 14 item 8). Real MkDocs builds."""

from __future__ import annotations

import re

import pytest
from sites import article, build, decision_yaml, make_project, read

from mkdocs_wa.render.pages import words
from mkdocs_wa.render.site import PAGE_EXTENSIONS

IMPORTED = decision_yaml(
    "ADR-0007",
    "Use PostgreSQL",
    "accepted",
    "2020-03-01",
    context="We need a database.",
    decision="PostgreSQL.",
)
DEPRECATED = decision_yaml("ADR-0003", "Use MySQL", "deprecated", "2019-01-01", decision="MySQL.")
PROPOSED = decision_yaml(
    "ADR-0009",
    "Cache reads",
    "proposed",
    "2021-01-01",
    hypothesis={"statement": "Reads get faster.", "metrics": [{"name": "p95", "unit": "ms", "target": "<= 100"}]},
)


def test_empty_sections_are_hidden_and_one_invitation_shown(tmp_path):
    root = make_project(tmp_path, {"db/0007-pg.yaml": IMPORTED, "db/0003-mysql.yaml": DEPRECATED, "db/0009-cache.yaml": PROPOSED})
    result = build(root)
    assert result.returncode == 0, result.stderr
    page = article(read(root / "site", "architecture/db/0007-pg/index.html"))
    for gone in ("awaiting result", "Awaiting result", "scores no pillar", "No architecture diagram", ">Result<", "Pillar scorecard"):
        assert gone not in page, gone
    assert page.count("admonition tip") == 1 and "Make this decision measurable" in page
    assert "<code>hypothesis</code>" in page and "<code>pillars</code>" in page
    # a proposed decision with a hypothesis: no invitation, no empty result section,
    # the summary card says the result is awaited
    proposed = article(read(root / "site", "architecture/db/0009-cache/index.html"))
    assert "Make this decision measurable" not in proposed and 'id="result"' not in proposed
    assert re.search(r'wa-outcome--open">.*?</span> Awaiting result</span>', proposed)
    assert "0 of 1 target met" in proposed
    # deprecated: a warning admonition, whatever else the page has
    old = article(read(root / "site", "architecture/db/0003-mysql/index.html"))
    assert re.search(r'<div class="admonition warning">\s*<p class="admonition-title">Deprecated', old)


def test_components_need_no_extension_from_the_site(tmp_path):
    """A site listing none of Material's extensions still gets cards, collapsible
    blocks and tabs: the plugin enables what generated pages use."""
    root = make_project(
        tmp_path,
        {"db/0007-pg.yaml": IMPORTED},
        config={"markdown_extensions": []},
        docs={"index.md": "# Home\n\n=== \"Tab\"\n\n    in a tab\n"},
    )
    result = build(root)
    assert result.returncode == 0, result.stderr
    page = article(read(root / "site", "architecture/db/0007-pg/index.html"))
    assert '<div class="grid cards wa-summary">' in page
    assert 'id="history"' not in page  # history: false (the test sites' default): no empty section
    assert 'markdown' not in re.findall(r"<div[^>]*>", page)[0]  # md_in_html consumed the attribute
    home = article(read(root / "site", "index.html"))
    assert 'class="tabbed-set tabbed-alternate"' in home
    # a collapsed block with Markdown inside: its link resolved by MkDocs like any other
    timeline = article(read(root / "site", "architecture/db/timeline/index.html"))
    block = re.search(r'<details class="abstract wa-iteration">(.*?)</details>', timeline, re.S).group(1)
    assert '<a href="../0007-pg/">ADR-0007 Use PostgreSQL</a>' in block


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (12000, "users", "12,000 users"),
        (15500.0, "", "15,500"),
        (0.8, "s", "0.8 s"),
        ("1 instance", "instances", "1 instance"),
        ("15000", "users", "15,000 users"),
        (1234567.5, "ms", "1,234,568 ms"),
        (99.95, "%", "99.95%"),
        (None, "ms", "–"),
        (1, "instances", "1 instance"),
        (1.0, "ms", "1 ms"),
        (2, "instances", "2 instances"),
    ],
)
def test_one_number_formatter(value, unit, text):
    assert words.number(value, unit) == text


def test_plurals_and_changes():
    assert [words.count(n, "decision") for n in (0, 1, 2, 1200)] == ["0 decisions", "1 decision", "2 decisions", "1,200 decisions"]
    assert words.count(3, "hypothesis") == "3 hypotheses"
    assert words.targets_met(0, 2) == "0 of 2 targets met"
    assert words.targets_met(1, 1) == "1 of 1 target met"
    assert words.change(4, 3) == ("up", "up 1 from 3")
    assert words.change(2, 4) == ("down", "down 2 from 4")
    assert words.change(3, 3) == ("same", "unchanged")
    assert words.change(3, None) == ("new", "new")
    assert words.workload_name("lab-telemetry") == "Lab telemetry"


def test_diagram_section_tabs_and_readable_width():
    import datetime as dt

    from mkdocs_wa.layout import Layout
    from mkdocs_wa.model import Decision
    from mkdocs_wa.render.pages.common import diagram_min_width
    from mkdocs_wa.render.pages.decision import diagram_section

    svg = '<svg width="1302pt" height="1001pt" viewBox="0 0 1302 1001"><text font-size="16.00">x</text></svg>'
    assert diagram_min_width(svg) == 896  # 1302 x 11 / 16, rounded up
    assert diagram_min_width("<svg>") is None
    one = Decision("W-0001", "First", "superseded", dt.date(2021, 1, 1), "w", "decisions/w/0001-first.yaml")
    two = Decision("W-0002", "Second", "accepted", dt.date(2021, 2, 1), "w", "decisions/w/0002-second.yaml")
    md = diagram_section(two, Layout(), "- Added **Function**\n", svg=svg, before=one, before_svg=svg)
    labels = re.findall(r'^=== "(.*?)"$', md, re.M)
    assert labels == ["After", "Before", "Changes"]
    assert md.count('style="min-width: 896px"') == 2 and "(diagrams/0001-first.svg)" in md
    # the first iteration: just its diagram, no tabs
    first = diagram_section(one, Layout(), "", svg=svg)
    assert "===" not in first and "(diagrams/0001-first.svg)" in first


def test_explorer_lists_every_decision_with_its_facets(tmp_path):
    tagged = decision_yaml(
        "ADR-0010", "Encrypt | everything", "accepted", "2022-01-01", tags=["security", "kms"], deciders=["Ana"],
        principles=["on-demand"], pillars={"security": {"score": 4}},
    )
    root = make_project(tmp_path, {"db/0007-pg.yaml": IMPORTED, "db/0003-mysql.yaml": DEPRECATED, "sec/0010-kms.yaml": tagged})
    result = build(root)
    assert result.returncode == 0, result.stderr
    page = article(read(root / "site", "architecture/explorer/index.html"))
    rows = re.findall(r"<tr (data-[^>]*)>", page)
    assert len(rows) == 3  # every decision, readable without JavaScript
    kms = next(r for r in rows if 'data-tag="security|kms"' in r)  # "|" separates values
    assert 'data-pillar="Security"' in kms and 'data-decider="Ana"' in kms and 'data-status="Accepted"' in kms
    assert 'data-principle="Use on-demand resources wherever possible"' in kms
    assert "Encrypt | everything" in page  # the title's pipe did not split the table
    # filters written with their options (the script only shows and hides rows)
    assert re.search(r'<select data-facet="status"><option value="">All</option>(<option value="(Accepted|Deprecated)">\2</option>){2}</select>', page)
    assert '<select data-facet="tag">' in page and '<option value="kms">kms</option>' in page
    html = read(root / "site", "architecture/explorer/index.html")
    assert re.search(r'<script src="[./]*assets/mkdocs-wa/explorer\.js"', html)
    assert "document$" in read(root / "site", "assets/mkdocs-wa/explorer.js")


def test_timeline_of_imported_adrs_shows_what_they_have(tmp_path, aws_lens):
    """ADRs with status and supersedes only: the timeline lists their status changes and
    who replaced whom, with no filler ("no hypothesis", empty charts, empty strips)."""
    import markdown

    from mkdocs_wa.analysis.timeline import build_timelines
    from mkdocs_wa.layout import Layout
    from mkdocs_wa.render.pages.timeline import timeline_markdown
    from mkdocs_wa.source.validate import load_catalog

    folder = tmp_path / "decisions" / "adr"
    folder.mkdir(parents=True)
    (folder / "0001-mysql.yaml").write_text(decision_yaml("ADR-0001", "Use MySQL", "superseded", "2019-01-01"))
    (folder / "0002-pg.yaml").write_text(decision_yaml("ADR-0002", "Use PostgreSQL", "accepted", "2020-01-01", supersedes=["ADR-0001"]))
    catalog, diags = load_catalog([tmp_path / "decisions"], aws_lens)
    assert not [d for d in diags if d.is_error], diags
    timeline = build_timelines(catalog, None)["adr"]
    md = timeline_markdown("adr", timeline, aws_lens, Layout(), diagram_for=lambda d: None)
    html = markdown.markdown(md, extensions=[name for name, _ in PAGE_EXTENSIONS])
    for filler in ("no hypothesis", "scores no pillar", "Pillar scores", "Metrics", "charts/", "<table"):
        assert filler not in html, filler
    events = re.findall(r"<li><time>([\d-]+)</time>(.*?)</li>", html, re.S)
    assert [d for d, _ in events] == ["2019-01-01", "2020-01-01"]
    assert "Superseded" in events[0][1] and "ADR-0002" in events[0][1]  # who replaced it
    assert "Accepted" in events[1][1] and "Use PostgreSQL" in events[1][1]
    assert html.count('<details class="abstract wa-iteration">') == 2


# --- tags feed Material's tags plugin (issue 15, item 6) --------------------------------------


def test_tags_feed_materials_tags_plugin_escaped(tmp_path):
    """With Material's tags plugin on, decisions are listed under their tags; a tag is
    text (the plugin's templates write tag names unescaped, so they get them escaped)."""
    hostile = "<img src=x onerror=alert(1)>"
    decisions = {
        "app/0001-queue.yaml": decision_yaml(tags=["security", hostile]),
        "app/0002-cache.yaml": decision_yaml("APP-0002", "Add a cache", date="2024-02-01", tags=["security"]),
    }
    config = {"plugins": ["search", "tags", {"well-architected": {"today": "2026-01-01", "history": False}}]}
    root = make_project(tmp_path / "p", decisions, config=config,
                        docs={"index.md": "# Home\n", "tags.md": "# Tags\n\n<!-- material/tags -->\n"})
    result = build(root)
    assert result.returncode == 0, result.stderr
    listing = article(read(root / "site", "tags/index.html"))
    security = listing[listing.index("security"):]
    assert "APP-0001" in security and "APP-0002" in security  # both listed under "security"
    assert "<img src=x" not in listing and "&lt;img src=x onerror=alert(1)&gt;" in listing
    page = read(root / "site", "architecture/app/0001-queue/index.html")
    assert 'class="md-tag' in page and "<img src=x" not in page


def test_no_tags_meta_without_the_tags_plugin(tmp_path):
    """Without the tags plugin, decision pages keep an empty meta (see on_page_content)."""
    root = make_project(tmp_path / "p", {"app/0001-queue.yaml": decision_yaml(tags=["security"])})
    result = build(root)
    assert result.returncode == 0, result.stderr
    assert 'class="md-tag' not in read(root / "site", "architecture/app/0001-queue/index.html")


# --- what changed since the latest tag (issue 15, item 5) -------------------------------------


def test_a_page_of_what_changed_since_the_latest_tag(tmp_path):
    import yaml as _yaml
    from gitrepo import GitRepo
    from gitrepo import decision_yaml as git_decision

    repo = GitRepo.init(tmp_path / "site")
    repo.write("mkdocs.yml", _yaml.safe_dump({
        "site_name": "Shop", "theme": {"name": "material"},
        "plugins": ["search", {"well-architected": {"today": "2021-06-01", "diagrams": False}}],
    }))
    repo.write("docs/index.md", "# Home\n")
    a, b, c = "decisions/shop/0001-monolith.yaml", "decisions/shop/0002-cache.yaml", "decisions/search/0001-index.yaml"
    repo.write(a, git_decision("SHOP-0001", status="accepted", date="2021-01-04"))
    repo.write(c, git_decision("SRCH-0001", status="accepted", date="2021-01-04"))
    repo.commit("Start", "2021-01-04")
    repo.tag("v1")
    repo.write(b, git_decision("SHOP-0002", status="proposed", date="2021-02-01", title="Add a cache"))
    repo.commit("Propose a cache", "2021-02-01")
    repo.write(b, git_decision("SHOP-0002", status="accepted", date="2021-02-01", title="Add a cache", supersedes=["SHOP-0001"]))
    repo.write(a, repo.read(a).replace("status: accepted", "status: superseded"))
    repo.commit("Accept the cache", "2021-02-05")
    result = build(repo.path)
    assert result.returncode == 0, result.stderr
    page = article(read(repo.path / "site", "architecture/changes/index.html"))
    assert "What changed since v1" in page
    shop = page[page.index("Shop"):]
    # the cache proposed and accepted, the monolith superseded: on the commits' dates
    assert re.search(r"2021-02-01</time>.*Proposed.*SHOP-0002.*Add a cache", shop, re.S)
    assert re.search(r"2021-02-05</time>.*Accepted.*SHOP-0002", shop, re.S)
    assert re.search(r"2021-02-05</time>.*Superseded.*SHOP-0001", shop, re.S)
    assert "SRCH-0001" not in page  # nothing happened to the search workload after v1
    dashboard = read(repo.path / "site", "architecture/index.html")
    assert 'href="changes/"' in dashboard and "What changed since v1" in dashboard


def test_no_changes_page_without_a_tag(tmp_path):
    root = make_project(tmp_path / "p", {"app/0001-queue.yaml": decision_yaml()})
    assert build(root).returncode == 0
    assert not (root / "site" / "architecture" / "changes").exists()
    assert "What changed since" not in read(root / "site", "architecture/index.html")
