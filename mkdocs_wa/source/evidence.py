"""Evidence files: what ``mkdocs-wa measure`` recorded, one JSON object per line.

A decision's evidence lives beside its file, in ``evidence/<ID>.jsonl`` of the same
folder (``decisions/chat/0003-split.yaml`` -> ``decisions/chat/evidence/CHAT-0003.jsonl``).
The decision loader reads only ``*.yaml``/``*.yml`` files, so it never takes an evidence
file for a decision. Files are append-only: ``measure`` adds lines at the end and never
rewrites a line, so a pull request shows exactly the new measurements, and two branches
that both measured merge without conflict with ``merge=union`` in ``.gitattributes``.

A line::

    {"time": "2026-12-02T18:00:00Z", "metric": "Chat response time", "value": 0.82,
     "unit": "s", "kind": "prometheus", "query": "histogram_quantile(...)",
     "source": "http://prometheus:9090"}

``time`` is when the value holds (``measure --at``), UTC. ``source`` never holds
credentials (user and password are removed from URLs before they are written).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from mkdocs_wa.diagnostics import Diagnostic, did_you_mean, error, warning
from mkdocs_wa.model import Decision, Evidence

#: Evidence files above this size are refused (a year of daily runs of 5 metrics is ~400 kB).
MAX_BYTES = 20_000_000
FOLDER = "evidence"
SUFFIX = ".jsonl"
_FIELDS = ("time", "metric", "value", "unit", "kind", "query", "source")


def evidence_file(decision_file: Path, decision_id: str) -> Path:
    """Where the evidence of the decision in ``decision_file`` lives."""
    return decision_file.parent / FOLDER / f"{decision_id}{SUFFIX}"


def parse_time(text: str) -> dt.datetime:
    """An ISO 8601 date or time; a time without zone is UTC. ValueError when it is not one."""
    value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def format_time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def to_line(e: Evidence) -> str:
    data = {"time": format_time(e.time), "metric": e.metric, "value": e.value, "unit": e.unit,
            "kind": e.kind, "query": e.query, "source": e.source}
    return json.dumps(data, ensure_ascii=False, sort_keys=False) + "\n"


def parse_evidence(raw: bytes, name: str) -> tuple[list[Evidence], list[Diagnostic]]:
    """Every valid line of an evidence file; a problem per invalid one (that line is skipped)."""
    records: list[Evidence] = []
    diags: list[Diagnostic] = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [], [error(name, 1, 1, f"evidence file is not UTF-8 text ({exc.reason} at byte {exc.start})", "evidence")]
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue

        def bad(message: str, col: int = 1) -> None:
            diags.append(error(name, number, col, message + " (this line is skipped)", "evidence"))  # noqa: B023 - called within this iteration

        try:
            data = json.loads(line, parse_constant=lambda c: float("nan"))
        except json.JSONDecodeError as exc:
            bad(f"not a JSON object: {exc.msg}", exc.colno)
            continue
        except RecursionError:
            bad("not an evidence record: nested too deeply")
            continue
        except ValueError as exc:  # an integer of thousands of digits
            bad(f"not an evidence record: {exc}")
            continue
        if not isinstance(data, dict):
            bad("not a JSON object: an evidence line is {\"time\": ..., \"metric\": ..., \"value\": ..., \"unit\": ...}")
            continue
        missing = [k for k in ("time", "metric", "value") if k not in data]
        if missing:
            bad("evidence record without " + ", ".join(f"'{k}'" for k in missing))
            continue
        value = data["value"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not _finite(value):
            bad(f"'value' is {json.dumps(value)[:40]}, not a finite number")
            continue
        texts = {k: data.get(k, "") for k in ("metric", "unit", "kind", "query", "source", "time")}
        wrong = [k for k, v in texts.items() if not isinstance(v, str)]
        if wrong:
            bad(f"'{wrong[0]}' is not a string")
            continue
        try:
            time = parse_time(texts["time"])
        except ValueError:
            bad(f"'time' is '{texts['time'][:40]}', not an ISO 8601 time such as 2026-12-02T18:00:00Z")
            continue
        records.append(
            Evidence(texts["metric"], float(value), texts["unit"], time, texts["kind"], texts["query"], texts["source"], name, number)
        )
    return records, diags


def _finite(value: int | float) -> bool:
    try:
        return math.isfinite(float(value))
    except OverflowError:  # an integer too large for a float
        return False


def attach(decision: Decision, records: Iterable[Evidence]) -> tuple[Decision, list[Diagnostic]]:
    """The decision with each metric's evidence (oldest first); a warning for a record of
    a metric the hypothesis does not have."""
    metrics = decision.hypothesis.metrics if decision.hypothesis else ()
    names = [m.name for m in metrics]
    by_metric: dict[str, list[Evidence]] = {}
    diags: list[Diagnostic] = []
    for e in records:
        if e.metric not in names:
            diags.append(
                warning(e.path, e.line, 1, f"evidence for '{e.metric}', which is not a metric of {decision.id}"
                        f"{did_you_mean(e.metric, names)}; the record is not used", "evidence")
            )
            continue
        by_metric.setdefault(e.metric, []).append(e)
    if not by_metric or decision.hypothesis is None:
        return decision, diags
    new = tuple(
        replace(m, evidence=tuple(sorted(by_metric[m.name], key=lambda e: (e.time, e.line)))) if m.name in by_metric else m
        for m in metrics
    )
    return replace(decision, hypothesis=replace(decision.hypothesis, metrics=new)), diags


def read_evidence(file: Path, name: str) -> tuple[bytes | None, list[Diagnostic]]:
    """The bytes of an evidence file (None when there is none), refusing links and big files."""
    if not os.path.lexists(file):
        return None, []
    if file.is_symlink() or file.parent.is_symlink() or not file.is_file():
        return None, [error(name, 0, 0, "evidence file is a symbolic link or not a regular file; refused", "evidence")]
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            return None, [error(name, 1, 1, f"evidence file is {size:,} bytes; the limit is {MAX_BYTES:,}", "evidence")]
        return file.read_bytes(), []
    except OSError as exc:
        return None, [error(name, 0, 0, f"cannot read evidence file: {exc.strerror or exc}", "evidence")]


def append(file: Path, records: Iterable[Evidence]) -> int:
    """Add records at the end of an evidence file (made with its folder when missing);
    never rewrites a line. Returns the number of records written."""
    lines = [to_line(e) for e in records]
    if not lines:
        return 0
    if file.is_symlink() or file.parent.is_symlink():
        raise OSError(f"{file} is (or is in) a symbolic link; refused")
    file.parent.mkdir(parents=True, exist_ok=True)
    with open(file, "a+b") as fh:
        fh.seek(0, os.SEEK_END)
        if fh.tell():
            fh.seek(-1, os.SEEK_END)
            if fh.read(1) != b"\n":
                fh.write(b"\n")
        fh.write("".join(lines).encode("utf-8"))
    return len(lines)
