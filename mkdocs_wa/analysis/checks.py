"""Checks that need the whole catalog and a later stage (diagrams, feedback loops).

``mkdocs-wa validate`` and the build both call :func:`run_checks`, so a problem is
reported the same way in a pull request and in a build. The build also keeps the
resolved architectures, so it does not resolve them a second time to draw them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from mkdocs_wa.analysis.loops import DEFAULT_REVIEW_DAYS, overdue_diagnostics, regression_diagnostics
from mkdocs_wa.diagnostics import Diagnostic, sort_key
from mkdocs_wa.diagrams import Architecture, resolve
from mkdocs_wa.model import Catalog
from mkdocs_wa.source.verdicts import check_outcomes


@dataclass(frozen=True)
class CheckResult:
    diagnostics: list[Diagnostic]
    #: Every decision's resolved architecture (``extends`` applied), by decision id.
    archs: dict[str, Architecture]


def run_checks(
    catalog: Catalog,
    today: dt.date,
    *,
    review_days: int = DEFAULT_REVIEW_DAYS,
    project_root: Path | None = None,
) -> CheckResult:
    archs, diags = resolve(catalog, project_root=project_root)  # node types, ids, extends, icon paths
    diags = [
        *diags,
        *check_outcomes(catalog),  # a declared outcome that contradicts the metrics
        *overdue_diagnostics(catalog, today, default_review_days=review_days),  # overdue feedback loops
        *regression_diagnostics(catalog),  # accepted decisions whose latest evidence misses a target
    ]
    return CheckResult(sorted(diags, key=sort_key), archs)


def site_checks(catalog: Catalog, today: dt.date, *, review_days: int = DEFAULT_REVIEW_DAYS) -> list[Diagnostic]:
    """Only the diagnostics of :func:`run_checks` (what ``mkdocs-wa validate`` prints)."""
    return run_checks(catalog, today, review_days=review_days).diagnostics
