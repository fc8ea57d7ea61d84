"""The portal's pipeline: sources -> exports -> model objects -> the site's own pages.

Each export becomes a ``Catalog`` and a ``History`` again (:mod:`.read`); its pages are
then made by the same builder as a repository's site (:func:`mkdocs_wa.render.site.build_site`),
under its own section ``<portal>/<repository>/``, so ids and URLs are namespaced by
repository: two teams' ``VID-0001`` are two pages. The organisation dashboard
(:mod:`.dashboard`) sits at ``<portal>/index.md``. Nothing here imports MkDocs.
"""

from __future__ import annotations

import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from mkdocs_wa.analysis.loops import feedback_loops
from mkdocs_wa.analysis.review import Review, build_review
from mkdocs_wa.analysis.timeline import build_timelines
from mkdocs_wa.diagnostics import Diagnostic, error, sort_key, warning
from mkdocs_wa.diagrams.render import RenderError, check_svg
from mkdocs_wa.layout import Layout, page_collisions
from mkdocs_wa.model import Catalog
from mkdocs_wa.portal.dashboard import dashboard_markdown
from mkdocs_wa.portal.read import ExportData, ExportError, parse_export
from mkdocs_wa.portal.sources import (
    MAX_BYTES,
    MAX_DIAGRAM_BYTES,
    TIMEOUT,
    Loaded,
    SourceError,
    SourceSpec,
    expand,
    load,
)
from mkdocs_wa.render.pages.common import RenderText
from mkdocs_wa.render.pages.decision import (
    DecisionExtras,
    diagram_section,
    previous_iteration,
)
from mkdocs_wa.render.pages.history_section import history_markdown
from mkdocs_wa.render.pages.loops import loop_notice
from mkdocs_wa.render.site import GeneratedFile, SiteInputs, build_site
from mkdocs_wa.text import esc, url


@dataclass(frozen=True)
class PortalOptions:
    root: Path
    section: str = "portal"
    today: dt.date = field(default_factory=dt.date.today)
    timeout: float = TIMEOUT
    max_bytes: int = MAX_BYTES
    max_diagram_bytes: int = MAX_DIAGRAM_BYTES
    #: Sources fetched at once.
    workers: int = 8


@dataclass(frozen=True)
class RepoSite:
    """One repository in the portal."""

    name: str  # the URL part: <section>/<name>/
    team: str
    origin: str
    export: ExportData
    layout: Layout
    review: Review


@dataclass
class PortalResult:
    files: list[GeneratedFile]
    repos: list[RepoSite]
    diagnostics: list[Diagnostic]
    failed: list[tuple[str, str]]  # (source, why)
    #: A decision page -> the decision's file in its repository (the theme's edit button).
    edit_urls: dict[str, str] = field(default_factory=dict)


@dataclass
class _Fetched:
    """What one source gave: its export and diagrams, or why not."""

    loaded: Loaded | None
    export: ExportData | None
    svgs: dict[str, str]
    diagnostics: list[Diagnostic]
    failure: tuple[str, str] | None


_SLUG = re.compile(r"[^a-z0-9_.-]+")


def slug(name: str) -> str:
    s = _SLUG.sub("-", name.strip().lower()).strip("-.")[:60]
    return s or "repository"


def _diagrams(loaded: Loaded, export: ExportData) -> tuple[dict[str, str], list[Diagnostic]]:
    """The export's diagrams, fetched from beside it and checked as a cached SVG is:
    inert and self-contained, or left out with a warning naming the source."""
    svgs: dict[str, str] = {}
    diags: list[Diagnostic] = []
    for decision_id, rel in export.diagrams.items():
        try:
            data = loaded.read_beside(rel)
            svg = data.decode("utf-8")
            check_svg(svg)
        except (SourceError, RenderError, UnicodeDecodeError) as exc:
            diags.append(warning(loaded.origin, 0, 0, f"source '{loaded.name}': the diagram {rel} of {decision_id} "
                                 f"is left out: {exc}", "portal-diagram"))
            continue
        svgs[decision_id] = svg
    return svgs, diags


def _repo_files(repo: RepoSite, svgs: dict[str, str], render: RenderText) -> list[GeneratedFile]:
    export, layout = repo.export, repo.layout
    catalog, history = export.catalog, export.history
    loops = repo.review.loops
    timelines = build_timelines(catalog, history)
    commit_url = export.repository.commit_url if export.repository.commit_url and "{sha}" in export.repository.commit_url else None
    extras = {}
    for d in catalog.decisions:
        diagram = None
        if d.id in svgs:
            before = previous_iteration(catalog, d)
            before = before if before is not None and before.id in svgs else None
            diagram = diagram_section(d, layout, "", svg=svgs[d.id], before=before,
                                      before_svg=svgs[before.id] if before else "")
        extras[d.id] = DecisionExtras(
            edit_url=export.edit_urls.get(d.id),
            diagram=diagram,
            history=history_markdown(history.of(d.path), lens=catalog.lens, commit_url=commit_url) if history else None,
            loop_notice=loop_notice(loops, d, layout),
        )
    files = build_site(SiteInputs(catalog, layout, extras, loops, repo.review, timelines, svgs, None), render)
    overview = layout.overview()
    return [GeneratedFile(f.path, _with_origin(f.content, repo)) if f.path == overview else f for f in files]


