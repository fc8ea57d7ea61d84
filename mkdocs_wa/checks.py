"""Checks that need the whole catalog and a later stage (diagrams, feedback loops).

The CLI's ``validate`` and the plugin both call :func:`site_checks`, so a problem found
by a later stage is reported the same way in a pull request and in a build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from .diagnostics import Diagnostic
from .model import Catalog

Check = Callable[[Catalog, dt.date], list[Diagnostic]]


def _checks() -> list[Check]:
    checks: list[Check] = []
    # Each stage registers here as it lands: see mkdocs_wa/diagrams and mkdocs_wa/loops.
    from .diagrams import check_catalog as check_diagrams  # node types, ids, extends, icon paths
    from .loops import check_overdue  # overdue loops, with the default review days
    from .verdicts import check_outcomes  # result.outcome that contradicts the metrics

    checks += [check_outcomes, check_overdue, check_diagrams]
    return checks


def site_checks(catalog: Catalog, today: dt.date) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for check in _checks():
        out.extend(check(catalog, today))
    return out
