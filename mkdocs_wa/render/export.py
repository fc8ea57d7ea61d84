"""A machine-readable JSON export of all decisions, for dashboards and other tools.

Its format is documented by ``schemas/export-v2.schema.json`` (draft 2020-12); the
build writes it to ``architecture/decisions.json``. It carries every decision with its
verdicts and loop state, each workload's pillar series, the chains and the principle
coverage, and (when the caller has read git) each decision's history. Version 2 adds
what an organisation portal (:mod:`mkdocs_wa.portal`) needs to render the decisions
without the repository: where the repository and its site are, git tags, each
decision's diagram (an SVG file published beside the export, by relative path) and each
revision's status, date and scores where they change.
``schemas/export-v1.schema.json`` stays for readers of version 1 (the portal reads both).

Only data goes in: strings from decision files are exported as written, so a consumer
that puts them into HTML must escape them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import math
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

from mkdocs_wa import __version__
from mkdocs_wa.analysis.changes import describe_change, pillar_label
from mkdocs_wa.analysis.loops import DEFAULT_REVIEW_DAYS, FeedbackLoops, feedback_loops
from mkdocs_wa.analysis.review import Review, build_review, pillar_series
from mkdocs_wa.memo import NO_MEMO, Memo
from mkdocs_wa.model import Catalog, Decision, Evidence, Lens
from mkdocs_wa.source.evidence import format_time
from mkdocs_wa.source.verdicts import HypothesisVerdict

FORMAT = "mkdocs-wa-export"
VERSION = 2
SCHEMA_ID = "https://mkdocs-wa.invalid/schemas/export-v2.schema.json"


@cache
def export_schema(version: int = VERSION) -> dict[str, Any]:
    """The JSON Schema of export format ``version`` (1 or 2)."""
    text = resources.files("mkdocs_wa").joinpath("schemas", f"export-v{version}.schema.json").read_text("utf-8")
    return json.loads(text)


def jsonable(value: Any) -> Any:
    """Plain JSON data from model objects: dates as ISO text, a Decision as its id,
    dataclasses as objects (without fields hidden from ``repr``, such as the parsed
    source or a revision's text blocks), non-finite numbers as text."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    # The common containers first: the Sequence and Mapping checks below go through
    # abc's subclass hooks, which made a third of the export's time.
    kind = type(value)
    if kind is list or kind is tuple:
        return [jsonable(v) for v in value]
    if kind is dict:
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decision):
        return value.id
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: jsonable(getattr(value, name)) for name in _shown_fields(type(value))}
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (Sequence, set, frozenset)) and not isinstance(value, (bytes, bytearray)):
        return [jsonable(v) for v in value]
    return str(value)


@cache
def _shown_fields(kind: type) -> tuple[str, ...]:
    """A dataclass's fields that its repr shows (``dataclasses.fields`` is slow per call)."""
    return tuple(f.name for f in dataclasses.fields(kind) if f.repr)


def revision_json(revision: Any, lens: Lens | None = None) -> Any:
    """One revision from the history stage (:class:`mkdocs_wa.history.model.Revision`), or any
    mapping or dataclass given in its place, as plain data; each change's ``text`` in the
    words of the decision pages (pillars named by ``lens``)."""
    if isinstance(revision, Mapping) or not hasattr(revision, "commit") or not hasattr(revision, "changes"):
        return jsonable(revision)
    changes = []
    for c in revision.changes:
        if not hasattr(c, "kind"):
            changes.append(jsonable(c))
            continue
        item = {"kind": c.kind, "field": getattr(c, "field", ""), "old": jsonable(c.old), "new": jsonable(c.new)}
        if getattr(c, "unit", ""):
            item["unit"] = c.unit
        item["text"] = describe_change(c, pillar_label(lens, c))
        changes.append(item)
    return {
        "commit": revision.commit,
        "date": jsonable(getattr(revision, "date", None)),
        "committed": jsonable(getattr(revision, "committed", None)),
        "author": getattr(revision, "author", ""),
        "subject": getattr(revision, "subject", ""),
        "path": getattr(revision, "path", ""),
        "uncommitted": bool(getattr(revision, "uncommitted", False)),
        "tags": jsonable(getattr(revision, "tags", ())),
        "changes": changes,
        # The fields a timeline's milestones are computed from (a portal computes them
        # as the build does); only these: with every tracked field the export doubled.
        "fields": _milestone_fields(getattr(revision, "fields", None)),
    }


def _milestone_fields(fields: Any) -> Any:
    """``status``, ``date`` and each pillar's ``score`` (not its note): what a scorecard
    at a tag needs, at a third of the export's size with every tracked field."""
    if not isinstance(fields, Mapping):
        return None
    out = {k: jsonable(fields[k]) for k in ("status", "date") if k in fields}
    pillars = fields.get("pillars")
    if isinstance(pillars, Mapping):
        out["pillars"] = {str(p): {"score": v.get("score")} if isinstance(v, Mapping) else None for p, v in pillars.items()}
    return out


