"""The review dashboard: the architecture section's home page (``layout.overview()``).

Per workload: the latest pillar scores and their change (an arrow *and* words, so the
meaning never rests on colour), the weakest pillar, open loops and the latest
iterations; then which decisions apply each design principle of the lens.
"""

from __future__ import annotations

from mkdocs_wa.analysis.review import PillarStanding, Review, WorkloadReview
from mkdocs_wa.layout import Layout, link
from mkdocs_wa.model import Catalog, Lens
from mkdocs_wa.render.pages import words
from mkdocs_wa.render.pages.common import change_cell, decision_link, score_cell, status_badge, table
from mkdocs_wa.render.pages.components import cards, md_attr
from mkdocs_wa.render.pages.icons import icon
from mkdocs_wa.render.pages.loops import due_text, loop_state
from mkdocs_wa.render.pages.workload import workload_title
from mkdocs_wa.text import esc, url


def change_text(p: PillarStanding) -> str:
    """The change of a pillar's score in the words of :func:`.words.change`, with an
    arrow icon (never colour alone)."""
    if p.score is None:
        return "not rated yet"
    if p.previous is None:
        return "new score"
    return change_cell(p.score, p.previous)


def _weakest(w: WorkloadReview) -> str:
    if not w.weakest:
        return "no pillar rated yet."
    score = w.weakest[0].score
    if len(w.weakest) > 1 and len(w.weakest) == sum(p.score is not None for p in w.pillars):
        return f"every rated pillar stands at {score}/5."
    names = [f"**{esc(p.name)}**" for p in w.weakest]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    if len(names) == 1:
        return f"weakest is {joined} ({score}/5)."
    return f"weakest are {joined} ({score}/5 each)."


def pillar_strip(w: WorkloadReview) -> str:
    """The workload's pillars as one row of coloured cells: an abbreviation, the score
    and an arrow when it moved; the full name and the change in words in the title
    (and for screen readers)."""
    cells = []
    for p in w.pillars:
        if p.score is None:  # listed as "not rated yet" in the workload's table
            continue
        kind, change = words.change(p.score, p.previous)
        score = "–" if p.score is None else str(p.score)
        arrow = {"up": icon("arrow-up-bold"), "down": icon("arrow-down-bold")}.get(kind, "")
        said = f"{p.name}: {score}/5, {change}" if p.score is not None else f"{p.name}: not rated"
        heat = f"wa-heat--{p.score}" if p.score is not None else "wa-heat--none"
        cells.append(
            f'<span class="wa-cell wa-heat {heat}" title="{md_attr(said)}" aria-label="{md_attr(said)}">'
            f"<small>{esc(_abbreviation(p.name))}</small> {score}{arrow}</span>"
        )
    return '<span class="wa-pillar-strip">' + "".join(cells) + "</span>"


def _abbreviation(name: str) -> str:
    """``Operational Excellence`` -> ``OE``, ``Security`` -> ``Sec``."""
    parts = [x for x in name.replace("-", " ").split() if x[:1].isalpha()]
    if len(parts) > 1:
        return "".join(x[0].upper() for x in parts[:3])
    return name[:3]


def _hypotheses(catalog: Catalog | None, workload: str) -> str | None:
    if catalog is None:
        return None
    tested = [
        d for d in catalog.workloads().get(workload, ())
        if d.hypothesis is not None and d.status not in ("proposed", "rejected")
    ]
    if not tested:
        return None
    confirmed = sum(1 for d in tested if d.result and d.result.outcome == "confirmed")
    waiting = sum(1 for d in tested if d.result is None)
    more = f", {words.count(waiting, 'result')} awaited" if waiting else ""
    return f"{icon('lightbulb-on-outline')} {confirmed:,} of {words.count(len(tested), 'hypothesis')} confirmed{more}"


