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
from mkdocs_wa.render.pages.common import change_cell, decision_link, decision_link_html, diagram_image, html_table, outcome_badge, pillar_name, status_badge
from mkdocs_wa.render.pages.components import admonition, details, details_html, html_code
from mkdocs_wa.render.pages.icons import icon
from mkdocs_wa.render.pages.workload import workload_title
from mkdocs_wa.source.verdicts import Verdict
from mkdocs_wa.text import attr, esc

VERDICT_TEXT = {
    Verdict.MET: ("met", "check-circle"),
    Verdict.MISSED: ("missed", "close-circle"),
    Verdict.UNMEASURED: ("unmeasured", "progress-clock"),
    Verdict.UNKNOWN: ("unknown", "help-circle"),
}


def source_text(source: str) -> str:
    """Where a status' date comes from, when it is not a commit."""
    return words.say("aside", text=words.say(f"source_{source}")) if source in ("uncommitted", "declared") else ""


@dataclass(frozen=True)
class Event:
    """One line of the timeline: when, what (HTML, links resolved), and a sort key."""

    date: dt.date
    order: int
    html: str


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
    out = [f"# {words.say('timeline_title', workload=esc(workload_title(workload)))}\n"]
    log = f"[{words.say('decision_log')}]({link(page, layout.workload(workload))})"
    if not its:
        out.append(words.say("no_iteration", log=log) + "\n")
        return "\n".join(out)
    out.append(
        words.say("timeline_intro", iterations=words.count(len(its), "iteration"), first=its[0].decision.date.isoformat(),
                  last=its[-1].decision.date.isoformat(), log=log) + "\n"
    )
    if timeline.history_note:
        out.append(admonition("note", words.say("without_history"), words.say("without_history_note", note=esc(timeline.history_note))))

    out.append(f"## {words.HEADING['events']}\n")
    out.append(events_markdown(timeline, layout, page))

    if timeline.pillars:
        out.append(f"## {words.HEADING['pillar_scores']}\n")
        out.append(heat_strip(timeline, lens, layout, page))

    charts = timeline.chart_names()
    metric_charts = [s for s in timeline.metrics.values() if s.slug in charts]
    if metric_charts:
        # HTML (a grid of charts): links resolved here, no md_in_html (see components.py)
        out.append(f"## {words.HEADING['metrics']}\n")
        blocks = []
        for s in metric_charts:
            alt = words.say("chart_alt_unit" if s.unit else "chart_alt", metric=s.name, unit=s.unit)
            rows = [
                [it_link_html(page, p.iteration, timeline, layout),
                 attr(words.number(p.observed, s.unit)) if p.observed is not None else attr(p.text or "–"), attr(p.target_text) or "–"]
                for p in s.points
            ]
            numbers = html_table([words.HEADING["iteration"], words.HEADING["observed"], words.HEADING["target"]], rows)
            blocks.append(
                f'<div class="wa-chart"><h3 id="wa-{attr(s.slug)}">{attr(s.name)}</h3>'  # our own id: never a theme's
                f'<p><img alt="{attr(alt)}" src="{attr(layout.href(page, layout.chart(workload, s.slug)))}"></p>'
                + details_html(words.HEADING["numbers"], numbers) + "</div>"
            )
        out.append('<div class="wa-charts">\n' + "\n".join(blocks) + "\n</div>\n")

    out.append(f"## {words.HEADING['iterations']}\n")
    for it in its:
        out.append(_iteration(it, lens, layout, page, diagram_for))
    return "\n".join(out)


def events_markdown(timeline: Timeline, layout: Layout, page: str) -> str:
    """The dated sequence of what happened, oldest first, one line each."""
    return render_events(timeline_events(timeline, layout, page))


def render_events(events: list[Event]) -> str:
    events = sorted(events, key=lambda e: (e.date, e.order))
    lines = [f"<li><time>{e.date.isoformat()}</time> {e.html}</li>" for e in events]
    return '<div class="wa-events"><ul>\n' + "\n".join(lines) + "\n</ul></div>\n"


