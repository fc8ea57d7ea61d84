"""Links in the generated HTML components are the URLs MkDocs itself makes of ``.md`` links."""

from __future__ import annotations

import itertools

import pytest
from mkdocs.structure.files import File

from mkdocs_wa.layout import Layout, href, page_url

PATHS = [
    "index.md",
    "architecture/index.md",
    "architecture/explorer.md",
    "architecture/live-video/index.md",
    "architecture/live-video/timeline.md",
    "architecture/live-video/0001-split chat#1.md",
    "architecture/live-video/diagrams/0001-split-chat.svg",
    "architecture/live-video/charts/pillars.svg",
    "architecture/lab/0002-x.md",
    "architecture/feed.xml",
    "guide/README.md",
]


@pytest.mark.parametrize("directory_urls", [True, False])
def test_href_is_what_mkdocs_makes_of_a_md_link(directory_urls: bool) -> None:
    files = {p: File(p, "docs", "site", directory_urls) for p in PATHS}
    pages = [p for p in PATHS if p.endswith(".md")]
    checked = 0
    for source, target in itertools.product(pages, PATHS):
        assert page_url(target, directory_urls) == files[target].url, target
        assert href(source, target, directory_urls) == files[target].url_relative_to(files[source]), (source, target)
        checked += 1
    assert checked == len(pages) * len(PATHS)


def test_href_examples() -> None:
    page = "architecture/live-video/0001-a.md"
    assert href(page, "architecture/live-video/index.md") == "../"
    assert href(page, "architecture/live-video/diagrams/0001-a.svg") == "../diagrams/0001-a.svg"
    assert href(page, "architecture/lab/0002-b.md", False) == "../lab/0002-b.html"
    assert href(page, page) == "./"
    assert Layout(directory_urls=False).href(page, "architecture/explorer.md") == "../explorer.html"