def _with_origin(markdown: str | bytes, repo: RepoSite) -> str | bytes:
    """The repository's overview, with where it comes from under its title."""
    if not isinstance(markdown, str):
        return markdown
    title, _, rest = markdown.partition("\n")
    r = repo.export.repository
    facts = [f"Repository **{esc(repo.name)}**"]
    if repo.team:
        facts.append(f"team **{esc(repo.team)}**")
    if r.site_url and (u := url(r.site_url)):
        facts.append(f"[its own site]({u})")
    if r.repo_url and (u := url(r.repo_url)):
        facts.append(f"[its files]({u})")
    facts.append(f"exported on {repo.export.today.isoformat()}")
    title = f"# {esc(repo.name)}: architecture review" if title.startswith("# ") else title
    return f"{title}\n\n{' · '.join(facts)}.\n{rest}"


def build_portal(specs: list[SourceSpec], options: PortalOptions, render: RenderText) -> PortalResult:
    """Fetch every source (several at once), read and check each export, and make the
    pages of every repository and the organisation dashboard. A source that fails is a
    diagnostic naming it; the others' pages are still made."""
    diags: list[Diagnostic] = []
    failed: list[tuple[str, str]] = []
    expanded: list[SourceSpec] = []
    for spec in specs:
        found = expand(spec, options.root)
        if isinstance(found, SourceError):
            diags.append(error(spec.location, 0, 0, f"source failed: {found}", "portal-source"))
            failed.append((spec.location, str(found)))
        else:
            expanded += found

    def fetch(spec: SourceSpec) -> _Fetched:
        """One source, start to end (its export, then its diagrams): in a thread, so
        that slow sources wait side by side."""
        loaded = load(spec, timeout=options.timeout, max_bytes=options.max_bytes, max_diagram_bytes=options.max_diagram_bytes)
        if isinstance(loaded, Diagnostic):
            return _Fetched(None, None, {}, [loaded], (loaded.path, loaded.message))
        try:
            export, found = parse_export(loaded.text, loaded.origin)
        except ExportError as exc:
            return _Fetched(loaded, None, {}, exc.diagnostics,
                            (loaded.origin, f"source '{loaded.name}': " + exc.diagnostics[0].message))
        svgs, drawn = _diagrams(loaded, export)
        return _Fetched(loaded, export, svgs, found + drawn, None)

    with ThreadPoolExecutor(max_workers=max(1, options.workers)) as pool:
        fetched = list(pool.map(fetch, expanded))

    repos: list[RepoSite] = []
    pending: list[tuple[Loaded, ExportData, dict[str, str]]] = []
    for f in fetched:
        diags += f.diagnostics
        if f.failure is not None:
            failed.append(f.failure)
        elif f.loaded is not None and f.export is not None:
            pending.append((f.loaded, f.export, f.svgs))

    taken: dict[str, str] = {}
    built: list[tuple[RepoSite, Loaded, dict[str, str]]] = []
    for loaded, export, svgs in pending:
        name = slug(loaded.name or export.repository.name)
        if name in taken:
            diags.append(error(loaded.origin, 0, 0, f"source '{loaded.name}' has the name '{name}' of {taken[name]} "
                               "in the portal's URLs; give one of them another 'name'", "portal-source"))
            failed.append((loaded.origin, f"the name '{name}' is taken"))
            continue
        taken[name] = loaded.origin
        layout = Layout(f"{options.section}/{name}")
        catalog = export.catalog
        clashes = page_collisions(catalog.decisions, layout)
        if clashes:
            bad = {id(d) for d, _ in clashes}
            for d, message in clashes:
                diags.append(warning(loaded.origin, 0, 0, f"source '{name}': decision {d.id} left out: {message}", "portal-decision"))
            export = replace(export, catalog=Catalog(tuple(d for d in catalog.decisions if id(d) not in bad), catalog.lens))
            catalog = export.catalog
        try:
            loops = feedback_loops(catalog, options.today, default_review_days=export.review_days)
            review = build_review(catalog, options.today, default_review_days=export.review_days, loops=loops)
        except Exception as exc:  # noqa: BLE001 (an export consistent with its schema but not with itself)
            diags.append(error(loaded.origin, 0, 0, f"source '{name}': its decisions cannot be judged: "
                               f"{type(exc).__name__}: {exc}", "portal-source"))
            failed.append((loaded.origin, "its decisions cannot be judged"))
            continue
        built.append((RepoSite(name, loaded.team, loaded.origin, export, layout, review), loaded, svgs))

    files: list[GeneratedFile] = []
    edit_urls: dict[str, str] = {}
    seen_paths: set[str] = set()
    for repo, loaded, svgs in built:
        try:
            made = _repo_files(repo, svgs, render)
        except Exception as exc:  # noqa: BLE001 (an export consistent with its schema but not with itself)
            diags.append(error(loaded.origin, 0, 0, f"source '{repo.name}': its pages cannot be made from the export: "
                               f"{type(exc).__name__}: {exc}", "portal-source"))
            failed.append((loaded.origin, "its pages cannot be made"))
            continue
        repos.append(repo)
        for g in made:
            if g.path in seen_paths:  # the shared stylesheet and script: once
                continue
            seen_paths.add(g.path)
            files.append(g)
            if g.decision is not None and g.is_page and (link := repo.export.edit_urls.get(g.decision.id)):
                edit_urls[g.path] = link
    files.insert(0, GeneratedFile(f"{options.section}/index.md",
                                  dashboard_markdown(repos, f"{options.section}/index.md", options.today, failed)))
    return PortalResult(files, repos, sorted(diags, key=sort_key), failed, edit_urls)
