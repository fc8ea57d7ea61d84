"""A workload's decision log."""

from __future__ import annotations

from collections.abc import Mapping

from mkdocs_wa.analysis.scores import latest_changes, workload_scores
from mkdocs_wa.layout import Layout, link
from mkdocs_wa.model import Catalog, Decision, Lens
from mkdocs_wa.render.pages import words
from mkdocs_wa.render.pages.common import change_cell, decision_link, outcome_badge, pillar_name, score_cell, status_badge, table
from mkdocs_wa.text import esc


def workload_title(workload: str) -> str:
    return words.workload_name(workload)


def current_scores(catalog: Catalog, workload: str) -> tuple[Mapping[str, int], dict[str, int]]:
    """The latest score of each pillar across the workload's iterations, and the one before it."""
    return latest_changes(workload_scores(catalog, workload))


def scores_table(catalog: Catalog, workload: str, lens: Lens) -> str:
    now, before = current_scores(catalog, workload)
    rows = [
        [esc(pillar_name(lens, pid)), score_cell(now.get(pid)), change_cell(now.get(pid), before.get(pid))]
        for pid in lens.pillar_ids
        if pid in now
    ]
    h = words.HEADING
    return table([h["pillar"], h["current_score"], h["last_change"]], rows) or words.say("no_pillar_scored") + "\n"


def decision_log_markdown(workload: str, catalog: Catalog, lens: Lens, layout: Layout, *, extra: str = "") -> str:
    page = layout.workload(workload)
    decisions: list[Decision] = sorted(
        catalog.workloads().get(workload, ()), key=lambda d: (d.date, d.id), reverse=True
    )
    out = [f"# {words.say('log_title', workload=esc(workload_title(workload)))}\n"]
    timeline = f"[{words.say('evolution_timeline')}]({link(page, layout.timeline(workload))})"
    out.append(words.say("log_intro", decisions=words.count(len(decisions), "decision"), timeline=timeline) + "\n")
    rows = [
        [
            decision_link(page, d, layout, with_title=False),
            esc(d.title),
            status_badge(d.status),
            d.date.isoformat(),
            outcome_badge(d.result.outcome if d.result else None) if d.hypothesis or d.result else "–",
        ]
        for d in decisions
    ]
    out.append(table([words.HEADING[k] for k in ("id", "title", "facet_status", "date", "facet_outcome")], rows))
    out.append(f"## {words.HEADING['current_scores']}\n")
    out.append(scores_table(catalog, workload, lens))
    if extra:
        out.append(extra)
    return "\n".join(out)
