"""The page of one decision."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Catalog, Decision, Lens, Metric
from ..verdicts import Verdict, describe_observed, describe_target, judge
from .common import (
    RenderText,
    change_cell,
    decision_link,
    diagram_image,
    outcome_badge,
    pillar_name,
    score_cell,
    status_badge,
    table,
    text_block,
)
from .paths import Layout, link
from .workload import workload_title
from .text import code, esc, url

VERDICT_TEXT = {
    Verdict.MET: '<span class="wa-met">✔ met</span>',
    Verdict.MISSED: '<span class="wa-missed">✘ missed</span>',
    Verdict.UNMEASURED: '<span class="wa-unmeasured">… not measured</span>',
    Verdict.UNKNOWN: '<span class="wa-unknown">? cannot judge</span>',
}


@dataclass(frozen=True)
class DecisionExtras:
    """Sections filled by later stages; each is ready Markdown or None."""

    edit_url: str | None = None
    diagram: str | None = None  # Markdown (image + change list) for the iteration's diagram
    history: str | None = None  # Markdown of the decision's git history
    loop_notice: str | None = None  # Markdown admonition when the feedback loop is open/overdue


def diagram_section(d: Decision, layout: Layout, changes: str) -> str:
    """The architecture section: the diagram, and what changed since the last iteration."""
    image = diagram_image(layout.decision(d), layout.diagram(d), f"Architecture diagram after {d.id}: {d.title}")
    if not changes:
        return image
    legend = "Marked in the diagram: added in green, changed in amber, removed dashed in red.\n"
    return f"{image}\n{legend}\n**Changes since the previous iteration**\n\n{changes}"


def previous_iteration(catalog: Catalog, d: Decision) -> Decision | None:
    """The iteration of the same workload just before ``d`` (by date, then id)."""
    before = [x for x in catalog.iterations(d.workload) if (x.date, x.id) < (d.date, d.id)]
    return before[-1] if before else None


def _value(value: object, unit: str) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = f"{value:,}" if isinstance(value, int) else str(value)
    has_unit = isinstance(value, str) and any(c.isalpha() for c in value)
    return esc(text if has_unit or not unit else f"{text} {unit}")


def _observed(m: Metric) -> str:
    """The observed value: the latest evidence (marked) when there is any, else the typed one."""
    if m.latest is None:
        return _value(m.observed, m.unit)
    return f"{esc(describe_observed(m))} (measured)"


# --- measured evidence (mkdocs-wa measure) -----------------------------------------------


def measured_section(d: Decision, layout: Layout) -> str:
    """Where each measured metric's observed value comes from, and its series over time."""
    metrics = [(i, m) for i, m in enumerate(d.hypothesis.metrics if d.hypothesis else ()) if m.measure or m.evidence]
    if not metrics:
        return ""
    page = layout.decision(d)
    out = ["### Measured\n"]
    files = sorted({e.path for _, m in metrics for e in m.evidence})
    if files:
        out.append(
            "Values recorded by `mkdocs-wa measure` in " + ", ".join(code(f) for f in files)
            + ". The latest is the **Observed** value above; a value typed in the file is shown only while there is no evidence.\n"
        )
    for i, m in metrics:
        how = ""
        if m.measure is not None:
            spec = m.measure.spec
            shown = spec.get("query") or spec.get("path") or spec.get("report") or spec.get("metric") or ""
            how = f" · source: {esc(m.measure.kind)}" + (f" {code(str(shown))}" if shown else "")
        if m.latest is None:
            out.append(f"- **{esc(m.name)}**{how} · no evidence recorded yet: run `mkdocs-wa measure {esc(d.id)}`.")
            continue
        e = m.latest
        typed = f" · replaces the value typed in the file, {_value(m.observed, m.unit)}" if m.observed not in (None, "") else ""
        chart = link(page, layout.evidence_chart(d, i))
        out.append(
            f"- **{esc(m.name)}**: latest **{e.value:.6g} {esc(e.unit)}** on {e.time:%Y-%m-%d %H:%M} UTC"
            f" ({esc(e.kind) or 'unknown source'}{', ' + code(e.query) if e.query else ''}) · "
            f"{len(m.evidence)} record(s){how if not e.query else ''}{typed}\n\n"
            f'    [![{esc(m.name)} measured over time]({chart})]({chart} "Open the chart full size")\n'
        )
    return "\n".join(out) + "\n"


