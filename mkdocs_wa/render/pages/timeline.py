"""A workload's evolution timeline page.

From the top: a compact dated sequence of events (proposed, accepted, measured,
superseded, git tags), the pillar scores as a heat strip (pillars x iterations, the
score written in each cell), the metric charts with their data tables collapsed, and
the iterations, each a collapsed block. Nothing is repeated per iteration that the
strip already shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from mkdocs_wa.analysis.timeline import Iteration, Timeline
from mkdocs_wa.layout import Layout, link
from mkdocs_wa.model import Decision, Lens
from mkdocs_wa.render.pages import words
from mkdocs_wa.render.pages.common import change_cell, decision_link, diagram_image, outcome_badge, pillar_name, status_badge, table
from mkdocs_wa.render.pages.components import details
from mkdocs_wa.render.pages.icons import icon
from mkdocs_wa.render.pages.workload import workload_title
from mkdocs_wa.source.verdicts import Verdict
from mkdocs_wa.text import attr, code, esc

VERDICT_TEXT = {
    Verdict.MET: ("met", "check-circle"),
    Verdict.MISSED: ("missed", "close-circle"),
    Verdict.UNMEASURED: ("unmeasured", "progress-clock"),
    Verdict.UNKNOWN: ("unknown", "help-circle"),
}
SOURCE_TEXT = {"git": "", "uncommitted": " (uncommitted)", "declared": " (declared date)"}


@dataclass(frozen=True)
class Event:
    """One line of the timeline: when, what (Markdown), and a sort key."""

    date: dt.date
    order: int
    markdown: str


def timeline_markdown(
    workload: str,
    timeline: Timeline,
    lens: Lens,
    layout: Layout,
    *,
    diagram_for: Callable[[Decision], str | None],
) -> str:
    """The Markdown of ``layout.timeline(workload)``.

    ``diagram_for(decision)`` gives the docs-relative path of the iteration's diagram
    SVG, or None when it has none.
    """
    page = layout.timeline(workload)
    its = timeline.iterations
    out = [f"# {esc(workload_title(workload))}: evolution timeline\n"]
    log = link(page, layout.workload(workload))
    if not its:
        out.append(
            "No iteration yet: an iteration is an accepted decision (or one accepted and later "
            f"superseded). See the [decision log]({log}).\n"
        )
        return "\n".join(out)
    span = f"{its[0].decision.date.isoformat()} to {its[-1].decision.date.isoformat()}"
    out.append(
        f"{words.count(len(its), 'iteration')}, {span}. Dates of status changes are those of the commits "
        f"that made them. Every decision is in the [decision log]({log}).\n"
    )
    if timeline.history_note:
        out.append(f'!!! note "Without git history"\n\n    {esc(timeline.history_note)} Status changes show the declared date only.\n')

    out.append(f"## {words.HEADING['events']}\n")
    out.append(events_markdown(timeline, layout, page))

    if timeline.pillars:
        out.append(f"## {words.HEADING['pillar_scores']}\n")
        out.append(heat_strip(timeline, lens, layout, page))

    charts = timeline.chart_names()
    metric_charts = [s for s in timeline.metrics.values() if s.slug in charts]
    if metric_charts:
        out.append(f"## {words.HEADING['metrics']}\n")
        out.append('<div class="wa-charts" markdown>\n')
        for s in metric_charts:
            unit = f" ({s.unit})" if s.unit else ""
            alt = f"Chart: {s.name}{unit}, observed after each iteration, against its target"
            rows = [
                [it_link(page, p.iteration, timeline, layout),
                 esc(words.number(p.observed, s.unit)) if p.observed is not None else esc(p.text or "–"),
                 esc(p.target_text) or "–"]
                for p in s.points
            ]
            out.append(
                f'<div class="wa-chart" markdown>\n\n### {esc(s.name)}\n\n'
                f"![{esc(alt)}]({link(page, layout.chart(workload, s.slug))})\n\n"
                + details(words.HEADING["numbers"], table(["Iteration", "Observed", "Target"], rows), kind="abstract")
                + "\n</div>\n"
            )
        out.append("</div>\n")

    out.append(f"## {words.HEADING['iterations']}\n")
    for it in its:
        out.append(_iteration(it, lens, layout, page, diagram_for))
    return "\n".join(out)


def events_markdown(timeline: Timeline, layout: Layout, page: str) -> str:
    """The dated sequence of what happened, oldest first, one line each."""
    return render_events(timeline_events(timeline, layout, page))


def render_events(events: list[Event]) -> str:
    events = sorted(events, key=lambda e: (e.date, e.order))
    lines = [f"- <time>{e.date.isoformat()}</time> {e.markdown}" for e in events]
    return '<div class="wa-events" markdown>\n\n' + "\n".join(lines) + "\n\n</div>\n"


def timeline_events(timeline: Timeline, layout: Layout, page: str) -> list[Event]:
    """Proposed, accepted, superseded (order 1), measured (2), git tags (3)."""
    events: list[Event] = []
    for it in timeline.iterations:
        d = it.decision
        ref = decision_link(page, d, layout, with_title=False)
        for n, step in enumerate(it.statuses):
            what = f"{status_badge(step.status)} {ref}"
            if n == 0 or step.status in ("proposed",):
                what += f" {esc(d.title)}"
            if step.status == "superseded" and d.superseded_by:
                what += " by " + ", ".join(_id_link(page, i, timeline, layout) for i in d.superseded_by)
            events.append(Event(step.date, 1, what + SOURCE_TEXT.get(step.source, "")))
        r = d.result
        if r is not None and r.measured_on:
            v = it.verdict
            targets = ""
            if v.verdict is not None and v.metrics:
                targets = f", {words.targets_met(v.count(Verdict.MET), len(v.metrics))}"
            events.append(Event(r.measured_on, 2, f"{icon('ruler-square')} {ref} measured: {outcome_badge(r.outcome)}{targets}"))
    for m in timeline.milestones:
        what = f'{icon("flag-variant")} tag {code(m.tag)}'
        if m.iterations:
            what += f", {words.count(len(m.iterations), 'iteration')} by then"
        events.append(Event(m.date.date(), 3, what))
    return events


def heat_strip(timeline: Timeline, lens: Lens, layout: Layout, page: str) -> str:
    """Pillars x iterations, each cell the workload's score after that iteration,
    coloured by score (class ``wa-heat--N``) with the number written in it."""
    its = timeline.iterations
    head = "".join(
        # plain ids: MkDocs does not resolve links inside raw HTML (the events above link them)
        f'<th scope="col">{attr(it.id)}<br><small>{it.decision.date.isoformat()}</small></th>'
        for it in its
    )
    rows = []
    for pillar, series in timeline.pillars.items():
        cells = []
        for _it_id, score in series:
            if score is None:
                cells.append('<td class="wa-heat wa-heat--none">–</td>')
            else:
                cells.append(f'<td class="wa-heat wa-heat--{int(score)}">{int(score)}</td>')
        rows.append(f'<tr><th scope="row">{attr(pillar_name(lens, pillar))}</th>{"".join(cells)}</tr>')
    return (
        '<div class="wa-scroll"><table class="wa-strip">'
        f'<thead><tr><th scope="col">Pillar (score out of 5)</th>{head}</tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></div>\n'
    )


def _id_link(page: str, decision_id: str, timeline: Timeline, layout: Layout) -> str:
    return it_link(page, decision_id, timeline, layout)


def it_link(page: str, decision_id: str, timeline: Timeline, layout: Layout) -> str:
    it = next((i for i in timeline.iterations if i.id == decision_id), None)
    return decision_link(page, it.decision, layout, with_title=False) if it else esc(decision_id)


def _iteration(it: Iteration, lens: Lens, layout: Layout, page: str, diagram_for: Callable[[Decision], str | None]) -> str:
    """One iteration, collapsed: its summary line says status and result."""
    d = it.decision
    summary = f"{it.number}. {attr(d.id)} · {attr(d.title)} <small>{d.date.isoformat()}</small>"
    body = [f"{decision_link(page, d, layout)}: {_statuses(it)}\n"]
    if verdict := _verdict(it):
        body.append(verdict + "\n")
    moved = [
        f"{esc(pillar_name(lens, p))} {change_cell(s, None if (c := it.changes.get(p)) is None else s - c)}"
        for p, s in it.scores.items()
        if it.changes.get(p) != 0
    ]
    if moved:
        body.append("Pillars: " + "; ".join(moved) + "\n")
    svg = diagram_for(d)
    if svg:
        body.append(diagram_image(page, svg, f"Architecture diagram after {d.id}: {d.title}"))
    return details(summary, "\n".join(body), kind="abstract", css="wa-iteration")


def _statuses(it: Iteration) -> str:
    steps = [f"{status_badge(s.status)} {s.date.isoformat()}{SOURCE_TEXT.get(s.source, '')}" for s in it.statuses]
    return " → ".join(steps)


def _verdict(it: Iteration) -> str:
    """The hypothesis' result and targets; '' when the decision has none (no filler)."""
    v = it.verdict
    d = it.decision
    if d.hypothesis is None:
        return ""
    parts = ["Result: " + outcome_badge(v.outcome)]
    if v.verdict is not None and v.metrics:
        kind, name = VERDICT_TEXT[v.verdict]
        parts.append(f'<span class="wa-{kind}">{icon(name)} {words.targets_met(v.count(Verdict.MET), len(v.metrics))}</span>')
    if v.agrees is False:
        parts.append('<span class="wa-missed">the declared outcome contradicts the metrics</span>')
    return "; ".join(parts)
