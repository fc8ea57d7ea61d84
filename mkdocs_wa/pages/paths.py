"""Where each generated page and asset lives, relative to ``docs_dir``.

Every generated file's path comes from here, so pages can link to each other with
relative ``.md`` links that MkDocs resolves for any ``use_directory_urls`` setting and
any ``site_url`` prefix. ``section`` is the plugin's URL section (default
``architecture``).
"""

from __future__ import annotations

import posixpath
from functools import lru_cache
from dataclasses import dataclass
from urllib.parse import quote

from ..model import Decision


@dataclass(frozen=True)
class Layout:
    section: str = "architecture"

    def _join(self, *parts: str) -> str:
        return posixpath.join(*(p for p in (self.section, *parts) if p))

    def overview(self) -> str:
        return self._join("index.md")

    def loops(self) -> str:
        return self._join("loops.md")

    def explorer(self) -> str:
        return self._join("explorer.md")

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
    return quote("/".join(parts) or ".", safe="/#")
