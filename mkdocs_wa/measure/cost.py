"""``measure: {cost: {...}}``: what AWS charged over the ``days`` before ``--at``.

From Cost Explorer (``GetCostAndUsage``, daily granularity, summed), or from a Cost and
Usage Report CSV file in the repository (``report``; ``.csv`` or ``.csv.gz``): the cost
column summed over the line items whose ``lineItem/UsageStartDate`` falls in the period
and that match ``filter`` (column -> value). The amount is in the bill's currency, which
must be the metric's unit or its start (``USD``, ``USD/month``).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import math
from typing import Any

from mkdocs_wa.measure import aws
from mkdocs_wa.measure.common import Context, Reading, SourceError, project_file, timeout_of
from mkdocs_wa.model import Metric
from mkdocs_wa.source.evidence import parse_time

START_COLUMN = "lineItem/UsageStartDate"
CURRENCY_COLUMN = "lineItem/CurrencyCode"


def measure(spec: dict[str, Any], metric: Metric, ctx: Context) -> Reading:
    days = int(spec.get("days", 30))
    end = ctx.at
    start = end - dt.timedelta(days=days)
    if spec.get("report"):
        total, currency, query, source = _report(spec, ctx, start, end)
    else:
        total, currency, query, source = _cost_explorer(spec, ctx, start, end)
    return Reading(total, spec.get("unit") or _unit(currency, metric), query, source)


def _unit(currency: str, metric: Metric) -> str:
    """'' (the metric's unit) when the metric is in this currency (``USD``, ``USD/month``)."""
    if not currency:
        return ""
    head = metric.unit.replace(" ", "").split("/")[0]
    if head.upper() == currency.upper() or not metric.unit:
        return ""
    raise SourceError(f"the cost is in {currency} but the metric's unit is '{metric.unit}' (use {currency} or {currency}/month)")


def _cost_explorer(spec: dict[str, Any], ctx: Context, start: dt.datetime, end: dt.datetime) -> tuple[float, str, str, str]:
    name = spec.get("metric", "UnblendedCost")
    period = {"Start": start.date().isoformat(), "End": end.date().isoformat()}
    if period["Start"] == period["End"]:
        raise SourceError("the cost period is shorter than one day")
    request: dict[str, Any] = {"TimePeriod": period, "Granularity": "DAILY", "Metrics": [name]}
    filters = [{"Dimensions": {"Key": k, "Values": [str(v)]}} for k, v in sorted((spec.get("filter") or {}).items())]
    if len(filters) == 1:
        request["Filter"] = filters[0]
    elif filters:
        request["Filter"] = {"And": filters}
    ce = aws.client("ce", "COST_EXPLORER", spec.get("region") or "us-east-1", timeout_of(spec, ctx))
    total, currency, pages, token = 0.0, "", 0, None
    while True:
        try:
            answer = ce.get_cost_and_usage(**request, **({"NextPageToken": token} if token else {}))
        except Exception as exc:
            raise aws.explain(exc, "Cost Explorer") from None
        for day in answer.get("ResultsByTime") or []:
            amount = (day.get("Total") or {}).get(name)
            if amount:
                total += float(amount["Amount"])
                currency = amount.get("Unit", currency)
        pages += 1
        token = answer.get("NextPageToken")
        if not token or pages >= 50:
            break
    query = f"{name} from {period['Start']} to {period['End']} (exclusive)"
    if filters:
        query += " where " + ", ".join(f"{k}={v}" for k, v in sorted(spec["filter"].items()))
    if not currency:
        raise SourceError(f"Cost Explorer returned no cost for {query}")
    return total, currency, query, "cost-explorer"


def _report(spec: dict[str, Any], ctx: Context, start: dt.datetime, end: dt.datetime) -> tuple[float, str, str, str]:
    file = project_file(spec["report"], ctx)
    column = spec.get("column", "lineItem/UnblendedCost")
    wanted = {k: str(v) for k, v in (spec.get("filter") or {}).items()}
    opener = gzip.open if file.name.endswith(".gz") else open
    total, currencies, rows = 0.0, set(), 0
    try:
        with opener(file, "rt", encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            for needed in (column, START_COLUMN, *wanted):
                if needed not in header:
                    raise SourceError(f"{spec['report']} has no column '{needed}' (is it a Cost and Usage Report CSV?)")
            for line, row in enumerate(reader, 2):
                if any(row.get(k) != v for k, v in wanted.items()):
                    continue
                try:
                    when = parse_time(row[START_COLUMN])
                except (ValueError, TypeError):
                    raise SourceError(f"{spec['report']}:{line}: '{row[START_COLUMN]}' is not a time") from None
                if not start <= when < end:
                    continue
                try:
                    amount = float(row[column] or 0)
                except ValueError:
                    raise SourceError(f"{spec['report']}:{line}: '{row[column]}' in {column} is not a number") from None
                if not math.isfinite(amount):
                    raise SourceError(f"{spec['report']}:{line}: {column} is {row[column]}")
                total += amount
                rows += 1
                if row.get(CURRENCY_COLUMN):
                    currencies.add(row[CURRENCY_COLUMN])
    except (OSError, EOFError, UnicodeDecodeError, csv.Error) as exc:
        raise SourceError(f"cannot read {spec['report']}: {exc}") from None
    if len(currencies) > 1:
        raise SourceError(f"{spec['report']} mixes currencies ({', '.join(sorted(currencies))}); filter on one")
    period = f"{start.strftime('%Y-%m-%dT%H:%M:%SZ')} to {end.strftime('%Y-%m-%dT%H:%M:%SZ')}"
    if not rows:
        raise SourceError(f"{spec['report']} has no line items from {period}")
    query = f"sum of {column} from {period}" + (
        " where " + ", ".join(f"{k}={v}" for k, v in sorted(wanted.items())) if wanted else ""
    )
    return total, next(iter(currencies), ""), query, spec["report"]
