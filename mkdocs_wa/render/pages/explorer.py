"""The decision explorer (``layout.explorer()``): every decision of the site in one
table, to sort and filter by status, outcome, tag, pillar, principle and decider.

Without JavaScript it is a complete, readable table. It is written as HTML with its
links already resolved (:meth:`~mkdocs_wa.layout.Layout.href`): as a Markdown table of
one row per decision it was the most expensive page of a large site to render. The small
local script ``explorer.js`` (no CDN, no library) adds the filters and sortable columns:
each row carries its facets in ``data-...`` attributes, and the filter controls are
written here, with their options, so the script only shows and hides rows.
"""

from __future__ import annotations

from mkdocs_wa.layout import Layout
from mkdocs_wa.model import Catalog, Decision, Lens
from mkdocs_wa.render.pages import words
from mkdocs_wa.render.pages.common import decision_link_html, outcome_badge, pillar_name, status_badge
from mkdocs_wa.render.pages.components import html_code
from mkdocs_wa.render.pages.dashboard import _abbreviation
from mkdocs_wa.text import attr

#: The facets a reader can filter by: (data attribute, key of its label in words.HEADING).
FACETS = ("status", "outcome", "workload", "tag", "pillar", "principle", "decider")


def _facets(d: Decision, lens: Lens) -> dict[str, list[str]]:
    if d.result is not None:
        outcome = words.OUTCOME.get(d.result.outcome, (d.result.outcome.capitalize(), ""))[0]
    else:
        outcome = words.OUTCOME[None][0] if d.hypothesis else words.say("no_hypothesis")
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
    return "|".join(attr(str(v).replace("|", "/")) for v in values)


def explorer_markdown(catalog: Catalog, lens: Lens, layout: Layout) -> str:
    page = layout.explorer()
    decisions = sorted(catalog.decisions, key=lambda d: (d.date, d.id), reverse=True)
    out = [f"# {words.HEADING['explorer']}\n"]
    out.append(words.say("explorer_intro", decisions=words.count(len(decisions), "decision")) + "\n")
    facets = [_facets(d, lens) for d in decisions]
    controls = []
    for key in FACETS:
        values = sorted({v for f in facets for v in f[key]}, key=str.casefold)
        if not values:
            continue
        options = "".join(f'<option value="{attr(v).replace("|", "/")}">{attr(v)}</option>' for v in values)
        controls.append(
            f'<label>{attr(words.HEADING["facet_" + key])}<select data-facet="{key}">'
            f'<option value="">{attr(words.HEADING["all"])}</option>{options}</select></label>'
        )
    out.append(
        f'<form class="wa-filters" role="search" aria-label="{attr(words.say("filter_decisions"))}" hidden>'
        + "".join(controls)
        + '<output class="wa-filter-count" aria-live="polite"></output></form>\n'
    )
    rows = []
    for d, f in zip(decisions, facets):
        scores = " ".join(
            f'<abbr title="{attr(pillar_name(lens, p.pillar))}">{attr(_abbreviation(pillar_name(lens, p.pillar)))}</abbr>&nbsp;{p.score}'
            for p in d.pillars
        ) or "–"
        rows.append(
            [
                decision_link_html(page, d, layout),
                status_badge(d.status, with_icon=False),
                outcome_badge(d.result.outcome if d.result else None, with_icon=False) if d.hypothesis or d.result else "–",
                d.date.isoformat(),
                attr(words.workload_name(d.workload)),
                " ".join(html_code(t) for t in d.tags) or "–",
                scores,
                attr(", ".join(f["principle"])) or "–",
                attr(", ".join(d.deciders)) or "–",
            ]
        )
    headers = [attr(words.HEADING[k]) for k in ("decision", "facet_status", "facet_outcome", "date", "facet_workload", "tags",
                                                "pillars_scored", "principles_column", "deciders")]
    out.append('<div class="wa-explorer">' + _rows_with_facets(headers, rows, facets) + "</div>\n")
    return "\n".join(out)


def _rows_with_facets(headers: list[str], rows: list[list[str]], facets: list[dict[str, list[str]]]) -> str:
    """The table, each row with its facets as ``data-`` attributes (read by explorer.js),
    one row a line (a long page stays readable as source)."""
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    body = "\n".join(
        "<tr " + " ".join(f'data-{k}="{_values(v)}"' for k, v in f.items()) + ">"
        + "".join(f"<td>{c}</td>" for c in row) + "</tr>"
        for row, f in zip(rows, facets)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>"
