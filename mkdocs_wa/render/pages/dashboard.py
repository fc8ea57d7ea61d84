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
from mkdocs_wa.render.pages.common import change_cell, decision_link, decision_link_html, score_cell, status_badge, table
from mkdocs_wa.render.pages.components import a, admonition, cards
from mkdocs_wa.render.pages.icons import icon
from mkdocs_wa.render.pages.loops import due_text, loop_state
from mkdocs_wa.render.pages.workload import workload_title
from mkdocs_wa.text import attr, esc, url


def change_text(p: PillarStanding) -> str:
    """The change of a pillar's score in the words of :func:`.words.change`, with an
    arrow icon (never colour alone)."""
    if p.score is None:
        return words.say("not_rated_yet")
    if p.previous is None:
        return words.say("new_score")
    return change_cell(p.score, p.previous)


def _weakest(w: WorkloadReview) -> str:
    if not w.weakest:
        return words.say("no_pillar_rated")
    score = w.weakest[0].score
    if len(w.weakest) > 1 and len(w.weakest) == sum(p.score is not None for p in w.pillars):
        return words.say("all_pillars_at", score=score)
    names = words.join([f"**{esc(p.name)}**" for p in w.weakest])
    return words.say("weakest_one" if len(w.weakest) == 1 else "weakest_many", pillars=names, score=score)


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
        said = words.say("pillar_score_change", pillar=p.name, score=score, change=change)
        heat = f"wa-heat--{p.score}"
        cells.append(
            f'<span class="wa-cell wa-heat {heat}" title="{attr(said)}" aria-label="{attr(said)}">'
            f"<small>{attr(_abbreviation(p.name))}</small> {score}{arrow}</span>"
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
    more = words.say("results_awaited", results=words.count(waiting, "result")) if waiting else ""
    said = words.say("hypotheses_confirmed", confirmed=words.number(confirmed), hypotheses=words.count(len(tested), "hypothesis"))
    return f"{icon('lightbulb-on-outline')} {said}{more}"


def _card(w: WorkloadReview, review: Review, layout: Layout, page: str, catalog: Catalog | None) -> str:
    """A workload's card (HTML, links resolved: see components.py)."""
    log = layout.href(page, layout.workload(w.workload))
    lines = [f"<h3>{a(log, attr(workload_title(w.workload)))}</h3>"]
    if w.latest is not None and any(p.score is not None for p in w.pillars):
        lines.append(f"<p>{pillar_strip(w)}</p>")
    elif w.latest is None:
        lines.append(f"<p>{words.say('no_accepted_decision')}</p>")
    facts = []
    if hyp := _hypotheses(catalog, w.workload):
        facts.append(hyp)
    if w.loops:
        overdue = len(w.overdue)
        css = "wa-missed" if overdue else "wa-unmeasured"
        said = words.say("loops_overdue", loops=words.count(len(w.loops), "open loop"), overdue=words.number(overdue))
        facts.append(f'<span class="{css}">{icon("sync-alert")} {said}</span>')
    else:
        facts.append(f"{icon('check-circle')} {words.say('no_open_loop')}")
    regressed = [r for r in review.loops.regressed if r.decision.workload == w.workload]
    if regressed:  # measured evidence (mkdocs-wa measure) misses a target once met
        what = a(layout.href(page, layout.loops()) + "#what-regressed", words.say("what_regressed"))
        facts.append(
            f'<span class="wa-missed">{icon("alert")} {words.count(len(regressed), "regressed metric")}</span> '
            + words.say("aside", text=what).strip()
        )
    newest = max((*w.recent, *w.proposed), key=lambda d: (d.date, d.id), default=None)
    if newest is not None:
        facts.append(f"{words.say('latest', decision=decision_link_html(page, newest, layout))} {status_badge(newest.status)}")
    if w.proposed:
        facts.append(f"{icon('progress-clock')} {words.say('proposals_to_decide', proposals=words.count(len(w.proposed), 'proposal'))}")
    lines.append("<p>" + "<br>\n".join(facts) + "</p>")
    lines.append(
        f"<p>{a(log, words.count(w.decision_count, 'decision'))} · "
        f"{a(layout.href(page, layout.timeline(w.workload)), words.HEADING['timeline'])}</p>"
    )
    return "\n".join(lines)


def _pillar_table(w: WorkloadReview, layout: Layout, page: str) -> str:
    change = words.say("change_since", since=esc(w.previous.id)) if w.previous else words.HEADING["change"]
    rows = [[esc(p.name), score_cell(p.score), change_text(p)] for p in w.pillars]
    said = words.say("workload_standing", workload=f"**{esc(workload_title(w.workload))}**", standing=_weakest(w))
    return f"{said}\n\n" + table([words.HEADING["pillar"], words.HEADING["score"], change], rows)


def _coverage(review: Review, layout: Layout, page: str) -> str:
    if not review.coverage:
        return words.say("no_principles") + "\n"
    rows = []
    for c in review.coverage:
        applied = ", ".join(decision_link(page, d, layout, with_title=False) for d in c.decisions)
        rows.append([esc(c.principle.name), str(len(c.decisions)), applied or f'<span class="wa-missed">{words.say("not_applied")}</span>'])
    return table([words.HEADING["principle"], words.HEADING["decisions"], words.HEADING["applied_by"]], rows)


def dashboard_markdown(
    review: Review, lens: Lens, layout: Layout, *, catalog: Catalog | None = None, changes_since: str | None = None
) -> str:
    """The overview page (``layout.overview()``): a card per workload, the open
    feedback loops, each workload's pillar scores, and the lens' design principles.
    ``changes_since``: the latest git tag, linked to the page of changes since it."""
    page = layout.overview()
    loops = review.loops
    out = [f"# {words.HEADING['review']}\n"]
    target = url(lens.url) if lens.url else ""
    lens_name = f"[{esc(lens.name)}]({target})" if target else esc(lens.name)
    all_loops = f"[{words.say('all_loops')}]({link(page, layout.loops())})"
    out.append(
        words.say(
            "review_intro", lens=f"**{lens_name}**", workloads=words.count(len(review.workloads), "workload"),
            loops=words.count(len(loops.open), "open feedback loop"), overdue=words.number(len(loops.overdue)),
            date=review.today.isoformat(), all_loops=all_loops,
        ) + "\n"
    )
    if changes_since:
        said = words.say("changes_since", tag=esc(changes_since))
        out.append(f"{icon('flag-variant')} [{said}]({link(page, layout.changes())})\n")
    if loops.regressed:
        what = f"[{words.say('what_regressed')}]({link(page, layout.loops())}#what-regressed)"
        out.append(admonition("failure", words.count(len(loops.regressed), "regressed metric"), words.say("regressed_intro", what=what)))
    if not review.workloads:
        out.append(words.say("no_decisions_yet", folder="`decisions/<workload>/`") + "\n")
    else:
        out.append(cards([_card(w, review, layout, page, catalog) for w in review.workloads], "wa-workloads"))
    if loops.open:
        out.append(f"## {words.HEADING['open_loops']}\n")
        rows = []
        for w in review.workloads:
            for lp in w.loops:
                rows.append([decision_link(page, lp.decision, layout), loop_state(lp), due_text(lp, loops.default_review_days),
                             esc(workload_title(w.workload))])
        out.append(table([words.HEADING["decision"], words.HEADING["state"], words.HEADING["result_due"], words.HEADING["workload"]], rows))
    rated = [w for w in review.workloads if w.latest is not None and any(p.score is not None for p in w.pillars)]
    if rated:
        out.append(f"## {words.HEADING['pillar_scores']}\n")
        out.append(words.say("pillar_scores_intro") + "\n")
        for w in rated:
            out.append(_pillar_table(w, layout, page))
    out.append(f"## {words.HEADING['design_principles']}\n")
    out.append(_coverage(review, layout, page))
    return "\n".join(out)
