"""Each workload's evolution: iterations in order, their status history, verdicts, scores,
and the series the trend charts draw. Pure: catalog and history in, timelines out.

Dates: a decision's declared ``date`` is when it was decided; git (when there is a
history) says when each change happened, e.g. the day a ``proposed`` decision was
committed as ``accepted``. Without git a decision's status history is just its declared
date and current status.

Scores: a decision scores the pillars it affected (not every pillar must be scored).
An iteration's *scorecard* is the workload's standing after it: its own scores, and for
pillars it did not score, the latest earlier score. Trend charts draw scorecards, so a
line stays flat where an iteration left a pillar alone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from mkdocs_wa.analysis.scores import carried, ordered, workload_scores
from mkdocs_wa.history.model import FileHistory, History, norm_path
from mkdocs_wa.model import Catalog, Decision, Metric
from mkdocs_wa.source.verdicts import HypothesisVerdict, TargetError, _convert, describe_target, hypothesis_verdict, parse_quantity, parse_target

ITERATION_STATUSES = ("accepted", "superseded", "deprecated")


@dataclass(frozen=True)
class StatusStep:
    """A status a decision took, and when."""

    status: str
    date: dt.date
    #: "git" (the commit that set it), "uncommitted" (only in the working tree), or
    #: "declared" (no history: the file's own date and current status).
    source: str
    commit: str = ""
    when: dt.datetime | None = None


@dataclass(frozen=True)
class Iteration:
    """One step of a workload's evolution: an accepted (or since replaced) decision."""

    decision: Decision
    #: 1-based position in the workload's evolution.
    number: int
    statuses: tuple[StatusStep, ...]
    verdict: HypothesisVerdict
    #: The pillars this decision scored (lens order).
    scores: Mapping[str, int]
    #: The workload's scores after it: its own, and earlier ones for pillars it left alone.
    scorecard: Mapping[str, int]
    #: Change of each pillar this decision scored against the previous scorecard; None
    #: when the pillar had no score before.
    changes: Mapping[str, int | None]
    previous: Decision | None = None
    history: FileHistory | None = field(default=None, compare=False, repr=False)

    @property
    def id(self) -> str:
        return self.decision.id


@dataclass(frozen=True)
class MetricPoint:
    """A metric's value in one iteration, in the series' unit (None: not measured or not a number)."""

    iteration: str
    observed: float | None
    #: The target as one number when it is one (``<= 2.5`` -> 2.5), for a target line.
    target: float | None
    #: The value as written (``"850 ms"``), for tables.
    text: str = ""
    #: The target as text for pages (``<= 2.5 s``).
    target_text: str = ""


@dataclass(frozen=True)
class MetricSeries:
    name: str
    unit: str
    #: The chart's file name part: ``metric-<slug>`` (see :func:`metric_slug`).
    slug: str
    points: tuple[MetricPoint, ...]

    @property
    def measured(self) -> bool:
        return any(p.observed is not None for p in self.points)

    @property
    def trend(self) -> bool:
        """Worth a trend chart: in two iterations or more, and measured at least once."""
        return len(self.points) >= 2 and self.measured


@dataclass(frozen=True)
class TimelineMilestone:
    """A git tag on a commit that changed the workload, with its scorecard then."""

    tag: str
    date: dt.datetime
    commit: str
    #: Pillar -> score, as the workload's iterations stood at the tag.
    scorecard: Mapping[str, int]
    #: Ids of the iterations as of the tag (status accepted/superseded/deprecated then), oldest first.
    iterations: tuple[str, ...]
    #: The workload's decisions the tagged commit changed.
    decisions: tuple[Decision, ...]


@dataclass(frozen=True)
class Timeline:
    workload: str
    iterations: tuple[Iteration, ...]
    #: pillar id -> (iteration id, scorecard score or None), pillars in lens order; only
    #: pillars some iteration scored.
    pillars: Mapping[str, tuple[tuple[str, int | None], ...]]
    #: metric name -> its series across iterations (metrics that appear in an iteration).
    metrics: Mapping[str, MetricSeries]
    milestones: tuple[TimelineMilestone, ...]
    #: Why the status history has no git dates (None when it has them).
    history_note: str | None = None

    def chart_names(self) -> list[str]:
        """Names for ``Layout.chart``: ``metric-<slug>`` for each metric with a trend (see
        :attr:`MetricSeries.trend`). Pillar scores are a heat strip on the page."""
        return [s.slug for s in self.metrics.values() if s.trend]


def metric_slug(name: str) -> str:
    """``metric-`` and the name in lower case with runs of other characters as ``-``."""
    # Cut short: the name is free text, and a file name over 255 bytes made the build
    # crash with "File name too long" (names that cut to the same slug get -2, -3...).
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower())[:60].strip("-")
    return f"metric-{slug or 'unnamed'}"


def build_timelines(catalog: Catalog, history: History | None) -> dict[str, Timeline]:
    """A :class:`Timeline` for every workload of the catalog (with or without history)."""
    return {w: build_timeline(catalog, w, history) for w in catalog.workloads()}


