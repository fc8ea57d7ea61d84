"""What every source kind shares: the context of a run, a reading, the error it raises."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

#: Seconds a source may take unless its ``timeout`` says otherwise.
DEFAULT_TIMEOUT = 30.0
#: The largest HTTP response read from a server (a query that returns every series).
MAX_RESPONSE_BYTES = 5_000_000


class SourceError(Exception):
    """A source could not give a value; the message is shown to the user as it is."""


@dataclass(frozen=True)
class Context:
    #: When the value is wanted (``--at``), timezone-aware UTC.
    at: dt.datetime
    #: File sources are read relative to it, and never outside it.
    project_root: Path
    prometheus_url: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    max_response_bytes: int = MAX_RESPONSE_BYTES


@dataclass(frozen=True)
class Reading:
    """A value as a source gives it: ``unit`` '' means "in the metric's unit"."""

    value: float
    unit: str
    #: The query as run (PromQL, CloudWatch request, file and column...).
    query: str
    #: Where: a server URL without credentials, a file path.
    source: str


def timeout_of(spec: dict[str, Any], ctx: Context) -> float:
    return float(spec.get("timeout") or ctx.timeout)


def redact(url: str) -> str:
    """The URL without user and password (they must never be written anywhere)."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def project_file(path: str, ctx: Context) -> Path:
    """A file named in a decision, inside the project (links included); SourceError if not."""
    root = ctx.project_root.resolve()
    file = (root / path).resolve()
    if not file.is_relative_to(root):
        raise SourceError(f"'{path}' is outside the project folder; refused")
    if not file.is_file():
        raise SourceError(f"no such file: {path}")
    return file
