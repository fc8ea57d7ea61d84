"""The whole pipeline, for any adapter: load -> validate -> history -> timeline -> render.

The MkDocs plugin calls :func:`build` once per build with its options and a Markdown
renderer, then only hands the generated files to MkDocs. Nothing here imports MkDocs.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from .checks import site_checks
from .diagnostics import Diagnostic, sort_key
from .model import Catalog, Decision, Lens
from .pages.common import RenderText
from .pages.decision import DecisionExtras
from .pages.paths import Layout
from .site import GeneratedFile, SiteInputs, build_site
from .validate import load_catalog


@dataclass(frozen=True)
class BuildOptions:
    project_root: Path
    decisions_dir: Path
    lens: Lens
    layout: Layout = Layout()
    today: dt.date = field(default_factory=dt.date.today)
    review_days: int = 90
    edit_url_base: str | None = None


@dataclass
class BuildResult:
    catalog: Catalog
    files: list[GeneratedFile]
    diagnostics: list[Diagnostic]
    #: One-line notices for the build log (missing git history, Graphviz...).
    notices: list[str] = field(default_factory=list)


def display_path(project_root: Path):
    """Paths shown to users (and used in edit links): relative to the project root."""
    root = project_root.absolute()

    def show(path: Path) -> str:
        rel = Path(os.path.relpath(path.absolute(), root))
        return path.as_posix() if rel.parts[:1] == ("..",) else rel.as_posix()

    return show


def edit_url(base: str | None, d: Decision) -> str | None:
    return base.rstrip("/") + "/" + d.path if base else None


def build(options: BuildOptions, render: RenderText) -> BuildResult:
    catalog, diags = load_catalog([options.decisions_dir], options.lens, display=display_path(options.project_root))
    diags = sorted(diags + site_checks(catalog, options.today), key=sort_key)
    extras = {d.id: DecisionExtras(edit_url=edit_url(options.edit_url_base, d)) for d in catalog.decisions}
    files = build_site(SiteInputs(catalog, options.layout, extras), render)
    return BuildResult(catalog, files, diags)
