"""The Feedback loops page (site-wide and per workload) and the notice on decision pages.

Every string from a decision file goes through :func:`~mkdocs_wa.text.esc`; links
are relative to the page the Markdown is placed on, so the per-workload section must
be embedded in the workload's log page (``layout.workload(workload)``).
"""

from __future__ import annotations

from mkdocs_wa.analysis.loops import Chain, FeedbackLoops, Loop
from mkdocs_wa.layout import Layout, link
from mkdocs_wa.model import Decision
from mkdocs_wa.render.pages import words
from mkdocs_wa.render.pages.common import decision_link, outcome_badge, status_badge, table
from mkdocs_wa.render.pages.icons import icon
from mkdocs_wa.source.verdicts import HypothesisVerdict, Verdict
from mkdocs_wa.text import esc


def verdict_summary(hv: HypothesisVerdict | None) -> str:
    """The metrics of a hypothesis in words: '1 of 2 targets met, 1 missed'."""
    if hv is None or not hv.metrics:
        return "no metrics"
    total = len(hv.metrics)
    parts = [words.targets_met(hv.count(Verdict.MET), total)]
    for v, word in ((Verdict.MISSED, "missed"), (Verdict.UNMEASURED, "not measured"), (Verdict.UNKNOWN, "cannot be judged")):
        if n := hv.count(v):
            parts.append(f"{n} {word}")
    return ", ".join(parts)


def loop_state(loop: Loop) -> str:
    """Overdue or due, in words with a symbol (never colour alone)."""
    if loop.overdue:
        return f'<span class="wa-missed">{icon("alert")} overdue by {words.count(loop.days_overdue, "day")}</span>'
    if loop.days_left == 0:
        return f'<span class="wa-unmeasured">{icon("progress-clock")} due today</span>'
    return f'<span class="wa-unmeasured">{icon("progress-clock")} due in {words.count(loop.days_left, "day")}</span>'


def due_text(loop: Loop, default_review_days: int) -> str:
    source = "review_by" if loop.due_from == "review_by" else f"{default_review_days} days after the decision"
    return f"{loop.due.isoformat()} ({source})"


def open_loops_markdown(loops: FeedbackLoops, layout: Layout, page: str, *, show_workload: bool = True) -> str:
    if not loops.open:
        return "No open loops: every accepted hypothesis has its result.\n"
    overdue = len(loops.overdue)
    out = [f"**{len(loops.open)} open, {overdue} overdue** on {loops.today.isoformat()}.\n"]
    rows = []
    for lp in loops.open:
        row = [decision_link(page, lp.decision, layout)]
        if show_workload:
            row.append(f"[{esc(words.workload_name(lp.decision.workload))}]({link(page, layout.workload(lp.decision.workload))})")
        row += [due_text(lp, loops.default_review_days), loop_state(lp), verdict_summary(loops.verdicts.get(lp.decision.id))]
        rows.append(row)
    headers = ["Decision", *(["Workload"] if show_workload else []), "Result due", "State", "Metrics so far"]
    out.append(table(headers, rows))
    return "\n".join(out)


def _step(chain: Chain, d: Decision, loops: FeedbackLoops, layout: Layout, page: str) -> str:
    parts = [decision_link(page, d, layout), d.date.isoformat(), status_badge(d.status)]
    if d.hypothesis is not None or d.result is not None:
        parts.append(outcome_badge(d.result.outcome if d.result else None))
        parts.append(verdict_summary(loops.verdicts.get(d.id)))
    loop = loops.loop(d.id)
    if loop is not None:
        parts.append(loop_state(loop))
    if d is chain.latest and d.is_iteration:
        parts.append("**latest iteration**")
    by_id = {x.id: x for x in chain.decisions}
    led = []
    for lk in chain.links_from(d.id):
        how = " and ".join({"next": "named as the next decision", "supersedes": "replaces it"}[k] for k in lk.kinds)
        target = by_id.get(lk.target)
        if target is not None:
            led.append(f"{decision_link(page, target, layout, with_title=False)} ({how})")
    if led:
        parts.append("led to " + ", ".join(led))
    return " · ".join(parts)


def chains_markdown(loops: FeedbackLoops, layout: Layout, page: str, *, level: int = 2) -> str:
    if not loops.chains:
        return "No decision has a hypothesis yet.\n"
    out: list[str] = []
    hashes = "#" * (level + 1)
    for chain in loops.chains:
        first = chain.first
        last = chain.decisions[-1]
        span = f"{first.id} → {last.id}" if first is not last else first.id
        out.append(f"{hashes} {esc(span)}: {esc(first.title)}\n")
        steps = (f"{i}. {_step(chain, d, loops, layout, page)}" for i, d in enumerate(chain.decisions, 1))
        out.append("\n".join(steps) + "\n")
    return "\n".join(out)


