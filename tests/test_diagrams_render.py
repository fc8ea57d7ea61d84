"""Rendering with real Graphviz: self-contained SVG, exact diff marks, hostile labels."""

from __future__ import annotations

import base64
import copy
import re
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import write
from diagrams_helpers import BASE, load, write_decision

from mkdocs_wa.diagrams import render_all, render_svg
from mkdocs_wa.diagrams.architecture import ArchCluster, ArchEdge, Architecture, ArchNode
from mkdocs_wa.diagrams.icons import read as read_icon
from mkdocs_wa.diagrams.render import RenderError, check_svg, html_label, label_lines, library_icons_dir

SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
ICON_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="4" fill="teal"/></svg>'


def tree(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode("utf-8"))


def marks(svg: str, kind: str) -> dict[str, str | None]:
    """{element id: mark} for every drawn node/edge/cluster of ``kind``."""
    out: dict[str, str | None] = {}
    for g in tree(svg).iter(f"{SVG_NS}g"):
        classes = (g.get("class") or "").split()
        if f"wa-{kind}" in classes:
            mark = next((c[3:] for c in classes if c in ("wa-added", "wa-removed", "wa-changed")), None)
            out[g.get("id").removeprefix(f"wa-{kind}-")] = mark
    return out


def texts(svg: str) -> list[str]:
    return ["".join(t.itertext()) for t in tree(svg).iter(f"{SVG_NS}text")]


def assert_self_contained(svg: str) -> None:
    root = tree(svg)
    images = list(root.iter(f"{SVG_NS}image"))
    for image in images:
        assert re.match(r"^data:image/(png|svg\+xml);base64,[A-Za-z0-9+/=]+$", image.get(XLINK)), image.get(XLINK)[:80]
    for el in root.iter():
        for name, value in el.attrib.items():
            assert not name.rsplit("}", 1)[-1].startswith("on")
            if name.endswith("href"):
                assert value.startswith("data:image/")
            else:
                assert "file:" not in value and "url(" not in value and not value.startswith("/")
    assert str(library_icons_dir()) not in svg
    assert "site-packages" not in svg and "/tmp" not in svg and "file:" not in svg.lower()
    assert "<script" not in svg.lower()
    assert len(images) > 0


@pytest.fixture
def evolved(tmp_path: Path) -> tuple[Path, dict[str, Architecture]]:
    write_decision(tmp_path, 1, BASE)
    write_decision(
        tmp_path,
        2,
        {
            "extends": "previous",
            "clusters": [{"id": "edge", "label": "Edge"}],
            "nodes": [
                {"id": "cdn", "type": "aws.network.CloudFront", "label": "CDN", "cluster": "edge"},
                {"id": "db", "type": "aws.database.Aurora", "label": "Aurora"},
            ],
            "edges": [{"from": "cdn", "to": "lb"}, {"from": "lb", "to": "app", "style": "bold"}],
            "remove": {"nodes": ["viewers"], "edges": [{"from": "app", "to": "db"}]},
        },
    )
    _, archs, diags = load(tmp_path)
    assert diags == []
    return tmp_path, archs


def test_svg_is_self_contained_with_every_icon_inlined(evolved) -> None:
    _, archs = evolved
    svg = render_svg(archs["W-0001"])
    assert_self_contained(svg)
    # four nodes, four library icons, each the library's own PNG bytes
    images = [i.get(XLINK) for i in tree(svg).iter(f"{SVG_NS}image")]
    assert len(images) == 4
    elb = (library_icons_dir() / "aws/network/elastic-load-balancing.png").read_bytes()
    assert "data:image/png;base64," + base64.b64encode(elb).decode() in images
    # no legend and no marks without a previous iteration
    assert set(marks(svg, "node").values()) == {None} and "wa-legend" not in svg


def test_diff_marks_exactly_the_changed_elements(evolved) -> None:
    _, archs = evolved
    svg = render_svg(archs["W-0002"], archs["W-0001"])
    assert_self_contained(svg)
    assert marks(svg, "node") == {"cdn": "added", "db": "changed", "viewers": "removed", "lb": None, "app": None}
    assert marks(svg, "edge") == {
        "cdn:lb": "added",
        "lb:app": "changed",
        "viewers:lb": "removed",
        "app:db": "removed",
    }
    assert marks(svg, "cluster") == {"aws": None, "asg": None, "edge": "added"}
    # the legend lists the kinds of change present
    legend = [g.get("id") for g in tree(svg).iter(f"{SVG_NS}g") if "wa-legend-item" in (g.get("class") or "")]
    assert sorted(legend) == ["wa-legend-added", "wa-legend-changed", "wa-legend-removed"]
    # removed elements are dashed, in the theme's red
    removed = next(g for g in tree(svg).iter(f"{SVG_NS}g") if g.get("id") == "wa-node-viewers")
    path = next(removed.iter(f"{SVG_NS}path"))
    assert path.get("stroke").lower() == "#c62828" and path.get("stroke-dasharray")


def test_removed_cluster_is_drawn_from_the_previous_iteration(tmp_path: Path) -> None:
    write_decision(tmp_path, 1, BASE)
    write_decision(tmp_path, 2, {"extends": "previous", "remove": {"clusters": ["asg"]}})
    _, archs, _ = load(tmp_path)
    svg = render_svg(archs["W-0002"], archs["W-0001"])
    assert marks(svg, "cluster") == {"aws": None, "asg": "removed"}
    assert marks(svg, "node") == {"viewers": None, "lb": None, "db": None, "app": "removed"}
    assert marks(svg, "edge") == {"viewers:lb": None, "lb:app": "removed", "app:db": "removed"}


