"""Scores carried forward: the one rule for a workload's pillar scores over time.

A decision scores the pillars it affected, not necessarily all of them. The workload's
*standing* after an iteration is its own scores and, for the pillars it left alone, the
latest earlier score. The review (dashboard), the timeline (heat strip, trend series,
milestones), the workload's decision log, the decision page's scorecard, the PR diff and
the export all read scores through this module, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Generic, TypeVar

from mkdocs_wa.model import Catalog, Decision

T = TypeVar("T")


@dataclass(frozen=True)
class ScoreStep(Generic[T]):
    """One iteration (or any scored item) and the standing before and after it."""

    item: T
    #: The pillars it scored itself, as written.
    own: Mapping[str, int]
    #: The standing before it and after it (pillars in lens order, then unknown ones by id).
    before: Mapping[str, int]
    after: Mapping[str, int]

    @property
    def changes(self) -> dict[str, int | None]:
        """Each pillar it scored against the standing before it; None: no score before."""
        return {p: (s - self.before[p] if p in self.before else None) for p, s in self.own.items()}


def carried(scores: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """The standing after ``scores`` (oldest first): later scores replace earlier ones
    pillar by pillar; a pillar no later item scored keeps its score."""
    card: dict[str, int] = {}
    for own in scores:
        card.update(own)
    return card


def ordered(scores: Mapping[str, int], pillar_order: Sequence[str]) -> Mapping[str, int]:
    """``scores`` read-only, pillars in ``pillar_order`` (a lens's), unknown ones after by id."""
    rank = {p: i for i, p in enumerate(pillar_order)}
    return MappingProxyType(dict(sorted(scores.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))))


def carry_forward(items: Iterable[tuple[T, Mapping[str, int]]], pillar_order: Sequence[str] = ()) -> tuple[ScoreStep[T], ...]:
    """A :class:`ScoreStep` per ``(item, its own scores)``, oldest first."""
    out: list[ScoreStep[T]] = []
    before: Mapping[str, int] = MappingProxyType({})
    for item, own in items:
        after = ordered(carried((before, own)), pillar_order)
        out.append(ScoreStep(item, MappingProxyType(dict(own)), before, after))
        before = after
    return tuple(out)


def workload_scores(catalog: Catalog, workload: str) -> tuple[ScoreStep[Decision], ...]:
    """The workload's iterations, oldest first, each with the standing before and after it."""
    return carry_forward(((d, d.score_map) for d in catalog.iterations(workload)), catalog.lens.pillar_ids)


def scores_before(catalog: Catalog, d: Decision) -> Mapping[str, int]:
    """The standing of ``d``'s workload just before ``d`` (iterations earlier by date, then
    id), whether or not ``d`` is an iteration itself."""
    earlier = (x.score_map for x in catalog.iterations(d.workload) if (x.date, x.id) < (d.date, d.id))
    return ordered(carried(earlier), catalog.lens.pillar_ids)


def latest_changes(steps: Sequence[ScoreStep[T]]) -> tuple[Mapping[str, int], dict[str, int]]:
    """The standing after the last step, and for each pillar the score it had before its
    latest rating (pillars rated once have none): a decision log's "last change"."""
    now = steps[-1].after if steps else MappingProxyType({})
    previous: dict[str, int] = {}
    seen: set[str] = set()
    for step in reversed(steps):
        for p in step.own:
            if p not in seen:
                seen.add(p)
                if p in step.before:
                    previous[p] = step.before[p]
    return now, previous
