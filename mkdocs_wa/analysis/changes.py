"""One vocabulary for what changed in a decision: field by field, in one set of words.

:func:`~mkdocs_wa.changes.field_changes` (the history's one comparison,
the PR diff uses it too) compares two versions of a decision given as its fields and lists
:class:`~mkdocs_wa.changes.Change` items in a stable order; :func:`decision_fields`
gives those fields for a :class:`~mkdocs_wa.model.Decision`, so the PR diff (two
catalogs) compares the same way; :func:`describe_change` words a change. The history
section of a decision page, the PR diff and the export's ``text`` of each change all
word changes here, so the same edit reads the same everywhere ("result: confirmed →
refuted", never "outcome: ..." in one place and "result: ..." in another).

The words are the templates of :data:`CHANGE_WORDS` (named placeholders, for a
translation). They live here, not in ``render/pages/words.py`` (which re-exports them):
the PR diff (``compare``) may not import the page renderer (``render``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from mkdocs_wa.changes import Change
from mkdocs_wa.model import Decision, Lens

#: Every sentence a change is told in. Placeholders: ``{field}`` (a field, metric or
#: pillar name), ``{old}`` and ``{new}`` (values as shown, with their unit).
CHANGE_WORDS: dict[str, str] = {
    "created": "created",
    "created_as": "created as {new}",
    "renamed": "renamed from {old}",
    "status": "status: {old} → {new}",
    "result_recorded": "result recorded: {new}",
    "result_removed": "result removed (was {old})",
    "result": "result: {old} → {new}",
    "result_edited": "result edited",
    "observed_added": "{field}: observed {new}",
    "observed_removed": "{field}: observed value removed (was {old})",
    "observed": "{field}: observed {old} → {new}",
    "target": "{field}: target {old} → {new}",
    "metric_added": "metric added: {field}",
    "metric_removed": "metric removed: {field}",
    "pillar_scored": "{field}: scored {new}",
    "pillar_removed": "{field}: score removed (was {old})",
    "pillar": "{field}: {old} → {new}",
    "supersedes_added": "supersedes {new}",
    "supersedes_removed": "no longer supersedes {old}",
    "field": "{field}: {old} → {new}",
    "edited": "{field} edited",
    "deleted": "file deleted",
    "unreadable": "this revision's YAML could not be read",
    "none": "none",
}

#: How nested fields are named in a sentence.
FIELD_NAMES: dict[str, str] = {"hypothesis.statement": "hypothesis statement", "hypothesis.review_by": "review_by",
                               "pillars.note": "pillar notes"}

def decision_fields(d: Decision) -> dict[str, Any]:
    """``d``'s fields as a decision file writes them (for :func:`field_changes`)."""
    h = d.hypothesis
    out: dict[str, Any] = {
        "id": d.id,
        "title": d.title,
        "status": d.status,
        "date": d.date.isoformat(),
        "workload": d.workload,
        "supersedes": list(d.supersedes),
        "result": None if d.result is None else _plain(d.result),
        "hypothesis": None
        if h is None
        else {
            "statement": h.statement,
            "review_by": h.review_by.isoformat() if h.review_by else None,
            "metrics": [
                {"name": m.name, "unit": m.unit, "target": m.target, "observed": m.observed, "baseline": m.baseline,
                 "source": m.source, "measure": None if m.measure is None else {m.measure.kind: dict(m.measure.spec)}}
                for m in h.metrics
            ],
        },
        "pillars": {p.pillar: {"score": p.score, "note": p.note} for p in d.pillars},
    }
    for name in ("deciders", "tags", "context", "decision", "consequences", "sections", "options", "principles",
                 "architecture", "imported_from"):
        out[name] = _plain(getattr(d, name))
    return out


def describe_change(change: Change, name: str | None = None) -> str:
    """``change`` in words (plain text, not escaped); ``name`` replaces the field's id
    (e.g. a pillar's name from the lens)."""
    unit, field = getattr(change, "unit", ""), getattr(change, "field", "")
    k, o, n = change.kind, _show(change.old, unit), _show(change.new, unit)
    f = name or FIELD_NAMES.get(field, field)
    words = CHANGE_WORDS
    if k == "created":
        key = "created_as" if change.new is not None else "created"
    elif k == "result":
        key = ("result_recorded" if change.old is None else "result_removed" if change.new is None
               else "result" if o != n else "result_edited")
    elif k == "observed":
        key = "observed_added" if change.old is None else "observed_removed" if change.new is None else "observed"
    elif k == "metric":
        key = "metric_added" if change.new is not None else "metric_removed"
    elif k == "pillar":
        key = "pillar_scored" if change.old is None else "pillar_removed" if change.new is None else "pillar"
    elif k == "supersedes":
        key = "supersedes_added" if change.new is not None else "supersedes_removed"
    elif k in words:
        key = k
    else:
        return f"{k} {f}".strip()
    return words[key].format(field=f, old=o, new=n)


def pillar_label(lens: Lens | None, change: Change) -> str | None:
    """The name :func:`describe_change` gives a change's field: the lens's name of the
    pillar for a score change (None: the field as written)."""
    if change.kind != "pillar" or lens is None:
        return None
    pillar = lens.pillar(change.field)
    return pillar.name if pillar is not None else None


# --- field by field ---------------------------------------------------------------------------


def _show(value: Any, unit: str = "") -> str:
    if value is None:
        return CHANGE_WORDS["none"]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    # A unit after a bare number (observed 4.5 s), not after text that has its own.
    if unit and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{text} {unit}"
    return text


def _plain(value: Any) -> Any:
    """Model values as YAML data: dataclasses as mappings, tuples as lists, dates as text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value
