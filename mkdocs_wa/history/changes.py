"""The field-level changes between two versions of a decision: the one comparison.

:func:`field_changes` compares two versions given as their fields (the top-level keys
of a decision file as YAML data) and lists :class:`~mkdocs_wa.history.model.Change`
items in a stable order; the history compares each revision with the one before through
:func:`changes`, which reads the same fields from parsed versions. The PR diff compares
two catalogs with :func:`field_changes` too (through ``analysis/changes.py``, which also
words each change), so an edit is listed the same way wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mkdocs_wa.history.model import Change
from mkdocs_wa.history.parse import Reader, Snapshot

#: The fields compared one by one, in the order a version's changes are listed.
ORDER = ("status", "id", "title", "date", "workload", "supersedes", "result", "hypothesis", "pillars")


def field_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> tuple[Change, ...]:
    """What ``new`` changed against ``old``, field by field (both: a decision's fields as
    YAML data, as written; None: nothing readable). Fields other than those of
    :data:`ORDER` are compared as a whole: ``edited``."""
    a, b = old or {}, new or {}
    out = _tracked(a, b)
    others = sorted((set(a) | set(b)) - set(ORDER), key=str)
    out.extend(Change("edited", key) for key in others if a.get(key) != b.get(key))
    return tuple(out)


def changes(pre: Snapshot, post: Snapshot, reader: Reader | None = None) -> list[Change]:
    """What the parsed version ``post`` changed against ``pre``: :func:`field_changes`,
    with the other fields compared block by block (a block the parse cache kept is the
    very same object; a block read two ways is compared by value)."""
    if pre is post:
        return []
    out = _tracked(pre.fields or {}, post.fields or {})
    if pre.others != post.others:
        for key in sorted(set(pre.others) | set(post.others)):
            u, v = pre.others.get(key), post.others.get(key)
            if u == v:
                continue
            if u is not None and v is not None and type(u) is not type(v) and reader is not None:
                if reader.other_value(u, key) == reader.other_value(v, key):
                    continue
            out.append(Change("edited", key))
    return out


def _tracked(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[Change]:
    out: list[Change] = []
    for key in ORDER:
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
        old, new = (_score(a[name]) if name in a else None), (_score(b[name]) if name in b else None)
        if old != new:
            out.append(Change("pillar", str(name), old, new))
    return out