def timeline_events(timeline: Timeline, layout: Layout, page: str) -> list[Event]:
    """Proposed, accepted, superseded (order 1), measured (2), git tags (3)."""
    events: list[Event] = []
    for it in timeline.iterations:
        d = it.decision
        ref = decision_link_html(page, d, layout, with_title=False)
        for n, step in enumerate(it.statuses):
            what = f"{status_badge(step.status)} {ref}"
            if n == 0 or step.status in ("proposed",):
                what += f" {attr(d.title)}"
            if step.status == "superseded" and d.superseded_by:
                what += words.say("by", who=", ".join(it_link_html(page, i, timeline, layout) for i in d.superseded_by))
            events.append(Event(step.date, 1, what + source_text(step.source)))
        r = d.result
        if r is not None and r.measured_on:
            v = it.verdict
            targets = ""
            if v.verdict is not None and v.metrics:
                targets = words.say("then", text=words.targets_met(v.count(Verdict.MET), len(v.metrics)))
            said = words.say("measured", decision=ref, outcome=outcome_badge(r.outcome))
            events.append(Event(r.measured_on, 2, f"{icon('ruler-square')} {said}{targets}"))
    for m in timeline.milestones:
        what = f'{icon("flag-variant")} {words.say("tag", tag=html_code(m.tag))}'
        if m.iterations:
            what += words.say("then", text=words.say("by_then", iterations=words.count(len(m.iterations), "iteration")))
        events.append(Event(m.date.date(), 3, what))
    return events


def heat_strip(timeline: Timeline, lens: Lens, layout: Layout, page: str) -> str:
    """Pillars x iterations, each cell the workload's score after that iteration,
    coloured by score (class ``wa-heat--N``) with the number written in it."""
    its = timeline.iterations
    head = "".join(
        f'<th scope="col">{decision_link_html(page, it.decision, layout, with_title=False)}<br><small>{it.decision.date.isoformat()}</small></th>'
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
        f'<thead><tr><th scope="col">{words.HEADING["pillar_out_of_5"]}</th>{head}</tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></div>\n'
    )


def it_link(page: str, decision_id: str, timeline: Timeline, layout: Layout) -> str:
    it = next((i for i in timeline.iterations if i.id == decision_id), None)
    return decision_link(page, it.decision, layout, with_title=False) if it else esc(decision_id)


def it_link_html(page: str, decision_id: str, timeline: Timeline, layout: Layout) -> str:
    it = next((i for i in timeline.iterations if i.id == decision_id), None)
    return decision_link_html(page, it.decision, layout, with_title=False) if it else attr(decision_id)


def _iteration(it: Iteration, lens: Lens, layout: Layout, page: str, diagram_for: Callable[[Decision], str | None]) -> str:
    """One iteration, collapsed: its summary line says status and result."""
    d = it.decision
    # the title of a "???" block: inline Markdown, so user text escaped for Markdown
    summary = f"{it.number}. {esc(d.id)} · {esc(d.title)} <small>{d.date.isoformat()}</small>"
    body = [f"{decision_link(page, d, layout)}: {_statuses(it)}\n"]
    if verdict := _verdict(it):
        body.append(verdict + "\n")
    moved = [
        f"{esc(pillar_name(lens, p))} {change_cell(s, None if (c := it.changes.get(p)) is None else s - c)}"
        for p, s in it.scores.items()
        if it.changes.get(p) != 0
    ]
    if moved:
        body.append(words.say("pillars_moved", pillars="; ".join(moved)) + "\n")
    svg = diagram_for(d)
    if svg:
        body.append(diagram_image(page, svg, words.say("diagram_alt", id=d.id, title=d.title)))
    return details(summary, "\n".join(body), kind="abstract", css="wa-iteration")


def _statuses(it: Iteration) -> str:
    steps = [f"{status_badge(s.status)} {s.date.isoformat()}{source_text(s.source)}" for s in it.statuses]
    return " → ".join(steps)


def _verdict(it: Iteration) -> str:
    """The hypothesis' result and targets; '' when the decision has none (no filler)."""
    v = it.verdict
    d = it.decision
    if d.hypothesis is None:
        return ""
    parts = [words.say("result_is", outcome=outcome_badge(v.outcome))]
    if v.verdict is not None and v.metrics:
        kind, name = VERDICT_TEXT[v.verdict]
        parts.append(f'<span class="wa-{kind}">{icon(name)} {words.targets_met(v.count(Verdict.MET), len(v.metrics))}</span>')
    if v.agrees is False:
        parts.append(f'<span class="wa-missed">{words.say("outcome_contradicts")}</span>')
    return "; ".join(parts)
