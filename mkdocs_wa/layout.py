"""Where each generated page and asset lives, relative to ``docs_dir``.

Every generated file's path comes from here, so pages can link to each other with
relative ``.md`` links that MkDocs resolves for any ``use_directory_urls`` setting and
any ``site_url`` prefix. ``section`` is the plugin's URL section (default
``architecture``).
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from mkdocs_wa.model import Decision


@dataclass(frozen=True)
class Layout:
    section: str = "architecture"
    #: MkDocs' ``use_directory_urls``: how a page's URL is made (``a/b/`` or ``a/b.html``),
    #: for the links of generated HTML (:meth:`href`). None: the site's renderer resolves
    #: relative links in raw HTML itself, as it does in Markdown (Zensical does).
    directory_urls: bool | None = True

    def href(self, from_page: str, to_file: str) -> str:
        """The URL MkDocs would make of a relative ``.md`` link from ``from_page`` to
        ``to_file``, for the links of generated HTML, which MkDocs does not resolve (with
        ``directory_urls`` None, the ``.md`` link itself)."""
        if self.directory_urls is None:
            return link(from_page, to_file)
        return href(from_page, to_file, self.directory_urls)

    def _join(self, *parts: str) -> str:
        return posixpath.join(*(p for p in (self.section, *parts) if p))

    def overview(self) -> str:
        return self._join("index.md")

    def loops(self) -> str:
        return self._join("loops.md")

    def explorer(self) -> str:
        return self._join("explorer.md")

    def changes(self) -> str:
        """What changed since the latest git tag."""
        return self._join("changes.md")

    def top_pages(self) -> tuple[str, ...]:
        """The section's pages above the workloads, in navigation order (the plugin's
        nav and ``mkdocs-wa generate``'s nav fragment both use it)."""
        return (self.overview(), self.explorer(), self.loops(), self.changes())

    def export(self) -> str:
        return self._join("decisions.json")

    def workload(self, workload: str) -> str:
        return self._join(workload, "index.md")

    def timeline(self, workload: str) -> str:
        return self._join(workload, "timeline.md")

    def decision(self, d: Decision) -> str:
        return self._join(d.workload, f"{d.slug}.md")

    def diagram(self, d: Decision) -> str:
        return self._join(d.workload, "diagrams", f"{d.slug}.svg")

    def chart(self, workload: str, name: str) -> str:
        return self._join(workload, "charts", f"{name}.svg")

    def evidence_chart(self, d: Decision, metric_index: int) -> str:
        """The measured series of a decision's metric (by its place in the hypothesis)."""
        return self._join(d.workload, "charts", f"{d.slug}-measured-{metric_index + 1}.svg")

    def feed(self) -> str:
        return self._join("feed.xml")


#: Page names the plugin itself writes at the top of its section and in each workload's folder.
RESERVED_TOP = {"index": "the overview page", "loops": "the feedback-loops page", "explorer": "the decision explorer",
                "changes": "the page of changes since the latest tag"}
RESERVED_IN_WORKLOAD = {"index": "decision log", "timeline": "evolution timeline"}


def url_key(path: str) -> str:
    """The URL a docs-relative file gets, the same for ``x.md`` and ``x/index.md`` (with
    ``use_directory_urls`` both become ``x/``), and case-folded (case-insensitive file
    systems and hosting)."""
    if path.endswith(".md"):
        path = path[:-3]
        if path == "index" or path.endswith("/index"):
            path = path[: -len("index")].rstrip("/")
        return path.casefold() + "/"
    return path.casefold()


def page_collisions(decisions: Sequence[Decision], layout: Layout | None = None) -> list[tuple[Decision, str]]:
    """Decisions whose page would get the URL of a page already taken: (decision, a
    message naming what has the URL). Of two decisions, the later one (in the order
    given) is named; a workload whose pages take a reserved URL names all its decisions."""
    layout = layout or Layout("")  # shown as <section>/...: the same clashes in any section
    taken: dict[str, str] = {
        url_key(layout.overview()): RESERVED_TOP["index"],
        url_key(layout.loops()): RESERVED_TOP["loops"],
        url_key(layout.explorer()): RESERVED_TOP["explorer"],
        url_key(layout.changes()): RESERVED_TOP["changes"],
    }
    out: list[tuple[Decision, str]] = []
    bad_workloads: dict[str, str] = {}
    for w in sorted({d.workload for d in decisions}):
        for name, what in RESERVED_IN_WORKLOAD.items():
            key = url_key(layout.workload(w) if name == "index" else layout.timeline(w))
            if key in taken and w not in bad_workloads:
                bad_workloads[w] = (
                    f"the workload name '{w}' gives its {what} the URL '<section>/{key}' of {taken[key]}; "
                    "rename the workload (its folder or 'workload')"
                )
            taken.setdefault(key, f"the {what} of workload '{w}'")
    for d in decisions:
        if d.workload in bad_workloads:
            out.append((d, bad_workloads[d.workload]))
            continue
        key = url_key(layout.decision(d))
        if key in taken:
            out.append((d, f"this decision's page would get the URL '<section>/{key}' of {taken[key]}; rename the file"))
        else:
            taken[key] = d.path
    return out


@lru_cache(maxsize=65536)
def link(from_page: str, to_file: str) -> str:
    """A relative link from one docs-relative file to another, as MkDocs expects
    (percent-encoded; MkDocs decodes it before resolving).

    Pages make about fifteen links per decision, mostly the same few pairs again (the
    workload log, the previous iteration): remembered, and worked out without
    ``posixpath.relpath``, which asks the operating system for the working directory."""
    here = [p for p in posixpath.dirname(from_page).split("/") if p and p != "."]
    there = [p for p in to_file.split("/") if p and p != "."]
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    parts = [".."] * (len(here) - common) + there[common:]
    # "#" in a file name is part of the path, not a fragment: encoded
    return quote("/".join(parts) or ".", safe="/")


def page_url(path: str, directory_urls: bool = True) -> str:
    """The site-relative URL MkDocs gives a docs-relative file (``a/b.md`` -> ``a/b/`` or
    ``a/b.html``; ``a/index.md`` -> ``a/`` or ``a/index.html``; other files keep their
    path), percent-encoded as MkDocs does."""
    if path.endswith(".md"):
        stem = path[:-3]
        name = stem.rpartition("/")[2]
        if name in ("index", "README"):
            folder = stem[: -len(name)]
            path = (folder or "./") if directory_urls else folder + "index.html"
        else:
            path = stem + "/" if directory_urls else stem + ".html"
    return quote(path, safe="/")


@lru_cache(maxsize=65536)
def href(from_page: str, to_file: str, directory_urls: bool = True) -> str:
    """The relative URL from a page to a file of the site, as MkDocs writes it for a
    ``.md`` link (``File.url_relative_to``, i.e. ``mkdocs.utils.get_relative_url``).

    Generated pages write Material's components (grid cards, the explorer's table, the
    timeline's events) as finished HTML rather than HTML with Markdown inside, which
    would need ``md_in_html`` on every page of the site; their links are made here."""
    here = page_url(from_page, directory_urls)
    there = page_url(to_file, directory_urls)
    folder, _, base = here.rpartition("/")
    if "." in base:  # a file: relative to its folder
        here = folder
    a = [p for p in here.split("/") if p and p != "."]
    b = [p for p in there.split("/") if p and p != "."]
    common = 0
    while common < min(len(a), len(b)) and a[common] == b[common]:
        common += 1
    rel = "/".join([".."] * (len(a) - common) + b[common:]) or "."
    return rel + "/" if there.endswith("/") else rel
