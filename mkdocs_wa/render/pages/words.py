"""Every user-facing word of the generated pages that is not a decision's own text.

One place, so the wording is the same on every page (one way to say a change, one way
to write a number with its unit, correct plurals) and a translation has one module to
replace. Functions return plain text (not escaped) unless their name ends in ``_html``.

For a translator:

* :data:`TEXT` holds every sentence and label, by key, as a ``str.format`` template with
  named placeholders (``{decisions}``, ``{date}``); :func:`say` fills one. The pages put
  in values already escaped for where the sentence goes (Markdown or HTML), so a
  template holds no markup of its own beyond what its comment allows (``**``, `` ` ``
  in the few that go into Markdown only).
* :data:`NOUNS` lists every counted noun in each of its plural forms, and
  :func:`plural_form` says which form goes with a number; :func:`count` uses both.
* :data:`STATUS`, :data:`OUTCOME` and :data:`HEADING` are the vocabulary; :func:`number`
  writes every number with its unit; :func:`change` is the one wording of a change.

``tests/test_words.py`` fails when a page builder writes an English sentence of its own.
"""

from __future__ import annotations

import math

# What changed in a decision (history section, PR diff, export) is told by the templates
# of CHANGE_WORDS: they are defined beside field_changes, because the PR diff (the
# ``compare`` layer) may not import this module. Re-exported here, with the rest.
from mkdocs_wa.analysis.changes import CHANGE_WORDS, describe_change  # noqa: F401

# Counted nouns live in the base layer, so that every layer counts the same way (the
# validator's messages, the importer's report, the PR diff). Re-exported here.
from mkdocs_wa.nouns import NOUNS, count, plural_form, plural_word  # noqa: F401

#: A status as a reader says it, and the Material icon that goes with it.
STATUS = {
    "proposed": ("Proposed", "progress-clock"),
    "accepted": ("Accepted", "check-circle"),
    "rejected": ("Rejected", "close-circle"),
    "deprecated": ("Deprecated", "archive-arrow-down"),
    "superseded": ("Superseded", "swap-horizontal-circle"),
}
#: A hypothesis' outcome; None is a hypothesis still waiting for its result.
OUTCOME = {
    "confirmed": ("Confirmed", "check-circle"),
    "refuted": ("Refuted", "close-circle"),
    "inconclusive": ("Inconclusive", "help-circle"),
    None: ("Awaiting result", "clock-alert-outline"),
}

#: Units written without a space after the number.
_TIGHT_UNITS = {"%", "°", "‰"}


def number(value: object, unit: str = "") -> str:
    """A value with thousands separators and its unit: ``12,000 users``, ``0.8 s``,
    ``99.95 %``; text that already carries letters (``1 instance``) is kept as written;
    None or '' is a dash. The only number formatter of the pages."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            value = int(value)
    if isinstance(value, int):
        text = f"{value:,}"
    elif isinstance(value, float):
        if abs(value) >= 1e15:
            text = f"{value:.3g}"
        else:
            # six significant digits, written in full with separators (never 1.2e+06)
            places = max(0, 5 - math.floor(math.log10(abs(value)))) if value else 0
            text = f"{value:,.{places}f}"
            if "." in text:
                text = text.rstrip("0").rstrip(".")
    else:
        text = str(value).strip()
        if any(c.isalpha() for c in text) or not unit:
            return text
        try:
            return number(float(text.replace(",", "")), unit)
        except ValueError:
            return f"{text} {unit}"
    if not unit:
        return text
    if unit in _TIGHT_UNITS:
        return f"{text}{unit}"
    return f"{text} {singular_unit(unit) if text in ('1', '-1') else unit}"


def singular_unit(unit: str) -> str:
    """``instances`` -> ``instance`` for a count of one; symbols (``ms``, ``s``) stay."""
    if len(unit) > 3 and unit.isalpha() and unit.endswith("s") and not unit.endswith("ss"):
        return unit[:-3] + "y" if unit.endswith("ies") else unit[:-1]
    return unit


def change(now: int | None, before: int | None) -> tuple[str, str]:
    """A score against the one before it, as (kind, words); kind is ``up``, ``down``,
    ``same``, ``new`` or ``none``. The one wording of a change on every page:
    ``up 1 from 3``, ``down 2 from 4``, ``unchanged``, ``new``."""
    if now is None:
        return "none", "not rated"
    if before is None:
        return "new", "new"
    delta = now - before
    if delta > 0:
        return "up", f"up {delta} from {before}"
    if delta < 0:
        return "down", f"down {-delta} from {before}"
    return "same", "unchanged"


def targets_met(met: int, total: int) -> str:
    """``3 of 3 targets met``, ``0 of 2 targets met``."""
    return say("targets_met", met=number(met), targets=count(total, "target"))


def join(items: list[str], word: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def workload_name(workload: str) -> str:
    """A workload's folder id as a name (``lab-telemetry`` -> ``Lab telemetry``)."""
    return workload.replace("-", " ").replace("_", " ").capitalize()


