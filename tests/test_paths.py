"""Links between generated files: the same as posixpath.relpath gives, without its cost."""

from __future__ import annotations

import posixpath
from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from mkdocs_wa.layout import Layout, link

_part = st.sampled_from(["architecture", "wl-00", "wl-01", "index.md", "a b.md", "diagrams", "x.svg", "ä.md", "."])
_path = st.lists(_part, min_size=1, max_size=5).map("/".join)


@given(_path, _path)
def test_link_is_the_relative_path_percent_encoded(from_page: str, to_file: str) -> None:
    expected = quote(posixpath.relpath(to_file, posixpath.dirname(from_page) or "."), safe="/#")
    assert link(from_page, to_file) == expected


def test_links_between_generated_pages() -> None:
    layout = Layout("architecture")
    assert link(layout.overview(), layout.workload("live-video")) == "live-video/index.md"
    assert link(layout.workload("live-video"), layout.loops()) == "../loops.md"
    assert link("architecture/a/x.md", "architecture/b/diagrams/y z.svg") == "../b/diagrams/y%20z.svg"
    assert link("architecture/a/x.md", "architecture/a/x.md") == "x.md"
