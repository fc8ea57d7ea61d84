"""The page of one decision."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mkdocs_wa.analysis.scores import scores_before
from mkdocs_wa.layout import Layout, link
from mkdocs_wa.model import Catalog, Decision, Lens, Metric
from mkdocs_wa.render.pages import words
from mkdocs_wa.render.pages.common import (
    RenderText,
    change_cell,
    decision_link,
    decision_link_html,
    diagram_image,
    diagram_min_width,
    outcome_badge,
    pillar_name,
    score_cell,
    status_badge,
    table,
    text_block,
)
from mkdocs_wa.render.pages.components import admonition, cards, details, tabs
from mkdocs_wa.render.pages.dashboard import _abbreviation
from mkdocs_wa.render.pages.icons import icon
from mkdocs_wa.render.pages.workload import workload_title
from mkdocs_wa.source.verdicts import Verdict, describe_observed, describe_target, judge
from mkdocs_wa.text import attr, code, esc, url

VERDICT_TEXT = {
    Verdict.MET: f'<span class="wa-met">{icon("check-circle")} {words.say("verdict_met")}</span>',
    Verdict.MISSED: f'<span class="wa-missed">{icon("close-circle")} {words.say("verdict_missed")}</span>',
    Verdict.UNMEASURED: f'<span class="wa-unmeasured">{icon("progress-clock")} {words.say("verdict_unmeasured")}</span>',
    Verdict.UNKNOWN: f'<span class="wa-unknown">{icon("help-circle")} {words.say("verdict_unknown")}</span>',
}


#: Shown on the page of a decision whose file is not committed yet.
DRAFT_NOTICE = admonition("info", words.say("draft_title"), words.say("draft"))


@dataclass(frozen=True)
class DecisionExtras:
    """Sections filled by later stages; each is ready Markdown or None."""

    edit_url: str | None = None
    diagram: str | None = None  # Markdown (image + change list) for the iteration's diagram
    history: str | None = None  # Markdown of the decision's git history
    loop_notice: str | None = None  # Markdown admonition when the feedback loop is open/overdue
    draft: bool = False  # the file is not committed to git yet (a local preview)


def diagram_section(
    d: Decision,
    layout: Layout,
    changes: str,
    *,
    svg: str = "",
    before: Decision | None = None,
    before_svg: str = "",
) -> str:
    """The architecture section: content tabs "After", "Before" (the previous
    iteration's diagram) and "Changes" (the list, in the elements' labels); just the
    diagram for a workload's first one. ``svg``/``before_svg`` are the drawings' text,
    read for the width at which their labels stay readable."""
    page = layout.decision(d)
    after = diagram_image(page, layout.diagram(d), words.say("diagram_alt", id=d.id, title=d.title), min_width=diagram_min_width(svg))
    if not changes and before is None:
        return after
    items = [(words.HEADING["tab_after"], after)]
    if before is not None:
        image = diagram_image(page, layout.diagram(before), words.say("diagram_alt", id=before.id, title=before.title),
                              min_width=diagram_min_width(before_svg))
        items.append((words.HEADING["tab_before"], f"{words.say('as_left_by', decision=decision_link(page, before, layout))}\n\n{image}"))
    if changes:
        legend = words.say("diagram_legend", after=f"*{words.HEADING['tab_after']}*") + "\n"
        items.append((words.HEADING["tab_changes"], f"{legend}\n{changes}"))
    return tabs(items)


def previous_iteration(catalog: Catalog, d: Decision) -> Decision | None:
    """The iteration of the same workload just before ``d`` (by date, then id)."""
    before = [x for x in catalog.iterations(d.workload) if (x.date, x.id) < (d.date, d.id)]
    return before[-1] if before else None


def _value(value: object, unit: str) -> str:
    return esc(words.number(value, unit))


def _observed(m: Metric) -> str:
    """The observed value: the latest evidence (marked) when there is any, else the typed one."""
    if m.latest is None:
        return _value(m.observed, m.unit)
    return esc(describe_observed(m)) + words.say("aside", text=words.say("measured_mark"))


# --- measured evidence (mkdocs-wa measure) -----------------------------------------------


def measured_section(d: Decision, layout: Layout) -> str:
    """Where each measured metric's observed value comes from, and its series over time."""
    metrics = [(i, m) for i, m in enumerate(d.hypothesis.metrics if d.hypothesis else ()) if m.measure or m.evidence]
    if not metrics:
        return ""
    page = layout.decision(d)
    out = [f"### {words.HEADING['measured']}\n"]
    files = sorted({e.path for _, m in metrics for e in m.evidence})
    if files:
        out.append(words.say("measured_intro", files=", ".join(code(f) for f in files), observed=f"**{words.HEADING['observed']}**") + "\n")
    for i, m in metrics:
        how = ""
        if m.measure is not None:
            spec = m.measure.spec
            shown = spec.get("query") or spec.get("path") or spec.get("report") or spec.get("metric") or ""
            how = " · " + words.say("measure_source", kind=esc(m.measure.kind)) + (f" {code(str(shown))}" if shown else "")
        if m.latest is None:
            out.append(f"- **{esc(m.name)}**{how} · " + words.say("no_evidence", command=f"`mkdocs-wa measure {esc(d.id)}`"))
            continue
        e = m.latest
        typed = " · " + words.say("replaces_typed", value=_value(m.observed, m.unit)) if m.observed not in (None, "") else ""
        chart = link(page, layout.evidence_chart(d, i))
        source = (esc(e.kind) or words.say("unknown_source")) + (", " + code(e.query) if e.query else "")
        latest = words.say("latest_evidence", value=f"**{_value(e.value, e.unit)}**", time=f"{e.time:%Y-%m-%d %H:%M}", source=source)
        alt = words.say("measured_alt", metric=esc(m.name))
        out.append(
            f"- **{esc(m.name)}**: {latest} · {words.count(len(m.evidence), 'record')}{how if not e.query else ''}{typed}\n\n"
            f'    [![{alt}]({chart})]({chart} "{words.say("chart_open")}")\n'
        )
    return "\n".join(out) + "\n"


