"""Checks of a metric's ``measure`` that the schema cannot express, run by ``validate``
(so a mistake shows in a pull request, at its line, before anything is measured)."""

from __future__ import annotations

import re

from mkdocs_wa.model import Metric
from mkdocs_wa.source.verdicts import TargetError, to_metric_unit

#: The keys each file format reads (besides path, format and unit).
FILE_KEYS = {
    "locust": ("column", "row"),
    "k6": ("metric", "statistic"),
    "jmeter": ("statistic", "label"),
    "csv": ("column", "time_column"),
    "json": ("json_path",),
}
JMETER_STATISTICS = ("mean", "median", "min", "max", "error_rate", "throughput")


def check_measure(metric: Metric) -> list[tuple[tuple[str, ...], str]]:
    """Problems as (path under ``measure.<kind>``, message) pairs."""
    m = metric.measure
    if m is None:
        return []
    spec = m.spec
    out: list[tuple[tuple[str, ...], str]] = []
    if m.kind == "file":
        fmt = spec.get("format", "")
        used = FILE_KEYS.get(fmt, ())
        for key in spec:
            if key not in ("path", "format", "unit", *used):
                others = [f for f, keys in FILE_KEYS.items() if key in keys]
                out.append(((key,), f"'{key}' is not read from a {fmt} file" + (f" (it is for {', '.join(others)})" if others else "")))
        if fmt == "csv" and not spec.get("column"):
            out.append(((), "a csv source needs 'column': the column that holds the value"))
        if fmt == "json" and not spec.get("json_path"):
            out.append(((), "a json source needs 'json_path', e.g. 'results.latency.p95'"))
        stat = spec.get("statistic")
        if fmt == "jmeter" and stat is not None and stat not in JMETER_STATISTICS and not re.fullmatch(r"p\d{1,2}(\.\d+)?", stat):
            out.append((("statistic",), f"'{stat}' is not a JMeter statistic: {', '.join(JMETER_STATISTICS)} or pNN (p95)"))
    unit = spec.get("unit")
    if unit and metric.unit:
        try:
            to_metric_unit(1.0, unit, metric.unit)
        except TargetError as exc:
            out.append((("unit",), f"the source's unit '{unit}' does not convert to the metric's unit '{metric.unit}': {exc}"))
    return out
