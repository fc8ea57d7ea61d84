"""``measure: {prometheus: {query: ...}}``: a PromQL instant query at ``--at``.

Through the HTTP API (``GET /api/v1/query``), with the standard library: the server is
``--prometheus-url`` or ``PROMETHEUS_URL`` (user and password in that URL are sent as
basic authentication and never written; ``PROMETHEUS_BEARER_TOKEN`` is sent as a bearer
token). The query must give one number: a scalar, or an instant vector of exactly one
series.
"""

from __future__ import annotations

import base64
import json
import math
import os
import socket
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit

from mkdocs_wa.measure.common import Context, Reading, SourceError, redact, timeout_of
from mkdocs_wa.model import Metric


def server(ctx: Context) -> str:
    url = ctx.prometheus_url or os.environ.get("PROMETHEUS_URL", "")
    if not url:
        raise SourceError("no Prometheus server: set PROMETHEUS_URL or pass --prometheus-url")
    if urlsplit(url).scheme not in ("http", "https"):
        raise SourceError(f"the Prometheus URL '{redact(url)}' is not an http:// or https:// URL")
    return url


def measure(spec: dict[str, Any], metric: Metric, ctx: Context) -> Reading:
    base = server(ctx)
    query = spec["query"]
    timeout = timeout_of(spec, ctx)
    parts = urlsplit(base)
    shown = redact(base)
    params = urlencode({"query": query, "time": f"{ctx.at.timestamp():.3f}", "timeout": f"{timeout:g}s"})
    request = urllib.request.Request(f"{shown.rstrip('/')}/api/v1/query?{params}", headers={"Accept": "application/json"})
    if parts.username is not None:
        pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
        request.add_header("Authorization", "Basic " + base64.b64encode(pair).decode())
    elif token := os.environ.get("PROMETHEUS_BEARER_TOKEN"):
        request.add_header("Authorization", f"Bearer {token}")
    body = _fetch(request, shown, timeout, ctx.max_response_bytes)
    try:
        answer = json.loads(body)
    except (ValueError, RecursionError):
        raise SourceError(f"{shown} did not answer with JSON (is it a Prometheus server?)") from None
    if not isinstance(answer, dict) or answer.get("status") != "success" or not isinstance(answer.get("data"), dict):
        raise SourceError(f"{shown} did not answer like a Prometheus server: {body[:120]!r}")
    value = _one_value(answer["data"], ctx)
    return Reading(value, spec.get("unit", ""), query, shown)


def _fetch(request: urllib.request.Request, shown: str, timeout: float, limit: int) -> bytes:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(limit + 1)
    except urllib.error.HTTPError as exc:
        detail = ""
        try:
            data = json.loads(exc.read(64_000))
            detail = f": {data.get('errorType', '')} {data.get('error', '')}".rstrip()
        except (ValueError, AttributeError, OSError):
            pass
        if exc.code == 400:
            raise SourceError(f"Prometheus refused the query (HTTP 400, bad query){detail}") from None
        raise SourceError(f"Prometheus at {shown} answered HTTP {exc.code}{detail}") from None
    except TimeoutError:
        raise SourceError(f"Prometheus at {shown} gave no answer within {timeout:g} s") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise SourceError(f"Prometheus at {shown} gave no answer within {timeout:g} s") from None
        raise SourceError(f"cannot reach Prometheus at {shown}: {getattr(reason, 'strerror', None) or reason}") from None
    except OSError as exc:
        raise SourceError(f"cannot reach Prometheus at {shown}: {exc.strerror or exc}") from None
    if len(body) > limit:
        raise SourceError(
            f"the answer is larger than {limit:,} bytes (the query returns too many series?); "
            "aggregate it to one number (sum, max, avg...)"
        )
    return body


def _series(labels: dict[str, str]) -> str:
    """``name{label="value",...}`` as Prometheus writes a series."""
    rest = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()) if k != "__name__")
    return f"{labels.get('__name__', '')}{{{rest}}}"


def _one_value(data: dict[str, Any], ctx: Context) -> float:
    kind, result = data.get("resultType"), data.get("result")
    when = ctx.at.strftime("%Y-%m-%d %H:%M:%SZ")
    sample: Any  # [time, "value"] when the answer is well formed; anything else is reported below
    if kind == "scalar":
        sample = result
    elif kind == "vector":
        if not result:
            raise SourceError(f"the query returned no data at {when} (no series matches, or none has a sample then)")
        if len(result) > 1:
            labels = ", ".join(_series(r.get("metric") or {}) for r in result[:3])
            more = " ..." if len(result) > 3 else ""
            raise SourceError(
                f"the query returned {len(result)} series ({labels}{more}); aggregate them into one number (sum, max, avg...)"
            )
        sample = result[0].get("value")
    elif kind == "matrix":
        raise SourceError("the query returned a range vector; ask for one number (e.g. wrap it in avg_over_time(...))")
    else:
        raise SourceError(f"the query returned a {kind}, not a number")
    try:
        value = float(sample[1])
    except (TypeError, ValueError, IndexError):
        raise SourceError(f"the answer holds no number: {str(sample)[:80]}") from None
    if math.isnan(value):
        raise SourceError(f"the query returned NaN at {when} (no samples in its window, or a division by zero)")
    if math.isinf(value):
        raise SourceError(f"the query returned {value} at {when}")
    return value
