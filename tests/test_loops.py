"""Feedback loops: open and overdue on a fixed date, the site check and the CLI, chains,
and the Feedback loops page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import write
from sites import decision_yaml

from mkdocs_wa.analysis.loops import (
    DEFAULT_REVIEW_DAYS,
    LOOP_CODE,
    chains,
    due_date,
    feedback_loops,
    open_loops,
    overdue_diagnostics,
)
from mkdocs_wa.cli import main
from mkdocs_wa.layout import Layout
from mkdocs_wa.model import Catalog, Decision, Hypothesis, Lens, Result
from mkdocs_wa.render.pages.loops import loop_notice, loops_markdown
from mkdocs_wa.source.validate import load_catalog

D = dt.date
NEW_YEAR = D(2024, 1, 1)
HYP = {"statement": "It gets faster.", "metrics": [{"name": "p95", "unit": "ms", "target": "<= 300"}]}


def dec(
    id: str,
    date: D = NEW_YEAR,
    status: str = "accepted",
    *,
    workload: str = "app",
    hypothesis: bool = True,
    review_by: D | None = None,
    outcome: str | None = None,
    next: str = "",
    supersedes: tuple[str, ...] = (),
    title: str = "",
) -> Decision:
    return Decision(
        id=id,
        title=title or f"Decision {id}",
        status=status,
        date=date,
        workload=workload,
        path=f"decisions/{workload}/{id.lower()}.yaml",
        supersedes=supersedes,
        hypothesis=Hypothesis("s", (), review_by) if hypothesis else None,
        result=Result(outcome or "confirmed", next=next) if (outcome or next) else None,
    )


def catalog(lens: Lens, *decisions: Decision) -> Catalog:
    return Catalog(tuple(sorted(decisions, key=lambda d: (d.workload, d.date, d.id))), lens)


# --- open and overdue -----------------------------------------------------------------


def test_only_accepted_hypotheses_without_result_are_open(aws_lens: Lens) -> None:
    cat = catalog(
        aws_lens,
        dec("A-1"),
        dec("A-2", outcome="refuted"),
        dec("A-3", status="proposed"),
        dec("A-4", status="superseded"),
        dec("A-5", status="rejected"),
        dec("A-6", hypothesis=False),
        dec("A-7", status="deprecated"),
    )
    assert [lp.decision.id for lp in open_loops(cat, D(2024, 1, 2))] == ["A-1"]


def test_due_from_review_by_or_default_days() -> None:
    assert due_date(dec("A-1", review_by=D(2024, 2, 1))) == (D(2024, 2, 1), "review_by")
    assert due_date(dec("A-1")) == (D(2024, 1, 1) + dt.timedelta(days=DEFAULT_REVIEW_DAYS), "default")
    assert DEFAULT_REVIEW_DAYS == 90
    assert due_date(dec("A-1"), 30) == (D(2024, 1, 31), "default")


@pytest.mark.parametrize(
    "today, overdue, days_overdue, days_left",
    [
        (D(2024, 1, 30), False, 0, 2),
        (D(2024, 2, 1), False, 0, 0),  # on the due date: due, not yet late
        (D(2024, 2, 2), True, 1, 0),
        (D(2024, 3, 2), True, 30, 0),
    ],
)
def test_overdue_judged_on_the_given_day(
    aws_lens: Lens, today: D, overdue: bool, days_overdue: int, days_left: int
) -> None:
    [loop] = open_loops(catalog(aws_lens, dec("A-1", review_by=D(2024, 2, 1))), today)
    assert (loop.overdue, loop.days_overdue, loop.days_left) == (overdue, days_overdue, days_left)


def test_default_days_are_configurable(aws_lens: Lens) -> None:
    cat = catalog(aws_lens, dec("A-1"))  # decided 2024-01-01, no review_by
    today = D(2024, 3, 1)  # 60 days later
    assert not open_loops(cat, today)[0].overdue  # default: due after 90 days
    assert open_loops(cat, today, default_review_days=30)[0].overdue
    assert overdue_diagnostics(cat, today) == []
    [diag] = overdue_diagnostics(cat, today, default_review_days=30)
    assert "after 60 days" in diag.message and "30 days after the decision" in diag.message


def test_open_loops_most_overdue_first(aws_lens: Lens) -> None:
    cat = catalog(
        aws_lens,
        dec("A-1", D(2024, 1, 1), review_by=D(2024, 6, 1)),
        dec("B-1", D(2024, 2, 1), workload="b", review_by=D(2024, 3, 1)),
        dec("A-2", D(2024, 3, 1)),  # due 2024-05-30
    )
    assert [lp.decision.id for lp in open_loops(cat, D(2024, 7, 1))] == ["B-1", "A-2", "A-1"]


OPEN_LATE = decision_yaml("APP-0001", date="2024-01-10", hypothesis={**HYP, "review_by": "2024-03-01"})
OPEN_NO_REVIEW = decision_yaml("APP-0002", date="2024-02-01", hypothesis=HYP)
CLOSED = decision_yaml("APP-0003", date="2024-02-02", hypothesis=HYP, result={"outcome": "confirmed"})


def _site(root: Path) -> None:
    write(root, "decisions/app/0001-late.yaml", OPEN_LATE)
    write(root, "decisions/app/0002-no-review-by.yaml", OPEN_NO_REVIEW)
    write(root, "decisions/app/0003-closed.yaml", CLOSED)


def test_overdue_warnings_point_at_review_by_or_hypothesis(in_tmp: Path, aws_lens: Lens) -> None:
    _site(in_tmp)
    cat, diags = load_catalog([Path("decisions")], aws_lens)
    assert diags == []
    today = D(2024, 5, 2)  # 62 days after review_by; APP-0002 is 91 days old
    found = {d.path: d for d in overdue_diagnostics(cat, today) if d.code == LOOP_CODE}
    assert sorted(found) == ["decisions/app/0001-late.yaml", "decisions/app/0002-no-review-by.yaml"]
    late = found["decisions/app/0001-late.yaml"]
    line = Path(late.path).read_text().splitlines()[late.line - 1]
    assert line[late.col - 1 :] == "'2024-03-01'" and "review_by" in line
    assert not late.is_error and "62 days after its review_by date 2024-03-01" in late.message
    default = found["decisions/app/0002-no-review-by.yaml"]
    line = Path(default.path).read_text().splitlines()[default.line - 1]
    assert line[default.col - 1 :] == "hypothesis:"
    assert "after 91 days" in default.message
    # a day earlier APP-0002 is 90 days old: due, not overdue
    assert [d.path for d in overdue_diagnostics(cat, D(2024, 5, 1))] == ["decisions/app/0001-late.yaml"]


def test_validate_today_and_strict_enforce_overdue_loops(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _site(in_tmp)
    assert main(["validate", "--today", "2024-02-15"]) == 0
    assert main(["validate", "--strict", "--today", "2024-02-15"]) == 0
    assert LOOP_CODE not in capsys.readouterr().out
    assert main(["validate", "--today", "2024-05-02"]) == 0  # a warning, not an error
    assert main(["validate", "--strict", "--today", "2024-05-02"]) == 1
    out = capsys.readouterr().out
    assert "decisions/app/0001-late.yaml:" in out and "feedback loop overdue: APP-0001" in out


# --- chains -------------------------------------------------------------------------


def test_chain_from_first_hypothesis_to_latest_iteration(aws_lens: Lens) -> None:
    cat = catalog(
        aws_lens,
        dec("V-1", D(2021, 3, 1), "superseded", outcome="refuted", next="V-2"),
        dec("V-2", D(2021, 4, 1), "superseded", outcome="inconclusive", next="V-3", supersedes=("V-1",)),
        dec("V-3", D(2021, 5, 1), supersedes=("V-2",), next="V-4", outcome="confirmed"),
        dec("V-4", D(2021, 6, 1), "proposed"),
        dec("X-1", D(2020, 1, 1), hypothesis=False),  # alone, no hypothesis: no loop
        dec("Y-1", D(2022, 1, 1)),  # alone with a hypothesis: a loop of one step
    )
    found = chains(cat)
    assert [[d.id for d in c.decisions] for c in found] == [["V-1", "V-2", "V-3", "V-4"], ["Y-1"]]
    v = found[0]
    assert (v.first.id, v.latest.id) == ("V-1", "V-3")  # V-4 is only proposed
    assert [(lk.source, lk.target, lk.kinds) for lk in v.links] == [
        ("V-1", "V-2", ("next", "supersedes")),
        ("V-2", "V-3", ("next", "supersedes")),
        ("V-3", "V-4", ("next",)),
    ]


def test_chain_follows_links_not_dates_and_survives_a_next_cycle(aws_lens: Lens) -> None:
    cat = catalog(
        aws_lens,
        # B was written down before A but follows from A's result
        dec("A", D(2024, 5, 1), outcome="refuted", next="B"),
        dec("B", D(2024, 4, 1), outcome="confirmed", next="C", workload="other"),
        dec("C", D(2024, 6, 1), outcome="confirmed", next="B"),  # B again: a cycle
        dec("N", D(2023, 1, 1), hypothesis=False),
        dec("M", D(2023, 2, 1), "superseded", hypothesis=False),
        dec("K", D(2023, 3, 1), supersedes=("M",), hypothesis=False),  # no hypothesis, but linked
    )
    found = {c.id: [d.id for d in c.decisions] for c in chains(cat)}
    assert found["M"] == ["M", "K"]
    cyclic = next(v for v in found.values() if "A" in v)
    # A leads (although B is dated earlier); B and C wait on each other: then by date
    assert cyclic == ["A", "B", "C"]
    assert "N" not in {i for v in found.values() for i in v}


def test_branching_chain_orders_after_every_predecessor(aws_lens: Lens) -> None:
    cat = catalog(
        aws_lens,
        dec("A", D(2024, 1, 1), "superseded"),
        dec("B", D(2024, 2, 1), "superseded"),
        dec("C", D(2024, 1, 15), supersedes=("A", "B")),  # merges two
        dec("D", D(2024, 3, 1), "superseded", supersedes=()),
    )
    [chain, single] = chains(cat)
    assert [d.id for d in chain.decisions] == ["A", "B", "C"]
    assert single.id == "D"


def test_for_workload_keeps_chains_passing_through_it(aws_lens: Lens) -> None:
    cat = catalog(
        aws_lens,
        dec("A", D(2024, 1, 1), outcome="refuted", next="B"),
        dec("B", D(2024, 2, 1), workload="other"),
        dec("C", D(2024, 3, 1), workload="third"),
    )
    loops = feedback_loops(cat, D(2024, 12, 1))
    assert [lp.decision.id for lp in loops.open] == ["B", "C"]
    other = loops.for_workload("other")
    assert [lp.decision.id for lp in other.open] == ["B"]
    assert [c.id for c in other.chains] == ["A"]
    assert loops.loop("C") is not None and loops.loop("A") is None


# --- pages ----------------------------------------------------------------------------


def test_loops_page_site_and_workload(aws_lens: Lens) -> None:
    hostile = 'Evil <script>alert(1)</script> [x](javascript:alert(1)) | pipe'
    cat = catalog(
        aws_lens,
        dec("APP-1", D(2024, 1, 1), "superseded", outcome="refuted", next="APP-2", title="First try"),
        dec("APP-2", D(2024, 2, 1), supersedes=("APP-1",), review_by=D(2024, 4, 1), title=hostile),
        dec("OPS-1", D(2024, 3, 1), workload="ops", title="Runbooks"),
    )
    loops = feedback_loops(cat, D(2024, 5, 1))
    layout = Layout()
    site = loops_markdown(loops, layout)
    assert site.startswith("# Feedback loops\n")
    assert "**2 open, 1 overdue** on 2024-05-01" in site
    assert "[APP-2 Evil &lt;script&gt;alert\\(1\\)&lt;/script&gt; \\[x\\]\\(javascript:alert\\(1\\)\\) \\| pipe](app/app-2.md)" in site
    assert "<script>" not in site and "](javascript" not in site
    assert "overdue by 30 days<" in site and "2024-04-01 (review\\_by)" not in site
    assert "2024-04-01 (review_by)" in site
    assert "2024-05-30 (90 days after the decision)" in site and "due in 29 days<" in site
    # The site-wide page counts the chains per workload and links to them...
    assert "| [App](app/index.md#chains) | 1 | 2 | 0 |" in site and "| [Ops](ops/index.md#chains) | 1 | 1 | 0 |" in site  # names, not folder ids
    assert "APP-1 → APP-2" not in site and "**latest iteration**" not in site

    section = loops_markdown(loops, layout, workload="app")
    assert section.startswith("## Feedback loops\n") and "### Open loops" in section and "#### APP-1 → APP-2" in section
    assert "](app-2.md)" in section and "[all feedback loops](../loops.md)" in section
    # ...and each workload's page lists them.
    assert "#### APP-1 → APP-2: First try" in section
    assert "**latest iteration**" in section and "(named as the next decision and replaces it)" in section
    assert "OPS-1" not in section and "Workload" not in section
    assert "No open loops" in loops_markdown(loops, layout, workload="nothing-here")


def test_loop_notice_on_decision_pages(aws_lens: Lens) -> None:
    cat = catalog(
        aws_lens,
        dec("A", D(2024, 1, 1), review_by=D(2024, 2, 1)),
        dec("B", D(2024, 1, 1), review_by=D(2024, 9, 1)),
        dec("C", D(2024, 1, 1), outcome="confirmed"),
    )
    loops = feedback_loops(cat, D(2024, 3, 1))
    layout = Layout("arch")
    by_id = cat.by_id()
    late = loop_notice(loops, by_id["A"], layout)
    assert late is not None and late.startswith('!!! warning "Feedback loop overdue"') and "29 days late" in late
    assert "[all feedback loops](../loops.md)" in late
    waiting = loop_notice(loops, by_id["B"], layout)
    assert waiting is not None and waiting.startswith('!!! info "Feedback loop open"') and "in 184 days" in waiting
    assert loop_notice(loops, by_id["C"], layout) is None


# --- a real MkDocs build: overdue loops are build warnings (so --strict fails on them) ----


def test_mkdocs_build_warns_on_overdue_loops(tmp_path: Path) -> None:
    from sites import build, make_project, read

    def warnings(done) -> list[str]:
        assert done.returncode == 0, done.stderr
        return [line for line in done.stderr.splitlines() if line.startswith("WARNING") and "feedback loop" in line]

    overdue = decision_yaml("APP-0001", "Use a queue", "accepted", "2025-06-01", hypothesis={**HYP, "review_by": "2025-09-01"})
    root = make_project(tmp_path, {"app/0001-queue.yaml": overdue}, plugin_options={"today": "2025-08-15"})
    assert warnings(build(root, strict=False)) == []  # not yet due
    waiting = read(root / "site", "architecture/app/0001-queue/index.html")
    assert "Feedback loop open" in waiting and "in 17 days" in waiting
    make_project(tmp_path, {}, plugin_options={"today": "2025-09-20", "review_days": 30})
    [line] = warnings(build(root, strict=False))
    assert "decisions/app/0001-queue.yaml" in line and "feedback loop overdue: APP-0001" in line
    assert "Feedback loop overdue" in read(root / "site", "architecture/app/0001-queue/index.html")
    # without review_by the plugin's review_days decides: 30 days after 2025-06-01 is overdue on 2025-07-15
    write(root, "decisions/app/0001-queue.yaml", decision_yaml("APP-0001", "Use a queue", "accepted", "2025-06-01", hypothesis=HYP))
    make_project(tmp_path, {}, plugin_options={"today": "2025-07-15", "review_days": 30})
    assert len(warnings(build(root, strict=False))) == 1
    make_project(tmp_path, {}, plugin_options={"today": "2025-07-15", "review_days": 60})
    assert warnings(build(root, strict=False)) == []
    loops_page = read(root / "site", "architecture/loops/index.html")
    assert "2025-07-31 (60 days after the decision)" in loops_page and "due in 16 days<" in loops_page
