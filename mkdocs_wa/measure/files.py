"""``measure: {file: {path, format, ...}}``: a report file kept in the repository.

Formats:

- ``locust``: Locust's ``--csv`` stats file (``<prefix>_stats.csv``); the ``column``
  (default ``95%``) of the row whose ``Name`` is ``row`` (default ``Aggregated``).
  Response-time columns are in ms, ``Requests/s`` in 1/s.
- ``k6``: k6's JSON summary, from ``--summary-export`` (``metrics.<m>.<stat>``) or a
  ``handleSummary`` JSON (``metrics.<m>.values.<stat>``); ``metric`` (default
  ``http_req_duration``) and ``statistic`` (default ``p(95)``). Times are in ms, a rate
  metric's ``rate`` is a fraction.
- ``jmeter``: a JMeter JTL results file in CSV form (with its header line); the
  ``statistic`` (``mean``, ``median``, ``min``, ``max``, ``pNN``, ``error_rate``,
  ``throughput``; default ``p95``) of the ``elapsed`` times (ms) of every sample, or
  of those with ``label``.
- ``csv``: a plain CSV file with a header; ``column``, in the last row, or with
  ``time_column`` in the last row at or before ``--at``.
- ``json``: a JSON file; ``json_path`` such as ``results.latency.p95`` or ``runs[-1].value``.

``unit`` says the unit of the value when the format does not (csv, json).
"""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path
from statistics import fmean, median
from typing import Any

from mkdocs_wa.measure.common import Context, Reading, SourceError, project_file
from mkdocs_wa.model import Metric
from mkdocs_wa.source.evidence import parse_time

#: Files above this size are refused (a JTL of a long test can be large: stream it).
MAX_JSON_BYTES = 50_000_000
_LOCUST_UNITS = {"Request Count": "", "Failure Count": "", "# requests": "", "# failures": "",
                 "Requests/s": "1/s", "Failures/s": "1/s", "Average Content Size": "B"}


def measure(spec: dict[str, Any], metric: Metric, ctx: Context) -> Reading:
    file = project_file(spec["path"], ctx)
    fmt = spec["format"]
    try:
        value, unit, what = _READERS[fmt](file, spec, ctx)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise SourceError(f"cannot read {spec['path']}: {getattr(exc, 'strerror', None) or exc}") from None
    if not math.isfinite(value):
        raise SourceError(f"{spec['path']}: {what} is {value}, not a measurement")
    return Reading(value, spec.get("unit", unit), f"{fmt}: {what}", spec["path"])


def _number(text: Any, where: str) -> float:
    try:
        return float(str(text).replace(",", "")) if not isinstance(text, (int, float)) or isinstance(text, bool) else float(text)
    except ValueError:
        raise SourceError(f"{where} is '{str(text)[:40]}', not a number") from None


