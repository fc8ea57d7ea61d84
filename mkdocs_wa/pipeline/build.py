"""The whole pipeline, for any adapter: load -> validate -> history -> timeline -> render.

The MkDocs plugin calls :func:`build` once per build with its options and a Markdown
renderer, then only hands the generated files to MkDocs. Nothing here imports MkDocs.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from mkdocs_wa.analysis.checks import run_checks
from mkdocs_wa.analysis.loops import feedback_loops
from mkdocs_wa.analysis.review import build_review
from mkdocs_wa.analysis.timeline import build_timelines
from mkdocs_wa.authoring.adr_import.source import HistoryReader
from mkdocs_wa.diagnostics import Diagnostic, error, sort_key
from mkdocs_wa.diagrams import RenderResult, render_all
from mkdocs_wa.git import repo_top
from mkdocs_wa.history.model import History
from mkdocs_wa.history.reader import read_history
from mkdocs_wa.layout import Layout
from mkdocs_wa.memo import NO_MEMO, Memo
from mkdocs_wa.model import Catalog, Decision, Lens
from mkdocs_wa.render.export import export_json, export_text
from mkdocs_wa.render.feed import atom_feed
from mkdocs_wa.render.pages.common import RenderText
from mkdocs_wa.render.pages.decision import DecisionExtras, diagram_section
from mkdocs_wa.render.pages.history_section import history_markdown
from mkdocs_wa.render.pages.loops import loop_notice
from mkdocs_wa.render.site import GeneratedFile, SiteInputs, build_site
from mkdocs_wa.safepath import UnsafePath, anchor, inside
from mkdocs_wa.source.validate import load_catalog


def _adr_reader(catalog: Catalog) -> HistoryReader:
    """Reads imported ADRs' revisions, naming the ADRs they supersede by decision id."""
    pairs: dict[str, str] = {}
    numbers: dict[int, set[str]] = {}
    for d in catalog.decisions:
        if d.imported_from:
            for p in (d.imported_from.path, *d.imported_from.renamed_from):
                folder, _, name = p.rpartition("/")
                if name.lower() in ("index.md", "readme.md") and folder:
                    name = folder.rsplit("/", 1)[-1]  # a folder-per-ADR layout: named by its folder
                pairs[name] = d.id
                if (m := _NUMBER.match(name)) is not None:
                    numbers.setdefault(int(m[1]), set()).add(d.id)
    for n, found in numbers.items():
        if len(found) == 1:
            pairs[f"#{n}"] = next(iter(found))
    return HistoryReader(tuple(sorted(pairs.items())))


_NUMBER = re.compile(r"0*(\d{1,6})[-_.]")


def imported_sources(catalog: Catalog, root: Path) -> list[str]:
    """The imported ADRs' paths and earlier paths, project-relative: what the history
    follows besides the decision files.

    ``imported_from`` records repository-relative paths; the history's keys are relative
    to the project (the folder of ``mkdocs.yml``), which may lie below the repository's
    root. Paths that leave the repository, or name a decision file, follow nothing.
    """
    imported = [d.imported_from for d in catalog.decisions if d.imported_from and d.imported_history_path]
    if not imported:
        return []
    top = repo_top(root) or root
    out: set[str] = set()
    for p in (p for i in imported for p in (i.path, *i.renamed_from)):
        full = os.path.normpath(os.path.join(top, p))
        if p and not os.path.isabs(p) and (full + os.sep).startswith(str(top) + os.sep) and p.lower().endswith((".md", ".markdown")):
            out.add(os.path.relpath(full, root).replace(os.sep, "/"))
    return sorted(out)


#: Largest asset file published (an image beside a decision).
MAX_ASSET_BYTES = 20_000_000


def decision_assets(decisions_dir: Path, catalog: Catalog, layout: Layout) -> list[GeneratedFile]:
    """The files in each workload's ``assets/`` folder (images an imported ADR showed),
    published beside the workload's decision pages, so ``assets/x.png`` in decision text
    works. Symbolic links are never followed (nothing outside the project is read)."""
    out: list[GeneratedFile] = []
    for workload in sorted({d.workload for d in catalog.decisions}):
        folder = decisions_dir / workload / "assets"
        if not folder.is_dir() or folder.is_symlink():
            continue
        for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not os.path.islink(os.path.join(dirpath, d)))
            for name in sorted(filenames):
                file = Path(dirpath) / name
                if name.startswith(".") or file.is_symlink() or not file.is_file() or file.stat().st_size > MAX_ASSET_BYTES:
                    continue
                rel = file.relative_to(decisions_dir / workload).as_posix()
                out.append(GeneratedFile(posixpath.join(layout.workload(workload).rsplit("/", 1)[0], rel), file.read_bytes()))
    return out


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
    #: Where problems that belong to no decision are reported (the config file), and
    #: the line and column of the plugin's entry in it.
    origin: str = "mkdocs.yml"
    origin_position: tuple[int, int] = (0, 0)
    #: The Atom feed (``<section>/feed.xml``): its title, the site's URL (absolute links
    #: when known) and how MkDocs makes page URLs.
    feed: bool = True
    site_name: str = ""
    site_url: str | None = None
    use_directory_urls: bool = True


@dataclass
class BuildResult:
    catalog: Catalog
    files: list[GeneratedFile]
    diagnostics: list[Diagnostic]
    #: One-line notices for the build log (missing git history...).
    notices: list[str] = field(default_factory=list)
    diagrams: RenderResult | None = None
    history: History | None = None
    #: One-line information for the build log, no problem (decisions not committed yet).
    infos: list[str] = field(default_factory=list)


