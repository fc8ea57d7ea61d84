"""One vocabulary for what changed in a decision: field by field, in one set of words.

:func:`field_changes` compares two versions of a decision given as its fields (the
top-level keys of the file as YAML data: what the history reads from each revision) and
lists :class:`~mkdocs_wa.history.reader.Change` items in a stable order; :func:`decision_fields`
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

from mkdocs_wa.history.reader import Change
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

#: The order in which a version's changes are listed.
ORDER = ("status", "id", "title", "date", "workload", "supersedes", "result", "hypothesis", "pillars")


def field_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> tuple[Change, ...]:
    """What ``new`` changed against ``old``, field by field (both: a decision's fields as
    YAML data, as written; None: nothing readable). Fields other than those of
    :data:`ORDER` are compared as a whole: ``edited``."""
    a, b = old or {}, new or {}
    out: list[Change] = []
    for key in ORDER:
        x, y = a.get(key), b.get(key)
        if x is y or x == y:
            continue
        if key == "status":
            out.append(Change("status", "status", _scalar(x), _scalar(y)))
        elif key == "supersedes":
            out.extend(_supersedes(x, y))
        elif key == "result":
            out.extend(_result(x, y))
        elif key == "hypothesis":
            # a change no sentence names (a metric's baseline, say) still shows
            out.extend(_hypothesis(x, y) or [Change("edited", "hypothesis")])
        elif key == "pillars":
            out.extend(_pillars(x, y) or [Change("edited", "pillars.note")])
        else:
            out.append(Change("field", key, _scalar(x), _scalar(y)))
    others = sorted((set(a) | set(b)) - set(ORDER))
    out.extend(Change("edited", key) for key in others if a.get(key) != b.get(key))
    return tuple(out)


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


def _scalar(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return " ".join(str(value).split())


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


def _supersedes(a: Any, b: Any) -> list[Change]:
    old = [str(x) for x in a] if isinstance(a, list) else []
    new = [str(x) for x in b] if isinstance(b, list) else []
    return [Change("supersedes", "supersedes", None, x) for x in new if x not in old] + [
        Change("supersedes", "supersedes", x, None) for x in old if x not in new
    ]


def _result(a: Any, b: Any) -> list[Change]:
    a = a if isinstance(a, dict) else None
    b = b if isinstance(b, dict) else None
    if a == b:
        return []
    outcome_a = _scalar(a.get("outcome")) if a else None
    outcome_b = _scalar(b.get("outcome")) if b else None
    return [Change("result", "result", outcome_a, outcome_b)]


def _metrics(h: Any) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    if isinstance(h, dict) and isinstance(h.get("metrics"), list):
        for m in h["metrics"]:
            if isinstance(m, dict) and isinstance(m.get("name"), str):
                out.setdefault(m["name"], m)
    return out


def _hypothesis(a: Any, b: Any) -> list[Change]:
    if a == b:
        return []
    out: list[Change] = []
    ma, mb = _metrics(a), _metrics(b)
    for name, m in mb.items():
        written = m.get("unit")
        unit = written if isinstance(written, str) else ""
        if name not in ma:
            out.append(Change("metric", name, None, _scalar(m.get("target"))))
            if m.get("observed") not in (None, ""):
                out.append(Change("observed", name, None, _scalar(m.get("observed")), unit))
            continue
        before = ma[name]
        if before.get("observed") != m.get("observed"):
            old, new = before.get("observed"), m.get("observed")
            out.append(Change("observed", name, None if old == "" else _scalar(old), None if new == "" else _scalar(new), unit))
        if before.get("target") != m.get("target"):
            out.append(Change("target", name, _scalar(before.get("target")), _scalar(m.get("target")), unit))
    out.extend(Change("metric", name, _scalar(m.get("target")), None) for name, m in ma.items() if name not in mb)
    sa = a.get("statement") if isinstance(a, dict) else None
    sb = b.get("statement") if isinstance(b, dict) else None
    if sa != sb:
        out.append(Change("edited", "hypothesis.statement"))
    ra = a.get("review_by") if isinstance(a, dict) else None
    rb = b.get("review_by") if isinstance(b, dict) else None
    if ra != rb:
        out.append(Change("field", "hypothesis.review_by", _scalar(ra), _scalar(rb)))
    return out


def _score(v: Any) -> Any:
    return _scalar(v.get("score")) if isinstance(v, dict) else _scalar(v)


def _pillars(a: Any, b: Any) -> list[Change]:
    a = a if isinstance(a, dict) else {}
    b = b if isinstance(b, dict) else {}
    out: list[Change] = []
    for name in list(b) + [n for n in a if n not in b]:
        old, new = (_score(a[name]) if name in a else None), (_score(b[name]) if name in b else None)
        if old != new:
            out.append(Change("pillar", str(name), old, new))
    return out
