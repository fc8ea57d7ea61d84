"""The Well-Architected review at a glance: data for the dashboard, per workload.

For each workload: the pillar scores after its latest iteration and their change
against the previous iteration, the weakest pillar(s), its open loops and its latest
iterations. For the lens: which decisions apply each design principle, and which
principle nobody applies.

Scores carry forward: a decision need not score every pillar, so a pillar keeps the
score of the last iteration that rated it (the rule is :mod:`mkdocs_wa.analysis.scores`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from mkdocs_wa.analysis.loops import DEFAULT_REVIEW_DAYS, FeedbackLoops, Loop, feedback_loops
from mkdocs_wa.analysis.scores import ScoreStep, workload_scores
from mkdocs_wa.model import Catalog, Decision, Lens, Principle


@dataclass(frozen=True)
class SeriesPoint:
    """The pillar scores standing after one iteration."""

    decision: Decision
    #: pillar id -> score, carried forward from earlier iterations (lens order).
    scores: Mapping[str, int]
    #: The pillars this decision scored itself.
    scored: tuple[str, ...]


def pillar_series(catalog: Catalog, workload: str) -> tuple[SeriesPoint, ...]:
    """The workload's pillar scores after each iteration, oldest first."""
    return _series(workload_scores(catalog, workload))


def _series(steps: tuple[ScoreStep[Decision], ...]) -> tuple[SeriesPoint, ...]:
    return tuple(SeriesPoint(s.item, s.after, tuple(s.own)) for s in steps)


@dataclass(frozen=True)
class PillarStanding:
    pillar: str
    name: str
    #: Score after the latest iteration; None when no iteration rated the pillar.
    score: int | None
    #: Score after the iteration before it; None when there was none or it was unrated.
    previous: int | None
    #: The decision whose rating stands, and its note.
    scored_by: Decision | None = None
    note: str = ""

    @property
    def change(self) -> int | None:
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous


@dataclass(frozen=True)
class WorkloadReview:
    workload: str
    pillars: tuple[PillarStanding, ...]
    #: The latest iteration and the one before it (None when missing).
    latest: Decision | None
    previous: Decision | None
    weakest: tuple[PillarStanding, ...]
    loops: tuple[Loop, ...]
    #: The latest iterations, newest first.
    recent: tuple[Decision, ...]
    #: Proposals not yet decided, newest first.
    proposed: tuple[Decision, ...]
    decision_count: int

    @property
    def overdue(self) -> tuple[Loop, ...]:
        return tuple(lp for lp in self.loops if lp.overdue)


@dataclass(frozen=True)
class PrincipleCoverage:
    principle: Principle
    #: Decisions (not rejected) that list the principle, oldest first.
    decisions: tuple[Decision, ...]

    @property
    def applied(self) -> bool:
        return bool(self.decisions)


@dataclass(frozen=True)
class Review:
    today: dt.date
    lens: Lens
    workloads: tuple[WorkloadReview, ...]
    coverage: tuple[PrincipleCoverage, ...]
    loops: FeedbackLoops

    @property
    def unapplied(self) -> tuple[Principle, ...]:
        """The lens's design principles that no decision applies."""
        return tuple(c.principle for c in self.coverage if not c.applied)

    def workload(self, name: str) -> WorkloadReview | None:
        return next((w for w in self.workloads if w.workload == name), None)


def _standing(catalog: Catalog, workload: str) -> tuple[PillarStanding, ...]:
    steps = workload_scores(catalog, workload)
    latest = steps[-1].after if steps else {}
    previous = steps[-1].before if steps else {}
    out = []
    for pillar in catalog.lens.pillars:
        by = next((s.item for s in reversed(steps) if pillar.id in s.own), None)
        note = next((p.note for p in by.pillars if p.pillar == pillar.id), "") if by else ""
        out.append(PillarStanding(pillar.id, pillar.name, latest.get(pillar.id), previous.get(pillar.id), by, note))
    return tuple(out)


def review_workload(
    catalog: Catalog, workload: str, loops: FeedbackLoops, *, recent: int = 3
) -> WorkloadReview:
    iterations = catalog.iterations(workload)
    pillars = _standing(catalog, workload)
    rated = [p for p in pillars if p.score is not None]
    low = min((p.score for p in pillars if p.score is not None), default=None)
    decisions = catalog.workloads().get(workload, ())
    return WorkloadReview(
        workload=workload,
        pillars=pillars,
        latest=iterations[-1] if iterations else None,
        previous=iterations[-2] if len(iterations) > 1 else None,
        weakest=tuple(p for p in rated if p.score == low),
        loops=tuple(lp for lp in loops.open if lp.decision.workload == workload),
        recent=tuple(reversed(iterations[-recent:])) if recent > 0 else (),
        proposed=tuple(sorted((d for d in decisions if d.status == "proposed"), key=lambda d: (d.date, d.id), reverse=True)),
        decision_count=len(decisions),
    )


def principle_coverage(catalog: Catalog) -> tuple[PrincipleCoverage, ...]:
    """For each principle of the lens, the decisions that apply it (rejected ones do not)."""
    return tuple(
        PrincipleCoverage(
            p,
            tuple(
                sorted(
                    (d for d in catalog.decisions if p.id in d.principles and d.status != "rejected"),
                    key=lambda d: (d.date, d.workload, d.id),
                )
            ),
        )
        for p in catalog.lens.principles
    )


def build_review(
    catalog: Catalog,
    today: dt.date,
    *,
    default_review_days: int = DEFAULT_REVIEW_DAYS,
    recent: int = 3,
    loops: FeedbackLoops | None = None,
) -> Review:
    """The dashboard's data; pass ``loops`` when the caller computed them already."""
    loops = loops or feedback_loops(catalog, today, default_review_days=default_review_days)
    return Review(
        today=today,
        lens=catalog.lens,
        workloads=tuple(review_workload(catalog, w, loops, recent=recent) for w in catalog.workloads()),
        coverage=principle_coverage(catalog),
        loops=loops,
    )
