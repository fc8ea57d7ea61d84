"""Compose the generated part of the site: every page and asset, as data.

A pure function of what the earlier stages produced (catalog, history, timelines,
rendered diagrams); it does no I/O, so the MkDocs adapter only hands the result to
MkDocs and any successor adapter can do the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from .loops import FeedbackLoops
from .model import Catalog, Decision
from .pages.common import RenderText
from .pages.dashboard import dashboard_markdown
from .pages.decision import DecisionExtras, decision_markdown
from .pages.loops import loops_markdown
from .pages.paths import Layout
from .pages.workload import decision_log_markdown
from .review import Review

CSS_PATH = "assets/mkdocs-wa/mkdocs-wa.css"


@dataclass(frozen=True)
class GeneratedFile:
    """A file of the site that exists only in memory."""

    path: str  # relative to docs_dir, posix
    content: str | bytes
    #: The decision a page shows (for its edit link), if any.
    decision: Decision | None = None

    @property
    def is_page(self) -> bool:
        return self.path.endswith(".md")


@dataclass(frozen=True)
class SiteInputs:
    catalog: Catalog
    layout: Layout
    #: decision id -> extras (edit link, diagram, history...) computed by the adapter
    extras: dict[str, DecisionExtras]
    loops: FeedbackLoops
    review: Review


def stylesheet() -> str:
    return resources.files(__package__).joinpath("assets", "mkdocs-wa.css").read_text("utf-8")


def build_site(inputs: SiteInputs, render: RenderText) -> list[GeneratedFile]:
    catalog, layout = inputs.catalog, inputs.layout
    lens = catalog.lens
    files: list[GeneratedFile] = [
        GeneratedFile(layout.overview(), dashboard_markdown(inputs.review, lens, layout)),
        GeneratedFile(layout.loops(), loops_markdown(inputs.loops, layout)),
        GeneratedFile(CSS_PATH, stylesheet()),
    ]
    for workload in catalog.workloads():
        loops_section = loops_markdown(inputs.loops, layout, workload=workload)
        log = decision_log_markdown(workload, catalog, lens, layout, extra=loops_section)
        files.append(GeneratedFile(layout.workload(workload), log))
    for d in catalog.decisions:
        extras = inputs.extras.get(d.id, DecisionExtras())
        files.append(GeneratedFile(layout.decision(d), decision_markdown(d, catalog, lens, layout, render, extras), d))
    return files
