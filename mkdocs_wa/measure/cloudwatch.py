"""``measure: {cloudwatch: {namespace, metric, dimensions, statistic, period}}``.

One ``GetMetricStatistics`` call over the ``period`` seconds that end at ``--at``; the
latest datapoint's statistic is the value, in the unit CloudWatch reports (converted to
the metric's unit).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from mkdocs_wa.measure import aws
from mkdocs_wa.measure.common import Context, Reading, SourceError, timeout_of
from mkdocs_wa.model import Metric

#: CloudWatch's unit names -> pint's ('' = a count: the metric's own unit).
UNITS = {
    "Seconds": "s", "Microseconds": "us", "Milliseconds": "ms",
    "Bytes": "B", "Kilobytes": "kB", "Megabytes": "MB", "Gigabytes": "GB", "Terabytes": "TB",
    "Bits": "bit", "Kilobits": "kbit", "Megabits": "Mbit", "Gigabits": "Gbit", "Terabits": "Tbit",
    "Percent": "%", "Count": "", "None": "",
    "Bytes/Second": "B/s", "Kilobytes/Second": "kB/s", "Megabytes/Second": "MB/s", "Gigabytes/Second": "GB/s",
    "Terabytes/Second": "TB/s", "Bits/Second": "bit/s", "Kilobits/Second": "kbit/s", "Megabits/Second": "Mbit/s",
    "Gigabits/Second": "Gbit/s", "Terabits/Second": "Tbit/s", "Count/Second": "1/s",
}


def describe(spec: dict[str, Any], start: dt.datetime, end: dt.datetime) -> str:
    dims = ",".join(f"{k}={v}" for k, v in sorted((spec.get("dimensions") or {}).items()))
    stat = spec.get("statistic", "Average")
    return (f"{spec['namespace']} {spec['metric']}" + (f" [{dims}]" if dims else "")
            + f" {stat} over {int(spec.get('period', 3600))} s ending {end.strftime('%Y-%m-%dT%H:%M:%SZ')}")


def measure(spec: dict[str, Any], metric: Metric, ctx: Context) -> Reading:
    period = int(spec.get("period", 3600))
    stat = spec.get("statistic", "Average")
    end = ctx.at
    start = end - dt.timedelta(seconds=period)
    cw = aws.client("cloudwatch", "CLOUDWATCH", spec.get("region"), timeout_of(spec, ctx))
    request: dict[str, Any] = dict(
        Namespace=spec["namespace"],
        MetricName=spec["metric"],
        Dimensions=[{"Name": k, "Value": str(v)} for k, v in sorted((spec.get("dimensions") or {}).items())],
        StartTime=start,
        EndTime=end,
        Period=period,
    )
    extended = stat.startswith("p")
    request["ExtendedStatistics" if extended else "Statistics"] = [stat]
    try:
        answer = cw.get_metric_statistics(**request)
    except Exception as exc:
        raise aws.explain(exc, "CloudWatch") from None
    query = describe(spec, start, end)
    points = answer.get("Datapoints") or []
    if not points:
        raise SourceError(f"CloudWatch has no datapoints for {query} (check namespace, metric name and dimensions)")
    latest = max(points, key=lambda p: p["Timestamp"])
    value = (latest.get("ExtendedStatistics") or {}).get(stat) if extended else latest.get(stat)
    if value is None or not math.isfinite(float(value)):
        raise SourceError(f"CloudWatch's latest datapoint has no {stat} value")
    cw_unit = latest.get("Unit", "None")
    if cw_unit not in UNITS:
        raise SourceError(f"CloudWatch reports the unit '{cw_unit}', which mkdocs-wa does not know; set 'unit'")
    return Reading(float(value), spec.get("unit") or UNITS[cw_unit], query, "cloudwatch:" + (cw.meta.region_name or ""))