def decision_markdown(
    d: Decision,
    catalog: Catalog,
    lens: Lens,
    layout: Layout,
    render: RenderText,
    extras: DecisionExtras = DecisionExtras(),
) -> str:
    """The page: a warning when the decision no longer applies, a summary card
    (status, result, targets, pillar changes), the decision's text, its hypothesis and
    result, scores, diagram and (collapsed) history. Sections with nothing to show are
    left out; a decision with neither hypothesis nor scores (typically an imported ADR)
    gets one short invitation instead."""
    page = layout.decision(d)
    by_id = catalog.by_id()
    out: list[str] = [f"# {esc(d.id)} · {esc(d.title)}\n"]

    if notice := _replaced_notice(d, page, by_id, layout):
        out.append(notice)
    if extras.draft:
        out.append(DRAFT_NOTICE)
    if extras.loop_notice:
        out.append(extras.loop_notice)
    out.append(summary_cards(d, catalog, lens, page, layout))
    out.append(_facts(d, page, layout, extras, by_id))

    out.extend(_text_sections(d, render))

    if d.hypothesis:
        h = d.hypothesis
        out.append(f"## {words.HEADING['hypothesis']}\n")
        out.append(text_block(h.statement, render))
        rows = []
        for m in h.metrics:
            name = esc(m.name)
            if m.source and url(m.source):
                name = f"[{name}]({url(m.source)})"
            # the verdict right after the name: on a phone the key column stays in view
            rows.append([name, VERDICT_TEXT[judge(m)], _observed(m), esc(describe_target(m)), _value(m.baseline, m.unit)])
        if rows:
            out.append("\n" + table(["Metric", "Target met?", "Observed", "Target", "Baseline"], rows))
        measured = measured_section(d, layout)
        if measured:
            out.append(measured)

    if d.result:
        r = d.result
        out.append(f"## {words.HEADING['result']}\n")
        measured = words.say("on_date", date=r.measured_on.isoformat()) if r.measured_on else ""
        out.append(f"{outcome_badge(r.outcome)}{measured}\n")
        if r.summary.strip():
            out.append(text_block(r.summary, render))
        if r.learned.strip():
            out.append(f"### {words.HEADING['learned']}\n\n{text_block(r.learned, render)}")
        if r.next:
            out.append(words.say("label", label=f"**{words.HEADING['next']}:**", value=_ref(page, r.next, by_id, layout)) + "\n")

    if d.pillars:
        out.append(_scorecard(d, catalog, lens, page, layout))

    if d.principles:
        out.append(f"## {words.HEADING['principles']}\n")
        for pid in d.principles:
            p = lens.principle(pid)
            out.append(f"- **{esc(p.name if p else pid)}**" + (f": {esc(p.description)}" if p and p.description else ""))
        out.append("")

    if extras.diagram:
        out.append(f"## {words.HEADING['architecture']}\n")
        out.append(extras.diagram)

    if d.hypothesis is None and not d.pillars:
        out.append(admonition("tip", words.INVITATION_TITLE, words.INVITATION.format(path=code(d.path))))

    if extras.history:
        out.append(f"## {words.HEADING['history']}\n")
        out.append(details(words.HEADING["history_summary"], extras.history))
    return "\n".join(out)


