"""The review: pillar standings and their change, weakest pillar, open loops, latest
iterations, principle coverage; the dashboard page; a custom lens (Azure)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import write
from sites import decision_yaml

from mkdocs_wa.analysis.loops import overdue_diagnostics
from mkdocs_wa.analysis.review import build_review, pillar_series
from mkdocs_wa.layout import Layout
from mkdocs_wa.model import Lens
from mkdocs_wa.render.pages.dashboard import dashboard_markdown
from mkdocs_wa.render.pages.loops import loops_markdown
from mkdocs_wa.source.lens import load_lens
from mkdocs_wa.source.validate import load_catalog
from mkdocs_wa.source.verdicts import check_outcomes

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2024, 12, 1)


def s(**scores: int) -> dict[str, dict[str, int]]:
    return {k.replace("_", "-"): {"score": v} for k, v in scores.items()}


def app_site(root: Path) -> None:
    write(
        root,
        "decisions/app/0001-monolith.yaml",
        decision_yaml(
            "APP-0001",
            "Ship the monolith",
            "superseded",
            "2024-01-01",
            principles=["automate-everything"],
            hypothesis={"statement": "s", "metrics": [{"name": "p95", "unit": "s", "target": "<= 1", "observed": 3}]},
            result={"outcome": "refuted", "next": "APP-0002"},
            pillars=s(reliability=1, security=4, cost_optimization=3),
        ),
    )
    write(
        root,
        "decisions/app/0002-split.yaml",
        decision_yaml(
            "APP-0002",
            "Split <the> pools",
            "superseded",
            "2024-03-01",
            supersedes=["APP-0001"],
            principles=["automate-everything", "evolve-architectures"],
            # security is not rated here: it carries forward from APP-0001
            pillars={"reliability": {"score": 3, "note": "two pools"}, "cost-optimization": {"score": 3}},
        ),
    )
    write(
        root,
        "decisions/app/0003-cdn.yaml",
        decision_yaml(
            "APP-0003",
            "Video through a CDN",
            "accepted",
            "2024-05-01",
            supersedes=["APP-0002"],
            principles=["on-demand"],
            hypothesis={"statement": "s", "review_by": "2024-07-01"},
            pillars=s(reliability=4, cost_optimization=2, performance_efficiency=4),
        ),
    )
    write(root, "decisions/app/0004-idea.yaml", decision_yaml("APP-0004", "An idea", "proposed", "2024-06-01", principles=["practice"]))
    write(root, "decisions/app/0005-no.yaml", decision_yaml("APP-0005", "Rejected", "rejected", "2024-06-02", principles=["test-at-scale"]))
    write(root, "decisions/empty/0001-idea.yaml", decision_yaml("EMP-0001", "Only an idea", "proposed", "2024-02-01"))


@pytest.fixture
def app(in_tmp: Path, aws_lens: Lens):
    app_site(in_tmp)
    catalog, diags = load_catalog([Path("decisions")], aws_lens)
    assert diags == []
    return catalog


def test_pillar_series_carries_scores_forward(app) -> None:
    series = pillar_series(app, "app")
    assert [p.decision.id for p in series] == ["APP-0001", "APP-0002", "APP-0003"]
    assert dict(series[1].scores) == {"security": 4, "reliability": 3, "cost-optimization": 3}
    assert series[1].scored == ("reliability", "cost-optimization")
    assert list(series[2].scores) == ["security", "reliability", "performance-efficiency", "cost-optimization"]  # lens order


def test_workload_review(app) -> None:
    review = build_review(app, TODAY)
    w = review.workload("app")
    assert w is not None and w.latest.id == "APP-0003" and w.previous.id == "APP-0002"
    standing = {p.pillar: (p.score, p.previous, p.change) for p in w.pillars}
    assert standing == {
        "operational-excellence": (None, None, None),
        "security": (4, 4, 0),
        "reliability": (4, 3, 1),
        "performance-efficiency": (4, None, None),
        "cost-optimization": (2, 3, -1),
        "sustainability": (None, None, None),
    }
    security = next(p for p in w.pillars if p.pillar == "security")
    assert security.scored_by.id == "APP-0001"
    assert [p.pillar for p in w.weakest] == ["cost-optimization"]
    assert [lp.decision.id for lp in w.loops] == ["APP-0003"] and w.overdue == w.loops
    assert [d.id for d in w.recent] == ["APP-0003", "APP-0002", "APP-0001"]
    assert [d.id for d in build_review(app, TODAY, recent=2).workload("app").recent] == ["APP-0003", "APP-0002"]
    assert [d.id for d in w.proposed] == ["APP-0004"] and w.decision_count == 5
    empty = review.workload("empty")
    assert empty.latest is None and empty.weakest == () and all(p.score is None for p in empty.pillars)


def test_weakest_ties(in_tmp: Path, aws_lens: Lens) -> None:
    write(in_tmp, "decisions/w/0001-a.yaml", decision_yaml("W-0001", pillars=s(reliability=2, security=2, cost_optimization=5)))
    catalog, _ = load_catalog([Path("decisions")], aws_lens)
    w = build_review(catalog, TODAY).workload("w")
    assert [p.pillar for p in w.weakest] == ["security", "reliability"]
    page = dashboard_markdown(build_review(catalog, TODAY), aws_lens, Layout())
    assert "weakest are **Security** and **Reliability** (2/5 each)." in page


def test_principle_coverage(app) -> None:
    review = build_review(app, TODAY)
    applied = {c.principle.id: [d.id for d in c.decisions] for c in review.coverage}
    assert applied == {
        "on-demand": ["APP-0003"],
        "automate-everything": ["APP-0001", "APP-0002"],
        "test-at-scale": [],  # only a rejected decision names it
        "fact-based-feedback": [],
        "evolve-architectures": ["APP-0002"],
        "practice": ["APP-0004"],  # a proposal plans to apply it
    }
    assert [p.id for p in review.unapplied] == ["test-at-scale", "fact-based-feedback"]


def test_dashboard_page(app, aws_lens: Lens) -> None:
    layout = Layout()
    page = dashboard_markdown(build_review(app, TODAY), aws_lens, layout, catalog=app)
    assert page.startswith("# Architecture review\n")
    assert "[AWS Well-Architected Framework](https://aws.amazon.com/architecture/well-architected/)" in page
    # counts in words, with correct plurals (no "(s)")
    assert "2 workloads; 1 open feedback loop, 1 overdue on 2024-12-01 ([all feedback loops](loops.md))" in page
    assert "(s)" not in page
    # one grid card per workload: name, pillar strip, hypotheses, loops, latest decision
    # (HTML with the links as MkDocs makes them: no md_in_html needed)
    cards_ = re.search(r'<div class="grid cards wa-workloads"><ul>\n(.*?)\n</ul></div>', page, re.S).group(1)
    app_card, empty_card = re.findall(r"<li>(.*?)</li>", cards_, re.S)[:2]
    assert app_card.startswith('<h3><a href="app/">App</a></h3>')
    strip = re.search(r'<span class="wa-pillar-strip">(.*?)</span></p>', app_card).group(1)
    # the full name and the change in words for every cell (never colour alone)
    assert 'title="Reliability: 4/5, up 1 from 3"' in strip and 'title="Cost Optimization: 2/5, down 1 from 3"' in strip
    assert 'title="Security: 4/5, unchanged"' in strip and 'title="Performance Efficiency: 4/5, new"' in strip
    assert "Sustainability" not in strip  # not rated: in the table below, not the strip
    assert "0 of 2 hypotheses confirmed, 1 result awaited" in app_card
    assert "1 open loop, 1 overdue" in app_card
    assert 'Latest: <a href="app/0004-idea/">APP-0004 An idea</a>' in app_card and "1 proposal to decide" in app_card
    assert '<a href="app/">5 decisions</a> · <a href="app/timeline/">Timeline</a>' in app_card
    assert empty_card.startswith('<h3><a href="empty/">Empty</a></h3>') and "No accepted decision yet" in empty_card
    # open loops: one table, the state first after the decision
    assert "## Open feedback loops" in page and "overdue by 153 days" in page
    # pillar scores: the table per rated workload, the change in the one wording
    assert "**App**: weakest is **Cost Optimization** (2/5)." in page
    assert "| Pillar | Score | Change since APP-0002 |" in page
    assert re.search(r"\| Reliability \| .*?4/5</span> \| <span class=\"wa-up\">.*?</span> up 1 from 3</span> \|", page)
    assert re.search(r"\| Cost Optimization \| .*? down 1 from 3</span> \|", page)
    assert "| Sustainability | – | not rated yet |" in page
    assert "[APP-0002 Split &lt;the&gt; pools]" not in page or "&lt;the&gt;" in page  # escaped when shown
    # principles: said once, in the table
    assert "| Test regularly and at scale | 0 | <span class=\"wa-missed\">not applied yet</span> |" in page
    assert "| Automate absolutely everything | 2 | [APP-0001](app/0001-monolith.md), [APP-0002](app/0002-split.md) |" in page
    assert "Nobody applies" not in page


def test_dashboard_under_another_section(app, aws_lens: Lens) -> None:
    page = dashboard_markdown(build_review(app, TODAY), aws_lens, Layout("docs/arch"))
    assert "](app/0003-cdn.md)" in page and "](loops.md)" in page  # relative to docs/arch/index.md


def test_hostile_lens_names_and_titles_are_escaped(in_tmp: Path) -> None:
    write(
        in_tmp,
        "lens.yaml",
        "schema: 1\nid: evil\nname: 'Evil <img src=x onerror=alert(1)>'\nurl: 'javascript:alert(1)'\n"
        "pillars:\n  - {id: p, name: '<b>P</b> | x'}\nprinciples:\n  - {id: q, name: '[Q](javascript:alert(1))'}\n",
    )
    lens, diags = load_lens(str(in_tmp / "lens.yaml"))
    assert lens is not None, diags
    write(in_tmp, "decisions/w/0001-a.yaml", decision_yaml("W-0001", "<i>T</i>", pillars={"p": {"score": 3}}, principles=["q"]))
    catalog, diags = load_catalog([Path("decisions")], lens)
    assert catalog.decisions, diags
    page = dashboard_markdown(build_review(catalog, TODAY), lens, Layout())
    assert "<img" not in page and "<b>" not in page and "<i>" not in page
    assert "](javascript" not in page and "Evil &lt;img" in page
    assert "&lt;b&gt;P&lt;/b&gt; \\| x" in page and '<a href="w/0001-a/">W-0001 &lt;i&gt;T&lt;/i&gt;</a>' in page  # HTML card: escaped


# --- a custom lens: Azure's Well-Architected Framework -----------------------------------


def test_azure_lens_end_to_end(in_tmp: Path) -> None:
    lens, diags = load_lens("azure-well-architected")
    assert lens is not None, diags
    assert "sustainability" not in lens.pillar_ids
    write(
        in_tmp,
        "decisions/shop/0001-single-region.yaml",
        decision_yaml(
            "SHOP-0001",
            "One region",
            "superseded",
            "2024-01-01",
            principles=["keep-it-simple"],
            hypothesis={"statement": "s", "metrics": [{"name": "uptime", "unit": "%", "target": ">= 99.9", "observed": 99.5}]},
            result={"outcome": "confirmed", "next": "SHOP-0002"},  # contradicts its metric
            pillars=s(reliability=2, cost_optimization=4),
        ),
    )
    write(
        in_tmp,
        "decisions/shop/0002-two-regions.yaml",
        decision_yaml(
            "SHOP-0002",
            "Two regions",
            "accepted",
            "2024-03-01",
            supersedes=["SHOP-0001"],
            principles=["design-for-resilience", "design-for-recovery"],
            hypothesis={"statement": "s", "review_by": "2024-06-01"},
            pillars=s(reliability=4, cost_optimization=3),
        ),
    )
    catalog, diags = load_catalog([Path("decisions")], lens)
    assert diags == []
    codes = sorted(d.code for d in check_outcomes(catalog) + overdue_diagnostics(catalog, TODAY))
    assert codes == ["loop-overdue", "outcome"]
    review = build_review(catalog, TODAY)
    w = review.workload("shop")
    assert [p.pillar for p in w.pillars] == list(lens.pillar_ids)
    assert [p.pillar for p in w.weakest] == ["cost-optimization"]
    assert [p.id for p in review.unapplied] == ["design-for-business", "observe"]
    page = dashboard_markdown(review, lens, Layout())
    assert "[Azure Well-Architected Framework](https://learn.microsoft.com/azure/well-architected/)" in page
    assert "| Reliability | " in page and "up 2 from 2</span>" in page
    assert "Sustainability" not in page and "Operational Excellence | – | not rated yet" in page
    assert "| Keep it simple | 1 | [SHOP-0001](shop/0001-single-region.md) |" in page
    assert "| Observe application health | 0 | <span class=\"wa-missed\">not applied yet</span> |" in page
    loops = loops_markdown(review.loops, Layout(), workload="shop")
    assert "#### SHOP-0001 → SHOP-0002: One region" in loops and "overdue by 183 days" in loops


# --- the repository's own demo decisions --------------------------------------------------


def test_demo_decisions_smoke(aws_lens: Lens) -> None:
    folder = REPO / "decisions"
    if not any(folder.glob("*/*.yaml")):
        pytest.skip("no demo decisions yet")
    catalog, diags = load_catalog([folder], aws_lens)
    assert not [d for d in diags if d.is_error]
    review = build_review(catalog, dt.date(2026, 1, 1))
    assert {w.workload for w in review.workloads} == set(catalog.workloads())
    for w in review.workloads:
        assert w.latest is not None and any(p.score is not None for p in w.pillars)
    page = dashboard_markdown(review, aws_lens, Layout())
    assert page.count("<li><h3><a href=") == len(review.workloads)  # a card each
    for w in review.workloads:
        section = loops_markdown(review.loops, Layout(), workload=w.workload)
        assert section.count("\n#### ") == len(review.loops.for_workload(w.workload).chains) > 0
