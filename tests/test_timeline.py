"""Timelines from a catalog and a real git history, and the timeline and history pages."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import markdown
import pytest
from gitrepo import GitRepo, decision_yaml

from mkdocs_wa.analysis.timeline import build_timelines, metric_slug
from mkdocs_wa.history.reader import read_history
from mkdocs_wa.layout import Layout
from mkdocs_wa.model import Catalog, Lens
from mkdocs_wa.render.pages.history_section import NO_HISTORY, code, history_markdown
from mkdocs_wa.render.pages.timeline import timeline_markdown
from mkdocs_wa.render.site import PAGE_EXTENSIONS
from mkdocs_wa.source.validate import load_catalog
from mkdocs_wa.source.verdicts import Verdict

A = "decisions/shop/0001-monolith.yaml"
B = "decisions/shop/0002-cache.yaml"
C = "decisions/shop/0003-cdn.yaml"
D = "decisions/shop/0004-queue.yaml"
OTHER = "decisions/search/0001-index.yaml"
LATENCY = "p95 latency"


def catalog(root: Path, lens: Lens) -> Catalog:
    cat, diags = load_catalog([root / "decisions"], lens, display=lambda p: p.relative_to(root).as_posix())
    assert not [d for d in diags if d.is_error], diags
    return cat


def write_shop(repo: GitRepo) -> None:
    """Three iterations, a proposal, and another workload, committed over two months."""
    repo.write(A, decision_yaml("SHOP-0001", status="proposed", date="2021-01-04", metrics={LATENCY: ("ms", "<= 500", None)}))
    repo.write(OTHER, decision_yaml("SRCH-0001", status="proposed", date="2021-01-04"))
    repo.commit("Propose the monolith", "2021-01-04")
    repo.write(
        A,
        decision_yaml(
            "SHOP-0001",
            status="accepted",
            date="2021-01-04",
            metrics={LATENCY: ("ms", "<= 500", 900)},
            result=("refuted", "2021-01-20"),
            pillars={"reliability": 2, "security": 3},
        ),
    )
    repo.commit("Accept the monolith and measure it", "2021-01-20")
    repo.tag("launch-day")
    repo.write(B, decision_yaml("SHOP-0002", status="proposed", date="2021-02-01", metrics={LATENCY: ("s", "<= 0.5", None)}))
    repo.commit("Propose a cache", "2021-02-01")
    repo.write(
        B,
        decision_yaml(
            "SHOP-0002",
            status="accepted",
            date="2021-02-01",
            supersedes=["SHOP-0001"],
            metrics={LATENCY: ("s", "<= 0.5", "450 ms")},
            pillars={"reliability": 3, "performance-efficiency": 3},
        ),
    )
    repo.write(A, repo.read(A).replace("status: accepted", "status: superseded"))
    repo.commit("Accept the cache", "2021-02-05")
    repo.write(OTHER, decision_yaml("SRCH-0001", status="accepted", date="2021-01-04", pillars={"security": 5}))
    repo.commit("Accept the index", "2021-02-06")
    repo.tag("search-live")  # touches only the search workload
    repo.write(C, decision_yaml("SHOP-0003", status="accepted", date="2021-03-01", pillars={"reliability": 4}))
    repo.write(D, decision_yaml("SHOP-0004", status="proposed", date="2021-03-02"))
    repo.commit("A CDN, and a queue to discuss", "2021-03-01")
    repo.tag("v2")
    # Rescored later: the milestone at launch-day keeps the score it had then.
    repo.write(A, repo.read(A).replace("reliability: {score: 2}", "reliability: {score: 1}"))
    repo.commit("Rescore the monolith in hindsight", "2021-04-01")


@pytest.fixture
def shop(tmp_path: Path) -> GitRepo:
    repo = GitRepo.init(tmp_path / "site")
    write_shop(repo)
    return repo


def test_iterations_scorecards_and_series_without_history(shop: GitRepo, aws_lens: Lens) -> None:
    timelines = build_timelines(catalog(shop.path, aws_lens), None)

    assert set(timelines) == {"shop", "search"}
    t = timelines["shop"]
    assert [(it.number, it.id) for it in t.iterations] == [(1, "SHOP-0001"), (2, "SHOP-0002"), (3, "SHOP-0003")]
    first, second, third = t.iterations
    # Without git: the declared date and the current status only.
    assert [(s.status, s.date, s.source) for s in first.statuses] == [("superseded", dt.date(2021, 1, 4), "declared")]
    assert t.history_note == "No git history was read." and t.milestones == ()
    # Scores: own scores, the scorecard carries pillars an iteration left alone.
    assert dict(second.scores) == {"reliability": 3, "performance-efficiency": 3}
    assert dict(second.scorecard) == {"security": 3, "reliability": 3, "performance-efficiency": 3}
    assert dict(second.changes) == {"reliability": 2, "performance-efficiency": None}
    assert dict(third.changes) == {"reliability": 1}
    assert second.previous is first.decision and first.previous is None
    assert list(t.pillars) == ["security", "reliability", "performance-efficiency"]  # lens order
    assert t.pillars["reliability"] == (("SHOP-0001", 1), ("SHOP-0002", 3), ("SHOP-0003", 4))
    assert t.pillars["performance-efficiency"] == (("SHOP-0001", None), ("SHOP-0002", 3), ("SHOP-0003", 3))
    # Verdicts: judged from the metrics.
    assert first.verdict.verdict is Verdict.MISSED and second.verdict.verdict is Verdict.MET
    # The metric series is in the first unit met (ms); "450 ms" against a unit of s converts.
    series = t.metrics[LATENCY]
    assert series.unit == "ms" and series.slug == "metric-p95-latency"
    assert [(p.iteration, p.observed, p.target) for p in series.points] == [("SHOP-0001", 900.0, 500.0), ("SHOP-0002", 450.0, 500.0)]
    assert t.chart_names() == ["metric-p95-latency"]  # pillars: a heat strip, not a chart


def test_status_history_from_git_and_milestones_as_of_each_tag(shop: GitRepo, aws_lens: Lens) -> None:
    history = read_history(shop.path, shop.path / "decisions")
    timelines = build_timelines(catalog(shop.path, aws_lens), history)
    t = timelines["shop"]

    first, second, third = t.iterations
    assert [(s.status, s.date.isoformat(), s.source) for s in first.statuses] == [
        ("proposed", "2021-01-04", "git"),
        ("accepted", "2021-01-20", "git"),
        ("superseded", "2021-02-05", "git"),
    ]
    assert [(s.status, s.date.isoformat()) for s in second.statuses] == [("proposed", "2021-02-01"), ("accepted", "2021-02-05")]
    assert [(s.status, s.date.isoformat()) for s in third.statuses] == [("accepted", "2021-03-01")]  # committed as accepted
    assert t.history_note is None and second.history is not None

    # Milestones: tags on commits that changed this workload, scores as they were then.
    assert [(m.tag, m.date.date().isoformat()) for m in t.milestones] == [("launch-day", "2021-01-20"), ("v2", "2021-03-01")]
    launch, v2 = t.milestones
    assert launch.iterations == ("SHOP-0001",) and [d.id for d in launch.decisions] == ["SHOP-0001"]
    assert dict(launch.scorecard) == {"security": 3, "reliability": 2}  # not the later rescore to 1
    assert v2.iterations == ("SHOP-0001", "SHOP-0002", "SHOP-0003")
    assert [d.id for d in v2.decisions] == ["SHOP-0003", "SHOP-0004"]
    assert dict(v2.scorecard) == {"security": 3, "reliability": 4, "performance-efficiency": 3}
    assert [m.tag for m in timelines["search"].milestones] == ["search-live"]


def test_uncommitted_status_change_shows_as_such(shop: GitRepo, aws_lens: Lens) -> None:
    shop.write(D, decision_yaml("SHOP-0004", status="accepted", date="2021-03-02"))
    history = read_history(shop.path, shop.path / "decisions")
    t = build_timelines(catalog(shop.path, aws_lens), history)["shop"]
    last = t.iterations[-1]
    assert last.id == "SHOP-0004"
    assert [(s.status, s.source) for s in last.statuses] == [("proposed", "git"), ("accepted", "uncommitted")]


def test_history_unavailable_note(tmp_path: Path, aws_lens: Lens) -> None:
    (tmp_path / "decisions" / "shop").mkdir(parents=True)
    (tmp_path / A).write_text(decision_yaml("SHOP-0001", status="accepted"))
    history = read_history(tmp_path, tmp_path / "decisions")
    t = build_timelines(catalog(tmp_path, aws_lens), history)["shop"]
    assert t.history_note == "No history: the site was not built from a git repository."
    assert [s.source for s in t.iterations[0].statuses] == ["declared"]


def test_metric_slugs() -> None:
    assert metric_slug("p95 Response time (ms)") == "metric-p95-response-time-ms"
    assert metric_slug("€€€") == "metric-unnamed"


# --- pages ---------------------------------------------------------------------------


def render(md: str) -> str:
    return markdown.markdown(md, extensions=[name for name, _ in PAGE_EXTENSIONS])


def test_timeline_page(shop: GitRepo, aws_lens: Lens) -> None:
    cat = catalog(shop.path, aws_lens)
    t = build_timelines(cat, read_history(shop.path, shop.path / "decisions"))["shop"]
    layout = Layout()
    md = timeline_markdown("shop", t, aws_lens, layout, diagram_for=lambda d: layout.diagram(d) if d.id != "SHOP-0003" else None)

    assert md.startswith("# Shop: evolution timeline\n")
    assert "charts/pillars.svg" not in md and 'src="../charts/metric-p95-latency.svg"' in md  # as MkDocs makes URLs
    assert "[SHOP-0001 Decision SHOP-0001](0001-monolith.md)" in md
    assert "(diagrams/0001-monolith.svg)" in md and "(diagrams/0003-cdn.svg)" not in md
    assert "![Architecture diagram after SHOP-0001: Decision SHOP-0001]" in md
    assert md.index("1. SHOP-0001") < md.index("2. SHOP-0002") < md.index("3. SHOP-0003")
    assert "Proposed</span> 2021-01-04 → " in md and "Accepted</span> 2021-01-20 → " in md and "Superseded</span> 2021-02-05" in md
    assert "0 of 1 target met" in md
    html = render(md)
    # the events: one dated line each, oldest first, tags among them
    events = re.search(r'<div class="wa-events">(.*?)</div>', html, re.S).group(1)
    lines = re.findall(r"<li><time>(\d{4}-\d\d-\d\d)</time>(.*?)</li>", events, re.S)
    assert [d for d, _ in lines] == sorted(d for d, _ in lines)
    assert any("launch-day" in what for _, what in lines) and "search-live" not in html
    assert any("Superseded" in what and "SHOP-0001" in what for _, what in lines)
    # pillars: a heat strip, each cell its score written and coloured by class
    assert re.search(r'<td class="wa-heat wa-heat--[1-5]">[1-5]</td>', html)
    assert "## Milestones" not in md and html.count("<table") == 1 + 1  # the strip and one metric's numbers
    # iterations are collapsed blocks; the chart's data is a collapsed table too
    assert html.count('<details class="abstract wa-iteration">') == 3
    assert "<td>900 ms</td>" in html and "<td>450 ms</td>" in html
    assert "<td>&lt;= 500 ms</td>" in html
    assert "no hypothesis" not in html


def test_timeline_page_escapes_decision_text(tmp_path: Path, aws_lens: Lens) -> None:
    hostile = "<script>alert(1)</script> [x](javascript:alert(2)) *bold*"
    (tmp_path / "decisions" / "shop").mkdir(parents=True)
    (tmp_path / A).write_text(
        decision_yaml(
            "SHOP-0001",
            status="accepted",
            title=hostile,
            metrics={"<img src=x onerror=alert(3)>": ("ms", "<= 1", 2)},
            pillars={"security": 1},
        )
    )
    (tmp_path / B).write_text(decision_yaml("SHOP-0002", status="accepted", date="2021-04-01", metrics={"<img src=x onerror=alert(3)>": ("ms", "<= 1", 1)}))
    cat = catalog(tmp_path, aws_lens)
    t = build_timelines(cat, None)["shop"]
    html = render(timeline_markdown("shop", t, aws_lens, Layout(), diagram_for=lambda d: None))
    assert "<script" not in html and 'href="javascript' not in html and "<img src=x" not in html and "<strong>bold" not in html
    assert "&lt;script&gt;" in html
    assert "!!! note" not in html and "Without git history" in html


def test_timeline_page_without_iterations(tmp_path: Path, aws_lens: Lens) -> None:
    (tmp_path / "decisions" / "shop").mkdir(parents=True)
    (tmp_path / A).write_text(decision_yaml("SHOP-0001", status="proposed"))
    t = build_timelines(catalog(tmp_path, aws_lens), None)["shop"]
    md = timeline_markdown("shop", t, aws_lens, Layout(), diagram_for=lambda d: None)
    assert "No iteration yet" in md and "charts/" not in md


def test_history_section(shop: GitRepo, aws_lens: Lens) -> None:
    shop.write(A, shop.read(A).replace("status: superseded", "status: deprecated"))
    history = read_history(shop.path, shop.path / "decisions")
    md = history_markdown(history.of(A), lens=aws_lens, commit_url="https://example.com/commit/{sha}")

    assert md.startswith("4 commits changed this file, from 2021-01-04 to 2021-04-01")
    assert "- **2021-01-20** · Accept the monolith and measure it · [`" in md
    assert "tag `launch-day`" in md
    assert "    - status: proposed → accepted" in md
    assert "    - result recorded: refuted" in md
    assert "    - Reliability: scored 2" in md  # the lens names the pillar
    assert "    - Reliability: 2 → 1" in md
    assert "**Uncommitted changes** (in the working tree, not committed)\n    - status: superseded → deprecated" in md
    sha = history.of(A).revisions[0].commit
    assert f"(https://example.com/commit/{sha})" in md


def test_history_section_without_history(tmp_path: Path) -> None:
    assert history_markdown(None) == NO_HISTORY + "\n"
    (tmp_path / "decisions").mkdir()
    history = read_history(tmp_path, tmp_path / "decisions")
    assert "not built from a git repository" in history_markdown(history.of("decisions/x.yaml"))


def test_history_section_escapes_git_text(repo_path: Path) -> None:
    repo = GitRepo.init(repo_path)
    repo.write(A, decision_yaml("SHOP-0001"))
    repo.commit("<script>alert(1)</script> *now*", "2021-01-01", author="Mallory [x](javascript:alert(2)) <m@example.com>")
    repo.tag("v1`<img>")
    html = render(history_markdown(read_history(repo.path, repo.path / "decisions").of(A)))
    assert "<script" not in html and 'href="javascript' not in html and "<img" not in html and "<em>now" not in html
    assert "&lt;script&gt;" in html and "<code>v1&#96;&lt;img&gt;</code>" in html


@pytest.fixture
def repo_path(tmp_path: Path) -> Path:
    return tmp_path / "r"


def test_code_span() -> None:
    assert code("a_b") == "`a_b`"
    # Anything else is raw HTML with every character Markdown, HTML or a template
    # engine would read as a character reference.
    assert code("x`y") == "<code>x&#96;y</code>"
    assert code("{{ a|b }}") == "<code>&#123;&#123; a&#124;b &#125;&#125;</code>"