def _as_written(d: Decision, *, html: bool = False) -> str:
    """What an imported ADR's status said, when the mapped status does not say it all."""
    imp = d.imported_from
    if imp is None or imp.status_as_written is None:
        return ""
    if not imp.status_as_written.strip():
        return words.say("aside", text=words.say("status_not_stated"))
    said = (attr if html else esc)(" ".join(imp.status_as_written.split()))
    return words.say("aside", text=words.say("status_as_written", status=said))


def _text_sections(d: Decision, render: RenderText) -> list[str]:
    """Context, decision, consequences, and the extra sections each after the field it
    follows (so an imported ADR reads in the order it was written), then the options."""
    out: list[str] = []

    def extra(after: str) -> None:
        for s in d.sections:
            if s.after == after and s.body.strip():
                heading = f"## {esc(s.heading)}\n\n" if s.heading.strip() else ""
                out.append(f"{heading}{text_block(s.body, render)}")

    extra("title")
    for key, body in (("context", d.context), ("decision", d.decision), ("consequences", d.consequences)):
        if body.strip():
            out.append(f"## {words.HEADING[key]}\n\n{text_block(body, render)}")
        extra(key)
    if d.options:
        rows = [
            [words.say("option_chosen", option=f"**{esc(o.name)}**") if o.chosen else esc(o.name),
             esc("; ".join(o.pros)) or "–", esc("; ".join(o.cons)) or "–"]
            for o in d.options
        ]
        headers = [words.HEADING["option"], words.HEADING["pros"], words.HEADING["cons"]]
        out.append(f"## {words.HEADING['options']}\n\n" + table(headers, rows))
    if d.imported_from and d.imported_from.unmapped.strip():
        out.append(f"## {words.HEADING['unmapped']}\n\n{text_block(d.imported_from.unmapped, render)}")
    return out


def _replaced_notice(d: Decision, page: str, by_id: Mapping[str, Decision], layout: Layout) -> str | None:
    """A warning on a superseded or deprecated decision, naming what replaced it."""
    if d.status not in ("superseded", "deprecated"):
        return None
    successors = [_ref(page, i, by_id, layout) for i in d.superseded_by]
    if d.status == "superseded":
        body = words.say("superseded_by", decisions=words.join(successors)) if successors else words.say("superseded_elsewhere")
        return admonition("warning", words.say("superseded_title"), body)
    body = words.say("deprecated")
    if successors:
        body += " " + words.say("deprecated_by", decisions=words.join(successors))
    return admonition("warning", words.say("deprecated_title"), body)