def loops_markdown(loops: FeedbackLoops, layout: Layout, *, workload: str | None = None) -> str:
    """The Feedback loops page (``layout.loops()``), or with ``workload`` its section
    for that workload's log page (``layout.workload(workload)``), headed ``##``."""
    if workload is None:
        page, level = layout.loops(), 1
        scope = loops
    else:
        page, level = layout.workload(workload), 2
        scope = loops.for_workload(workload)
    h = "#" * level
    out = [f"{h} Feedback loops\n"]
    if workload is None:
        out.append(
            "Each decision is a hypothesis tested with metrics; its result leads to the next decision. "
            "A loop is **open** while an accepted decision waits for its result, and **overdue** after its "
            f"`review_by` date (or {loops.default_review_days} days after the decision when it has none).\n"
        )
    else:
        out.append(f"Site-wide: [all feedback loops]({link(page, layout.loops())}).\n")
    out.append(f"{h}# Open loops\n")
    out.append(open_loops_markdown(scope, layout, page, show_workload=workload is None))
    out.append(f"{h}# What regressed\n")
    out.append(regressed_markdown(scope, layout, page, show_workload=workload is None))
    out.append(f"{h}# Chains\n")
    out.append("From each first hypothesis to the latest iteration, linked by `result.next` and `supersedes`.\n")
    if workload is None:
        out.append(chains_summary_markdown(scope, layout, page))
    else:
        out.append(chains_markdown(scope, layout, page, level=level + 1))
    return "\n".join(out)


def chains_summary_markdown(loops: FeedbackLoops, layout: Layout, page: str) -> str:
    """The site-wide page counts each workload's chains and links to them; the chains
    themselves are on the workload pages. Listed here too, they made this one page
    grow with every decision of the site (400 KB at 1,000 decisions), and rebuilt on
    every edit of a title in ``mkdocs serve``."""
    if not loops.chains:
        return "No decision has a hypothesis yet.\n"
    per: dict[str, list[Chain]] = {}
    for chain in loops.chains:
        for w in chain.workloads:
            per.setdefault(w, []).append(chain)
    rows = [
        [
            f"[{esc(words.workload_name(w))}]({link(page, layout.workload(w))}#chains)",
            str(len(chains)),
            str(max(len(c.decisions) for c in chains)),
            str(sum(1 for c in chains if len(c.workloads) > 1)),
        ]
        for w, chains in sorted(per.items())
    ]
    return table(["Workload", "Chains", "Longest (decisions)", "Across workloads"], rows)


def loop_notice(loops: FeedbackLoops, d: Decision, layout: Layout) -> str | None:
    """An admonition for the decision's page: open/overdue loop, outcome that contradicts
    its metrics; None when there is nothing to say."""
    page = layout.decision(d)
    blocks: list[str] = []
    loop = loops.loop(d.id)
    see = f"See [all feedback loops]({link(page, layout.loops())})."
    if loop is not None and loop.overdue:
        blocks.append(
            '!!! warning "Feedback loop overdue"\n\n'
            f"    The result of this hypothesis was due on {loop.due.isoformat()} and is "
            f"{words.count(loop.days_overdue, 'day')} late. Measure the metrics and record the `result`. {see}\n"
        )
    elif loop is not None:
        blocks.append(
            '!!! info "Feedback loop open"\n\n'
            f"    This hypothesis waits for its result, due on {loop.due.isoformat()} "
            f"(in {words.count(loop.days_left, 'day')}). {see}\n"
        )
    hv = loops.verdicts.get(d.id)
    if hv is not None and hv.disagreement:
        blocks.append('!!! warning "The declared outcome disagrees with the metrics"\n\n' f"    {esc(hv.disagreement)}\n")
    regressed = [r for r in loops.regressed if r.decision.id == d.id]
    if regressed:
        items = "\n".join(f"    - {esc(r.message())}" for r in regressed)
        blocks.append(f'!!! failure "Regressed"\n\n    The latest evidence misses a target this decision met. {see}\n\n{items}\n')
    return "\n".join(blocks) if blocks else None


# --- measured evidence (mkdocs-wa measure) -----------------------------------------------


def regressed_markdown(loops: FeedbackLoops, layout: Layout, page: str, *, show_workload: bool = True) -> str:
    """What regressed: accepted decisions whose latest evidence misses a target they met."""
    if not loops.regressed:
        return "Nothing regressed: every accepted decision's latest evidence meets its targets (or has none).\n"
    rows = []
    for r in loops.regressed:
        e = r.latest
        row = [decision_link(page, r.decision, layout)]
        if show_workload:
            row.append(f"[{esc(r.decision.workload)}]({link(page, layout.workload(r.decision.workload))})")
        met = (
            f"{r.last_met.value:.6g} {esc(r.last_met.unit)} on {r.last_met.time:%Y-%m-%d}"
            if r.last_met
            else "result: confirmed"
        )
        row += [
            esc(r.metric.name),
            f'<span class="wa-missed">✘ {e.value:.6g} {esc(e.unit)}</span> on {e.time:%Y-%m-%d %H:%M} UTC',
            esc(r.target),
            met,
            esc(", ".join(r.decision.deciders)) or "–",
        ]
        rows.append(row)
    headers = ["Decision", *(["Workload"] if show_workload else []), "Metric", "Latest evidence", "Target", "Met before", "Deciders"]
    return f"**{words.count(len(loops.regressed), 'regressed metric')}.**\n\n" + table(headers, rows)
