"""An export (``decisions.json``, format version 1 or 2) back into the model: the same
``Catalog``, ``Decision`` and ``History`` objects the build makes from a repository, so
the portal renders them with the site's own page builders.

An export is untrusted input (another team's repository, a URL): it is checked against
its JSON Schema, then every name that becomes part of a file path (workload, file name)
against a strict pattern, and ids for duplicates. Every problem is a
:class:`~mkdocs_wa.diagnostics.Diagnostic` naming the source, at the line of
``decisions.json`` where the offending entry starts (the build writes one top-level list
item per line).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from jsonschema import Draft202012Validator

from mkdocs_wa.changes import Change
from mkdocs_wa.diagnostics import Diagnostic, error, warning
from mkdocs_wa.history.model import (
    FileHistory,
    History,
    Milestone,
    Revision,
    norm_path,
)
from mkdocs_wa.model import (
    Catalog,
    Decision,
    Evidence,
    Hypothesis,
    ImportedFrom,
    Lens,
    Measure,
    Metric,
    Option,
    Pillar,
    PillarScore,
    Principle,
    Result,
    TextSection,
)
from mkdocs_wa.render.export import FORMAT, export_schema

#: A workload or file name that becomes one component of a page's path.
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
#: A link back to a repository, its site or a file: http(s), nothing that could end the
#: link or the attribute it lands in.
SAFE_URL = re.compile(r"""^https?://[^\s"'<>()\\`{}]+$""")
#: A diagram's path relative to ``decisions.json``.
SAFE_RELATIVE = re.compile(r"^(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9_./-]{0,299}\.svg$")


@dataclass(frozen=True)
class Repository:
    """Where a repository's own site and files are (all optional)."""

    name: str = ""
    site_url: str | None = None
    repo_url: str | None = None
    commit_url: str | None = None


@dataclass(frozen=True)
class ExportData:
    """One export turned back into model objects."""

    catalog: Catalog
    history: History | None
    repository: Repository
    today: dt.date
    review_days: int
    #: decision id -> the diagram's path relative to ``decisions.json``
    diagrams: Mapping[str, str] = field(default_factory=dict)
    #: decision id -> the link to its YAML file in its repository
    edit_urls: Mapping[str, str] = field(default_factory=dict)
    version: int = 2


class ExportError(Exception):
    """The export cannot be used at all; ``diagnostics`` say why."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics


def parse_export(text: str, origin: str) -> tuple[ExportData, list[Diagnostic]]:
    """``decisions.json``'s text as model objects, and warnings about entries left out.

    Raises :class:`ExportError` (every diagnostic naming ``origin``) when the text is no
    JSON, no mkdocs-wa export, of an unknown version or invalid against its schema."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportError([error(origin, exc.lineno, exc.colno, f"not JSON: {exc.msg}", "portal-source")]) from None
    except RecursionError:
        raise ExportError([error(origin, 0, 0, "not JSON this reader accepts: nested too deeply", "portal-source")]) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExportError([error(origin, 1, 1, f"not an mkdocs-wa export (no \"format\": \"{FORMAT}\")", "portal-source")])
    version = data.get("version")
    if version not in (1, 2):
        raise ExportError([error(origin, 1, 1, f"export format version {str(version)[:20]!r} is not one this "
                                 "mkdocs-wa reads (1 or 2): upgrade mkdocs-wa", "portal-source")])
    validator = Draft202012Validator(export_schema(version), format_checker=Draft202012Validator.FORMAT_CHECKER)
    problems = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])[:20]
    if problems:
        raise ExportError([
            error(origin, *_position(text, list(e.absolute_path)),
                  f"invalid export (schema version {version}) at {_where(e.absolute_path)}: {_short(e.message)}", "portal-schema")
            for e in problems
        ])
    return _model(data, text, origin, version)


def _short(message: str) -> str:
    return message if len(message) <= 200 else message[:197] + "..."


def _where(path: Sequence[Any]) -> str:
    return "/" + "/".join(str(p) for p in path) if path else "the top level"