def _card(w: WorkloadReview, review: Review, layout: Layout, page: str, catalog: Catalog | None) -> str:
    name = esc(workload_title(w.workload))
    lines = [f"### [{name}]({link(page, layout.workload(w.workload))})", ""]
    if w.latest is not None and any(p.score is not None for p in w.pillars):
        lines.append(pillar_strip(w))
        lines.append("")
    elif w.latest is None:
        lines.append("No accepted decision yet, so no pillar scores.")
        lines.append("")
    facts = []
    if hyp := _hypotheses(catalog, w.workload):
        facts.append(hyp)
    if w.loops:
        overdue = len(w.overdue)
        css = "wa-missed" if overdue else "wa-unmeasured"
        facts.append(f'<span class="{css}">{icon("sync-alert")} {words.count(len(w.loops), "open loop")}, {overdue:,} overdue</span>')
    else:
        facts.append(f"{icon('check-circle')} no open feedback loop")
    regressed = [r for r in review.loops.regressed if r.decision.workload == w.workload]
    if regressed:  # measured evidence (mkdocs-wa measure) misses a target once met
        facts.append(
            f'<span class="wa-missed">{icon("alert")} {words.count(len(regressed), "regressed metric")}</span> '
            f"([what regressed]({link(page, layout.loops())}#what-regressed))"
        )
    newest = max((*w.recent, *w.proposed), key=lambda d: (d.date, d.id), default=None)
    if newest is not None:
        facts.append(f"Latest: {decision_link(page, newest, layout)} {status_badge(newest.status)}")
    if w.proposed:
        facts.append(f"{icon('progress-clock')} {words.count(len(w.proposed), 'proposal')} to decide")
    lines.append("<br>\n".join(facts))
    lines.append("")
    lines.append(
        f"[{words.count(w.decision_count, 'decision')}]({link(page, layout.workload(w.workload))}) · "
        f"[Timeline]({link(page, layout.timeline(w.workload))})"
    )
    return "\n".join(lines)


def _pillar_table(w: WorkloadReview, layout: Layout, page: str) -> str:
    since = f" since {esc(w.previous.id)}" if w.previous else ""
    rows = [[esc(p.name), score_cell(p.score), change_text(p)] for p in w.pillars]
    weakest = _weakest(w)
    return f"**{esc(workload_title(w.workload))}**: {weakest}\n\n" + table(["Pillar", "Score", f"Change{since}"], rows)


def _coverage(review: Review, layout: Layout, page: str) -> str:
    if not review.coverage:
        return "The lens names no design principles.\n"
    rows = []
    for c in review.coverage:
        applied = ", ".join(decision_link(page, d, layout, with_title=False) for d in c.decisions)
        rows.append([esc(c.principle.name), str(len(c.decisions)), applied or '<span class="wa-missed">not applied yet</span>'])
    return table(["Principle", "Decisions", "Applied by"], rows)


def dashboard_markdown(
    review: Review, lens: Lens, layout: Layout, *, catalog: Catalog | None = None, changes_since: str | None = None
) -> str:
    """The overview page (``layout.overview()``): a card per workload, the open
    feedback loops, each workload's pillar scores, and the lens' design principles.
    ``changes_since``: the latest git tag, linked to the page of changes since it."""
    page = layout.overview()
    loops = review.loops
    out = ["# Architecture review\n"]
    target = url(lens.url) if lens.url else ""
    lens_name = f"[{esc(lens.name)}]({target})" if target else esc(lens.name)
    out.append(
        f"Scored against the **{lens_name}** lens. "
        f"{words.count(len(review.workloads), 'workload')}; {words.count(len(loops.open), 'open feedback loop')}, "
        f"{len(loops.overdue):,} overdue on {review.today.isoformat()} "
        f"([all feedback loops]({link(page, layout.loops())})).\n"
    )
    if changes_since:
        out.append(f"{icon('flag-variant')} [What changed since {esc(changes_since)}]({link(page, layout.changes())})\n")
    if loops.regressed:
        out.append(
            f'!!! failure "{words.count(len(loops.regressed), "regressed metric")}"\n\n'
            f"    Accepted decisions whose latest measured evidence misses a target they met: "
            f"[what regressed]({link(page, layout.loops())}#what-regressed).\n"
        )
    if not review.workloads:
        out.append("No decisions yet: add one under `decisions/<workload>/`.\n")
    else:
        out.append(cards([_card(w, review, layout, page, catalog) for w in review.workloads], "wa-workloads"))
    if loops.open:
        out.append(f"## {words.HEADING['open_loops']}\n")
        rows = []
        for w in review.workloads:
            for lp in w.loops:
                rows.append([decision_link(page, lp.decision, layout), loop_state(lp), due_text(lp, loops.default_review_days),
                             esc(workload_title(w.workload))])
        out.append(table(["Decision", "State", "Result due", "Workload"], rows))
    rated = [w for w in review.workloads if w.latest is not None and any(p.score is not None for p in w.pillars)]
    if rated:
        out.append(f"## {words.HEADING['pillar_scores']}\n")
        out.append("Each workload's latest score of every pillar, and its change since the iteration before.\n")
        for w in rated:
            out.append(_pillar_table(w, layout, page))
    out.append(f"## {words.HEADING['design_principles']}\n")
    out.append(_coverage(review, layout, page))
    return "\n".join(out)
