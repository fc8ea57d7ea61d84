"""Compose the generated part of the site: every page and asset, as data.

A pure function of what the earlier stages produced (catalog, history, timelines,
rendered diagrams); it does no I/O, so the MkDocs adapter only hands the result to
MkDocs and any successor adapter can do the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources

from mkdocs_wa.analysis.loops import FeedbackLoops
from mkdocs_wa.analysis.review import Review
from mkdocs_wa.analysis.timeline import Timeline
from mkdocs_wa.layout import Layout
from mkdocs_wa.memo import NO_MEMO, Memo, render_settings
from mkdocs_wa.model import Catalog, Decision
from mkdocs_wa.render.charts import chart_files, evidence_svg
from mkdocs_wa.render.pages.changes import changes_markdown, latest_tag
from mkdocs_wa.render.pages.common import RenderText
from mkdocs_wa.render.pages.dashboard import dashboard_markdown
from mkdocs_wa.render.pages.decision import DecisionExtras, decision_markdown
from mkdocs_wa.render.pages.explorer import explorer_markdown
from mkdocs_wa.render.pages.loops import loops_markdown
from mkdocs_wa.render.pages.timeline import timeline_markdown
from mkdocs_wa.render.pages.workload import decision_log_markdown

CSS_PATH = "assets/mkdocs-wa/mkdocs-wa.css"
#: The decision explorer's filters and sorting (see pages/explorer.py).
JS_PATH = "assets/mkdocs-wa/explorer.js"
#: Markdown extensions generated pages need, with the options to set when the site does
#: not list the extension itself: admonitions (notices), tables, ``attr_list`` (a class
#: on a paragraph, an image's width), collapsible blocks (``pymdownx.details``) and
#: content tabs in the style Material 9 supports. Not ``md_in_html``: it slows down every
#: page of the site (by about 15 % of Markdown's time), so the components that would need
#: it are finished HTML (pages/components.py). The plugin adds them; ``mkdocs-wa
#: generate`` says which a site lacks (other tools add nothing).
PAGE_EXTENSIONS: tuple[tuple[str, dict], ...] = (
    ("admonition", {}),
    ("tables", {}),
    ("attr_list", {}),
    ("pymdownx.details", {}),
    ("pymdownx.tabbed", {"alternate_style": True}),
)


@dataclass(frozen=True)
class GeneratedFile:
    """A file of the site that exists only in memory."""

    path: str  # relative to docs_dir, posix
    content: str | bytes
    #: The decision a page shows (for its edit link), if any.
    decision: Decision | None = None
    #: Whether the content differs from what the last build of this process generated
    #: at this path (always True without a memo): in a dirty build (``mkdocs serve
    #: --dirty``) MkDocs renders again only the pages whose file changed.
    changed: bool = field(default=True, compare=False)

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
    timelines: Mapping[str, Timeline] = field(default_factory=dict)
    #: decision id -> the SVG of its architecture diagram
    svgs: Mapping[str, str] = field(default_factory=dict)
    #: the text of ``decisions.json``, or None when the export is off
    export: str | None = None


def stylesheet() -> str:
    return resources.files("mkdocs_wa").joinpath("assets", "mkdocs-wa.css").read_text("utf-8")


def script() -> str:
    return resources.files("mkdocs_wa").joinpath("assets", "explorer.js").read_text("utf-8")


def build_site(inputs: SiteInputs, render: RenderText, memo: Memo = NO_MEMO) -> list[GeneratedFile]:
    catalog, layout = inputs.catalog, inputs.layout
    lens = catalog.lens
    workloads = catalog.workloads()
    by_id = catalog.by_id()

    def decision_page(d: Decision, extras: DecisionExtras) -> str:
        # What a decision page shows: the decision, its workload (the previous iteration,
        # the scores before it) and the decisions it links to.
        links = d.supersedes + d.superseded_by + ((d.result.next,) if d.result and d.result.next else ())
        objects = (d, *workloads[d.workload], *(by_id[i] for i in links if i in by_id))
        return memo.of(
            "decision-page", objects, (lens, layout, extras, render_settings(render)),
            lambda: decision_markdown(d, catalog, lens, layout, render, extras),
        )

    tag = latest_tag(inputs.timelines)
    files: list[GeneratedFile] = [
        GeneratedFile(
            layout.overview(),
            dashboard_markdown(inputs.review, lens, layout, catalog=catalog, changes_since=tag.tag if tag else None),
        ),
        GeneratedFile(layout.loops(), loops_markdown(inputs.loops, layout)),
        GeneratedFile(CSS_PATH, stylesheet()),
        GeneratedFile(JS_PATH, script()),
        GeneratedFile(layout.explorer(), explorer_markdown(catalog, lens, layout)),
    ]
    for workload in catalog.workloads():
        loops_section = loops_markdown(inputs.loops, layout, workload=workload)
        log = decision_log_markdown(workload, catalog, lens, layout, extra=loops_section)
        files.append(GeneratedFile(layout.workload(workload), log))
    for d in catalog.decisions:
        extras = inputs.extras.get(d.id, DecisionExtras())
        files.append(GeneratedFile(layout.decision(d), decision_page(d, extras), d))
        if d.id in inputs.svgs:
            files.append(GeneratedFile(layout.diagram(d), inputs.svgs[d.id]))
        for i, m in enumerate(d.hypothesis.metrics if d.hypothesis else ()):
            if m.evidence:  # the measured series (mkdocs-wa measure)
                files.append(GeneratedFile(layout.evidence_chart(d, i), evidence_svg(m)))

    def diagram_for(d: Decision) -> str | None:
        return layout.diagram(d) if d.id in inputs.svgs else None

    for workload, timeline in inputs.timelines.items():
        page = timeline_markdown(workload, timeline, lens, layout, diagram_for=diagram_for)
        files.append(GeneratedFile(layout.timeline(workload), page))
        files += [GeneratedFile(path, svg) for path, svg in chart_files(timeline, lens, layout)]
    changes = changes_markdown(catalog, inputs.timelines, layout)
    if changes is not None:
        files.append(GeneratedFile(layout.changes(), changes))
    if inputs.export is not None:
        files.append(GeneratedFile(layout.export(), inputs.export))
    return files
