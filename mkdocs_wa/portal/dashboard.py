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

NO_TEAM = words.say("portal_no_team")


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
    return words.say("part_of", part=words.number(confirmed), whole=words.number(len(tested)))


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
    heading = words.HEADING
    out = [f"# {heading['portal']}\n"]
    out.append(words.say(
        "portal_intro", repositories=words.count(len(repos), "repository"), workloads=words.count(workloads, "workload"),
        decisions=words.count(decisions, "decision"), open_loops=words.count(open_loops, "open feedback loop"),
        overdue=words.number(overdue), today=today.isoformat(), regressed=words.count(regressed, "regressed metric"),
    ) + "\n")
    if failed:
        items = "\n".join(f"    - {esc(source)}: {esc(why)}" for source, why in failed)
        title = words.say("portal_failed", sources=words.count(len(failed), "source"))
        out.append(f'!!! failure "{title}"\n\n    {words.say("portal_failed_body")}\n\n{items}\n')
    pillars = _pillars(repos)
    if repos:
        out.append(f"## {heading['by_team']}\n")
        rows = []
        for team, members in _teams(repos):
            rows.append([
                esc(team), str(len(members)),
                f"{sum(len(r.review.loops.open) for r in members):,}",
                f"{sum(len(r.review.loops.overdue) for r in members):,}",
                f"{sum(len(r.review.loops.regressed) for r in members):,}",
            ])
        out.append(table([heading[k] for k in ("team", "repositories", "open_loops_short", "overdue", "regressed_metrics")], rows))
        out.append(f"## {heading['pillar_scores_per_workload']}\n")
        out.append(words.say("portal_scores_intro") + "\n")
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
            out.append(table([heading["repository"], heading["workload"], *(esc(name) for _, name in pillars),
                              *(heading[k] for k in ("hypotheses_confirmed", "open_loops_short", "overdue", "regressed_short"))], rows))
    overdue_rows = []
    for team, members in _teams(repos):
        for r in members:
            for lp in r.review.loops.overdue:
                overdue_rows.append([decision_link(page, lp.decision, r.layout), esc(r.name), esc(team),
                                     lp.due.isoformat(), f"{lp.days_overdue:,}"])
    if overdue_rows:
        out.append(f"## {heading['overdue_loops']}\n")
        out.append(table([heading[k] for k in ("decision", "repository", "team", "result_due", "days_overdue")], overdue_rows))
    regressed_rows = []
    for team, members in _teams(repos):
        for r in members:
            for x in r.review.loops.regressed:
                regressed_rows.append([decision_link(page, x.decision, r.layout), esc(x.metric.name), esc(r.name), esc(team)])
    if regressed_rows:
        out.append(f"## {heading['regressions']}\n")
        out.append(words.say("portal_regressions_intro") + "\n")
        out.append(table([heading[k] for k in ("decision", "metric", "repository", "team")], regressed_rows))
    if repos:
        out.append(f"## {heading['repositories']}\n")
        rows = []
        for r in sorted(repos, key=lambda r: r.name):
            info = r.export.repository
            site = f"[{words.say('portal_site')}]({u})" if info.site_url and (u := url(info.site_url)) else "–"
            files = f"[{words.say('portal_files')}]({u})" if info.repo_url and (u := url(info.repo_url)) else "–"
            rows.append([f"[{esc(r.name)}]({link(page, r.layout.overview())})", esc(r.team or "–"),
                         f"{len(r.export.catalog.decisions):,}", site, files, r.export.today.isoformat()])
        out.append(table([heading[k] for k in ("repository", "team", "decisions", "own_site", "files", "exported_on")], rows))
    else:
        out.append(words.say("portal_nothing") + "\n")
    return "\n".join(out)
