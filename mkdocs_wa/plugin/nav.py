"""Place the generated pages in the navigation.

Generated files are marked "not in nav", so MkDocs leaves them out of its automatic
navigation; this inserts one curated section instead (overview, feedback loops, then
per workload its log, timeline and decisions). With an explicit ``nav:`` that already
names any generated page, the author's order wins; otherwise the section is appended.
"""

from __future__ import annotations

from mkdocs.structure import StructureItem
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from mkdocs_wa.layout import Layout
from mkdocs_wa.model import Catalog
from mkdocs_wa.render.pages.workload import workload_title


def _page(files_by_uri: dict, uri: str) -> Page | None:
    f = files_by_uri.get(uri)
    return f.page if f is not None and isinstance(f.page, Page) else None


def _mentions(items: list, section: str) -> bool:
    for item in items:
        if isinstance(item, Page) and item.file.src_uri.startswith(section + "/"):
            return True
        if isinstance(item, Section) and _mentions(item.children, section):
            return True
    return False


def insert_section(nav: Navigation, files, catalog: Catalog, layout: Layout, title: str) -> None:
    if _mentions(nav.items, layout.section):
        return
    by_uri = {f.src_uri: f for f in files}
    children: list = []
    for uri in layout.top_pages():
        page = _page(by_uri, uri)
        if page:
            children.append(page)
    for workload, decisions in catalog.workloads().items():
        kids: list[StructureItem] = [
            p for p in (_page(by_uri, layout.workload(workload)), _page(by_uri, layout.timeline(workload))) if p
        ]
        kids += [p for d in decisions if (p := _page(by_uri, layout.decision(d)))]
        if kids:
            children.append(Section(workload_title(workload), kids))
    if not children:
        return
    section = Section(title, children)
    nav.items.append(section)
    _relink(nav)


def _relink(nav: Navigation) -> None:
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
