"""mkdocs-wa: architecture decisions as data, published as an MkDocs site.

The public core API is what ``__all__`` names; everything else is internal and may
change. The names load on first use (PEP 562), so ``import mkdocs_wa`` (and the CLI's
start) reads no dependency it does not need::

    from datetime import date
    from pathlib import Path

    from mkdocs_wa import load_catalog, load_lens, site_checks

    lens, problems = load_lens(None)             # the default AWS lens
    catalog, found = load_catalog([Path("decisions")], lens)
    problems += found
    problems += site_checks(catalog, date.today())  # diagrams, outcomes, overdue loops

The stages, in the order data flows (docs/code-architecture.md): ``source`` (read and
check decision files) → ``history`` (git) → ``analysis`` (timelines, loops, review) →
``render`` (pages, charts, export) → ``pipeline`` (a whole build) → adapters
(``plugin`` for MkDocs, ``cli``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_API = {
    # the data
    "Catalog": "mkdocs_wa.model",
    "Decision": "mkdocs_wa.model",
    "Hypothesis": "mkdocs_wa.model",
    "Metric": "mkdocs_wa.model",
    "Result": "mkdocs_wa.model",
    "PillarScore": "mkdocs_wa.model",
    "Lens": "mkdocs_wa.model",
    "Diagnostic": "mkdocs_wa.diagnostics",
    # source: read and check decision files
    "load_lens": "mkdocs_wa.source.lens",
    "load_catalog": "mkdocs_wa.source.validate",
    "check_metric": "mkdocs_wa.source.verdicts",
    # history and analysis
    "read_history": "mkdocs_wa.history.reader",
    "build_timelines": "mkdocs_wa.analysis.timeline",
    "site_checks": "mkdocs_wa.analysis.checks",
    # render and the whole pipeline
    "export_json": "mkdocs_wa.render.export",
    "BuildOptions": "mkdocs_wa.pipeline.build",
    "build": "mkdocs_wa.pipeline.build",
    # compare and authoring
    "diff_revision": "mkdocs_wa.compare.prdiff",
    "import_adrs": "mkdocs_wa.authoring.adr_import",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'mkdocs_wa' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:  # for type checkers; 'x as x' marks a re-export
    from mkdocs_wa.analysis.checks import site_checks as site_checks
    from mkdocs_wa.analysis.timeline import build_timelines as build_timelines
    from mkdocs_wa.authoring.adr_import import import_adrs as import_adrs
    from mkdocs_wa.compare.prdiff import diff_revision as diff_revision
    from mkdocs_wa.diagnostics import Diagnostic as Diagnostic
    from mkdocs_wa.history.reader import read_history as read_history
    from mkdocs_wa.model import Catalog as Catalog
    from mkdocs_wa.model import Decision as Decision
    from mkdocs_wa.model import Hypothesis as Hypothesis
    from mkdocs_wa.model import Lens as Lens
    from mkdocs_wa.model import Metric as Metric
    from mkdocs_wa.model import PillarScore as PillarScore
    from mkdocs_wa.model import Result as Result
    from mkdocs_wa.pipeline.build import BuildOptions as BuildOptions
    from mkdocs_wa.pipeline.build import build as build
    from mkdocs_wa.render.export import export_json as export_json
    from mkdocs_wa.source.lens import load_lens as load_lens
    from mkdocs_wa.source.validate import load_catalog as load_catalog
    from mkdocs_wa.source.verdicts import check_metric as check_metric