def build_timeline(catalog: Catalog, workload: str, history: History | None) -> Timeline:
    lens_order = list(catalog.lens.pillar_ids)
    iterations: list[Iteration] = []
    previous: Decision | None = None
    for n, step in enumerate(workload_scores(catalog, workload), start=1):
        d = step.item
        fh = _file_history(history, d)
        iterations.append(
            Iteration(d, n, _statuses(d, fh), hypothesis_verdict(d), step.own, step.after, step.changes, previous, fh)
        )
        previous = d

    scored = sorted({p for it in iterations for p in it.scores}, key=lambda p: _rank(lens_order, p))
    pillars = {p: tuple((it.id, it.scorecard.get(p)) for it in iterations) for p in scored}
    note = None
    if history is None:
        note = "No git history was read."
    elif not history.available:
        note = history.reason
    return Timeline(
        workload,
        tuple(iterations),
        pillars,
        _metric_series(iterations),
        _milestones(catalog, workload, history, lens_order),
        note,
    )


def _rank(order: list[str], pillar: str) -> tuple[int, str]:
    return (order.index(pillar) if pillar in order else len(order), pillar)


def _file_history(history: History | None, d: Decision) -> FileHistory | None:
    if history is None or not history.available:
        return None
    return history.of(d.path, d.imported_history_path)


def _statuses(d: Decision, fh: FileHistory | None) -> tuple[StatusStep, ...]:
    steps: list[StatusStep] = []
    for r in fh.revisions if fh is not None else ():
        for c in r.changes:  # the status each revision set ("created" with one, or changed it)
            if c.kind not in ("created", "status") or not isinstance(c.new, str):
                continue
            if steps and steps[-1].status == c.new:
                continue  # e.g. an imported file created with the status its Markdown had
            steps.append(StatusStep(c.new, r.date.date(), "uncommitted" if r.uncommitted else "git", r.commit, r.date))
    if not steps or steps[-1].status != d.status:
        # No history, or it does not know the current status (e.g. history unreadable).
        steps.append(StatusStep(d.status, d.date, "declared"))
    return tuple(steps)


def _number(value: object, unit: str, series_unit: str) -> float | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        q = parse_quantity(value)
        return _convert(q, series_unit, unit).value
    except TargetError:
        return None


def _target_number(target: object, unit: str, series_unit: str) -> float | None:
    try:
        t = parse_target(target)
    except TargetError:
        return None
    if t.op == "range":
        return None
    try:
        return _convert(t.low, series_unit, unit).value
    except TargetError:
        return None


def _metric_series(iterations: list[Iteration]) -> dict[str, MetricSeries]:
    found: dict[str, list[tuple[Iteration, Metric]]] = {}
    for it in iterations:
        h = it.decision.hypothesis
        for metric in h.metrics if h else ():
            found.setdefault(metric.name, []).append((it, metric))
    out: dict[str, MetricSeries] = {}
    used: set[str] = set()
    for name, items in found.items():
        unit = next((m.unit for _, m in items if m.unit), "")
        points = []
        by_iteration = {it.id: m for it, m in items}
        for it in iterations:
            m = by_iteration.get(it.id)
            if m is None:
                continue  # the metric is not part of this iteration's hypothesis
            # the latest evidence is the observed value when there is any
            observed = f"{m.latest.value!r} {m.latest.unit}".strip() if m.latest else m.observed
            points.append(
                MetricPoint(
                    it.id,
                    _number(observed, m.unit, unit),
                    _target_number(m.target, m.unit, unit),
                    "" if observed is None else str(observed),
                    describe_target(m),
                )
            )
        slug = metric_slug(name)
        base, k = slug, 2
        while slug in used:
            slug, k = f"{base}-{k}", k + 1
        used.add(slug)
        out[name] = MetricSeries(name, unit, slug, tuple(points))
    return out


def _milestones(catalog: Catalog, workload: str, history: History | None, order: list[str]) -> tuple[TimelineMilestone, ...]:
    if history is None or not history.available or not history.milestones:
        return ()
    decisions = catalog.workloads().get(workload, ())
    by_path = {_key(d.path): d for d in decisions}
    files = {d.id: history.of(d.path) for d in decisions}
    out: list[TimelineMilestone] = []
    for m in history.milestones:
        touched = [by_path[p] for p in m.paths if p in by_path]
        if not touched:
            continue
        standing: list[tuple[dt.date, str, Mapping[str, object]]] = []
        for d in decisions:
            rev = files[d.id].as_of(m.date)
            if rev is None or rev.fields is None or rev.status not in ITERATION_STATUSES:
                continue
            pillars = rev.fields.get("pillars")
            standing.append((_declared(rev.fields.get("date"), d.date), d.id, pillars if isinstance(pillars, Mapping) else {}))
        standing.sort(key=lambda x: (x[0], x[1]))
        card = carried(_written_scores(pillars) for _, _, pillars in standing)
        out.append(TimelineMilestone(m.tag, m.date, m.commit, ordered(card, order), tuple(x[1] for x in standing), tuple(touched)))
    return tuple(out)


def _written_scores(pillars: Mapping[str, object]) -> dict[str, int]:
    """The scores of a revision's ``pillars`` as written (other values are no score)."""
    out: dict[str, int] = {}
    for p, v in pillars.items():
        score = v.get("score") if isinstance(v, Mapping) else None
        if isinstance(score, int) and not isinstance(score, bool):
            out[str(p)] = score
    return out


def _declared(value: object, default: dt.date) -> dt.date:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return default
    return default


def _key(path: str) -> str:
    return norm_path(path)