#: Headings and labels of the generated pages, by key (a translation replaces the values).
HEADING = {
    "context": "Context",
    "decision": "Decision",
    "consequences": "Consequences",
    "hypothesis": "Hypothesis",
    "result": "Result",
    "learned": "What we learned",
    "next": "Next decision",
    "scorecard": "Pillar scorecard",
    "principles": "Design principles applied",
    "architecture": "Architecture",
    "history": "History",
    "history_summary": "Every change to this decision, commit by commit",
    "card_status": "Status",
    "card_result": "Result",
    "card_targets": "Targets",
    "card_pillars": "Pillars",
    "events": "Events",
    "pillar_scores": "Pillar scores",
    "metrics": "Metrics",
    "iterations": "Iterations",
    "numbers": "The numbers",
    "open_loops": "Open feedback loops",
    "design_principles": "Design principles",
    "tab_after": "After",
    "tab_before": "Before",
    "tab_changes": "Changes",
    "review": "Architecture review",
    "timeline": "Timeline",
    "change": "Change",
    "pillar": "Pillar",
    "score": "Score",
    "note": "Note",
    "principle": "Principle",
    "decisions": "Decisions",
    "applied_by": "Applied by",
    "state": "State",
    "result_due": "Result due",
    "workload": "Workload",
    "iteration": "Iteration",
    "observed": "Observed",
    "target": "Target",
    "pillar_out_of_5": "Pillar (score out of 5)",
    "explorer": "Decision explorer",
    "all": "All",
    "facet_status": "Status",
    "facet_outcome": "Outcome",
    "facet_workload": "Workload",
    "facet_tag": "Tag",
    "facet_pillar": "Pillar scored",
    "pillars_scored": "Pillars scored",
    "facet_principle": "Principle",
    "facet_decider": "Decider",
    "date": "Date",
    "tags": "Tags",
    "principles_column": "Principles",
    "deciders": "Deciders",
    "measured": "Measured",
    "option": "Option",
    "pros": "Pros",
    "cons": "Cons",
    "options": "Options considered",
    "unmapped": "More from the original ADR",
    "loops": "Feedback loops",
    "open_loops_short": "Open loops",
    "regressed": "What regressed",
    "chains": "Chains",
    "metrics_so_far": "Metrics so far",
    "longest_chain": "Longest (decisions)",
    "across_workloads": "Across workloads",
    "metric": "Metric",
    "latest_evidence": "Latest evidence",
    "met_before": "Met before",
    "current_score": "Current score",
    "last_change": "Last change",
    "current_scores": "Current pillar scores",
    "id": "Id",
    "title": "Title",
    # the organisation portal's dashboard
    "portal": "Architecture portal",
    "by_team": "By team",
    "team": "Team",
    "repository": "Repository",
    "repositories": "Repositories",
    "overdue": "Overdue",
    "regressed_short": "Regressed",
    "regressed_metrics": "Regressed metrics",
    "pillar_scores_per_workload": "Pillar scores per workload",
    "hypotheses_confirmed": "Hypotheses confirmed",
    "overdue_loops": "Overdue feedback loops",
    "days_overdue": "Days overdue",
    "regressions": "Regressions",
    "own_site": "Own site",
    "files": "Files",
    "exported_on": "Exported on",
}

INVITATION_TITLE = "Make this decision measurable"
INVITATION = (
    "This decision records what was decided, not yet what it should change. "
    "Add a `hypothesis` with `metrics`, and `pillars` scores, to {path} to follow it on the "
    "timeline and the dashboard."
)


def say(key: str, **values: object) -> str:
    """The sentence :data:`TEXT` has under ``key``, its placeholders filled."""
    return TEXT[key].format(**values) if values else TEXT[key]