def summary_cards(d: Decision, catalog: Catalog, lens: Lens, page: str, layout: Layout) -> str:
    """Grid cards at the top of the page: status, result, targets, pillar changes (HTML,
    links resolved: see components.py)."""
    by_id = catalog.by_id()
    items: list[str] = []

    def card(heading: str, body: str) -> str:
        return f"<p><strong>{attr(heading)}</strong></p><p>{body}</p>"

    status = f"{status_badge(d.status)}{_as_written(d, html=True)}"
    if d.superseded_by:
        status += words.say("by", who=", ".join(_ref_html(page, i, by_id, layout) for i in d.superseded_by))
    items.append(card(words.HEADING["card_status"], status))
    if d.hypothesis is not None or d.result is not None:
        r = d.result
        result = outcome_badge(r.outcome if r else None)
        if r and r.measured_on:
            result += words.say("on_date", date=r.measured_on.isoformat())
        elif r is None and d.hypothesis and d.hypothesis.review_by:
            result += words.say("due_date", date=d.hypothesis.review_by.isoformat())
        items.append(card(words.HEADING["card_result"], result))
    metrics = d.hypothesis.metrics if d.hypothesis else ()
    if metrics:
        verdicts = [judge(m) for m in metrics]
        met = verdicts.count(Verdict.MET)
        missed = verdicts.count(Verdict.MISSED)
        kind = "met" if met == len(verdicts) else "missed" if missed else "unmeasured"
        detail = []
        if missed:
            detail.append(words.say("n_missed", n=words.number(missed)))
        if n := verdicts.count(Verdict.UNMEASURED):
            detail.append(words.say("n_not_measured", n=words.number(n)))
        more = words.say("aside", text=", ".join(detail)) if detail else ""
        items.append(card(words.HEADING["card_targets"], f"{icon('target')} <span class=\"wa-{kind}\">{words.targets_met(met, len(verdicts))}</span>{more}"))
    if d.pillars:
        before = scores_before(catalog, d)
        moved, same = [], 0
        for p in d.pillars:
            kind, _ = words.change(p.score, before.get(p.pillar))
            if kind in ("up", "down"):
                moved.append(f"{attr(pillar_name(lens, p.pillar))}: {change_cell(p.score, before[p.pillar])}")
            elif kind == "same":
                same += 1
            else:
                moved.append(attr(words.say("pillar_new_score", pillar=pillar_name(lens, p.pillar), score=p.score)))
        if not before:  # the first scores: one strip of cells, not a line per pillar
            cells = "".join(
                f'<span class="wa-cell wa-heat wa-heat--{p.score}" '
                f'title="{attr(words.say("pillar_score", pillar=pillar_name(lens, p.pillar), score=p.score))}">'
                f"<small>{attr(_abbreviation(pillar_name(lens, p.pillar)))}</small> {p.score}</span>"
                for p in d.pillars
            )
            body = f'<span class="wa-pillar-strip">{cells}</span></p><p>{words.say("first_scores")}'
        else:
            lines = moved + ([words.say("pillars_unchanged", pillars=words.count(same, "pillar"))] if same else [])
            body = "<br>\n".join(lines)
        items.append(card(words.HEADING["card_pillars"], body))
    return cards(items, "wa-summary")


def _facts(d: Decision, page: str, layout: Layout, extras: DecisionExtras, by_id: Mapping[str, Decision]) -> str:
    """One line of metadata under the cards."""
    facts = [
        f"{icon('calendar-clock')} {d.date.isoformat()}",
        f"[{esc(workload_title(d.workload))}]({link(page, layout.workload(d.workload))})",
    ]
    if d.deciders:
        facts.append(f"{icon('account-group')} {esc(', '.join(d.deciders))}")
    if d.tags:
        facts.append(f"{icon('tag-outline')} " + " ".join(code(t) for t in d.tags))
    if d.supersedes:
        facts.append(words.say("replaces", what=", ".join(_ref(page, i, by_id, layout, with_title=False) for i in d.supersedes)))
    if d.imported_from:
        facts.append(words.say("imported_from", path=code(d.imported_from.path)))
    if extras.edit_url:
        facts.append(f"[{icon('file-document-edit-outline')} {esc(d.path)}]({url(extras.edit_url)} \"{words.say('edit_file')}\")")
    else:
        facts.append(code(d.path))
    return " · ".join(facts) + "\n{: .wa-facts }\n"


def _ref_html(page: str, decision_id: str, by_id: Mapping[str, Decision], layout: Layout) -> str:
    target = by_id.get(decision_id)
    return decision_link_html(page, target, layout, with_title=False) if target else attr(decision_id)


def _ref(page: str, decision_id: str, by_id: Mapping[str, Decision], layout: Layout, *, with_title: bool = True) -> str:
    target = by_id.get(decision_id)
    return decision_link(page, target, layout, with_title=with_title) if target else esc(decision_id)


def _scorecard(d: Decision, catalog: Catalog, lens: Lens, page: str, layout: Layout) -> str:
    prev = previous_iteration(catalog, d)
    # Each pillar against its latest earlier score (as the timeline does), also when the
    # previous iteration did not score it.
    before = scores_before(catalog, d)
    rows = [
        [esc(pillar_name(lens, p.pillar)), score_cell(p.score), change_cell(p.score, before.get(p.pillar)), esc(p.note)]
        for p in d.pillars
    ]
    intro = words.say("scorecard_against", previous=decision_link(page, prev, layout)) if prev else words.say("scorecard_first")
    headings = [words.HEADING[k] for k in ("pillar", "score", "change", "note")]
    return f"## {words.HEADING['scorecard']}\n\n{intro}\n\n" + table(headings, rows)
