"""Scores carried forward, computed once (mkdocs_wa.analysis.scores): the review, the
timeline, the workload's log, the decision page's scorecard and the PR diff agree."""

from __future__ import annotations

import datetime as dt

import pytest

from mkdocs_wa.analysis.review import build_review, pillar_series
from mkdocs_wa.analysis.scores import carry_forward, latest_changes, scores_before, workload_scores
from mkdocs_wa.analysis.timeline import build_timeline
from mkdocs_wa.compare.prdiff import _latest_scores
from mkdocs_wa.model import Catalog, Decision, Lens, PillarScore
from mkdocs_wa.render.pages.workload import current_scores
from mkdocs_wa.source.lens import load_lens


@pytest.fixture(scope="module")
def lens() -> Lens:
    found, _ = load_lens(None)
    assert found is not None
    return found


def _d(i: int, status: str, day: int, **scores: int) -> Decision:
    return Decision(f"W-{i:04d}", f"D{i}", status, dt.date(2024, 1, day), "w", f"decisions/w/{i:04d}-d.yaml",
                    pillars=tuple(PillarScore(p.replace("_", "-"), s) for p, s in scores.items()))


@pytest.fixture
def catalog(lens: Lens) -> Catalog:
    return Catalog((
        _d(1, "accepted", 1, reliability=2, security=3),
        _d(2, "superseded", 2, performance_efficiency=3),  # leaves reliability and security alone
        _d(3, "proposed", 3, reliability=5),  # not an iteration: it changes no standing
        _d(4, "accepted", 4, security=1, reliability=4),
    ), lens)


def test_each_stage_reads_the_same_standing(catalog: Catalog) -> None:
    steps = workload_scores(catalog, "w")
    assert [s.item.id for s in steps] == ["W-0001", "W-0002", "W-0004"]
    after = [dict(s.after) for s in steps]
    assert after == [
        {"security": 3, "reliability": 2},
        {"security": 3, "reliability": 2, "performance-efficiency": 3},
        {"security": 1, "reliability": 4, "performance-efficiency": 3},
    ]
    assert list(steps[-1].after) == ["security", "reliability", "performance-efficiency"]  # lens order
    assert steps[2].changes == {"security": -2, "reliability": 2}
    assert steps[1].changes == {"performance-efficiency": None}
    # review, timeline, PR diff
    assert [dict(p.scores) for p in pillar_series(catalog, "w")] == after
    timeline = build_timeline(catalog, "w", None)
    assert [dict(it.scorecard) for it in timeline.iterations] == after
    assert [dict(it.changes) for it in timeline.iterations] == [s.changes for s in steps]
    assert _latest_scores(catalog, "w") == (catalog.by_id()["W-0004"], after[-1])
    review = build_review(catalog, dt.date(2024, 6, 1)).workload("w")
    assert review is not None
    assert {p.pillar: (p.score, p.previous) for p in review.pillars if p.score is not None} == {
        "security": (1, 3), "reliability": (4, 2), "performance-efficiency": (3, 3)}


def test_the_log_and_the_scorecard(catalog: Catalog) -> None:
    now, before = current_scores(catalog, "w")
    # the log's "last change": each pillar against its score before its latest rating
    assert dict(now) == {"security": 1, "reliability": 4, "performance-efficiency": 3}
    assert before == {"security": 3, "reliability": 2}
    by_id = catalog.by_id()
    # a decision page compares with the standing just before it, iteration or not
    assert dict(scores_before(catalog, by_id["W-0003"])) == {"security": 3, "reliability": 2, "performance-efficiency": 3}
    assert dict(scores_before(catalog, by_id["W-0001"])) == {}
    assert latest_changes(()) == ({}, {})


def test_carry_forward_of_any_scored_items() -> None:
    steps = carry_forward([("a", {"x": 1}), ("b", {"y": 2}), ("c", {"x": 3})], ("y", "x"))
    assert [dict(s.after) for s in steps] == [{"x": 1}, {"y": 2, "x": 1}, {"y": 2, "x": 3}]
    assert list(steps[-1].after) == ["y", "x"] and steps[-1].changes == {"x": 2}
