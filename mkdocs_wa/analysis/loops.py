"""Feedback loops: hypothesis -> metrics -> result -> next decision.

A loop is *open* while an accepted decision's hypothesis waits for its result, and
*overdue* once its ``hypothesis.review_by`` date has passed (or, without one,
``default_review_days`` after the decision's ``date``). "Today" is always a parameter:
the CLI takes ``--today`` and a build passes its own date, so CI runs are reproducible.

``result.next`` and ``supersedes`` link decisions into *chains*; :func:`chains` orders
each one from its first hypothesis to its latest iteration.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from mkdocs_wa.diagnostics import Diagnostic, warning
from mkdocs_wa.model import Catalog, Decision, Evidence, Metric
from mkdocs_wa.nouns import count
from mkdocs_wa.source.verdicts import HypothesisVerdict, Quantity, Verdict, describe_target, hypothesis_verdict, judge_quantity

#: Days after a decision's date that its result is due when no ``review_by`` is given.
DEFAULT_REVIEW_DAYS = 90
#: Diagnostic code of an overdue loop (the plugin swaps these for its own days option).
LOOP_CODE = "loop-overdue"


@dataclass(frozen=True)
class Loop:
    """One open feedback loop, judged on ``today``."""

    decision: Decision
    due: dt.date
    #: "review_by" when the file names the date, "default" when it is date + default days.
    due_from: str
    today: dt.date

    @property
    def overdue(self) -> bool:
        return self.today > self.due

    @property
    def days_overdue(self) -> int:
        return max(0, (self.today - self.due).days)

    @property
    def days_left(self) -> int:
        """Days until the result is due (0 on the due date and after it)."""
        return max(0, (self.due - self.today).days)


def is_open(decision: Decision) -> bool:
    """An accepted decision whose hypothesis has no result yet."""
    return decision.status == "accepted" and decision.hypothesis is not None and decision.result is None


def due_date(decision: Decision, default_review_days: int = DEFAULT_REVIEW_DAYS) -> tuple[dt.date, str]:
    """When the decision's result is due, and where that date comes from."""
    if decision.hypothesis is not None and decision.hypothesis.review_by is not None:
        return decision.hypothesis.review_by, "review_by"
    try:
        return decision.date + dt.timedelta(days=default_review_days), "default"
    except OverflowError:  # validate refuses such dates; never crash on one
        return dt.date.max, "default"


def open_loops(
    catalog: Catalog | Iterable[Decision], today: dt.date, *, default_review_days: int = DEFAULT_REVIEW_DAYS
) -> tuple[Loop, ...]:
    """Every open loop, the most overdue first (then by due date, workload and id)."""
    decisions = catalog.decisions if isinstance(catalog, Catalog) else tuple(catalog)
    loops = []
    for d in decisions:
        if is_open(d):
            due, origin = due_date(d, default_review_days)
            loops.append(Loop(d, due, origin, today))
    return tuple(sorted(loops, key=lambda lp: (lp.due, lp.decision.workload, lp.decision.id)))


def overdue_message(loop: Loop, default_review_days: int = DEFAULT_REVIEW_DAYS) -> str:
    d = loop.decision
    if loop.due_from == "review_by":
        return (
            f"feedback loop overdue: {d.id} has no result {count(loop.days_overdue, 'day')} after its review_by date "
            f"{loop.due.isoformat()}; measure the metrics and add a 'result' (outcome, measured_on), "
            "or move review_by if the measurement needs longer"
        )
    return (
        f"feedback loop overdue: {d.id} was accepted on {d.date.isoformat()} and has no result after "
        f"{(loop.today - d.date).days} days (results are due {default_review_days} days after the decision when "
        "hypothesis.review_by is not set); add a 'result', or set review_by"
    )


def overdue_diagnostics(
    catalog: Catalog | Iterable[Decision], today: dt.date, *, default_review_days: int = DEFAULT_REVIEW_DAYS
) -> list[Diagnostic]:
    """A warning per overdue loop, at its ``review_by`` (or its ``hypothesis`` key)."""
    out: list[Diagnostic] = []
    for loop in open_loops(catalog, today, default_review_days=default_review_days):
        if not loop.overdue:
            continue
        d = loop.decision
        line, col = 0, 0
        if d.source is not None:
            pos = (
                d.source.position(("hypothesis", "review_by"))
                if loop.due_from == "review_by"
                else d.source.position(("hypothesis",), key=True)
            )
            line, col = pos.line, pos.col
        out.append(warning(d.path, line, col, overdue_message(loop, default_review_days), LOOP_CODE))
    return out


