"""The review dashboard: the architecture section's home page (``layout.overview()``).

Per workload: the latest pillar scores and their change (an arrow *and* words, so the
meaning never rests on colour), the weakest pillar, open loops and the latest
iterations; then which decisions apply each design principle of the lens.
"""

from __future__ import annotations

from ..model import Lens
from ..review import PillarStanding, Review, WorkloadReview
from .common import decision_link, outcome_badge, score_cell, status_badge, table
from .loops import due_text, loop_state
from .paths import Layout, link
from .text import esc, url
from .workload import workload_title


def change_text(p: PillarStanding) -> str:
    """'▲ up 1 (from 3)', '▼ down 2 (from 4)', '= no change', 'new score' or '–'."""
    if p.score is None:
        return "not rated yet"
    if p.previous is None:
        return "new score"
    delta = p.score - p.previous
    if delta > 0:
        return f'<span class="wa-up">▲ up {delta}</span> (from {p.previous})'
    if delta < 0:
        return f'<span class="wa-down">▼ down {-delta}</span> (from {p.previous})'
    return "= no change"


def _weakest(w: WorkloadReview) -> str:
    if not w.weakest:
        return "**Weakest pillar:** none rated yet."
    score = w.weakest[0].score
    if len(w.weakest) > 1 and len(w.weakest) == sum(p.score is not None for p in w.pillars):
        return f"**Weakest pillar:** none: every rated pillar stands at {score}/5."
    names = [f"**{esc(p.name)}**" for p in w.weakest]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    if len(names) == 1:
        return f"**Weakest pillar:** {joined} ({score}/5)."
    return f"**Weakest pillars:** {joined} ({score}/5 each)."


def _workload(w: WorkloadReview, review: Review, layout: Layout, page: str) -> str:
    out = [f"## {esc(workload_title(w.workload))}\n"]
    out.append(
        f"[Decision log]({link(page, layout.workload(w.workload))}) · "
        f"[Evolution timeline]({link(page, layout.timeline(w.workload))}) · {w.decision_count} decision(s)\n"
    )
    if w.latest is None:
        out.append("No accepted decision yet, so no pillar scores.\n")
    else:
        since = f" since {esc(w.previous.id)}" if w.previous else ""
        out.append(f"Latest iteration: {decision_link(page, w.latest, layout)} ({w.latest.date.isoformat()}).\n")
        rows = [[esc(p.name), score_cell(p.score), change_text(p)] for p in w.pillars]
        out.append(table(["Pillar", "Score", f"Change{since}"], rows) or "No pillar is rated yet.\n")
        out.append(_weakest(w) + "\n")
    if w.loops:
        overdue = len(w.overdue)
        items = [
            f"- {decision_link(page, lp.decision, layout)}: result due {due_text(lp, review.loops.default_review_days)}, {loop_state(lp)}"
            for lp in w.loops
        ]
        out.append(f"**Open feedback loops:** {len(w.loops)} ({overdue} overdue)\n\n" + "\n".join(items) + "\n")
    else:
        out.append("**Open feedback loops:** none.\n")
    regressed = [r for r in review.loops.regressed if r.decision.workload == w.workload]
    if regressed:  # measured evidence (mkdocs-wa measure)
        items = [
            f"- {decision_link(page, r.decision, layout)}: '{esc(r.metric.name)}' "
            f'<span class="wa-missed">✘ regressed</span> to {r.latest.value:.6g} {esc(r.latest.unit)} '
            f"({r.latest.time:%Y-%m-%d}), target {esc(r.target)}"
            for r in regressed
        ]
        out.append(f"**Regressed:** {len(regressed)}\n\n" + "\n".join(items) + "\n")
    if w.recent:
        items = []
        for d in w.recent:
            badge = f" · {outcome_badge(d.result.outcome if d.result else None)}" if d.hypothesis or d.result else ""
            items.append(f"- {d.date.isoformat()} · {decision_link(page, d, layout)} · {status_badge(d.status)}{badge}")
        out.append("**Latest iterations:**\n\n" + "\n".join(items) + "\n")
    if w.proposed:
        items = [f"- {d.date.isoformat()} · {decision_link(page, d, layout)}" for d in w.proposed]
        out.append("**Proposed, not yet decided:**\n\n" + "\n".join(items) + "\n")
    return "\n".join(out)


def _coverage(review: Review, layout: Layout, page: str) -> str:
    if not review.coverage:
        return "The lens names no design principles.\n"
    rows = []
    for c in review.coverage:
        applied = ", ".join(decision_link(page, d, layout, with_title=False) for d in c.decisions)
        rows.append([esc(c.principle.name), str(len(c.decisions)), applied or "**not applied by any decision**"])
    out = [table(["Principle", "Decisions", "Applied by"], rows)]
    if review.unapplied:
        names = ", ".join(f"**{esc(p.name)}**" for p in review.unapplied)
        out.append(f"Nobody applies {names} yet.\n")
    else:
        out.append("Every design principle of the lens is applied by at least one decision.\n")
    return "\n".join(out)


def dashboard_markdown(review: Review, lens: Lens, layout: Layout) -> str:
    """The overview page (``layout.overview()``) as Markdown."""
    page = layout.overview()
    loops = review.loops
    out = ["# Architecture review\n"]
    target = url(lens.url) if lens.url else ""
    lens_name = f"[{esc(lens.name)}]({target})" if target else esc(lens.name)
    out.append(
        f"Scored against the **{lens_name}** lens. "
        f"{len(review.workloads)} workload(s); {len(loops.open)} open feedback loop(s), "
        f"{len(loops.overdue)} overdue on {review.today.isoformat()} "
        f"([all feedback loops]({link(page, layout.loops())})).\n"
    )
    if loops.regressed:
        out.append(
            f'!!! failure "{len(loops.regressed)} regressed metric(s)"\n\n'
            f"    Accepted decisions whose latest measured evidence misses a target they met: "
            f"[what regressed]({link(page, layout.loops())}#what-regressed).\n"
        )
    if not review.workloads:
        out.append("No decisions yet: add one under `decisions/<workload>/`.\n")
    for w in review.workloads:
        out.append(_workload(w, review, layout, page))
    out.append("## Design principles\n")
    out.append(_coverage(review, layout, page))
    return "\n".join(out)