#: Every sentence and label of the generated pages, by key (see the module's docstring).
TEXT: dict[str, str] = {
    "portal_intro": "{repositories}, {workloads}, {decisions}; {open_loops}, {overdue} overdue on {today}; {regressed}.",
    "portal_failed": "{sources} could not be read",
    "portal_failed_body": "Their pages are missing from this build:",
    "portal_no_team": "No team named",
    "portal_scores_intro": "Each workload's latest score of every pillar (after its latest iteration).",
    "portal_regressions_intro": "Accepted decisions whose latest measured evidence misses a target they met.",
    "portal_nothing": "No source could be read: see the build log.",
    "portal_site": "site",
    "part_of": "{part} of {whole}",
    "portal_files": "files",
    "history_off": "No history: the site was built without reading git history.",
    "history_none": "No history is available for this file.",
    "history_intro": "{commits} changed this file, {span} (dates of the commits; oldest first).",
    "history_span": "from {first} to {last}",
    "history_day": "on {day}",
    "history_uncommitted": "in the working tree, not committed",
    "history_as": "as {path}",
    "history_no_change": "no change to the tracked fields (formatting or comments)",
    "scorecard_against": "Scores after this decision; the change is against the previous iteration, {previous}.",
    "scorecard_first": "Scores after this decision (the workload's first iteration).",
    "targets_met": "{met} of {targets} met",
    "diagram_open": "Open the diagram full size",
    "aside": " ({text})",
    "by": " by {who}",
    "on_date": " on {date}",
    "due_date": ", due {date}",
    # decision page: summary cards and the line of facts
    "n_missed": "{n} missed",
    "n_not_measured": "{n} not measured",
    "pillar_score": "{pillar}: {score}/5",
    "pillar_new_score": "{pillar}: {score}/5, new",
    "first_scores": "first scores of the workload",
    "pillars_unchanged": "{pillars} unchanged",
    "replaces": "replaces {what}",
    "imported_from": "imported from {path}",
    "edit_file": "Edit the decision file",
    "status_not_stated": "not stated in the source",
    "status_as_written": "as written: “{status}”",
    "label": "{label} {value}",
    "verdict_met": "met",
    "verdict_missed": "missed",
    "verdict_unmeasured": "not measured",
    "verdict_unknown": "cannot judge",
    "draft_title": "Draft: not committed yet",
    "draft": "This decision file is not in git yet, so it has no history and this page is a preview. "
             "Commit it (`git add`, `git commit`) once it validates, to publish it with its history.",
    "as_left_by": "As left by {decision}.",
    "diagram_legend": "Marked in the {after} diagram: added in green, changed in amber, removed dashed in red.",
    "measured_mark": "measured",
    "measured_intro": "Values recorded by `mkdocs-wa measure` in {files}. The latest is the {observed} value above; "
                      "a value typed in the file is shown only while there is no evidence.",
    "measure_source": "source: {kind}",
    "no_evidence": "no evidence recorded yet: run {command}.",
    "replaces_typed": "replaces the value typed in the file, {value}",
    "unknown_source": "unknown source",
    "latest_evidence": "latest {value} on {time} UTC ({source})",
    "measured_alt": "{metric} measured over time",
    "chart_open": "Open the chart full size",
    "option_chosen": "{option} ✔ chosen",
    "superseded_title": "Superseded: this decision no longer applies",
    "superseded_by": "Replaced by {decisions}: read it for what applies now.",
    "superseded_elsewhere": "Replaced by a later decision that is not in this site.",
    "deprecated_title": "Deprecated: this decision no longer applies",
    "deprecated": "Deprecated: kept for the record, it no longer applies.",
    "deprecated_by": "Replaced by {decisions}.",
    # feedback loops
    "no_metrics": "no metrics",
    "n_unknown": "{n} cannot be judged",
    "overdue_by": "overdue by {days}",
    "due_today": "due today",
    "due_in": "due in {days}",
    "days_after": "{days} after the decision",
    "no_open_loops": "No open loops: every accepted hypothesis has its result.",
    "open_overdue": "{open} open, {overdue} overdue",
    "on_day": "{what} on {date}.",
    "latest_iteration": "latest iteration",
    "link_next": "named as the next decision",
    "link_supersedes": "replaces it",
    "led_to": "led to {decisions}",
    "no_hypothesis_yet": "No decision has a hypothesis yet.",
    "loops_intro": "Each decision is a hypothesis tested with metrics; its result leads to the next decision. "
                   "A loop is **open** while an accepted decision waits for its result, and **overdue** after its "
                   "`review_by` date (or {days} after the decision when it has none).",
    "site_wide": "Site-wide: {all_loops}.",
    "chains_intro": "From each first hypothesis to the latest iteration, linked by `result.next` and `supersedes`.",
    "see_all_loops": "See {all_loops}.",
    "loop_overdue_title": "Feedback loop overdue",
    "loop_late": "The result of this hypothesis was due on {date} and is {days} late. Measure the metrics and record the `result`.",
    "loop_open_title": "Feedback loop open",
    "loop_waits": "This hypothesis waits for its result, due on {date} (in {days}).",
    "disagrees_title": "The declared outcome disagrees with the metrics",
    "regressed_title": "Regressed",
    "regressed_notice": "The latest evidence misses a target this decision met.",
    "nothing_regressed": "Nothing regressed: every accepted decision's latest evidence meets its targets (or has none).",
    "result_confirmed": "result: confirmed",
    # a workload's decision log
    "log_title": "{workload}: decision log",
    "log_intro": "{decisions}, newest first. See the {timeline}.",
    "evolution_timeline": "evolution timeline",
    "no_pillar_scored": "No pillar is scored yet.",
    # charts (SVG)
    "chart_pillars_title": "Pillar scores across iterations: {workload}",
    "chart_pillars_x": "Iteration (decision id, oldest first)",
    "chart_pillars_y": "Score (0 = absent, 5 = excellent)",
    "chart_no_scores": "No pillar scores yet",
    "chart_not_measured": "Not measured yet",
    "chart_target_shaded": "Target (shaded: target met)",
    "chart_measured_title": "{metric}, measured",
    "chart_time_utc": "Time (UTC)",
    "chart_target_low": "Target (low)",
    "chart_target_high": "Target (high)",
    # the Atom feed (plain text)
    "feed_title": "Architecture decisions",
    "feed_subtitle": "New decisions, results and regressions",
    "feed_decision_title": "{status}: {id} {title}",
    "feed_decision": "{id} ({workload}) is {status} since {date}.",
    "feed_deciders": "Deciders: {deciders}.",
    "feed_outcome": "Result: {outcome}.",
    "feed_metrics": "Metrics: {metrics}",
    "feed_metric": "{metric} {observed} (target {target}, {verdict})",
    "feed_result_title": "Result of {id}: {outcome}",
    "feed_regressed_title": "Regressed: {id} {metric}",
    # the review dashboard (Markdown: "**" allowed)
    "review_intro": "Scored against the {lens} lens. {workloads}; {loops}, {overdue} overdue on {date} ({all_loops}).",
    "all_loops": "all feedback loops",
    "changes_since": "What changed since {tag}",
    "what_regressed": "what regressed",
    "regressed_intro": "Accepted decisions whose latest measured evidence misses a target they met: {what}.",
    "no_decisions_yet": "No decisions yet: add one under {folder}.",
    "pillar_scores_intro": "Each workload's latest score of every pillar, and its change since the iteration before.",
    "change_since": "Change since {since}",
    "workload_standing": "{workload}: {standing}",
    "no_pillar_rated": "no pillar rated yet.",
    "all_pillars_at": "every rated pillar stands at {score}/5.",
    "weakest_one": "weakest is {pillars} ({score}/5).",
    "weakest_many": "weakest are {pillars} ({score}/5 each).",
    "no_principles": "The lens names no design principles.",
    "not_applied": "not applied yet",
    "not_rated_yet": "not rated yet",
    "new_score": "new score",
    "pillar_score_change": "{pillar}: {score}/5, {change}",
    "hypotheses_confirmed": "{confirmed} of {hypotheses} confirmed",
    "results_awaited": ", {results} awaited",
    "no_accepted_decision": "No accepted decision yet, so no pillar scores.",
    "loops_overdue": "{loops}, {overdue} overdue",
    "no_open_loop": "no open feedback loop",
    "latest": "Latest: {decision}",
    "proposals_to_decide": "{proposals} to decide",
    # a workload's timeline
    "timeline_title": "{workload}: evolution timeline",
    "decision_log": "decision log",
    "no_iteration": "No iteration yet: an iteration is an accepted decision (or one accepted and later superseded). See the {log}.",
    "timeline_intro": "{iterations}, {first} to {last}. Dates of status changes are those of the commits that made them. "
                      "Every decision is in the {log}.",
    "without_history": "Without git history",
    "without_history_note": "{note} Status changes show the declared date only.",
    "chart_alt": "Chart: {metric}, observed after each iteration, against its target",
    "chart_alt_unit": "Chart: {metric} ({unit}), observed after each iteration, against its target",
    "then": ", {text}",
    "measured": "{decision} measured: {outcome}",
    "tag": "tag {tag}",
    "by_then": "{iterations} by then",
    "source_uncommitted": "uncommitted",
    "source_declared": "declared date",
    "pillars_moved": "Pillars: {pillars}",
    "diagram_alt": "Architecture diagram after {id}: {title}",
    "result_is": "Result: {outcome}",
    "outcome_contradicts": "the declared outcome contradicts the metrics",
    # the decision explorer
    "explorer_intro": "{decisions} of every workload, newest first. Filter by any column below, or sort by clicking a column's heading.",
    "filter_decisions": "Filter decisions",
    "no_hypothesis": "No hypothesis",
    # changes since the latest tag
    "changes_intro": "Tag {tag} was made on {date} (commit {commit}). Below, per workload, what its decisions did "
                     "after that day, with the dates of the commits that did it.",
    "no_change_since": "No decision changed since then.",
}