def display_path(project_root: Path):
    """Paths shown to users (and used in edit links): relative to the project root."""
    root = project_root.absolute()

    def show(path: Path) -> str:
        rel = Path(os.path.relpath(path.absolute(), root))
        return path.as_posix() if rel.parts[:1] == ("..",) else rel.as_posix()

    return show


def edit_url(base: str | None, d: Decision) -> str | None:
    return base.rstrip("/") + "/" + d.path if base else None


def build(options: BuildOptions, render: RenderText, memo: Memo = NO_MEMO) -> BuildResult:
    """Run every stage. ``memo`` (kept by ``mkdocs serve`` between rebuilds) lets a
    rebuild reuse what an unchanged file gave the last build, and tells which generated
    files changed since it (:attr:`GeneratedFile.changed`)."""
    root, layout = options.project_root, options.layout
    catalog, diags = load_catalog([options.decisions_dir], options.lens, display=display_path(root), memo=memo)
    checked = run_checks(catalog, options.today, review_days=options.review_days, project_root=root)
    diags += checked.diagnostics

    drawn: RenderResult | None = None
    cache_dir = options.cache_dir / "diagrams" if options.cache_dir else None
    if cache_dir is not None:
        try:  # a committed symbolic link must not lead the cache (and its pruning) elsewhere
            inside(anchor(root, cache_dir.parent), cache_dir, what="the diagram cache")
        except UnsafePath as exc:
            diags.append(error(options.origin, 0, 0, f"{exc}; diagrams are drawn without a cache", "unsafe-path"))
            cache_dir = None
    if options.diagrams and checked.archs:
        drawn = render_all(
            catalog,
            checked.archs,
            cache_dir=cache_dir,
            project_root=root,
            missing_graphviz=options.missing_graphviz,
            origin=options.origin,
            origin_position=options.origin_position,
            memo=memo,
        )
        diags += drawn.diagnostics

    history: History | None = None
    notices: list[str] = []
    infos: list[str] = []
    if options.history:
        extra = imported_sources(catalog, root)
        kept = options.cache_dir / "history" if options.cache_dir else None
        try:  # parsed blobs are kept there between builds, never through a symbolic link
            kept = inside(anchor(root, options.cache_dir), kept, what="the history cache") if kept and options.cache_dir else None
        except UnsafePath:
            kept = None  # read without it (the diagram cache's error says why)
        history = read_history(
            root, options.decisions_dir, extra_paths=extra, extra_parser=_adr_reader(catalog) if extra else None,
            memo=memo, cache_dir=kept,
        )
        if history.warning:
            notices.append(history.warning)
        if history.info:
            infos.append(history.info)
    timelines = build_timelines(catalog, history)

    def decision_history(d: Decision) -> str | None:
        if history is None:  # plugin option `history: false`: no section at all
            return None
        fh = history.of(d.path, d.imported_history_path)
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
            draft=history is not None and history.of(d.path).created is None and history.of(d.path).uncommitted,
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
            **_export_links(options, drawn, catalog),
        )
        export = export_text(data, memo)
    svgs = drawn.svgs if drawn is not None else {}
    files = build_site(SiteInputs(catalog, layout, extras, loops, review, timelines, svgs, export), render, memo)
    files += decision_assets(options.decisions_dir if options.decisions_dir.is_absolute() else root / options.decisions_dir,
                             catalog, layout)
    if options.feed:
        title = f"{options.site_name}: architecture decisions" if options.site_name else ""
        feed = atom_feed(catalog, loops, layout, title=title, site_url=options.site_url,
                         use_directory_urls=options.use_directory_urls)
        files.append(GeneratedFile(layout.feed(), feed))
    files = [f if memo.changed(("generated-file", f.path), f.content) else replace(f, changed=False) for f in files]
    return BuildResult(catalog, files, sorted(diags, key=sort_key), notices, drawn, history, infos)


def _export_links(options: BuildOptions, drawn: RenderResult | None, catalog: Catalog) -> dict:
    """What the export says about where things are, for a portal: each diagram's path
    relative to the export, the repository and its site (format version 2)."""
    layout = options.layout
    here = posixpath.dirname(layout.export())
    by_id = catalog.by_id()
    # Every diagram lies below the export's folder (both in the section).
    diagrams = {i: layout.diagram(by_id[i]).removeprefix(here + "/" if here else "") for i in (drawn.svgs if drawn else ()) if i in by_id}
    commit_url = options.commit_url
    repo_url = commit_url[: -len("/commit/{sha}")] if commit_url and commit_url.endswith("/commit/{sha}") else None
    site_url = options.site_url.rstrip("/") + "/" + layout.section + "/" if options.site_url else None
    return {
        "diagrams": diagrams,
        "repository": {"name": options.site_name, "site_url": site_url, "repo_url": repo_url, "commit_url": commit_url},
        "edit_url_base": options.edit_url_base,
    }


def _diagram(d: Decision, drawn: RenderResult, layout: Layout, by_id: Mapping[str, Decision]) -> str:
    """The decision's architecture section, with the previous iteration's diagram."""
    change = drawn.diffs.get(d.id)
    previous = change.previous if change is not None else None
    before = by_id.get(previous) if previous and previous in drawn.svgs else None
    return diagram_section(
        d, layout, drawn.diff_markdown(d.id),
        svg=drawn.svgs[d.id], before=before, before_svg=drawn.svgs.get(previous, "") if previous else "",
    )
