"""Place the generated pages in MkDocs' navigation.

Generated files are marked "not in nav", so MkDocs leaves them out of its automatic
navigation (and does not report them as missing from an explicit one); this inserts one
curated section instead, built from :func:`mkdocs_wa.render.nav.nav_items` (the same
entries ``mkdocs-wa generate`` writes for Zensical). With an explicit ``nav:`` that
already names any generated page, the author's order wins; otherwise the section is
appended.

Decision pages are not in the section unless ``nav_decisions`` is on. As Material's blog
does with its posts, each is attached to its workload's log page without being listed:
its ``parent`` is the log (so the log shows as the current place in the navigation, and
in Material's breadcrumbs) and its previous/next links lead through the workload's
decisions. Every page carries the navigation, so this keeps the build linear in the
number of decisions. In the same way a site of many workloads lists none of them (the
overview, with a card per workload, leads to them), and a portal of many repositories
lists none of those (its front page does).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from mkdocs.structure import StructureItem
from mkdocs.structure.files import File
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from mkdocs_wa.layout import Layout
from mkdocs_wa.model import Catalog
from mkdocs_wa.render.nav import MOST_LISTED, NavEntry, nav_items, unlisted_parents


def _page(files_by_uri: Mapping[str, File], uri: str) -> Page | None:
    f = files_by_uri.get(uri)
    return f.page if f is not None and isinstance(f.page, Page) else None


def _mentions(items: list, section: str) -> bool:
    for item in items:
        if isinstance(item, Page) and item.file.src_uri.startswith(section + "/"):
            return True
        if isinstance(item, Section) and _mentions(item.children, section):
            return True
    return False


def nav_objects(entries: Sequence[NavEntry], files_by_uri: Mapping[str, File]) -> list[StructureItem]:
    """MkDocs' pages and sections for ``nav_items`` entries (paths relative to docs_dir)."""
    out: list[StructureItem] = []
    for e in entries:
        if isinstance(e, str):
            if page := _page(files_by_uri, e):
                out.append(page)
        else:
            for title, children in e.items():
                if kids := nav_objects(children, files_by_uri):
                    out.append(Section(title, kids))
    return out


def insert_section(
    nav: Navigation,
    files: Iterable[File],
    title: str,
    section: str,
    sites: Sequence[tuple[str | None, Catalog, Layout]],
    *,
    head: Sequence[str] = (),
    decisions: bool = False,
    most: int = MOST_LISTED,
) -> None:
    """Append the section ``title`` (the pages under ``section``/) to ``nav``: the pages
    ``head`` names, then each site's entries (:func:`nav_items`), in a sub-section named
    by its group when it has one (the portal: one per repository). A site with more than
    ``most`` workloads lists only its pages above them, and more than ``most`` sites are
    not listed at all (``head`` leads to them). What the navigation leaves out is attached
    to the page that leads to it: decisions to their workload's log, logs and timelines to
    the overview, a site's pages to the first of ``head``."""
    by_uri = {f.src_uri: f for f in files}
    pages = [uri for uri, f in by_uri.items() if isinstance(f.page, Page)]
    listed = sites if len(sites) <= most else ()
    if not _mentions(nav.items, section):
        entries: list[NavEntry] = list(head)
        for group, catalog, layout in listed:
            items = nav_items(catalog, layout, pages, decisions=decisions, workloads=len(catalog.workloads()) <= most)
            entries += [{group: items}] if group and items else items
        children = nav_objects(entries, by_uri)
        if children:
            nav.items.append(Section(title, children))
            relink(nav)
    placed = {id(p) for p in nav.pages}

    def hang(parent_uri: str, uris: Iterable[str]) -> None:
        parent = _page(by_uri, parent_uri)
        if parent is None or id(parent) not in placed:
            return  # an explicit nav without it: nothing to attach to
        kids = [p for uri in uris if (p := _page(by_uri, uri)) is not None and id(p) not in placed]
        attach(parent, kids)
        placed.update(map(id, kids))

    for _, catalog, layout in sites:
        if head and not listed:
            hang(head[0], layout.top_pages())
        for parent, kids in unlisted_parents(catalog, layout, pages).items():
            hang(parent, kids)


def attach(parent: Page, pages: Sequence[Page]) -> None:
    """Make ``pages`` (not in the navigation) children of ``parent`` (in it) without
    listing them, as Material's blog attaches its posts: viewing one marks ``parent`` and
    its sections active. Previous/next links run through ``pages`` in order."""
    for i, page in enumerate(pages):
        page.parent = parent  # type: ignore[assignment]  # MkDocs types it Section; Material's blog does the same
        page.previous_page = pages[i - 1] if i > 0 else None
        page.next_page = pages[i + 1] if i + 1 < len(pages) else None


def relink(nav: Navigation) -> None:
    """Recompute parents, the flat page list and previous/next links after editing."""
    pages: list[Page] = []

    def walk(items: list, parent: Section | None) -> None:
        for item in items:
            item.parent = parent
            if isinstance(item, Page):
                pages.append(item)
            elif isinstance(item, Section):
                walk(item.children, item)

    walk(nav.items, None)
    for i, page in enumerate(pages):
        page.previous_page = pages[i - 1] if i > 0 else None
        page.next_page = pages[i + 1] if i + 1 < len(pages) else None
    nav.pages = pages
