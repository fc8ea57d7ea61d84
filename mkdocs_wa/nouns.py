"""Counted nouns: ``1 decision``, ``3 hypotheses``, never ``decision(s)``.

The base layer, so that every message of every layer (the pages, the commands, the
validator, the importer's report, the PR diff) counts the same way;
``render/pages/words.py`` re-exports it with the rest of the pages' words. A
translation gives its own forms in :data:`NOUNS`, its own :func:`plural_form` and
:data:`COUNT`.
"""

from __future__ import annotations

#: How a count is written: the number (with thousands separators) and the noun.
COUNT = "{n} {noun}"

#: Every noun the pages and the commands count, in each plural form of the language
#: (English: one, other). A translation gives its forms and its own :func:`plural_form`.
NOUNS: dict[str, tuple[str, ...]] = {
    "architecture diagram": ("architecture diagram", "architecture diagrams"),
    "change": ("change", "changes"),
    "commit": ("commit", "commits"),
    "conflict": ("conflict", "conflicts"),
    "day": ("day", "days"),
    "decision": ("decision", "decisions"),
    "diagram": ("diagram", "diagrams"),
    "error": ("error", "errors"),
    "file": ("file", "files"),
    "id clash": ("id clash", "id clashes"),
    "hypothesis": ("hypothesis", "hypotheses"),
    "iteration": ("iteration", "iterations"),
    "key": ("key", "keys"),
    "loop": ("loop", "loops"),
    "metric": ("metric", "metrics"),
    "Markdown file": ("Markdown file", "Markdown files"),
    "open feedback loop": ("open feedback loop", "open feedback loops"),
    "open loop": ("open loop", "open loops"),
    "other file": ("other file", "other files"),
    "page": ("page", "pages"),
    "pillar": ("pillar", "pillars"),
    "proposal": ("proposal", "proposals"),
    "record": ("record", "records"),
    "regressed metric": ("regressed metric", "regressed metrics"),
    "repository": ("repository", "repositories"),
    "result": ("result", "results"),
    "source": ("source", "sources"),
    "status change": ("status change", "status changes"),
    "target": ("target", "targets"),
    "warning": ("warning", "warnings"),
    "workload": ("workload", "workloads"),
}


def plural_form(n: int) -> int:
    """Which of a noun's forms in :data:`NOUNS` goes with ``n`` (English: 0 for one, 1
    for any other number)."""
    return 0 if n == 1 else 1


def plural_word(n: int, noun: str) -> str:
    """The form of ``noun`` (a key of :data:`NOUNS`) that agrees with ``n``."""
    forms = NOUNS[noun]
    return forms[min(plural_form(n), len(forms) - 1)]


def count(n: int, noun: str) -> str:
    """``1 decision``, ``1,200 decisions``: a number and the noun agreeing with it
    (``noun`` is a key of :data:`NOUNS`; a noun missing there is a KeyError, so no
    count goes out in a form nobody wrote)."""
    return COUNT.format(n=f"{n:,}", noun=plural_word(n, noun))
