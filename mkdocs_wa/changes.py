"""What changed in a decision, field by field: one type and one comparison.

:func:`field_changes` compares two versions of a decision given as their fields (the
top-level keys of a decision file as YAML data) and lists :class:`Change` items in a
stable order. The history compares each revision with the one before through it
(:mod:`mkdocs_wa.history`), the PR diff two catalogs (:mod:`mkdocs_wa.compare`), and
:mod:`mkdocs_wa.analysis.changes` words each change for pages, the PR diff and the
export: an edit is listed and told the same way wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: The fields compared one by one, in the order a version's changes are listed; the
#: history keeps their values for every revision. Other fields are compared as a whole.
TRACKED = ("status", "id", "title", "date", "workload", "supersedes", "result", "hypothesis", "pillars")


@dataclass(frozen=True)
class Change:
    """One field-level change made by a revision.

    ``kind`` is one of: ``created`` (new: the status it was created with), ``renamed``
    (old and new path), ``status``, ``result`` (old and new outcome; old None: first
    recorded; new None: removed), ``observed`` and ``target`` (field: the metric name),
    ``metric`` (a metric added, new its target, or removed), ``pillar`` (field: the
    pillar id, old/new score, None when absent), ``supersedes`` (new: an id added, old:
    an id removed), ``field`` (a scalar such as title, id or date, old and new value),
    ``edited`` (field: a top-level key or ``hypothesis.statement`` whose text changed),
    ``deleted`` (a followed extra file, e.g. an imported Markdown ADR, was deleted),
    ``unreadable`` (this revision's YAML could not be read).
    """

    kind: str
    field: str = ""
    old: Any = None
    new: Any = None
    #: The metric's unit, for ``observed`` and ``target`` changes.
    unit: str = ""


def field_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> tuple[Change, ...]:
    """What ``new`` changed against ``old``, field by field (both: a decision's fields as
    YAML data, as written; None: nothing readable). Fields other than those of
    :data:`TRACKED` are compared as a whole: ``edited``."""
    a, b = old or {}, new or {}
    out = tracked_changes(a, b)
    others = sorted((set(a) | set(b)) - set(TRACKED), key=str)
    out.extend(Change("edited", key) for key in others if a.get(key) != b.get(key))
    return tuple(out)


def tracked_changes(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[Change]:
    out: list[Change] = []
    for key in TRACKED:
        x, y = a.get(key), b.get(key)
        # Values from the parse cache: an unchanged block is the very same object.
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
    return out


def _scalar(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return " ".join(str(value).split())


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
        unit = u if isinstance(u := m.get("unit"), str) else ""
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
        x, y = a.get(name), b.get(name)
        if x != y and (old := _score(x)) != (new := _score(y)):  # None (absent) scores None
            out.append(Change("pillar", str(name), old, new))
    return out

