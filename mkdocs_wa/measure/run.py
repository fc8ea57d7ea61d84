"""Measure many metrics: each source in turn, with a time limit, failures kept per metric."""

from __future__ import annotations

import importlib
import math
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mkdocs_wa.diagnostics import Diagnostic, error
from mkdocs_wa.measure.common import Context, Reading, SourceError, timeout_of
from mkdocs_wa.model import Catalog, Decision, Evidence, Metric
from mkdocs_wa.source.evidence import append, evidence_file, parse_evidence, read_evidence
from mkdocs_wa.source.verdicts import TargetError, to_metric_unit

#: Source kind -> module of this package with ``measure(spec, metric, ctx) -> Reading``.
KINDS = {"prometheus": "prometheus", "cloudwatch": "cloudwatch", "cost": "cost", "file": "files"}
#: Statuses whose metrics are measured: decisions still in force.
MEASURED_STATUSES = ("proposed", "accepted")


@dataclass(frozen=True)
class Target:
    """One metric to measure."""

    decision: Decision
    index: int
    metric: Metric
    #: The decision file on disk (its evidence goes beside it).
    file: Path


@dataclass(frozen=True)
class Outcome:
    target: Target
    evidence: Evidence | None = None
    problem: str = ""
    seconds: float = 0.0

    def diagnostic(self) -> Diagnostic:
        d, i = self.target.decision, self.target.index
        line, col = 0, 0
        if d.source is not None:
            pos = d.source.position(("hypothesis", "metrics", i, "measure"), key=True)
            line, col = pos.line, pos.col
        return error(d.path, line, col, f"{d.id} '{self.target.metric.name}': {self.problem}", "measure")


def targets(catalog: Catalog, ids: Sequence[str] = ()) -> list[Target]:
    """Metrics with a ``measure`` of decisions in force (or of the decisions named).
    Decision paths are taken as relative to the working directory (as the CLI shows them)."""
    out = []
    for d in catalog.decisions:
        if ids and d.id not in ids:
            continue
        if not ids and d.status not in MEASURED_STATUSES:
            continue
        for i, m in enumerate(d.hypothesis.metrics if d.hypothesis else ()):
            if m.measure is not None:
                out.append(Target(d, i, m, Path(d.path)))
    return out


def measure_one(target: Target, ctx: Context) -> Outcome:
    """Run one source within its time limit; never raises for a source's failure."""
    m = target.metric
    assert m.measure is not None
    kind = m.measure.kind
    spec = dict(m.measure.spec)
    limit = timeout_of(spec, ctx)
    box: dict[str, object] = {}

    def work() -> None:
        try:
            module = importlib.import_module(f".{KINDS[kind]}", __package__)
            box["reading"] = module.measure(spec, m, ctx)
        except SourceError as exc:
            box["problem"] = str(exc)
        except Exception as exc:  # a bug or an unexpected library error: still one metric's problem
            box["problem"] = f"unexpected {type(exc).__name__}: {exc}"

    started = time.monotonic()
    worker = threading.Thread(target=work, name=f"measure {target.decision.id}", daemon=True)
    worker.start()
    # a little more than the source's own limit, so its clearer message wins when it has one
    worker.join(limit + 2)
    seconds = time.monotonic() - started
    if worker.is_alive():
        return Outcome(target, problem=f"{m.measure.kind} source gave no value within {limit:g} s", seconds=seconds)
    if "problem" in box:
        return Outcome(target, problem=str(box["problem"]), seconds=seconds)
    reading = box["reading"]
    assert isinstance(reading, Reading)
    try:
        value = to_metric_unit(reading.value, reading.unit, m.unit)
    except TargetError as exc:
        return Outcome(target, problem=f"wrong unit: the source gives '{reading.unit}', the metric is in '{m.unit}' ({exc})", seconds=seconds)
    if not math.isfinite(value):
        return Outcome(target, problem=f"the value {value} is not a measurement", seconds=seconds)
    ev = Evidence(m.name, value, m.unit, ctx.at, m.measure.kind, reading.query, reading.source)
    return Outcome(target, ev, seconds=seconds)


def measure_all(
    items: Iterable[Target], ctx: Context, progress: Callable[[int, int, Target, Outcome | None], None] | None = None
) -> list[Outcome]:
    items = list(items)
    out = []
    for n, t in enumerate(items, 1):
        if progress:
            progress(n, len(items), t, None)
        outcome = measure_one(t, ctx)
        if progress:
            progress(n, len(items), t, outcome)
        out.append(outcome)
    return out


def _key(e: Evidence) -> tuple:
    return (e.metric, e.time, e.value, e.unit, e.kind, e.query, e.source)


def record(outcomes: Iterable[Outcome]) -> dict[Path, int]:
    """Append each measured value to its decision's evidence file; file -> records written.

    A record the file already has (the same metric, time, value, query and source: a
    run repeated with the same ``--at``) is not written again."""
    by_file: dict[Path, list[Evidence]] = {}
    for o in outcomes:
        if o.evidence is not None:
            by_file.setdefault(evidence_file(o.target.file, o.target.decision.id), []).append(o.evidence)
    out = {}
    for file, records in by_file.items():
        have = {_key(e) for e in _recorded(file)}
        out[file] = append(file, [e for e in records if _key(e) not in have])
    return out


def _recorded(file: Path) -> list[Evidence]:
    raw, _ = read_evidence(file, str(file))
    return parse_evidence(raw, str(file))[0] if raw is not None else []