HOSTILE = [
    '"; label="pwned"; x="',
    "<script>alert('x')</script>",
    "</text><script>alert(1)</script><text>",
    "<b>bold</b> & &amp; &#60; &lt;",
    "back\\slash \\N \\G \\E \\L \\",
    "trailing backslash \\",
    '\\"escaped quote\\"',
    "{record|fields} <port> | pipe",
    "line one\nline two\nline three\nline four\nline five",
    "x" * 5000,
    "ctrl \x01\x07\x1b chars",
    "bidi \u202eevil\u202c end",
    "]]> <!-- comment --> <![CDATA[x]]>",
    "emoji 🚀 ünïcödé",
    "onload=alert(1) onerror='x' href=file:///etc/passwd",
    "",
]


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_labels_render_as_inert_text(label: str) -> None:
    arch = Architecture(
        "W-0001",
        "w",
        nodes=(ArchNode("a", "aws.compute.EC2", label, "c"), ArchNode("b", "aws.storage.S3", "plain")),
        clusters=(ArchCluster("c", label),),
        edges=(ArchEdge("a", "b", label),),
    )
    svg = render_svg(arch)
    check_svg(svg)
    root = tree(svg)
    assert not [el for el in root.iter() if el.tag.rsplit("}", 1)[-1] in ("script", "a", "foreignObject")]
    for el in root.iter():
        assert not [k for k in el.attrib if k.rsplit("}", 1)[-1].startswith("on")]
        for k, v in el.attrib.items():
            if k.endswith("href"):
                assert v.startswith("data:image/")
    shown = " ".join(texts(svg))
    # what is shown is the label's own text (wrapped, maybe cut), never rewritten by Graphviz
    for line in label_lines(label, 20, 3):
        assert line in shown
    assert "n0" not in shown.split()  # \N was not expanded to the node's name
    # long labels are cut to a few short lines
    assert max(len(t) for t in texts(svg)) <= 40


def test_html_label_neutralises_graphviz_syntax() -> None:
    assert html_label("a\\Nb") == "<a\\\\Nb>"
    assert html_label('<x> & "y"') == "<&lt;x&gt; &amp; &quot;y&quot;>"
    assert html_label("one\ntwo") == "<one<br/>two>"
    assert html_label("") == "" and html_label("\x01\u202e") == ""
    assert label_lines("y" * 100, 20, 3)[-1].endswith("…")


def test_custom_icons_are_inlined(tmp_path: Path) -> None:
    png = (library_icons_dir() / "aws/compute/lambda.png").read_bytes()
    write(tmp_path, "icons/gw.png", png)
    write(tmp_path, "icons/gw.svg", ICON_SVG)
    arch = copy.deepcopy(BASE)
    arch["nodes"] += [{"id": "gw", "icon": "../../icons/gw.png"}, {"id": "fw", "icon": "../../icons/gw.svg", "type": "aws.network.ELB"}]
    write_decision(tmp_path, 1, arch)
    _, archs, diags = load(tmp_path)
    assert diags == []
    icons = {p: read_icon(p, tmp_path) for p in archs["W-0001"].icons()}
    svg = render_svg(archs["W-0001"], icons=icons)
    assert_self_contained(svg)
    hrefs = [i.get(XLINK) for i in tree(svg).iter(f"{SVG_NS}image")]
    assert "data:image/svg+xml;base64," + base64.b64encode(ICON_SVG).decode() in hrefs
    assert hrefs.count("data:image/png;base64," + base64.b64encode(png).decode()) == 1
    assert len(hrefs) == 6


def test_check_svg_refuses_references_and_script() -> None:
    ok = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="data:image/png;base64,AAAA"/></svg>'
    check_svg(ok)
    for bad in (
        ok.replace("data:image/png;base64,AAAA", "/usr/lib/x.png"),
        ok.replace("data:image/png;base64,AAAA", "file:///x.png"),
        ok.replace("<image", '<image onload="x()"'),
        ok.replace("<image", "<script>x()</script><image"),
        ok.replace("<image", '<rect style="fill:url(http://x/y)"/><image'),
    ):
        with pytest.raises(RenderError):
            check_svg(bad)


def test_parallel_renders_do_not_mix_diagrams(tmp_path: Path) -> None:
    """The library keeps the current diagram in a context variable: renders on many
    threads at once must each get only their own nodes."""
    archs = [
        Architecture(f"W-{i:04d}", "w", nodes=tuple(ArchNode(f"x{i}_{k}", "aws.compute.EC2", f"N{i}.{k}") for k in range(3)))
        for i in range(12)
    ]
    serial = [render_svg(a) for a in archs]
    with ThreadPoolExecutor(max_workers=6) as pool:
        parallel = list(pool.map(render_svg, archs))
    assert parallel == serial
    for i, svg in enumerate(parallel):
        assert set(marks(svg, "node")) == {f"x{i}_{k}" for k in range(3)}


def test_rendering_writes_nothing_into_the_project(evolved, monkeypatch: pytest.MonkeyPatch) -> None:
    root, archs = evolved
    monkeypatch.chdir(root)
    before = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    catalog, archs, _ = load(root)
    result = render_all(catalog, archs, cache_dir=None, project_root=root, workers=2)
    assert result.rendered == 2 and result.diagnostics == ()
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == before