def _position(text: str, path: list[Any]) -> tuple[int, int]:
    """Line and column in ``text`` where the entry ``path`` points into starts, as the
    build writes exports (each top-level key on a line; each item of a top-level list on
    a line of its own); the top-level key's line otherwise, or (1, 1)."""
    if not path:
        return 1, 1
    lines = text.split("\n")
    key = f'  {json.dumps(str(path[0]))}: '
    start = next((i for i, line in enumerate(lines) if line.startswith(key)), None)
    if start is None:
        return 1, 1
    if len(path) > 1 and isinstance(path[1], int) and lines[start].endswith("["):
        n = start + 1 + path[1]
        if n < len(lines) and lines[n].startswith("    "):
            return n + 1, 5
    return start + 1, 3


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        t = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def _lens(data: Mapping[str, Any]) -> Lens:
    return Lens(
        id=data["id"], name=data["name"], url=data["url"], origin="export",
        pillars=tuple(Pillar(p["id"], p["name"], p.get("description") or "") for p in data["pillars"]),
        principles=tuple(Principle(p["id"], p["name"], p.get("description") or "") for p in data["principles"]),
    )


def _evidence(metric: str, e: Mapping[str, Any]) -> Evidence | None:
    time = _time(e.get("time"))
    if time is None:
        return None
    return Evidence(metric=metric, value=e["value"], unit=e.get("unit") or "", time=time, kind=e.get("kind") or "",
                    query=e.get("query") or "", source=e.get("source") or "", path=e.get("file") or "",
                    line=e.get("line") or 0)


def _metric(m: Mapping[str, Any]) -> Metric:
    measure = None
    if m.get("measure"):
        kind, spec = next(iter(m["measure"].items()))
        measure = Measure(kind, spec if isinstance(spec, Mapping) else {})
    evidence = tuple(e for e in (_evidence(m["name"], x) for x in m.get("evidence") or ()) if e is not None)
    return Metric(name=m["name"], target=m["target"], unit=m.get("unit") or "", baseline=m.get("baseline"),
                  observed=m.get("observed"), source=m.get("source") or "", measure=measure, evidence=evidence)


def _decision(d: Mapping[str, Any]) -> Decision:
    hyp = d.get("hypothesis")
    res = d.get("result")
    imp = d.get("imported_from")
    return Decision(
        id=d["id"], title=d["title"], status=d["status"], date=dt.date.fromisoformat(d["date"]),
        workload=d["workload"], path=d["path"],
        deciders=tuple(d["deciders"]), tags=tuple(d["tags"]), supersedes=tuple(d["supersedes"]),
        superseded_by=tuple(d["superseded_by"]), principles=tuple(d["principles"]),
        context=d["context"], decision=d["decision"], consequences=d["consequences"],
        sections=tuple(TextSection(s["heading"], s["body"], s["after"]) for s in d["sections"]),
        options=tuple(Option(o["name"], o["chosen"], o["description"], tuple(o["pros"]), tuple(o["cons"])) for o in d["options"]),
        hypothesis=None if hyp is None else Hypothesis(
            hyp["statement"], tuple(_metric(m) for m in hyp["metrics"]), _date(hyp.get("review_by"))),
        result=None if res is None else Result(res["outcome"], _date(res.get("measured_on")), res["summary"],
                                               res["learned"], res["next"]),
        pillars=tuple(PillarScore(p, v["score"], v["note"]) for p, v in d["pillars"].items()),
        architecture=d.get("architecture"),
        imported_from=None if imp is None else ImportedFrom(imp["path"], imp["format"], imp["unmapped"],
                                                            imp["status_as_written"], tuple(imp["renamed_from"])),
    )


def _revisions(items: Sequence[Mapping[str, Any]], path: str, version: int) -> tuple[Revision, ...]:
    """A file's revisions; a revision without ``fields`` has those of the one before
    (version 2 writes them only when they change; version 1 has none: readable, empty)."""
    out: list[Revision] = []
    fields: Mapping[str, Any] | None = {}
    for item in items:
        if "fields" in item:
            fields = item["fields"] if isinstance(item["fields"], Mapping) else None
        r = _revision(item, path, fields)
        if r is not None:
            out.append(r)
    return tuple(out)


def _revision(r: Mapping[str, Any], path: str, fields: Mapping[str, Any] | None) -> Revision | None:
    date = _time(r.get("date"))
    if date is None:
        return None
    committed = _time(r.get("committed")) or date
    changes = tuple(
        Change(str(c.get("kind", "")), str(c.get("field") or ""), _plain(c.get("old")), _plain(c.get("new")),
               str(c.get("unit") or ""))
        for c in r.get("changes") or () if isinstance(c, Mapping)
    )
    return Revision(
        commit=str(r.get("commit") or ""), date=date, committed=committed, author=str(r.get("author") or ""),
        subject=str(r.get("subject") or ""), path=str(r.get("path") or path), changes=changes,
        fields=fields,
        uncommitted=bool(r.get("uncommitted")), tags=tuple(str(t) for t in r.get("tags") or ()),
    )


