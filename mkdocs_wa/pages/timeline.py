"""A workload's evolution timeline page: trends, iterations in order, milestones."""

from __future__ import annotations

from collections.abc import Callable

from ..model import Decision, Lens
from ..timeline import Iteration, Timeline, TimelineMilestone
from ..verdicts import Verdict
from .common import change_cell, decision_link, diagram_image, outcome_badge, pillar_name, score_cell, status_badge, table
from .paths import Layout, link
from .text import code, esc
from .workload import workload_title

VERDICT_TEXT = {
    Verdict.MET: '<span class="wa-met">✔ targets met</span>',
    Verdict.MISSED: '<span class="wa-missed">✘ a target missed</span>',
    Verdict.UNMEASURED: '<span class="wa-unmeasured">… not measured yet</span>',
    Verdict.UNKNOWN: '<span class="wa-unknown">? cannot judge</span>',
}
SOURCE_TEXT = {"git": "", "uncommitted": " (uncommitted)", "declared": " (declared date)"}


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
    if not its:
        out.append(
            "No iteration yet: an iteration is an accepted decision (or one accepted and later "
            f"superseded). See the [decision log]({link(page, layout.workload(workload))}).\n"
        )
        return "\n".join(out)
    span = f"{its[0].decision.date.isoformat()} to {its[-1].decision.date.isoformat()}"
    out.append(
        f"{len(its)} iteration(s), {span}, oldest first. A decision's date is the date it declares; "
        "the dates of status changes are those of the commits that made them. "
        f"All decisions are in the [decision log]({link(page, layout.workload(workload))}).\n"
    )
    if timeline.history_note:
        out.append(f'!!! note "Without git history"\n\n    {esc(timeline.history_note)} Status changes show the declared date only.\n')

    charts = timeline.chart_names()
    if "pillars" in charts:
        out.append("## Pillar trends\n")
        alt = f"Line chart: the score (0 to 5) of each pillar after each iteration of {workload_title(workload)}"
        out.append(f"![{esc(alt)}]({link(page, layout.chart(workload, 'pillars'))})\n")
    metric_charts = [s for s in timeline.metrics.values() if s.slug in charts]
    if metric_charts:
        out.append("## Metric trends\n")
        for s in metric_charts:
            unit = f" ({s.unit})" if s.unit else ""
            alt = f"Line chart: {s.name}{unit}, observed after each iteration, with its target"
            out.append(f"### {esc(s.name)}\n")
            out.append(f"![{esc(alt)}]({link(page, layout.chart(workload, s.slug))})\n")
            rows = [
                [it_link(page, p.iteration, timeline, layout), esc(p.target_text) or "–", _number(p.observed, p.text, s.unit)]
                for p in s.points
            ]
            out.append(table(["Iteration", "Target", "Observed"], rows))

    out.append("## Iterations\n")
    for it in its:
        out.append(_iteration(it, lens, layout, page, diagram_for))

    if timeline.milestones:
        out.append("## Milestones\n")
        out.append("Git tags on commits that changed this workload's decisions, with the pillar scores as of each tag.\n")
        for m in timeline.milestones:
            out.append(_milestone(m, timeline, lens, layout, page))
    return "\n".join(out)


def _number(value: float | None, raw: str, unit: str) -> str:
    """A value in the series' unit (``1,000 users``), else as written, else a dash."""
    if value is not None:
        return esc(f"{value:,.10g} {unit}".strip())
    return esc(raw) if raw else "–"


def it_link(page: str, decision_id: str, timeline: Timeline, layout: Layout) -> str:
    it = next((i for i in timeline.iterations if i.id == decision_id), None)
    return decision_link(page, it.decision, layout, with_title=False) if it else esc(decision_id)


def _iteration(it: Iteration, lens: Lens, layout: Layout, page: str, diagram_for: Callable[[Decision], str | None]) -> str:
    d = it.decision
    out = [f"### {it.number}. {esc(d.id)} · {esc(d.title)}\n"]
    facts = [
        ("Decision", decision_link(page, d, layout)),
        ("Decided", f"{d.date.isoformat()} (declared)"),
        ("Status history", _statuses(it)),
        ("Hypothesis", _verdict(it)),
    ]
    if it.previous is not None:
        facts.append(("After", decision_link(page, it.previous, layout)))
    out.append("\n".join(f"- **{k}:** {v}" for k, v in facts) + "\n")
    if it.scores:
        rows = [
            [esc(pillar_name(lens, p)), score_cell(s), change_cell(s, None if it.changes.get(p) is None else s - it.changes[p])]
            for p, s in it.scores.items()
        ]
        note = "Scores after this iteration; the change is against the workload's scores before it."
        out.append(f"{note}\n\n" + table(["Pillar", "Score", "Change"], rows))
    else:
        out.append("This iteration scores no pillar.\n")
    svg = diagram_for(d)
    if svg:
        alt = f"Architecture diagram after {d.id}: {d.title}"
        out.append(diagram_image(page, svg, alt))
    return "\n".join(out)


def _statuses(it: Iteration) -> str:
    steps = [f"{status_badge(s.status)} {s.date.isoformat()}{SOURCE_TEXT.get(s.source, '')}" for s in it.statuses]
    return " → ".join(steps)


def _verdict(it: Iteration) -> str:
    v = it.verdict
    d = it.decision
    if d.hypothesis is None:
        return "no hypothesis"
    parts = []
    if v.verdict is not None:
        met = v.count(Verdict.MET)
        parts.append(f"{VERDICT_TEXT[v.verdict]} ({met} of {len(v.metrics)} met)")
    else:
        parts.append("no metrics")
    parts.append("result: " + outcome_badge(v.outcome))
    if v.agrees is False:
        parts.append('<span class="wa-missed">the declared outcome contradicts the metrics</span>')
    return "; ".join(parts)


def _milestone(m: TimelineMilestone, timeline: Timeline, lens: Lens, layout: Layout, page: str) -> str:
    out = [f"### {esc(m.tag)} · {m.date.date().isoformat()}\n"]
    changed = ", ".join(decision_link(page, d, layout, with_title=False) for d in m.decisions)
    facts = [("Tag", f"{code(m.tag)} on commit `{m.commit[:7]}`"), ("Changed", changed)]
    if m.iterations:
        facts.append(("Iterations by then", ", ".join(it_link(page, i, timeline, layout) for i in m.iterations)))
    out.append("\n".join(f"- **{k}:** {v}" for k, v in facts) + "\n")
    if m.scorecard:
        rows = [[esc(pillar_name(lens, p)), score_cell(s)] for p, s in m.scorecard.items()]
        out.append(table(["Pillar", "Score as of the tag"], rows))
    else:
        out.append("No iteration had scored a pillar by then.\n")
    return "\n".join(out)