def _locust(file: Path, spec: dict[str, Any], ctx: Context) -> tuple[float, str, str]:
    column, name = spec.get("column", "95%"), spec.get("row", "Aggregated")
    with open(file, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        if "Name" not in header:
            raise SourceError(f"{spec['path']} is not a Locust stats CSV (no 'Name' column)")
        if column not in header:
            raise SourceError(f"{spec['path']} has no column '{column}'; it has {', '.join(header[2:])}")
        for row in reader:
            if row.get("Name") == name:
                if row[column] in ("N/A", ""):
                    raise SourceError(f"{spec['path']}: '{column}' of row '{name}' is {row[column] or 'empty'} (no requests?)")
                unit = _LOCUST_UNITS.get(column, "ms")
                return _number(row[column], f"'{column}' of row '{name}'"), unit, f"{column} of row {name}"
    raise SourceError(f"{spec['path']} has no row named '{name}'")


def _k6(file: Path, spec: dict[str, Any], ctx: Context) -> tuple[float, str, str]:
    data = _json(file, spec)
    name, stat = spec.get("metric", "http_req_duration"), spec.get("statistic", "p(95)")
    metrics = data.get("metrics") if isinstance(data, dict) else None
    if not isinstance(metrics, dict):
        raise SourceError(f"{spec['path']} is not a k6 JSON summary (no 'metrics')")
    m = metrics.get(name)
    if not isinstance(m, dict):
        raise SourceError(f"{spec['path']} has no k6 metric '{name}'; it has {', '.join(sorted(metrics))[:200]}")
    values: dict[str, Any] = m["values"] if isinstance(m.get("values"), dict) else m
    if stat not in values:
        stats = ", ".join(k for k in values if k not in ("type", "contains", "thresholds"))
        raise SourceError(f"{spec['path']}: k6 metric '{name}' has no statistic '{stat}'; it has {stats}")
    kind, contains = m.get("type"), m.get("contains")
    if stat in ("count", "passes", "fails"):
        unit = ""
    elif stat in ("rate", "value") and (kind == "rate" or (kind is None and ("passes" in values or "fails" in values))):
        unit = "dimensionless"  # a rate metric: the fraction of true values
    elif stat == "rate":
        unit = "B/s" if contains == "data" else "1/s"  # a counter per second
    elif contains == "data":
        unit = "B"
    elif contains == "time" or (contains is None and kind in ("trend", None) and (name.endswith("duration") or name.startswith("http_req_"))):
        unit = "ms"
    else:
        unit = ""
    return _number(values[stat], f"{name} {stat}"), unit, f"{name} {stat}"


_PERCENTILE = re.compile(r"^p(\d{1,2}(?:\.\d+)?)$")


def _jmeter(file: Path, spec: dict[str, Any], ctx: Context) -> tuple[float, str, str]:
    stat, label = spec.get("statistic", "p95"), spec.get("label")
    elapsed: list[float] = []
    failures = 0
    first, last = math.inf, -math.inf
    with open(file, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        if "elapsed" not in header or "timeStamp" not in header:
            raise SourceError(f"{spec['path']} is not a JMeter JTL in CSV form with a header (no 'timeStamp' and 'elapsed')")
        for line, row in enumerate(reader, 2):
            if label is not None and row.get("label") != label:
                continue
            ms = _number(row["elapsed"], f"line {line}: elapsed")
            elapsed.append(ms)
            start = _number(row["timeStamp"], f"line {line}: timeStamp")
            first, last = min(first, start), max(last, start + ms)
            failures += str(row.get("success", "true")).lower() != "true"
    what = f"{stat} of " + (f"samples labelled '{label}'" if label else "all samples")
    if not elapsed:
        raise SourceError(f"{spec['path']} has no samples" + (f" labelled '{label}'" if label else ""))
    if stat == "error_rate":
        return failures / len(elapsed), "dimensionless", what
    if stat == "throughput":
        seconds = (last - first) / 1000
        if seconds <= 0:
            raise SourceError(f"{spec['path']}: the samples span no time; throughput cannot be computed")
        return len(elapsed) / seconds, "1/s", what
    if stat == "mean":
        return fmean(elapsed), "ms", what
    if stat == "median":
        return median(elapsed), "ms", what
    if stat == "min":
        return min(elapsed), "ms", what
    if stat == "max":
        return max(elapsed), "ms", what
    m = _PERCENTILE.match(stat)
    if not m:
        raise SourceError(f"'{stat}' is not a JMeter statistic: mean, median, min, max, pNN, error_rate or throughput")
    # JMeter's own percentile (its Aggregate Report): the nearest-rank value
    ordered = sorted(elapsed)
    rank = max(1, math.ceil(float(m[1]) / 100 * len(ordered)))
    return ordered[rank - 1], "ms", what


def _csv(file: Path, spec: dict[str, Any], ctx: Context) -> tuple[float, str, str]:
    column, time_column = spec.get("column"), spec.get("time_column")
    if not column:
        raise SourceError("a csv source needs 'column'")
    chosen: dict[str, str] | None = None
    chosen_line = 0
    with open(file, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        for needed in (column, time_column):
            if needed and needed not in header:
                raise SourceError(f"{spec['path']} has no column '{needed}'; it has {', '.join(header)[:200]}")
        for line, row in enumerate(reader, 2):
            if time_column:
                try:
                    when = parse_time(row[time_column] or "")
                except ValueError:
                    raise SourceError(f"{spec['path']}:{line}: '{row[time_column]}' is not an ISO date or time") from None
                if when > ctx.at:
                    continue
            chosen, chosen_line = row, line
    if chosen is None:
        at = ctx.at.strftime("%Y-%m-%dT%H:%M:%SZ")
        raise SourceError(f"{spec['path']} has no rows" + (f" at or before {at}" if time_column else ""))
    what = f"{column} of line {chosen_line}"
    return _number(chosen[column], f"{spec['path']}:{chosen_line}: {column}"), "", what


_STEP = re.compile(r"\.?([^.\[\]]+)|\[(-?\d+)\]")


def _json(file: Path, spec: dict[str, Any]) -> Any:
    size = file.stat().st_size
    if size > MAX_JSON_BYTES:
        raise SourceError(f"{spec['path']} is {size:,} bytes; JSON reports are limited to {MAX_JSON_BYTES:,}")
    try:
        return json.loads(file.read_bytes())
    except (ValueError, RecursionError) as exc:
        raise SourceError(f"{spec['path']} is not valid JSON: {exc}") from None


def _json_value(file: Path, spec: dict[str, Any], ctx: Context) -> tuple[float, str, str]:
    path = spec.get("json_path")
    if not path:
        raise SourceError("a json source needs 'json_path'")
    node = _json(file, spec)
    pos = 0
    for m in _STEP.finditer(path):
        if m.start() != pos:
            break
        pos = m.end()
        key, index = m.group(1), m.group(2)
        if key is not None:
            if not isinstance(node, dict) or key not in node:
                raise SourceError(f"{spec['path']}: nothing at '{path}' ('{key}' is missing)")
            node = node[key]
        else:
            if not isinstance(node, list) or not -len(node) <= int(index) < len(node):
                raise SourceError(f"{spec['path']}: nothing at '{path}' (no item [{index}])")
            node = node[int(index)]
    if pos != len(path):
        raise SourceError(f"'{path}' is not a JSON path such as 'results.latency.p95' or 'runs[-1].value'")
    if isinstance(node, bool) or not isinstance(node, (int, float, str)):
        raise SourceError(f"{spec['path']}: '{path}' is not a number")
    return _number(node, f"{spec['path']}: {path}"), "", path


_READERS = {"locust": _locust, "k6": _k6, "jmeter": _jmeter, "csv": _csv, "json": _json_value}