def _plain(value: Any) -> Any:
    """A change's old or new value: a scalar as written, anything else as its JSON text
    (pages show it as text, escaped)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return json.dumps(value, ensure_ascii=False)[:200]


def _model(data: Mapping[str, Any], text: str, origin: str, version: int) -> tuple[ExportData, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    lines = {d["id"]: _position(text, ["decisions", i]) for i, d in enumerate(data["decisions"])}
    decisions: list[Decision] = []
    seen: dict[str, str] = {}
    slugs: set[tuple[str, str]] = set()
    for raw in data["decisions"]:
        at = lines[raw["id"]]
        d = _decision(raw)
        problem = None
        if not SAFE_NAME.match(d.workload) or d.workload.startswith("."):
            problem = f"the workload name {d.workload[:60]!r} cannot name a folder (letters, digits, '-', '_', '.')"
        elif not SAFE_NAME.match(d.slug) or d.slug.startswith(".") or "/" in d.slug:
            problem = f"the file name {d.slug[:60]!r} cannot name a page (letters, digits, '-', '_', '.')"
        elif d.id in seen:
            problem = f"the id {d.id} is given twice (also to {seen[d.id]})"
        elif (d.workload.casefold(), d.slug.casefold()) in slugs:
            problem = f"two decisions of workload {d.workload!r} have the file name {d.slug!r}"
        if problem:
            diags.append(warning(origin, *at, f"decision {d.id[:60]} left out: {problem}", "portal-decision"))
            continue
        seen[d.id] = d.path
        slugs.add((d.workload.casefold(), d.slug.casefold()))
        decisions.append(d)
    known = {d.id for d in decisions}
    # References to a decision left out (or never exported) would link to nothing.
    fixed = []
    for d in decisions:
        drop = [i for i in (*d.supersedes, *d.superseded_by) if i not in known]
        nxt = d.result.next if d.result else ""
        if drop or (nxt and nxt not in known):
            d = replace(d, supersedes=tuple(i for i in d.supersedes if i in known),
                        superseded_by=tuple(i for i in d.superseded_by if i in known),
                        result=replace(d.result, next="") if d.result and nxt and nxt not in known else d.result)
        fixed.append(d)
    lens = _lens(data["lens"])
    catalog = Catalog(tuple(sorted(fixed, key=lambda d: (d.workload, d.date, d.id))), lens)

    files: dict[str, FileHistory] = {}
    has_history = False
    for raw in data["decisions"]:
        if raw["id"] not in known:
            continue
        revisions = _revisions(raw["history"], raw["path"], version)
        has_history = has_history or bool(revisions)
        files[norm_path(raw["path"])] = FileHistory(norm_path(raw["path"]), revisions)
    repo = data.get("repository") or {}
    reason = data.get("history_reason") if version >= 2 else (None if has_history else "The export carries no git history.")
    milestones = tuple(
        Milestone(m["tag"], m["commit"], t, tuple(m["paths"]))
        for m in data.get("milestones") or () if (t := _time(m["date"])) is not None
    )
    history = History(files=files, milestones=milestones, reason=reason)
    diagrams = {}
    edit_urls = {}
    for raw in data["decisions"]:
        if raw["id"] not in known:
            continue
        path = raw.get("diagram")
        if path:
            if SAFE_RELATIVE.match(path):
                diagrams[raw["id"]] = path
            else:
                diags.append(warning(origin, *lines[raw["id"]], f"decision {raw['id']}: the diagram path {path[:80]!r} "
                                     "is not a relative path below the export; shown without its diagram", "portal-decision"))
        if isinstance(raw.get("edit_url"), str) and SAFE_URL.match(raw["edit_url"]):
            edit_urls[raw["id"]] = raw["edit_url"]

    def link(key: str) -> str | None:
        value = repo.get(key)
        return value if isinstance(value, str) and SAFE_URL.match(value.replace("{sha}", "0")) else None

    repository = Repository(name=str(repo.get("name") or ""), site_url=link("site_url"), repo_url=link("repo_url"),
                            commit_url=link("commit_url"))
    return ExportData(catalog, history, repository, dt.date.fromisoformat(data["today"]), data["default_review_days"],
                      diagrams, edit_urls, version), diags