def check_overdue(catalog: Catalog, today: dt.date) -> list[Diagnostic]:
    """The site check (see :mod:`mkdocs_wa.analysis.checks`), with the default number of days."""
    return overdue_diagnostics(catalog, today)


# --- regressions ----------------------------------------------------------------------

#: Diagnostic code of a regressed decision.
REGRESSED_CODE = "regressed"


@dataclass(frozen=True)
class Regression:
    """An accepted decision's metric whose latest evidence misses its target, after the
    metric had met it (an earlier evidence met it, or the result says ``confirmed``)."""

    decision: Decision
    #: The metric's position in the hypothesis.
    index: int
    metric: Metric
    latest: Evidence
    #: The last evidence before ``latest`` that met the target; None when only the
    #: result's ``confirmed`` says it was met.
    last_met: Evidence | None

    @property
    def target(self) -> str:
        return describe_target(self.metric)

    def message(self) -> str:
        e, d = self.latest, self.decision
        value = f"{e.value:.6g} {e.unit}".strip()
        since = (
            f"; it met it on {self.last_met.time:%Y-%m-%d %H:%M} UTC ({self.last_met.value:.6g} {self.last_met.unit})".rstrip()
            if self.last_met
            else f"; the result says '{d.result.outcome if d.result else ''}'"
        )
        return (
            f"regressed: {d.id} '{self.metric.name}' measured {value} on {e.time:%Y-%m-%d %H:%M} UTC"
            f"{f' ({e.kind})' if e.kind else ''}, missing its target {self.target}{since}. Fix it, or record "
            "a new decision that changes the target"
        )


def _met(m: Metric, e: Evidence) -> Verdict:
    return judge_quantity(m, Quantity(e.value, e.unit))


def regressions(catalog: Catalog | Iterable[Decision]) -> tuple[Regression, ...]:
    """Every regressed metric of an accepted decision, by workload and id."""
    decisions = catalog.decisions if isinstance(catalog, Catalog) else tuple(catalog)
    out = []
    for d in decisions:
        if d.status != "accepted" or d.hypothesis is None:
            continue
        for i, m in enumerate(d.hypothesis.metrics):
            if not m.evidence or _met(m, m.evidence[-1]) is not Verdict.MISSED:
                continue
            last_met = next((e for e in reversed(m.evidence[:-1]) if _met(m, e) is Verdict.MET), None)
            if last_met is None and not (d.result and d.result.outcome == "confirmed"):
                continue  # never met yet: an open question, not a regression
            out.append(Regression(d, i, m, m.evidence[-1], last_met))
    return tuple(sorted(out, key=lambda r: (r.decision.workload, r.decision.id, r.index)))


def regression_diagnostics(catalog: Catalog | Iterable[Decision]) -> list[Diagnostic]:
    """A warning per regressed metric, at the metric's target."""
    out = []
    for r in regressions(catalog):
        line, col = 0, 0
        if r.decision.source is not None:
            pos = r.decision.source.position(("hypothesis", "metrics", r.index, "target"))
            line, col = pos.line, pos.col
        out.append(warning(r.decision.path, line, col, r.message(), REGRESSED_CODE))
    return out


# --- chains ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """``source`` led to ``target``: by its ``result.next``, or ``target`` supersedes it."""

    source: str
    target: str
    #: "next", "supersedes" or both.
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class Chain:
    """Decisions linked by ``result.next`` and ``supersedes``, from first to latest."""

    decisions: tuple[Decision, ...]
    links: tuple[Link, ...] = ()

    @property
    def id(self) -> str:
        return self.decisions[0].id

    @property
    def first(self) -> Decision:
        """The first decision with a hypothesis (the loop's start), else the oldest."""
        return next((d for d in self.decisions if d.hypothesis is not None), self.decisions[0])

    @property
    def latest(self) -> Decision:
        """The latest iteration (accepted or later), else the last decision."""
        return next((d for d in reversed(self.decisions) if d.is_iteration), self.decisions[-1])

    @property
    def workloads(self) -> tuple[str, ...]:
        return tuple(sorted({d.workload for d in self.decisions}))

    def links_from(self, decision_id: str) -> tuple[Link, ...]:
        return tuple(lk for lk in self.links if lk.source == decision_id)


