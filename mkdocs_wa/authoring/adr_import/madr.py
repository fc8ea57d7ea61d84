"""Markdown Architectural Decision Records (MADR), versions 2, 3 and 4.

- 2.x: metadata as list items under the title (``* Status: accepted``, ``* Deciders:``,
  ``* Date:``), an optional ``Technical Story:`` line, ``### Positive Consequences`` and
  ``### Negative Consequences`` under ``## Decision Outcome``.
- 3.x: YAML front matter (``status``, ``date``, ``deciders``, ``consulted``,
  ``informed``), ``### Consequences`` under ``## Decision Outcome``, ``## Validation``.
- 4.x: front matter with ``decision-makers`` instead of ``deciders``, and
  ``### Confirmation`` under ``## Decision Outcome``.

All of them: ``## Context and Problem Statement``, ``## Decision Drivers``,
``## Considered Options``, ``## Decision Outcome``, ``## Pros and Cons of the Options``,
``## More Information`` / ``## Links``. File names are ``NNNN-slug.md``; the title
carries no number.
"""

from __future__ import annotations

import re

from mkdocs_wa.authoring.adr_import.common import ParsedAdr, extract, normalise_heading
from mkdocs_wa.authoring.adr_import.markdown import MarkdownDoc, Section

_MADR_HEADINGS = {
    "context and problem statement",
    "decision drivers",
    "considered options",
    "decision outcome",
    "pros and cons of the options",
    "more information",
}
_BULLET_META = re.compile(r"^\s{0,3}[*+-]\s+(?:\*\*)?(status|deciders|date|decision-makers)(?:\*\*)?\s*:", re.I)


def _headings(sections: tuple[Section, ...]) -> set[str]:
    out: set[str] = set()
    for s in sections:
        out.add(normalise_heading(s.title))
        out |= _headings(s.children)
    return out


def has_bullet_metadata(doc: MarkdownDoc) -> bool:
    return any(_BULLET_META.match(doc.lines[i]) for i in range(*doc.preamble))


def version(doc: MarkdownDoc) -> str | None:
    """``madr2``, ``madr3``, ``madr4``, or None when the file does not look like MADR."""
    heads = _headings(doc.sections)
    if doc.front_matter is not None or doc.front_matter_problem:
        front = doc.front_matter or {}
        unread = "\n".join(doc.front_matter_lines) if doc.front_matter_problem else ""
        if "decision-makers" in front or "decision-makers" in unread or "confirmation" in heads:
            return "madr4"
        return "madr3"
    if has_bullet_metadata(doc):
        return "madr2"
    if not heads & _MADR_HEADINGS:
        return None
    if "confirmation" in heads:
        return "madr4"
    if heads & {"positive consequences", "negative consequences"}:
        return "madr2"
    return "madr3"


def outcome_child(section: Section) -> str | None:
    """Where a sub-section of ``## Decision Outcome`` goes (None: stays in the decision)."""
    name = normalise_heading(section.title)
    if name in ("confirmation", "validation"):
        return "unmapped"  # how compliance is checked: no field of version 1 holds it
    return None


def read(doc: MarkdownDoc, fmt: str) -> ParsedAdr:
    return extract(doc, fmt, outcome_children=outcome_child)
