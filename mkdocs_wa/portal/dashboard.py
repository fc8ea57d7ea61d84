"""The organisation dashboard: every repository's workloads with their pillar scores,
hypotheses confirmed, open and overdue feedback loops and regressions, grouped by team.

Every text from an export (names, titles, teams, URLs) is escaped as on a site's pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from mkdocs_wa.layout import link
from mkdocs_wa.render.pages import words
from mkdocs_wa.render.pages.common import decision_link, score_cell, table
from mkdocs_wa.render.pages.workload import workload_title
from mkdocs_wa.text import esc, url

if TYPE_CHECKING:
    from mkdocs_wa.portal.build import RepoSite

NO_TEAM = "No team named"


def _pillars(repos: Sequence[RepoSite]) -> list[tuple[str, str]]:
    """Every lens's pillars (id, name), in the order first met: most repositories share a lens."""
    seen: dict[str, str] = {}
    for r in repos:
        for p in r.export.catalog.lens.pillars:
            seen.setdefault(p.id, p.name)
    return list(seen.items())


def _confirmed(repo: RepoSite, workload: str) -> str:
    tested = [d for d in repo.export.catalog.workloads().get(workload, ())
              if d.hypothesis is not None and d.status not in ("proposed", "rejected")]
    if not tested:
        return "–"
    confirmed = sum(1 for d in tested if d.result and d.result.outcome == "confirmed")
    return f"{confirmed:,} of {len(tested):,}"


def _teams(repos: Sequence[RepoSite]) -> list[tuple[str, list[RepoSite]]]:
    out: dict[str, list[RepoSite]] = {}
    for r in repos:
        out.setdefault(r.team or NO_TEAM, []).append(r)
    return sorted(out.items(), key=lambda kv: (kv[0] == NO_TEAM, kv[0].casefold()))


def dashboard_markdown(repos: Sequence[RepoSite], page: str, today: dt.date, failed: Sequence[tuple[str, str]]) -> str:
    decisions = sum(len(r.export.catalog.decisions) for r in repos)
    workloads = sum(len(r.review.workloads) for r in repos)
    open_loops = sum(len(r.review.loops.open) for r in repos)
    overdue = sum(len(r.review.loops.overdue) for r in repos)
    regressed = sum(len(r.review.loops.regressed) for r in repos)
    out = ["# Architecture portal\n"]
    out.append(
        f"{words.count(len(repos), 'repository')}, {words.count(workloads, 'workload')}, "
        f"{words.count(decisions, 'decision')}; {words.count(open_loops, 'open feedback loop')}, "
        f"{overdue:,} overdue on {today.isoformat()}; {words.count(regressed, 'regressed metric')}.\n"
    )
    if failed:
        items = "\n".join(f"    - {esc(source)}: {esc(why)}" for source, why in failed)
        out.append(f'!!! failure "{words.count(len(failed), "source")} could not be read"\n\n'
                   f"    Their pages are missing from this build:\n\n{items}\n")
    pillars = _pillars(repos)
    if repos:
        out.append("## By team\n")
        rows = []
        for team, members in _teams(repos):
            rows.append([
                esc(team), str(len(members)),
                f"{sum(len(r.review.loops.open) for r in members):,}",
                f"{sum(len(r.review.loops.overdue) for r in members):,}",
                f"{sum(len(r.review.loops.regressed) for r in members):,}",
            ])
        out.append(table(["Team", "Repositories", "Open loops", "Overdue", "Regressed metrics"], rows))
        out.append("## Pillar scores per workload\n")
        out.append("Each workload's latest score of every pillar (after its latest iteration).\n")
        for team, members in _teams(repos):
            out.append(f"### {esc(team)}\n")
            rows = []
            for r in members:
                for w in r.review.workloads:
                    scores = {p.pillar: p.score for p in w.pillars}
                    rows.append([
                        f"[{esc(r.name)}]({link(page, r.layout.overview())})",
                        f"[{esc(workload_title(w.workload))}]({link(page, r.layout.workload(w.workload))})",
                        *(score_cell(scores.get(pid)) for pid, _ in pillars),
                        _confirmed(r, w.workload),
                        f"{len(w.loops):,}",
                        f"{len(w.overdue):,}",
                        f"{sum(1 for x in r.review.loops.regressed if x.decision.workload == w.workload):,}",
                    ])
            out.append(table(["Repository", "Workload", *(esc(name) for _, name in pillars),
                              "Hypotheses confirmed", "Open loops", "Overdue", "Regressed"], rows))
    overdue_rows = []
    for team, members in _teams(repos):
        for r in members:
            for lp in r.review.loops.overdue:
                overdue_rows.append([decision_link(page, lp.decision, r.layout), esc(r.name), esc(team),
                                     lp.due.isoformat(), f"{lp.days_overdue:,}"])
    if overdue_rows:
        out.append("## Overdue feedback loops\n")
        out.append(table(["Decision", "Repository", "Team", "Result due", "Days overdue"], overdue_rows))
    regressed_rows = []
    for team, members in _teams(repos):
        for r in members:
            for x in r.review.loops.regressed:
                regressed_rows.append([decision_link(page, x.decision, r.layout), esc(x.metric.name), esc(r.name), esc(team)])
    if regressed_rows:
        out.append("## Regressions\n")
        out.append("Accepted decisions whose latest measured evidence misses a target they met.\n")
        out.append(table(["Decision", "Metric", "Repository", "Team"], regressed_rows))
    if repos:
        out.append("## Repositories\n")
        rows = []
        for r in sorted(repos, key=lambda r: r.name):
            info = r.export.repository
            site = f"[site]({u})" if info.site_url and (u := url(info.site_url)) else "–"
            files = f"[files]({u})" if info.repo_url and (u := url(info.repo_url)) else "–"
            rows.append([f"[{esc(r.name)}]({link(page, r.layout.overview())})", esc(r.team or "–"),
                         f"{len(r.export.catalog.decisions):,}", site, files, r.export.today.isoformat()])
        out.append(table(["Repository", "Team", "Decisions", "Own site", "Files", "Exported on"], rows))
    else:
        out.append("No source could be read: see the build log.\n")
    return "\n".join(out)