def links(decisions: Sequence[Decision]) -> tuple[Link, ...]:
    """Every link between known decisions, in a stable order."""
    ids = {d.id for d in decisions}
    kinds: dict[tuple[str, str], set[str]] = {}
    for d in decisions:
        if d.result and d.result.next and d.result.next in ids and d.result.next != d.id:
            kinds.setdefault((d.id, d.result.next), set()).add("next")
        for old in d.supersedes:
            if old in ids and old != d.id:
                kinds.setdefault((old, d.id), set()).add("supersedes")
    return tuple(Link(a, b, tuple(sorted(k))) for (a, b), k in sorted(kinds.items()))


def chains(catalog: Catalog | Sequence[Decision]) -> tuple[Chain, ...]:
    """Linked decisions as chains, ordered by their first decision's date.

    A chain is a connected group of links; inside it, decisions come in link order
    (a decision after the ones that led to it), ties broken by date and id. A lone
    decision is a chain too when it has a hypothesis: a loop of one step.
    """
    decisions = catalog.decisions if isinstance(catalog, Catalog) else tuple(catalog)
    by_id: dict[str, Decision] = {}
    for d in decisions:
        by_id.setdefault(d.id, d)  # a duplicate id is an error reported by validation
    all_links = links(tuple(by_id.values()))

    # Connected groups with a small union-find.
    parent = {i: i for i in by_id}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for lk in all_links:
        parent[root(lk.source)] = root(lk.target)
    groups: dict[str, list[str]] = {}
    for i in by_id:
        groups.setdefault(root(i), []).append(i)

    out: list[Chain] = []
    for members in groups.values():
        member_set = set(members)
        group_links = tuple(lk for lk in all_links if lk.source in member_set)
        if len(members) == 1 and by_id[members[0]].hypothesis is None:
            continue
        ordered = _order([by_id[i] for i in members], group_links)
        out.append(Chain(tuple(ordered), group_links))
    return tuple(sorted(out, key=lambda c: (c.decisions[0].date, c.decisions[0].workload, c.id)))


def _order(decisions: list[Decision], group_links: tuple[Link, ...]) -> list[Decision]:
    """Topological order (Kahn), earliest first among the ready ones; cycles by date."""
    key = {d.id: (d.date, d.workload, d.id) for d in decisions}
    incoming = {d.id: 0 for d in decisions}
    for lk in group_links:
        incoming[lk.target] += 1
    by_id = {d.id: d for d in decisions}
    ready = sorted((i for i, n in incoming.items() if n == 0), key=key.__getitem__)
    done: list[str] = []
    while ready:
        current = ready.pop(0)
        done.append(current)
        for lk in group_links:
            if lk.source == current:
                incoming[lk.target] -= 1
                if incoming[lk.target] == 0:
                    ready.append(lk.target)
                    ready.sort(key=key.__getitem__)
    # A result.next cycle (supersede cycles are errors already): the rest by date.
    rest = sorted((i for i in by_id if i not in done), key=key.__getitem__)
    return [by_id[i] for i in done + rest]


# --- everything the pages need ------------------------------------------------------


@dataclass(frozen=True)
class FeedbackLoops:
    """Open loops, chains and verdicts of a site (or of one workload), on ``today``."""

    today: dt.date
    default_review_days: int
    open: tuple[Loop, ...]
    chains: tuple[Chain, ...]
    #: decision id -> its hypothesis judged (every decision of the catalog).
    verdicts: dict[str, HypothesisVerdict] = field(default_factory=dict)
    #: Accepted decisions' metrics whose latest evidence misses the target.
    regressed: tuple[Regression, ...] = ()

    @property
    def overdue(self) -> tuple[Loop, ...]:
        return tuple(lp for lp in self.open if lp.overdue)

    @cached_property
    def _by_id(self) -> dict[str, Loop]:
        return {lp.decision.id: lp for lp in self.open}

    def loop(self, decision_id: str) -> Loop | None:
        """The open loop of a decision (for its page), or None when it has none."""
        return self._by_id.get(decision_id)

    def for_workload(self, workload: str) -> FeedbackLoops:
        """Loops of one workload, and the chains that pass through it."""
        return FeedbackLoops(
            self.today,
            self.default_review_days,
            tuple(lp for lp in self.open if lp.decision.workload == workload),
            tuple(c for c in self.chains if workload in c.workloads),
            self.verdicts,
            tuple(r for r in self.regressed if r.decision.workload == workload),
        )


def feedback_loops(
    catalog: Catalog, today: dt.date, *, default_review_days: int = DEFAULT_REVIEW_DAYS
) -> FeedbackLoops:
    return FeedbackLoops(
        today,
        default_review_days,
        open_loops(catalog, today, default_review_days=default_review_days),
        chains(catalog),
        {d.id: hypothesis_verdict(d) for d in catalog.decisions},
        regressions(catalog),
    )
