"""From YAML documents to :class:`~mkdocs_wa.model.Decision` objects, with every problem.

Two passes, both pure: :func:`build_decision` checks one document (schema, dates, lens
ids, metric targets); :func:`cross_check` checks the set (duplicate ids, dangling
references, supersede cycles, statuses that disagree) and derives ``superseded_by``.
:func:`load_catalog` runs discovery, loading and both passes over a decisions tree.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mkdocs_wa.diagnostics import Diagnostic, did_you_mean, error, sort_key, warning
from mkdocs_wa.layout import page_collisions
from mkdocs_wa.memo import NO_MEMO, Memo
from mkdocs_wa.model import (
    STATUSES,
    Catalog,
    Decision,
    Hypothesis,
    ImportedFrom,
    Lens,
    Measure,
    Metric,
    Option,
    PillarScore,
    Result,
    TextSection,
    imported_path_problem,
)
from mkdocs_wa.source.evidence import attach, evidence_file, parse_evidence, read_evidence
from mkdocs_wa.source.load import Document, parse_bytes, parse_date, read_file
from mkdocs_wa.source.measure_checks import check_measure
from mkdocs_wa.source.names import PLACEHOLDERS, file_number, split_id
from mkdocs_wa.source.schema import check
from mkdocs_wa.source.verdicts import check_metric

WORKLOAD = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # as the schema's 'workload' (and pillar ids)
DATE_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$")  # as the schema's date pattern
MIN_YEAR, MAX_YEAR = 1900, 2999
FILE_NAME = re.compile(r"^(?P<number>\d+)-(?P<slug>[a-z0-9][a-z0-9-]*)\.ya?ml$")


# --- discovery ------------------------------------------------------------------------


def discover(paths: Sequence[Path], display: Any = None) -> tuple[list[tuple[Path, Path]], list[Diagnostic]]:
    """Decision files under ``paths`` as (file, the root its workload folder is under).

    Folders are searched recursively for ``*.yaml``/``*.yml``; hidden folders are
    skipped. A symbolic link that leads out of its root is refused: a decisions tree
    must not make the build read files elsewhere on the machine. ``display`` names files
    in diagnostics, as in :func:`load_catalog`. A file named on its own
    (``decisions/w/0002-x.yaml``) takes its workload from its folder, as when the
    whole tree is read; a file named twice is read once.
    """
    show = display or _display
    found: list[tuple[Path, Path]] = []
    diags: list[Diagnostic] = []
    seen: set[Path] = set()

    def add(file: Path, root: Path) -> None:
        if (key := Path(os.path.abspath(file))) not in seen:
            seen.add(key)
            found.append((file, root))

    for path in paths:
        if not path.exists():
            diags.append(error(str(path), 0, 0, "no such file or folder", "file"))
            continue
        if not path.is_dir():
            # its folder names the workload, unless that folder is the decisions tree itself
            add(path, path.parent if path.parent.name == "decisions" else path.parent.parent)
            continue
        root = path.resolve()
        for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            here = Path(dirpath)
            # A folder named like a decision file is reported, not walked into silently;
            # so is a symbolic link to a folder, which is never followed.
            for d in dirnames:
                if (here / d).is_symlink():
                    diags.append(
                        warning(show(here / d), 0, 0, "symbolic link to a folder: not followed, its decisions are not read", "file")
                    )
                elif d.endswith((".yaml", ".yml")):
                    add(here / d, path)
            for name in sorted(filenames):
                if not name.endswith((".yaml", ".yml")) or name.startswith("."):
                    continue
                file = here / name
                if file.is_symlink():
                    try:
                        target = file.resolve(strict=True)
                    except (OSError, RuntimeError):  # a loop, or a link to nothing
                        diags.append(error(show(file), 0, 0, "symbolic link that leads nowhere (a loop or a missing file)", "file"))
                        continue
                    if not target.is_relative_to(root):
                        diags.append(
                            error(show(file), 0, 0, f"symbolic link leads out of {path}/ (to {target}); refused", "file")
                        )
                        continue
                add(file, path)
    return found, diags


def _display(path: Path) -> str:
    """A path as users see it: relative to the working directory when it is inside it."""
    # abspath, not resolve: a symbolic link is shown under its own name, not its target's
    try:
        return Path(os.path.abspath(path)).relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# --- one document ---------------------------------------------------------------------


def _tuple(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if value else ()


def build_decision(doc: Document, lens: Lens, workload_from_folder: str | None) -> tuple[Decision | None, list[Diagnostic]]:
    """Check one parsed file and build its :class:`Decision`."""
    data, diags = check(doc)
    if isinstance(doc.data, dict):
        diags += _consistency_checks(doc)
    if data is None:
        if isinstance(doc.data, dict):  # one run reports everything: what is checkable still is
            diags += _lenient_checks(doc, lens)
        return None, diags
    path = doc.path

    def at(p: tuple[str | int, ...], message: str, *, key: bool = False, warn: bool = False) -> None:
        pos = doc.position(p, key=key)
        make = warning if warn else error
        diags.append(make(path, pos.line, pos.col, message, "decision"))

    def date(p: tuple[str | int, ...]) -> dt.date | None:
        node: Any = data
        for part in p:
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        value = parse_date(node)
        if value is None:
            at(p, f"'{str(node)[:40]}' is not a calendar date (YYYY-MM-DD)")
        elif not MIN_YEAR <= value.year <= MAX_YEAR:
            # dates are added to and compared (due dates, charts): keep them in range
            at(p, f"'{value.isoformat()}' is not a plausible date (years {MIN_YEAR} to {MAX_YEAR})")
            return None
        return value

    decided = date(("date",))
    review_by = date(("hypothesis", "review_by"))
    measured_on = date(("result", "measured_on"))

    workload = data.get("workload") or workload_from_folder
    if not workload:
        at((), "put the file in decisions/<workload>/ or set 'workload'")
    elif not data.get("workload") and not WORKLOAD.match(workload):
        # the schema checks a written 'workload'; a folder name becomes URLs just the same
        at((), f"the folder name '{workload}' is not a workload id (lower-case letters, digits and '-'): "
               "rename the folder or set 'workload'")

    for name in data.get("pillars", {}) or {}:
        if name not in lens.pillar_ids:
            at(("pillars", name), f"'{name}' is not a pillar of the {_lens_name(lens)}{did_you_mean(name, lens.pillar_ids)}", key=True)
    for i, name in enumerate(data.get("principles", []) or []):
        if name not in lens.principle_ids:
            at(("principles", i), f"'{name}' is not a design principle of the {_lens_name(lens)}{did_you_mean(name, lens.principle_ids)}")

    hyp = data.get("hypothesis")
    metrics: list[Metric] = []
    if hyp:
        seen: set[str] = set()
        for i, m in enumerate(hyp.get("metrics", []) or []):
            metric = Metric(
                name=m["name"],
                target=m["target"],
                unit=m.get("unit", ""),
                baseline=m.get("baseline"),
                observed=m.get("observed"),
                source=m.get("source", ""),
                measure=Measure(*next(iter(m["measure"].items()))) if m.get("measure") else None,
            )
            if metric.name in seen:
                at(("hypothesis", "metrics", i, "name"), f"metric '{metric.name}' is listed twice in this hypothesis")
            seen.add(metric.name)
            for fieldname, message in check_metric(metric):
                at(("hypothesis", "metrics", i, fieldname), message)
            if metric.measure is not None:
                for sub, message in check_measure(metric):
                    at(("hypothesis", "metrics", i, "measure", metric.measure.kind, *sub), message, key=bool(sub) and sub[0] not in ("unit", "statistic"))
            metrics.append(metric)

    imported = data.get("imported_from")
    if isinstance(imported, dict) and isinstance(imported.get("path"), str):
        if problem := imported_path_problem(imported["path"], path, workload_from_folder):
            at(("imported_from", "path"), problem + "; its history is not read", warn=True)

    if any(d.is_error for d in diags) or decided is None or not workload:
        return None, diags

    res = data.get("result")
    imp = data.get("imported_from")
    decision = Decision(
        id=data["id"],
        title=data["title"],
        status=data["status"],
        date=decided,
        workload=workload,
        path=path,
        deciders=_tuple(data.get("deciders")),
        tags=_tuple(data.get("tags")),
        supersedes=_tuple(data.get("supersedes")),
        context=data.get("context", ""),
        decision=data.get("decision", ""),
        consequences=data.get("consequences", ""),
        sections=tuple(
            TextSection(x.get("heading", ""), x.get("body", ""), x.get("after", "consequences")) for x in data.get("sections") or ()
        ),
        options=tuple(
            Option(o["name"], bool(o.get("chosen", False)), o.get("description", ""), _tuple(o.get("pros")), _tuple(o.get("cons")))
            for o in data.get("options") or ()
        ),
        principles=_tuple(data.get("principles")),
        hypothesis=Hypothesis(hyp["statement"], tuple(metrics), review_by) if hyp else None,
        result=Result(res["outcome"], measured_on, res.get("summary", ""), res.get("learned", ""), res.get("next", ""))
        if res
        else None,
        pillars=tuple(
            PillarScore(name, v["score"], v.get("note", ""))
            for name, v in sorted((data.get("pillars") or {}).items(), key=lambda kv: _order(lens, kv[0]))
        ),
        architecture=data.get("architecture"),
        imported_from=ImportedFrom(
            imp["path"], imp.get("format", ""), imp.get("unmapped", ""), imp.get("status_as_written"),
            _tuple(imp.get("renamed_from")),
        ) if imp else None,
        source=doc,
    )
    return decision, diags


def _lens_name(lens: Lens) -> str:
    """'the AWS Well-Architected Framework lens', but not 'the Team lens lens'."""
    return lens.name if lens.name.lower().endswith("lens") else f"{lens.name} lens"


def _lenient_checks(doc: Document, lens: Lens) -> list[Diagnostic]:
    """Date and lens checks on a file that failed its schema, on the values that have the
    right shape (the schema has already reported the others)."""
    data: dict = doc.data
    out: list[Diagnostic] = []

    def at(p: tuple[str | int, ...], message: str, *, key: bool = False) -> None:
        pos = doc.position(p, key=key)
        out.append(error(doc.path, pos.line, pos.col, message, "decision"))

    for p in (("date",), ("hypothesis", "review_by"), ("result", "measured_on")):
        parent = data if len(p) == 1 else data.get(p[0])
        value = parent.get(p[-1]) if isinstance(parent, dict) else None
        if isinstance(value, str) and DATE_SHAPE.match(value) and parse_date(value) is None:
            at(p, f"'{value}' is not a calendar date (YYYY-MM-DD)")
    pillars = data.get("pillars")
    pillars = pillars if isinstance(pillars, dict) else {}
    for name in pillars:
        if name in ("score", "note") and not isinstance(pillars[name], dict):
            continue  # a pillar's keys indented like pillars: the schema says so
        if isinstance(name, str) and WORKLOAD.match(name) and name not in lens.pillar_ids:
            at(("pillars", name), f"'{name}' is not a pillar of the {_lens_name(lens)}{did_you_mean(name, lens.pillar_ids)}", key=True)
    principles = data.get("principles")
    for i, name in enumerate(principles if isinstance(principles, list) else ()):
        if isinstance(name, str) and WORKLOAD.match(name) and name not in lens.principle_ids:
            at(("principles", i), f"'{name}' is not a design principle of the {_lens_name(lens)}{did_you_mean(name, lens.principle_ids)}")
    hyp = data.get("hypothesis")
    metrics = hyp.get("metrics") if isinstance(hyp, dict) else None
    for i, m in enumerate(metrics if isinstance(metrics, list) else ()):
        if not isinstance(m, dict) or not isinstance(m.get("name"), str):
            continue
        values = (m.get("target"), m.get("observed"))
        if not all(v is None or (isinstance(v, (str, int, float)) and not isinstance(v, bool)) for v in values):
            continue
        if m.get("target") is None or not isinstance(m.get("unit", ""), str):
            continue
        metric = Metric(name=m["name"], target=m["target"], unit=m.get("unit", ""), observed=m.get("observed"))
        for fieldname, message in check_metric(metric):
            at(("hypothesis", "metrics", i, fieldname), message)
    return out


def _consistency_checks(doc: Document) -> list[Diagnostic]:
    """Checks between the fields of one file, on whatever has the right shape (so they
    also run on a file that fails its schema): ``review_by`` before ``date`` (error),
    an id whose number differs from its file's (warning), the template's placeholder
    text left in a decision that is no longer ``proposed`` (warning)."""
    data: dict = doc.data
    out: list[Diagnostic] = []

    def at(p: tuple[str | int, ...], message: str, make: Any = error) -> None:
        pos = doc.position(p)
        out.append(make(doc.path, pos.line, pos.col, message, "decision"))

    hyp = data.get("hypothesis")
    decided = parse_date(data.get("date"))
    review_by = parse_date(hyp.get("review_by")) if isinstance(hyp, dict) else None
    if decided and review_by and review_by < decided:
        at(
            ("hypothesis", "review_by"),
            f"review_by {review_by.isoformat()} is before the decision's date {decided.isoformat()}: "
            "the result cannot be due before the decision is made",
        )

    ident = data.get("id")
    name = doc.path.replace("\\", "/").rsplit("/", 1)[-1]
    parts = split_id(ident) if isinstance(ident, str) else None
    number = file_number(name) if FILE_NAME.match(name) else None
    if parts and number is not None and parts[1] != number:
        at(
            ("id",),
            f"id '{ident}' has the number {parts[1]} but its file name has {number:04d} ({name}): make them agree "
            f"(`mkdocs-wa renumber {ident} {parts[0]}-{number:04d}`, or rename the file)",
            warning,
        )

    status = data.get("status")
    if isinstance(status, str) and status in STATUSES and status != "proposed":
        for p, text in PLACEHOLDERS.items():
            parent = data if len(p) == 1 else data.get(p[0])
            value = parent.get(p[-1]) if isinstance(parent, dict) else None
            if isinstance(value, str) and text in value:
                pos = doc.position(p)
                line, col = pos.line, pos.col
                lines = doc.text.split("\n")
                for n in range(pos.line - 1, min(len(lines), pos.line + 200)):  # the text's own line
                    if (found := lines[n].find(text)) >= 0:
                        line, col = n + 1, found + 1
                        break
                shown = text if len(text) <= 40 else text[:40] + "..."
                out.append(
                    warning(
                        doc.path,
                        line,
                        col,
                        f"{'.'.join(p)} still holds the template's placeholder '{shown}' but the status is "
                        f"'{status}': write it, or keep the status 'proposed' until it is written",
                        "decision",
                    )
                )
    return out


def _order(lens: Lens, pillar: str) -> int:
    ids = lens.pillar_ids
    return ids.index(pillar) if pillar in ids else len(ids)


# --- the set of decisions -------------------------------------------------------------


def _at(d: Decision, p: tuple[str | int, ...], *, key: bool = False) -> tuple[int, int]:
    if d.source is None:
        return 0, 0
    pos = d.source.position(p, key=key)
    return pos.line, pos.col


def next_free_number(decisions: Iterable[Decision], workload: str) -> int:
    numbers = [int(m["number"]) for d in decisions if d.workload == workload and (m := FILE_NAME.match(d.slug + ".yaml"))]
    return max(numbers, default=0) + 1


@dataclass(frozen=True)
class Partial:
    """What the cross-checks can still use of a file that failed its own checks: its id
    and its references, so one run reports its unknown ``supersedes`` too, and a
    reference to it elsewhere is not "unknown"."""

    id: str
    path: str
    #: (index in the list, id) of each ``supersedes`` entry that is text.
    supersedes: tuple[tuple[int, str], ...] = ()
    next: str | None = None
    source: Document | None = field(default=None, compare=False, repr=False)

    def at(self, p: tuple[str | int, ...], *, key: bool = False) -> tuple[int, int]:
        if self.source is None:
            return 0, 0
        pos = self.source.position(p, key=key)
        return pos.line, pos.col

    @classmethod
    def of(cls, doc: Document) -> Partial | None:
        data = doc.data
        if not isinstance(data, dict) or not isinstance(data.get("id"), str):
            return None
        olds = data.get("supersedes")
        res = data.get("result")
        nxt = res.get("next") if isinstance(res, dict) else None
        return cls(
            data["id"],
            doc.path,
            tuple((i, o) for i, o in enumerate(olds) if isinstance(o, str)) if isinstance(olds, list) else (),
            nxt if isinstance(nxt, str) and nxt else None,
            doc,
        )


def cross_check(
    decisions: Sequence[Decision], broken: Sequence[Partial] = ()
) -> tuple[list[Decision], list[Diagnostic]]:
    """Checks across files; returns the decisions with ``superseded_by`` filled in.

    ``broken`` holds what is known of the files that failed their own checks: a
    reference to them is not "unknown", what they supersede is not orphaned (one broken
    file does not cause errors in the files around it), and their own references and
    ids are checked like the others' (one run reports every problem).
    """
    diags: list[Diagnostic] = []
    by_id: dict[str, Decision] = {}
    for d in decisions:
        if d.id in by_id:
            first = by_id[d.id]
            line, col = _at(d, ("id",))
            free = next_free_number(decisions, d.workload)
            diags.append(
                error(
                    d.path,
                    line,
                    col,
                    f"duplicate id '{d.id}': {first.path} uses it too (two branches picked the same number? "
                    f"renumber this one, e.g. to {free:04d}, and change its id and file name)",
                    "cross",
                )
            )
        else:
            by_id[d.id] = d
    partial_ids: dict[str, str] = {}
    for b in broken:
        first_path = by_id[b.id].path if b.id in by_id else partial_ids.get(b.id)
        if first_path is not None:
            line, col = b.at(("id",))
            diags.append(error(b.path, line, col, f"duplicate id '{b.id}': {first_path} uses it too", "cross"))
        partial_ids.setdefault(b.id, b.path)
    known = list(by_id)  # suggested for an unknown id: the ids of the files that load
    for b in broken:
        for i, old in b.supersedes:
            line, col = b.at(("supersedes", i))
            if old == b.id:
                diags.append(error(b.path, line, col, f"'{b.id}' cannot supersede itself", "cross"))
            elif old not in by_id and old not in partial_ids:
                diags.append(error(b.path, line, col, f"supersedes unknown decision '{old}'{did_you_mean(old, known)}", "cross"))
        if b.next and b.next not in by_id and b.next not in partial_ids:
            line, col = b.at(("result", "next"))
            diags.append(error(b.path, line, col, f"result.next names unknown decision '{b.next}'{did_you_mean(b.next, known)}", "cross"))
    broken_map: dict[str, tuple[str, ...]] = {}
    for b in broken:  # the first file of an id wins, as for the decisions
        if b.id not in by_id:
            broken_map.setdefault(b.id, tuple(o for _, o in b.supersedes))
    ids = known

    superseded_by: dict[str, list[str]] = {}
    for d in by_id.values():
        for i, old in enumerate(d.supersedes):
            line, col = _at(d, ("supersedes", i))
            if old in broken_map and old not in by_id:
                continue
            if old not in by_id:
                diags.append(error(d.path, line, col, f"supersedes unknown decision '{old}'{did_you_mean(old, ids)}", "cross"))
            elif old == d.id:
                diags.append(error(d.path, line, col, f"'{d.id}' cannot supersede itself", "cross"))
            else:
                superseded_by.setdefault(old, []).append(d.id)
        if d.result and d.result.next:
            line, col = _at(d, ("result", "next"))
            if d.result.next not in by_id and d.result.next not in broken_map:
                diags.append(
                    error(d.path, line, col, f"result.next names unknown decision '{d.result.next}'{did_you_mean(d.result.next, ids)}", "cross")
                )
        if d.result and d.status == "proposed":
            line, col = _at(d, ("result",), key=True)
            diags.append(
                warning(d.path, line, col, "has a result but is still 'proposed': was it accepted (or rejected)?", "cross")
            )

    diags.extend(_cycles(by_id))

    for d in by_id.values():
        replacing = superseded_by.get(d.id, []) + [b for b, olds in broken_map.items() if d.id in olds]
        if d.status == "superseded" and not replacing:
            line, col = _at(d, ("status",))
            diags.append(
                error(d.path, line, col, f"status is 'superseded' but no decision lists '{d.id}' in its 'supersedes'", "cross")
            )
        elif replacing and d.status not in ("superseded", "deprecated"):
            line, col = _at(d, ("status",))
            diags.append(
                warning(
                    d.path, line, col, f"is superseded by {', '.join(replacing)} but its status is '{d.status}' (set it to 'superseded')", "cross"
                )
            )
    out = [replace(d, superseded_by=tuple(sorted(superseded_by.get(d.id, ())))) if d.id in superseded_by else d for d in decisions]
    return out, diags


def _cycles(by_id: dict[str, Decision]) -> list[Diagnostic]:
    """One diagnostic per supersede cycle (A supersedes B supersedes ... A)."""
    diags: list[Diagnostic] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    reported: set[frozenset[str]] = set()
    for start in sorted(by_id):
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            node, i = stack.pop()
            if i == 0:
                state[node] = 1
                path.append(node)
            edges = [e for e in by_id[node].supersedes if e in by_id and e != node]
            if i < len(edges):
                stack.append((node, i + 1))
                nxt = edges[i]
                if state.get(nxt) == 1:
                    cycle = path[path.index(nxt) :]
                    key = frozenset(cycle)
                    if key not in reported:
                        reported.add(key)
                        d = by_id[cycle[0]]
                        line, col = _at(d, ("supersedes",), key=True)
                        chain = " -> ".join(cycle + [cycle[0]])
                        diags.append(error(d.path, line, col, f"supersede cycle: {chain}", "cross"))
                elif not state.get(nxt):
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                path.pop()
    return diags


def workload_of(file: Path, root: Path) -> str | None:
    """The first folder under the decisions root, or None for a file directly in it."""
    try:
        rel = Path(os.path.abspath(file)).relative_to(os.path.abspath(root))
    except ValueError:
        return None
    return rel.parts[0] if len(rel.parts) > 1 else None


def load_catalog(
    paths: Sequence[Path], lens: Lens, *, display: Any = None, memo: Memo = NO_MEMO
) -> tuple[Catalog, list[Diagnostic]]:
    """Discover, load and check every decision under ``paths``, in one pass.

    ``display`` turns a file path into the path shown in diagnostics (default: relative
    to the working directory). With a ``memo`` (``mkdocs serve``), a file unchanged since
    the last build is not read again: its decision and problems are reused.
    """
    show = display or _display
    files, diags = discover(paths, show)
    decisions: list[Decision] = []
    broken: list[Partial] = []  # what is known of the files that failed their checks
    for file, root in files:
        name, workload = show(file), workload_of(file, root)
        raw, problems = read_file(file, name)
        if raw is None:
            diags.extend(problems)
            continue
        # keyed by the content itself: no clock or file system can make it stale
        key = ("decision", hashlib.blake2b(raw, digest_size=20).digest(), name, workload, lens)
        loaded = memo.get(key, lambda: _load_one(raw, file, name, workload, lens))  # noqa: B023 - called within this iteration
        decision, problems, partial = loaded
        diags.extend(problems)
        if decision is not None:
            decision = _with_evidence(decision, file, show, diags, memo)
            decisions.append(decision)
        elif partial is not None:
            broken.append(partial)
    decisions.sort(key=lambda d: (d.workload, d.date, d.id))
    # Two pages with one URL: one would replace the other. Both sources are named and
    # the later file is left out (as an invalid one), so the build does not abort.
    clashes = page_collisions(sorted(decisions, key=lambda d: d.path))
    for d, message in clashes:
        diags.append(error(d.path, 1, 1, message, "url"))
        broken.append(Partial(d.id, d.path, tuple(enumerate(d.supersedes)), (d.result.next or None) if d.result else None))
    if clashes:
        dropped = {id(d) for d, _ in clashes}
        decisions = [d for d in decisions if id(d) not in dropped]
    checked, problems = cross_check(decisions, broken)
    # cross_check makes a new object for each superseded decision: keep the one of the
    # last build while nothing changed, so later stages can reuse its results.
    before = {d.path: d for d in decisions}
    checked = [
        d if before.get(d.path, d) is d else memo.of("superseded", (before[d.path],), d.superseded_by, functools.partial(_same, d))
        for d in checked
    ]
    decisions = checked
    diags.extend(problems)
    diags.sort(key=sort_key)
    return Catalog(tuple(decisions), lens), diags


def _with_evidence(decision: Decision, file: Path, show: Any, diags: list[Diagnostic], memo: Memo) -> Decision:
    """The decision with the measurements of its evidence file (see :mod:`mkdocs_wa.source.evidence`)."""
    ev_file = evidence_file(file, decision.id)
    if not os.path.lexists(ev_file):  # most decisions: one system call
        return decision
    name = show(ev_file)
    raw, problems = read_evidence(ev_file, name)
    diags.extend(problems)
    if raw is None:
        return decision

    def make() -> tuple[Decision, list[Diagnostic]]:
        records, found = parse_evidence(raw, name)
        decision_with, unknown = attach(decision, records)
        return decision_with, found + unknown

    key = (hashlib.blake2b(raw, digest_size=20).digest(), name)
    out, problems = memo.of("evidence", (decision,), key, make)
    diags.extend(problems)
    return out


def _load_one(
    raw: bytes, file: Path, name: str, workload: str | None, lens: Lens
) -> tuple[Decision | None, list[Diagnostic], Partial | None]:
    """One file: its decision (None if it fails its checks), its problems, and for a file
    that fails them but names an id, what the cross-checks can use of it."""
    doc, diags = parse_bytes(raw, name)
    if doc is None:
        return None, diags, None
    decision, problems = build_decision(doc, lens, workload)
    diags.extend(problems)
    if decision is None:
        return None, diags, Partial.of(doc)
    if not FILE_NAME.match(file.name):
        diags.append(warning(name, 1, 1, "file name should be NNNN-short-title.yaml (e.g. 0003-split-chat-from-video.yaml)", "file"))
    return decision, diags, None


def _same(decision: Decision) -> Decision:
    return decision