def _carried(history: Any) -> list[Any]:
    """Revisions with ``fields`` only where they differ from the revision before (a
    reader carries them forward): most commits change no status, date or score."""
    out, before = [], object()
    for item in history:
        if isinstance(item, dict) and "fields" in item:
            if item["fields"] == before:
                item = {k: v for k, v in item.items() if k != "fields"}
            else:
                before = item["fields"]
        out.append(item)
    return out


def _history_of(d: Decision, history: Any) -> Sequence[Any]:
    """A decision's revisions from ``history``: the history stage's ``History`` (asked
    by path, with the file it was imported from), or a mapping from decision id to a
    ``FileHistory`` or a list of revisions."""
    if history is None:
        return ()
    if hasattr(history, "of") and not isinstance(history, Mapping):
        found = history.of(d.path, d.imported_history_path)
    else:
        found = history.get(d.id, ())
    return getattr(found, "revisions", found) or ()


def _lens(lens: Lens) -> dict[str, Any]:
    return {
        "id": lens.id,
        "name": lens.name,
        "url": lens.url,
        "pillars": [{"id": p.id, "name": p.name, "description": p.description} for p in lens.pillars],
        "principles": [{"id": p.id, "name": p.name, "description": p.description} for p in lens.principles],
    }


def _loop_state(d: Decision, loops: FeedbackLoops) -> dict[str, Any]:
    loop = loops.loop(d.id)
    if loop is not None:
        return {
            "state": "open",
            "due": loop.due.isoformat(),
            "due_from": loop.due_from,
            "overdue": loop.overdue,
            "days_overdue": loop.days_overdue,
        }
    # "none": no result is expected (no hypothesis, or not accepted).
    state = "closed" if d.result is not None else "none"
    return {"state": state, "due": None, "due_from": None, "overdue": False, "days_overdue": 0}


def _decision(d: Decision, loops: FeedbackLoops, history: Any, memo: Memo, lens: Lens,
              diagram: str | None = None, edit_url: str | None = None) -> dict[str, Any]:
    revisions = _history_of(d, history)

    def make() -> dict[str, Any]:
        data = _decision_data(d, loops.verdicts[d.id])
        return data | {"loop": _loop_state(d, loops), "history": _carried(revision_json(r, lens) for r in revisions),
                       "diagram": diagram, "edit_url": edit_url}

    # Everything here follows from the decision, its revisions (the same objects while
    # git and the file are unchanged), the day the loops are judged on and its links.
    return memo.of("export-decision", (d, revisions), (loops.today, loops.default_review_days, lens, diagram, edit_url), make)


def _decision_data(d: Decision, hv: HypothesisVerdict) -> dict[str, Any]:
    hyp = d.hypothesis
    return {
        "id": d.id,
        "title": d.title,
        "status": d.status,
        "date": d.date.isoformat(),
        "workload": d.workload,
        "path": d.path,
        "slug": d.slug,
        "deciders": list(d.deciders),
        "tags": list(d.tags),
        "supersedes": list(d.supersedes),
        "superseded_by": list(d.superseded_by),
        "principles": list(d.principles),
        "context": d.context,
        "decision": d.decision,
        "consequences": d.consequences,
        "sections": jsonable(d.sections),
        "options": jsonable(d.options),
        "hypothesis": None
        if hyp is None
        else {
            "statement": hyp.statement,
            "review_by": hyp.review_by.isoformat() if hyp.review_by else None,
            "metrics": [
                {
                    "name": mv.metric.name,
                    "unit": mv.metric.unit,
                    "baseline": jsonable(mv.metric.baseline),
                    "target": jsonable(mv.metric.target),
                    "observed": jsonable(mv.metric.observed),
                    "source": mv.metric.source,
                    "verdict": mv.verdict.value,
                    "target_text": mv.target,
                    "observed_text": mv.observed,
                    "observed_from": "evidence" if mv.metric.evidence else ("file" if mv.metric.observed not in (None, "") else None),
                    "measure": None if mv.metric.measure is None else {mv.metric.measure.kind: jsonable(dict(mv.metric.measure.spec))},
                    "evidence": [_evidence(e) for e in mv.metric.evidence],
                }
                for mv in hv.metrics
            ],
        },
        "verdict": hv.verdict.value if hv.verdict else None,
        "result": jsonable(d.result),
        "outcome_agrees": hv.agrees,
        "pillars": {p.pillar: {"score": p.score, "note": p.note} for p in d.pillars},
        "architecture": jsonable(d.architecture),
        "imported_from": jsonable(d.imported_from),
    }


