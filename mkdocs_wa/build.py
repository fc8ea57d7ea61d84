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
from .history import History, read_history
from .loops import feedback_loops
from .memo import Memo
from .model import Catalog, Decision, Lens
from .pages.common import RenderText
from .pages.decision import DecisionExtras, diagram_section
from .pages.history_section import history_markdown
from .pages.loops import loop_notice
from .pages.paths import Layout
from .review import build_review
from .site import GeneratedFile, SiteInputs, build_site
from .timeline import build_timelines
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
    #: Read git history (one ``git log`` for the whole decisions tree).
    history: bool = True
    #: Link revisions to commits: a URL with ``{sha}``, e.g. ``https://github.com/o/r/commit/{sha}``.
    commit_url: str | None = None
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
    history: History | None = None


def display_path(project_root: Path):
    """Paths shown to users (and used in edit links): relative to the project root."""
    root = project_root.absolute()

    def show(path: Path) -> str:
        rel = Path(os.path.relpath(path.absolute(), root))
        return path.as_posix() if rel.parts[:1] == ("..",) else rel.as_posix()

    return show


def edit_url(base: str | None, d: Decision) -> str | None:
    return base.rstrip("/") + "/" + d.path if base else None


def build(options: BuildOptions, render: RenderText, memo: Memo | None = None) -> BuildResult:
    """Run every stage. ``memo`` (kept by ``mkdocs serve`` between rebuilds) lets a
    rebuild reuse what an unchanged file gave the last build."""
    root, layout = options.project_root, options.layout
    catalog, diags = load_catalog([options.decisions_dir], options.lens, display=display_path(root), memo=memo)
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
            memo=memo,
        )
        diags += drawn.diagnostics

    history: History | None = None
    notices: list[str] = []
    if options.history:
        imported = [d.imported_from.path for d in catalog.decisions if d.imported_from]
        history = read_history(root, options.decisions_dir, extra_paths=imported)
        if history.warning:
            notices.append(history.warning)
    timelines = build_timelines(catalog, history)

    def decision_history(d: Decision) -> str | None:
        if history is None:  # plugin option `history: false`: no section at all
            return None
        fh = history.of(d.path, d.imported_from.path if d.imported_from else None)
        if memo is None:
            return history_markdown(fh, lens=catalog.lens, commit_url=options.commit_url)
        return memo.of(
            "history-section", (fh,), (catalog.lens, options.commit_url),
            lambda: history_markdown(fh, lens=catalog.lens, commit_url=options.commit_url),
        )

    loops = feedback_loops(catalog, options.today, default_review_days=options.review_days)
    by_id = catalog.by_id()
    extras = {
        d.id: DecisionExtras(
            edit_url=edit_url(options.edit_url_base, d),
            diagram=_diagram(d, drawn, layout, by_id) if drawn and d.id in drawn.svgs else None,
            history=decision_history(d),
            loop_notice=loop_notice(loops, d, layout),
        )
        for d in catalog.decisions
    }
    review = build_review(catalog, options.today, default_review_days=options.review_days, loops=loops)
    export = None
    if options.export:
        data = export_json(
            catalog,
            today=options.today,
            timelines=timelines,
            history=history,
            default_review_days=options.review_days,
            loops=loops,
            review=review,
            memo=memo,
        )
        export = export_text(data, memo)
    svgs = drawn.svgs if drawn is not None else {}
    files = build_site(SiteInputs(catalog, layout, extras, loops, review, timelines, svgs, export), render, memo)
    return BuildResult(catalog, files, sorted(diags, key=sort_key), notices, drawn, history)


def _diagram(d: Decision, drawn: RenderResult, layout: Layout, by_id: dict[str, Decision]) -> str:
    """The decision's architecture section, with the previous iteration's diagram."""
    change = drawn.diffs.get(d.id)
    previous = change.previous if change is not None else None
    before = by_id.get(previous) if previous and previous in drawn.svgs else None
    return diagram_section(
        d, layout, drawn.diff_markdown(d.id),
        svg=drawn.svgs[d.id], before=before, before_svg=drawn.svgs.get(previous, "") if previous else "",
    )
