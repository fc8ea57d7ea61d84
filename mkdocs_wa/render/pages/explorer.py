"""The decision explorer (``layout.explorer()``): every decision of the site in one
table, to sort and filter by status, outcome, tag, pillar, principle and decider.

Without JavaScript it is a complete, readable Markdown table (MkDocs resolves its
links as on any page). The small local script ``explorer.js`` (no CDN, no library)
adds the filters and sortable columns: each row carries its facets in a
``<span class="wa-row" data-...>`` marker in its first cell, and the filter controls are
written here, with their options, so the script only shows and hides rows.
"""

from __future__ import annotations

from mkdocs_wa.layout import Layout
from mkdocs_wa.model import Catalog, Decision, Lens
from mkdocs_wa.render.pages import words
from mkdocs_wa.render.pages.common import decision_link, outcome_badge, pillar_name, status_badge, table
from mkdocs_wa.render.pages.components import md_attr
from mkdocs_wa.render.pages.dashboard import _abbreviation
from mkdocs_wa.text import attr, esc

#: The facets a reader can filter by: (data attribute, label).
FACETS = (
    ("status", "Status"),
    ("outcome", "Outcome"),
    ("workload", "Workload"),
    ("tag", "Tag"),
    ("pillar", "Pillar scored"),
    ("principle", "Principle"),
    ("decider", "Decider"),
)


def _facets(d: Decision, lens: Lens) -> dict[str, list[str]]:
    if d.result is not None:
        outcome = words.OUTCOME.get(d.result.outcome, (d.result.outcome.capitalize(), ""))[0]
    else:
        outcome = words.OUTCOME[None][0] if d.hypothesis else "No hypothesis"
    return {
        "status": [words.STATUS.get(d.status, (d.status.capitalize(), ""))[0]],
        "outcome": [outcome],
        "workload": [words.workload_name(d.workload)],
        "tag": list(d.tags),
        "pillar": [pillar_name(lens, p.pillar) for p in d.pillars],
        "principle": [(pr.name if (pr := lens.principle(p)) else p) for p in d.principles],
        "decider": list(d.deciders),
    }


def _values(values: list[str]) -> str:
    # "|" separates values (a "|" in a value becomes "/", as in the filter's options)
    return "&#124;".join(md_attr(str(v).replace("|", "/")) for v in values)


def explorer_markdown(catalog: Catalog, lens: Lens, layout: Layout) -> str:
    page = layout.explorer()
    decisions = sorted(catalog.decisions, key=lambda d: (d.date, d.id), reverse=True)
    out = ["# Decision explorer\n"]
    out.append(
        f"{words.count(len(decisions), 'decision')} of every workload, newest first. "
        "Filter by any column below, or sort by clicking a column's heading.\n"
    )
    facets = [_facets(d, lens) for d in decisions]
    controls = []
    for key, label in FACETS:
        values = sorted({v for f in facets for v in f[key]}, key=str.casefold)
        if not values:
            continue
        options = "".join(f'<option value="{attr(v).replace("|", "/")}">{attr(v)}</option>' for v in values)
        controls.append(
            f'<label>{attr(label)}<select data-facet="{key}"><option value="">All</option>{options}</select></label>'
        )
    out.append(
        '<form class="wa-filters" role="search" aria-label="Filter decisions" hidden>'
        + "".join(controls)
        + '<output class="wa-filter-count" aria-live="polite"></output></form>\n'
    )
    rows = []
    for d, f in zip(decisions, facets):
        # "|" separates values; written as an entity so the Markdown table keeps its cells
        data = " ".join(f'data-{k}="{_values(v)}"' for k, v in f.items())
        marker = f'<span class="wa-row" {data}></span>'
        scores = " ".join(
            f'<abbr title="{md_attr(pillar_name(lens, p.pillar))}">{esc(_abbreviation(pillar_name(lens, p.pillar)))}</abbr>&nbsp;{p.score}'
            for p in d.pillars
        ) or "–"
        rows.append(
            [
                marker + decision_link(page, d, layout),
                status_badge(d.status, with_icon=False),
                outcome_badge(d.result.outcome if d.result else None, with_icon=False) if d.hypothesis or d.result else "–",
                d.date.isoformat(),
                esc(words.workload_name(d.workload)),
                " ".join(f"`{esc(t)}`" if t.replace("-", "").isalnum() else esc(t) for t in d.tags) or "–",
                scores,
                esc(", ".join(f["principle"])) or "–",
                esc(", ".join(d.deciders)) or "–",
            ]
        )
    out.append('<div class="wa-explorer" markdown>\n')
    out.append(table(["Decision", "Status", "Outcome", "Date", "Workload", "Tags", "Pillars scored", "Principles", "Deciders"], rows))
    out.append("</div>\n")
    return "\n".join(out)