def export_json(
    catalog: Catalog,
    *,
    today: dt.date,
    timelines: Mapping[str, Any] | None = None,
    history: Any = None,
    default_review_days: int = DEFAULT_REVIEW_DAYS,
    loops: FeedbackLoops | None = None,
    review: Review | None = None,
    memo: Memo = NO_MEMO,
    diagrams: Mapping[str, str] | None = None,
    repository: Mapping[str, str | None] | None = None,
    edit_url_base: str | None = None,
) -> dict[str, Any]:
    """The export as JSON-ready data (see ``schemas/export-v2.schema.json``).

    ``history`` is the history stage's :class:`~mkdocs_wa.history.model.History` (or a mapping
    from decision id to a ``FileHistory`` or a list of revisions); ``timelines`` maps a
    workload to its timeline. Both are optional: without them each decision's
    ``history`` is empty and each workload's ``timeline`` is null. Decisions inside a
    timeline are exported as their ids. Pass ``loops`` and ``review`` when the build has
    them already (judged on the same ``today``), so verdicts are not computed twice.
    ``diagrams`` maps a decision id to its diagram's path relative to the export;
    ``repository`` gives ``name``, ``site_url``, ``repo_url`` and ``commit_url`` (each
    optional); ``edit_url_base`` + a decision's ``path`` is the link to its file.
    """
    loops = loops or feedback_loops(catalog, today, default_review_days=default_review_days)
    review = review or build_review(catalog, today, default_review_days=default_review_days, loops=loops)
    timelines = timelines or {}
    workloads = []
    for w in review.workloads:
        decisions = catalog.workloads()[w.workload]
        workloads.append(
            {
                "id": w.workload,
                "decisions": [d.id for d in decisions],
                "iterations": [d.id for d in catalog.iterations(w.workload)],
                "latest_iteration": w.latest.id if w.latest else None,
                "pillar_series": [
                    {
                        "decision": pt.decision.id,
                        "date": pt.decision.date.isoformat(),
                        "scores": dict(pt.scores),
                        "scored": list(pt.scored),
                    }
                    for pt in pillar_series(catalog, w.workload)
                ],
                "latest_scores": {p.pillar: p.score for p in w.pillars if p.score is not None},
                "previous_scores": {p.pillar: p.previous for p in w.pillars if p.previous is not None},
                "weakest": [p.pillar for p in w.weakest],
                "open_loops": [lp.decision.id for lp in w.loops],
                "timeline": jsonable(timelines[w.workload]) if w.workload in timelines else None,
            }
        )
    return {
        "$schema": SCHEMA_ID,
        "format": FORMAT,
        "version": VERSION,
        "generator": f"mkdocs-wa {__version__}",
        "today": today.isoformat(),
        "default_review_days": default_review_days,
        "lens": _lens(catalog.lens),
        "repository": {key: (repository or {}).get(key) or (None if key != "name" else "")
                       for key in ("name", "site_url", "repo_url", "commit_url")},
        "history_reason": _history_reason(history),
        "milestones": [
            {"tag": m.tag, "commit": m.commit, "date": jsonable(m.date), "paths": list(m.paths)}
            for m in getattr(history, "milestones", ()) or ()
        ],
        "decisions": [
            _decision(d, loops, history, memo, catalog.lens, (diagrams or {}).get(d.id),
                      edit_url_base.rstrip("/") + "/" + d.path if edit_url_base else None)
            for d in catalog.decisions
        ],
        "workloads": workloads,
        "chains": [
            {
                "decisions": [d.id for d in c.decisions],
                "first": c.first.id,
                "latest": c.latest.id,
                "links": [{"from": lk.source, "to": lk.target, "kinds": list(lk.kinds)} for lk in c.links],
            }
            for c in loops.chains
        ],
        "principles": [
            {"id": c.principle.id, "decisions": [d.id for d in c.decisions]} for c in review.coverage
        ],
        "open_loops": [lp.decision.id for lp in loops.open],
        "regressed": [
            {"decision": r.decision.id, "metric": r.metric.name, "latest": _evidence(r.latest),
             "last_met": _evidence(r.last_met) if r.last_met else None, "deciders": list(r.decision.deciders)}
            for r in loops.regressed
        ],
    }


def _history_reason(history: Any) -> str | None:
    if history is None:
        return "The site was built without reading git history."
    if hasattr(history, "available") and not history.available:
        return history.reason
    return None


def _evidence(e: Evidence) -> dict[str, Any]:
    return {"time": format_time(e.time), "value": e.value, "unit": e.unit, "kind": e.kind, "query": e.query,
            "source": e.source, "file": e.path, "line": e.line}


def export_text(data: Mapping[str, Any], memo: Memo = NO_MEMO) -> str:
    """The export as the text of ``decisions.json`` (strict JSON: no NaN).

    One top-level key per line, and each item of a top-level list (a decision, a
    workload...) on a line of its own: readable, and a change to one decision is a
    one-line diff. Not ``indent=``: with it, :mod:`json` falls back from its C encoder to
    pure Python, ten times slower (docs/performance.md).
    """

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)

    def line(item: Any) -> str:  # an item reused from the last build keeps its text
        return memo.of("export-line", (item,), None, lambda: dump(item))

    lines = []
    for key, value in data.items():
        if isinstance(value, list) and value:
            text = "[\n" + ",\n".join("    " + line(item) for item in value) + "\n  ]"
        else:
            text = dump(value)
        lines.append(f"  {dump(key)}: {text}")
    return "{\n" + ",\n".join(lines) + "\n}\n"
