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
from mkdocs_wa.render.pages.components import admonition
from mkdocs_wa.render.pages.icons import icon
from mkdocs_wa.source.verdicts import HypothesisVerdict, Verdict
from mkdocs_wa.text import esc


def verdict_summary(hv: HypothesisVerdict | None) -> str:
    """The metrics of a hypothesis in words: '1 of 2 targets met, 1 missed'."""
    if hv is None or not hv.metrics:
        return words.say("no_metrics")
    total = len(hv.metrics)
    parts = [words.targets_met(hv.count(Verdict.MET), total)]
    for v, key in ((Verdict.MISSED, "n_missed"), (Verdict.UNMEASURED, "n_not_measured"), (Verdict.UNKNOWN, "n_unknown")):
        if n := hv.count(v):
            parts.append(words.say(key, n=words.number(n)))
    return ", ".join(parts)


def loop_state(loop: Loop) -> str:
    """Overdue or due, in words with a symbol (never colour alone)."""
    if loop.overdue:
        return f'<span class="wa-missed">{icon("alert")} {words.say("overdue_by", days=words.count(loop.days_overdue, "day"))}</span>'
    if loop.days_left == 0:
        return f'<span class="wa-unmeasured">{icon("progress-clock")} {words.say("due_today")}</span>'
    return f'<span class="wa-unmeasured">{icon("progress-clock")} {words.say("due_in", days=words.count(loop.days_left, "day"))}</span>'


def due_text(loop: Loop, default_review_days: int) -> str:
    source = "review_by" if loop.due_from == "review_by" else words.say("days_after", days=words.count(default_review_days, "day"))
    return loop.due.isoformat() + words.say("aside", text=source)


def open_loops_markdown(loops: FeedbackLoops, layout: Layout, page: str, *, show_workload: bool = True) -> str:
    if not loops.open:
        return words.say("no_open_loops") + "\n"
    said = words.say("open_overdue", open=words.number(len(loops.open)), overdue=words.number(len(loops.overdue)))
    out = [words.say("on_day", what=f"**{said}**", date=loops.today.isoformat()) + "\n"]
    rows = []
    for lp in loops.open:
        row = [decision_link(page, lp.decision, layout)]
        if show_workload:
            row.append(f"[{esc(words.workload_name(lp.decision.workload))}]({link(page, layout.workload(lp.decision.workload))})")
        row += [due_text(lp, loops.default_review_days), loop_state(lp), verdict_summary(loops.verdicts.get(lp.decision.id))]
        rows.append(row)
    h = words.HEADING
    headers = [h["decision"], *([h["workload"]] if show_workload else []), h["result_due"], h["state"], h["metrics_so_far"]]
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
        parts.append(f"**{words.say('latest_iteration')}**")
    by_id = {x.id: x for x in chain.decisions}
    led = []
    for lk in chain.links_from(d.id):
        how = words.join([words.say(f"link_{k}") for k in lk.kinds])
        target = by_id.get(lk.target)
        if target is not None:
            led.append(f"{decision_link(page, target, layout, with_title=False)} ({how})")
    if led:
        parts.append(words.say("led_to", decisions=", ".join(led)))
    return " · ".join(parts)


def chains_markdown(loops: FeedbackLoops, layout: Layout, page: str, *, level: int = 2) -> str:
    if not loops.chains:
        return words.say("no_hypothesis_yet") + "\n"
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
    out = [f"{h} {words.HEADING['loops']}\n"]
    if workload is None:
        out.append(words.say("loops_intro", days=words.count(loops.default_review_days, "day")) + "\n")
    else:
        out.append(words.say("site_wide", all_loops=f"[{words.say('all_loops')}]({link(page, layout.loops())})") + "\n")
    out.append(f"{h}# {words.HEADING['open_loops_short']}\n")
    out.append(open_loops_markdown(scope, layout, page, show_workload=workload is None))
    out.append(f"{h}# {words.HEADING['regressed']}\n")
    out.append(regressed_markdown(scope, layout, page, show_workload=workload is None))
    out.append(f"{h}# {words.HEADING['chains']}\n")
    out.append(words.say("chains_intro") + "\n")
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
        return words.say("no_hypothesis_yet") + "\n"
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
    return table([words.HEADING[k] for k in ("workload", "chains", "longest_chain", "across_workloads")], rows)


def loop_notice(loops: FeedbackLoops, d: Decision, layout: Layout) -> str | None:
    """An admonition for the decision's page: open/overdue loop, outcome that contradicts
    its metrics; None when there is nothing to say."""
    page = layout.decision(d)
    blocks: list[str] = []
    loop = loops.loop(d.id)
    see = words.say("see_all_loops", all_loops=f"[{words.say('all_loops')}]({link(page, layout.loops())})")
    if loop is not None and loop.overdue:
        late = words.say("loop_late", date=loop.due.isoformat(), days=words.count(loop.days_overdue, "day"))
        blocks.append(admonition("warning", words.say("loop_overdue_title"), f"{late} {see}"))
    elif loop is not None:
        waits = words.say("loop_waits", date=loop.due.isoformat(), days=words.count(loop.days_left, "day"))
        blocks.append(admonition("info", words.say("loop_open_title"), f"{waits} {see}"))
    hv = loops.verdicts.get(d.id)
    if hv is not None and hv.disagreement:
        blocks.append(admonition("warning", words.say("disagrees_title"), esc(hv.disagreement)))
    regressed = [r for r in loops.regressed if r.decision.id == d.id]
    if regressed:
        items = "\n".join(f"- {esc(r.message())}" for r in regressed)
        blocks.append(admonition("failure", words.say("regressed_title"), f"{words.say('regressed_notice')} {see}\n\n{items}"))
    return "\n".join(blocks) if blocks else None


# --- measured evidence (mkdocs-wa measure) -----------------------------------------------


def regressed_markdown(loops: FeedbackLoops, layout: Layout, page: str, *, show_workload: bool = True) -> str:
    """What regressed: accepted decisions whose latest evidence misses a target they met."""
    if not loops.regressed:
        return words.say("nothing_regressed") + "\n"
    rows = []
    for r in loops.regressed:
        e = r.latest
        row = [decision_link(page, r.decision, layout)]
        if show_workload:
            row.append(f"[{esc(words.workload_name(r.decision.workload))}]({link(page, layout.workload(r.decision.workload))})")
        met = (
            esc(words.number(r.last_met.value, r.last_met.unit)) + words.say("on_date", date=f"{r.last_met.time:%Y-%m-%d}")
            if r.last_met
            else words.say("result_confirmed")
        )
        row += [
            esc(r.metric.name),
            f'<span class="wa-missed">✘ {esc(words.number(e.value, e.unit))}</span>' + words.say("on_date", date=f"{e.time:%Y-%m-%d %H:%M} UTC"),
            esc(r.target),
            met,
            esc(", ".join(r.decision.deciders)) or "–",
        ]
        rows.append(row)
    h = words.HEADING
    headers = [h["decision"], *([h["workload"]] if show_workload else []), h["metric"], h["latest_evidence"], h["target"], h["met_before"], h["deciders"]]
    return f"**{words.count(len(loops.regressed), 'regressed metric')}.**\n\n" + table(headers, rows)
