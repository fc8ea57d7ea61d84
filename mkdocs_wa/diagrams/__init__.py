"""Architecture diagrams: one per decision, with the change since the previous iteration.

Pure core (no MkDocs). The adapter calls, once per build::

    archs, diags = resolve(catalog, project_root=root)          # spec.py
    result = render_all(catalog, archs, cache_dir=..., project_root=root)
    result.svgs[decision.id]      # SVG text -> Layout.diagram(decision)
    result.diff_markdown(decision.id)  # Markdown list of changes for the decision page

Modules: :mod:`.nodetypes` (type names -> library classes, allow-listed),
:mod:`.spec` (``extends``/``remove`` -> :class:`Architecture`), :mod:`.icons`
(custom icons inside the repository), :mod:`.diff`, :mod:`.render` (Graphviz via the
``diagrams`` library, self-contained SVG), :mod:`.cache` (content-hash cache).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from mkdocs_wa import nouns
from mkdocs_wa.diagnostics import Diagnostic, error, sort_key, warning
from mkdocs_wa.diagrams import icons as icons_
from mkdocs_wa.diagrams.architecture import ArchCluster, ArchEdge, Architecture, ArchNode
from mkdocs_wa.diagrams.cache import DiagramCache, cache_key, graphviz_version, icons_used
from mkdocs_wa.diagrams.diff import ArchDiff, diff, diff_markdown
from mkdocs_wa.diagrams.render import RenderError, Theme, render_svg
from mkdocs_wa.diagrams.spec import previous_iterations, resolve
from mkdocs_wa.memo import NO_MEMO, Memo
from mkdocs_wa.model import Catalog, Decision

__all__ = [
    "ArchCluster",
    "ArchDiff",
    "ArchEdge",
    "ArchNode",
    "Architecture",
    "DiagramCache",
    "RenderResult",
    "Theme",
    "diff",
    "diff_markdown",
    "graphviz_missing",
    "previous_iterations",
    "render_all",
    "render_svg",
    "resolve",
]

INSTALL_GRAPHVIZ = (
    "install the 'graphviz' package: apt-get install graphviz (Debian/Ubuntu), "
    "dnf install graphviz (Fedora), brew install graphviz (macOS), choco install graphviz (Windows)"
)


@dataclass(frozen=True)
class RenderResult:
    #: Decision id -> SVG text (self-contained: icons inlined, no file references).
    svgs: Mapping[str, str]
    #: Decision id -> its changes since the workload's previous iteration.
    diffs: Mapping[str, ArchDiff]
    #: Diagrams drawn by Graphviz in this call (cache misses).
    rendered: int
    #: Diagrams taken from the cache.
    cached: int
    diagnostics: tuple[Diagnostic, ...] = ()
    #: The architectures the diagrams were drawn from (for :meth:`diff_markdown`).
    archs: Mapping[str, Architecture] = field(default_factory=dict, repr=False)

    def diff_markdown(self, decision_id: str) -> str:
        """The decision's changes as a Markdown list (escaped); '' when it has no
        previous iteration to compare with (or no architecture)."""
        d = self.diffs.get(decision_id)
        if d is None:
            return ""
        current = self.archs.get(decision_id)
        return diff_markdown(d, self.archs.get(d.previous) if d.previous else None, current)


def graphviz_missing(
    *, origin: str = "mkdocs.yml", fatal: bool = True, count: int = 0, position: tuple[int, int] = (0, 0)
) -> Diagnostic | None:
    """None when Graphviz's ``dot`` is on PATH, else the one diagnostic saying what to
    install (an error, or with ``fatal=False`` a warning that diagrams are skipped),
    reported at ``position`` in ``origin`` (the plugin's entry in mkdocs.yml)."""
    if shutil.which("dot") is not None:
        return None
    what = f"the {nouns.count(count, 'architecture diagram')}" if count else "architecture diagrams"
    if fatal:
        return error(
            origin, *position,
            f"Graphviz is not installed (no 'dot' program on PATH), so {what} cannot be drawn: {INSTALL_GRAPHVIZ}; "
            "or, to build without them, set 'allow_missing_graphviz: true' (a warning instead) "
            "or 'diagrams: false' in the well-architected plugin's options",
            "graphviz",
        )
    return warning(
        origin, *position,
        f"Graphviz is not installed (no 'dot' program on PATH): building without {what}; to draw them, {INSTALL_GRAPHVIZ}",
        "graphviz",
    )


def _where(d: Decision | None) -> tuple[str, int, int]:
    if d is None:
        return ("", 0, 0)
    if d.source is None:
        return (d.path, 0, 0)
    pos = d.source.position(("architecture",), key=True)
    return (d.path, pos.line, pos.col)


def _drawable(arch: Architecture, previous: Architecture | None) -> bool:
    # Too big: resolve() has reported it; nothing to draw: no picture at all.
    if arch.too_big or (previous is not None and previous.too_big):
        return False
    return bool(arch.nodes) or bool(previous and previous.nodes)


def render_all(
    catalog: Catalog,
    archs: Mapping[str, Architecture],
    *,
    cache_dir: Path | None,
    project_root: Path,
    workers: int | None = None,
    theme: Theme | None = None,
    missing_graphviz: Literal["error", "warning"] = "error",
    origin: str = "mkdocs.yml",
    memo: Memo = NO_MEMO,
    origin_position: tuple[int, int] = (0, 0),
) -> RenderResult:
    """Draw every architecture in ``archs`` (from :func:`resolve`), using the cache.

    Cache misses are drawn in parallel on ``workers`` threads (default: one per CPU);
    each render runs Graphviz as a subprocess. Without Graphviz: no SVG, and one
    diagnostic, an error or (``missing_graphviz="warning"``) a warning; the diffs are
    still computed, so pages can list the changes. ``origin`` is where problems that
    belong to no decision file are reported (the plugin's config file). With a ``memo``
    (``mkdocs serve``), a rebuild neither recomputes the cache key of an unchanged
    drawing nor reads its SVG again.
    """
    theme = theme or Theme()
    by_id = catalog.by_id()
    diags: list[Diagnostic] = []
    diffs = {i: diff(archs.get(a.previous) if a.previous else None, a) for i, a in archs.items()}
    todo = {i: a for i, a in archs.items() if _drawable(a, archs.get(a.previous) if a.previous else None)}

    missing = graphviz_missing(
        origin=origin, fatal=missing_graphviz == "error", count=len(todo), position=origin_position
    )
    if missing is not None:
        return RenderResult({}, diffs, 0, 0, (missing,), archs)

    # Icons are read once here, so the cache key and the drawing see the same bytes.
    icon_data: dict[str, icons_.Icon] = {}
    for i, a in todo.items():
        for path in a.icons():
            if path in icon_data:
                continue
            try:
                icon_data[path] = icons_.read(path, project_root)
            except (icons_.IconError, OSError) as exc:
                diags.append(error(*_where(by_id.get(i)), f"icon '{path}' cannot be used: {exc}", "diagram"))

    cache = DiagramCache(cache_dir)
    version = graphviz_version()
    svgs: dict[str, str] = {}
    jobs: dict[str, list[str]] = {}  # cache key -> decisions drawn identically
    remembered = 0
    for i, a in todo.items():
        previous = archs.get(a.previous) if a.previous else None
        # architectures are frozen data: equal ones draw the same picture
        icons = tuple((p, icon_data[p].data if p in icon_data else None) for p in icons_used(a, previous))
        key = memo.get(
            ("diagram-key", a, previous, icons, theme, version),
            lambda: cache_key(a, previous, icon_data, theme, version),  # noqa: B023 - called within this iteration
        )
        if key in jobs:
            jobs[key].append(i)
            continue
        svg = memo.get(("diagram-svg", key), lambda: None)
        if svg is not None:
            remembered += 1
        else:
            svg = cache.get(key)
        if svg is not None:
            svgs[i] = svg
            memo.put(("diagram-svg", key), svg)
        else:
            jobs[key] = [i]

    def draw(key: str) -> tuple[str, str | None, str]:
        a = todo[jobs[key][0]]
        previous = archs.get(a.previous) if a.previous else None
        try:
            return key, render_svg(a, previous, icons=icon_data, theme=theme), ""
        except (RenderError, OSError) as exc:  # OSError: no room for the temporary files...
            return key, None, str(exc)

    rendered = 0
    n = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    if n == 1:
        results = [draw(k) for k in jobs]
    else:
        with ThreadPoolExecutor(max_workers=n, thread_name_prefix="mkdocs-wa-diagram") as pool:
            results = list(pool.map(draw, list(jobs)))
    for key, svg, problem in results:
        ids = jobs[key]
        if svg is None:
            diags.extend(error(*_where(by_id.get(i)), f"the architecture diagram could not be drawn: {problem}", "diagram") for i in ids)
            continue
        rendered += 1
        cache.put(key, svg)
        memo.put(("diagram-svg", key), svg)
        for i in ids:
            svgs[i] = svg
    diags.sort(key=sort_key)
    return RenderResult(svgs, diffs, rendered, cache.hits + remembered, tuple(diags), archs)
