"""Every user-facing word of the generated pages that is not a decision's own text.

One place, so the wording is the same on every page (one way to say a change, one way
to write a number with its unit, correct plurals) and a translation has one module to
replace. Functions return plain text (not escaped) unless their name ends in ``_html``.
"""

from __future__ import annotations

import math

# What changed in a decision (history section, PR diff, export) is told by the templates
# of CHANGE_WORDS: they are defined beside field_changes, because the PR diff (the
# ``compare`` layer) may not import this module. Re-exported here, with the rest.
from mkdocs_wa.analysis.changes import CHANGE_WORDS, describe_change  # noqa: F401

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

#: Irregular plurals of the nouns the pages count.
_PLURALS = {"hypothesis": "hypotheses", "is": "are", "was": "were", "this": "these", "person": "people"}


def plural_word(n: int, word: str) -> str:
    """``word`` agreeing with ``n`` (``1 instance``, ``2 instances``)."""
    if n == 1:
        return word
    if word in _PLURALS:
        return _PLURALS[word]
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def count(n: int, word: str) -> str:
    """``1 decision``, ``12,000 users``."""
    return f"{n:,} {plural_word(n, word)}"


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
    return f"{met:,} of {total:,} {plural_word(total, 'target')} met"


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
}

INVITATION_TITLE = "Make this decision measurable"
INVITATION = (
    "This decision records what was decided, not yet what it should change. "
    "Add a `hypothesis` with `metrics`, and `pillars` scores, to {path} to follow it on the "
    "timeline and the dashboard."
)