def decision_markdown(
    d: Decision,
    catalog: Catalog,
    lens: Lens,
    layout: Layout,
    render: RenderText,
    extras: DecisionExtras = DecisionExtras(),
) -> str:
    page = layout.decision(d)
    by_id = catalog.by_id()
    out: list[str] = [f"# {esc(d.id)} · {esc(d.title)}\n"]

    facts = [
        ("Status", status_badge(d.status)),
        ("Date", d.date.isoformat()),
        ("Workload", f"[{esc(workload_title(d.workload))}]({link(page, layout.workload(d.workload))})"),
    ]
    if d.deciders:
        facts.append(("Deciders", esc(", ".join(d.deciders))))
    if d.tags:
        facts.append(("Tags", " ".join(code(t) for t in d.tags)))
    if d.supersedes:
        facts.append(("Supersedes", ", ".join(_ref(page, i, by_id, layout) for i in d.supersedes)))
    if d.superseded_by:
        facts.append(("Superseded by", ", ".join(_ref(page, i, by_id, layout) for i in d.superseded_by)))
    if d.imported_from:
        facts.append(("Imported from", code(d.imported_from.path)))
    if extras.edit_url:
        facts.append(("Source", f"[{esc(d.path)}]({url(extras.edit_url)}) (edit)"))
    else:
        facts.append(("Source", code(d.path)))
    out.append("\n".join(f"- **{k}:** {v}" for k, v in facts) + "\n")

    if extras.loop_notice:
        out.append(extras.loop_notice)

    for title, body in (("Context", d.context), ("Decision", d.decision), ("Consequences", d.consequences)):
        if body.strip():
            out.append(f"## {title}\n\n{text_block(body, render)}")

    if d.hypothesis:
        h = d.hypothesis
        out.append("## Hypothesis\n")
        out.append(text_block(h.statement, render))
        if h.review_by:
            out.append(f"Result due by **{h.review_by.isoformat()}**.\n")
        rows = []
        for m in h.metrics:
            name = esc(m.name)
            if m.source and url(m.source):
                name = f"[{name}]({url(m.source)})"
            rows.append([name, _value(m.baseline, m.unit), esc(describe_target(m)), _observed(m), VERDICT_TEXT[judge(m)]])
        if rows:
            out.append("\n" + table(["Metric", "Baseline", "Target", "Observed", "Target met?"], rows))
        measured = measured_section(d, layout)
        if measured:
            out.append(measured)

    out.append("## Result\n")
    if d.result:
        r = d.result
        measured = f" on {r.measured_on.isoformat()}" if r.measured_on else ""
        out.append(f"{outcome_badge(r.outcome)}{measured}\n")
        if r.summary.strip():
            out.append(text_block(r.summary, render))
        if r.learned.strip():
            out.append(f"### What we learned\n\n{text_block(r.learned, render)}")
        if r.next:
            out.append(f"Next: {_ref(page, r.next, by_id, layout)}\n")
    else:
        out.append(f"{outcome_badge(None)}\n")

    out.append(_scorecard(d, catalog, lens, page, layout))

    if d.principles:
        out.append("## Design principles applied\n")
        for pid in d.principles:
            p = lens.principle(pid)
            out.append(f"- **{esc(p.name if p else pid)}**" + (f": {esc(p.description)}" if p and p.description else ""))
        out.append("")

    out.append("## Architecture\n")
    out.append(extras.diagram or "No architecture diagram for this decision.\n")
    out.append("## History\n")
    out.append(extras.history or "No history available.\n")
    return "\n".join(out)


def _ref(page: str, decision_id: str, by_id: dict[str, Decision], layout: Layout) -> str:
    target = by_id.get(decision_id)
    return decision_link(page, target, layout) if target else esc(decision_id)


def _scorecard(d: Decision, catalog: Catalog, lens: Lens, page: str, layout: Layout) -> str:
    if not d.pillars:
        return "## Pillar scorecard\n\nThis decision scores no pillar.\n"
    prev = previous_iteration(catalog, d)
    # Each pillar against its latest earlier score (as the timeline does), also when the
    # previous iteration did not score it.
    before: dict[str, int] = {}
    for earlier in catalog.iterations(d.workload):
        if (earlier.date, earlier.id) < (d.date, d.id):
            before.update(earlier.score_map)
    rows = [
        [esc(pillar_name(lens, p.pillar)), score_cell(p.score), change_cell(p.score, before.get(p.pillar)), esc(p.note)]
        for p in d.pillars
    ]
    against = (
        f"; the change is against the previous iteration, {decision_link(page, prev, layout)}"
        if prev
        else " (the workload's first iteration)"
    )
    return f"## Pillar scorecard\n\nScores after this decision{against}.\n\n" + table(
        ["Pillar", "Score", "Change", "Note"], rows
    )
