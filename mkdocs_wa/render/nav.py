"""The generated section's navigation, as data: one function for every adapter.

The plugin turns it into MkDocs' ``Section`` and ``Page`` objects (``plugin/nav.py``),
``mkdocs-wa generate`` into an explicit ``nav`` fragment or a ``.nav.yml``
(``pipeline/generate.py``). Decision pages are not in it unless asked for: every page of
the site carries the whole navigation (Material writes it into each page), so a
navigation that lists every decision makes the build grow with the *square* of the
decisions (at 10,000 decisions each page would carry about 3 MB of it). Like the posts
of Material's blog, decision pages are reached from their workload's log, the decision
explorer and search; the navigation then grows with the workloads.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from mkdocs_wa.layout import Layout
from mkdocs_wa.model import Catalog
from mkdocs_wa.render.pages.workload import workload_title

#: A navigation entry as in mkdocs.yml: a page's path, or ``{title: [entries]}``.
NavEntry = str | dict[str, list["NavEntry"]]


#: The most workloads the plugin's navigation lists (``nav_workloads``), and the most
#: repositories the portal's lists: every page of a section carries the section's
#: entries, so a navigation that lists all of them grows with pages x workloads. At 10,000
#: decisions in 100 workloads, listing them cost more than everything else the plugin does
#: (docs/performance.md).
MOST_LISTED = 30


def nav_items(
    catalog: Catalog,
    layout: Layout,
    paths: Iterable[str],
    *,
    relative: bool = False,
    decisions: bool = False,
    workloads: bool = True,
) -> list[NavEntry]:
    """The section's pages in order (overview, explorer, feedback loops, changes since the
    latest tag, then per workload its log and timeline, and with ``decisions`` its
    decisions), as MkDocs ``nav`` entries; without ``workloads``, only the pages above
    them. Only pages in ``paths`` are listed. Paths are relative to ``docs_dir``, or to
    the section's folder with ``relative``."""
    have = set(paths)

    def entry(path: str) -> str | None:
        if path not in have:
            return None
        return posixpath.relpath(path, layout.section) if relative else path

    items: list[NavEntry] = [e for p in layout.top_pages() if (e := entry(p))]
    for workload, listed in catalog.workloads().items() if workloads else ():
        kids: list[NavEntry] = [e for e in (entry(layout.workload(workload)), entry(layout.timeline(workload))) if e]
        if decisions:
            kids += [e for d in listed if (e := entry(layout.decision(d)))]
        if kids:
            items.append({workload_title(workload): kids})
    return items


def unlisted_parents(catalog: Catalog, layout: Layout, paths: Iterable[str]) -> dict[str, list[str]]:
    """Page -> the pages under it (in the catalog's order), for the pages among ``paths``:
    where an adapter attaches a page that is not in the navigation, so that the reader
    sees where it belongs (the parent highlighted, breadcrumbs). A workload's log holds
    its decisions; the overview holds each workload's log and timeline (used when the
    navigation does not list them)."""
    have = set(paths)
    out: dict[str, list[str]] = {}
    workloads = [p for w in catalog.workloads() for p in (layout.workload(w), layout.timeline(w)) if p in have]
    if layout.overview() in have and workloads:
        out[layout.overview()] = workloads
    for workload, listed in catalog.workloads().items():
        log = layout.workload(workload)
        pages = [p for d in listed if (p := layout.decision(d)) in have]
        if log in have and pages:
            out[log] = pages
    return out
