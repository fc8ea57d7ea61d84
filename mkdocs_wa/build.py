"""The whole pipeline, for any adapter: load -> validate -> history -> timeline -> render.

The MkDocs plugin calls :func:`build` once per build with its options and a Markdown
renderer, then only hands the generated files to MkDocs. Nothing here imports MkDocs.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .checks import run_checks
from .diagnostics import Diagnostic, sort_key
from .diagrams import RenderResult, render_all
from .export import export_json, export_text
from .loops import feedback_loops
from .model import Catalog, Decision, Lens
from .pages.common import RenderText
from .pages.decision import DecisionExtras
from .pages.loops import loop_notice
from .pages.paths import Layout, link
from .pages.text import esc
from .review import build_review
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
    #: Draw diagrams; ``None`` cache_dir renders without a cache.
    diagrams: bool = True
    missing_graphviz: Literal["error", "warning"] = "error"
    cache_dir: Path | None = None
    export: bool = True
    #: Where problems that belong to no decision are reported (the config file).
    origin: str = "mkdocs.yml"


@dataclass
class BuildResult:
    catalog: Catalog
    files: list[GeneratedFile]
    diagnostics: list[Diagnostic]
    #: One-line notices for the build log (missing git history...).
    notices: list[str] = field(default_factory=list)
    diagrams: RenderResult | None = None


def display_path(project_root: Path):
    """Paths shown to users (and used in edit links): relative to the project root."""
    root = project_root.absolute()

    def show(path: Path) -> str:
        rel = Path(os.path.relpath(path.absolute(), root))
        return path.as_posix() if rel.parts[:1] == ("..",) else rel.as_posix()

    return show


def edit_url(base: str | None, d: Decision) -> str | None:
    return base.rstrip("/") + "/" + d.path if base else None


def diagram_markdown(d: Decision, layout: Layout, svgs: RenderResult | None) -> str | None:
    """The decision page's architecture section: the diagram and what changed."""
    if svgs is None or d.id not in svgs.svgs:
        return None
    page = layout.decision(d)
    image = f"![Architecture diagram after {esc(d.id)}]({link(page, layout.diagram(d))})\n"
    changes = svgs.diff_markdown(d.id)
    if changes:
        legend = "Marked in the diagram: added in green, changed in amber, removed dashed in red.\n"
        return f"{image}\n{legend}\n**Changes since the previous iteration**\n\n{changes}"
    return image


def build(options: BuildOptions, render: RenderText) -> BuildResult:
    root, layout = options.project_root, options.layout
    catalog, diags = load_catalog([options.decisions_dir], options.lens, display=display_path(root))
    checked = run_checks(catalog, options.today, review_days=options.review_days, project_root=root)
    diags += checked.diagnostics

    drawn: RenderResult | None = None
    if options.diagrams and checked.archs:
        drawn = render_all(
            catalog,
            checked.archs,
            cache_dir=options.cache_dir / "diagrams" if options.cache_dir else None,
            project_root=root,
            missing_graphviz=options.missing_graphviz,
            origin=options.origin,
        )
        diags += drawn.diagnostics

    loops = feedback_loops(catalog, options.today, default_review_days=options.review_days)
    extras = {
        d.id: DecisionExtras(
            edit_url=edit_url(options.edit_url_base, d),
            diagram=diagram_markdown(d, layout, drawn),
            loop_notice=loop_notice(loops, d, layout),
        )
        for d in catalog.decisions
    }
    review = build_review(catalog, options.today, default_review_days=options.review_days, loops=loops)
    files = build_site(SiteInputs(catalog, layout, extras, loops=loops, review=review), render)
    if drawn is not None:
        files += [GeneratedFile(layout.diagram(d), drawn.svgs[d.id]) for d in catalog.decisions if d.id in drawn.svgs]
    if options.export:
        data = export_json(
            catalog, today=options.today, default_review_days=options.review_days, loops=loops, review=review
        )
        files.append(GeneratedFile(layout.export(), export_text(data)))
    return BuildResult(catalog, files, sorted(diags, key=sort_key), diagrams=drawn)
