"""Draw one architecture as a self-contained SVG with the ``diagrams`` library.

The picture is the current architecture plus, when there is a previous iteration, what
it lost: added elements are green, changed ones amber, removed ones (taken from the
previous architecture) red and dashed, with a legend.

Three things the library does not do for us:

* **Files**: ``Diagram`` writes ``<filename>`` and ``<filename>.svg`` relative to the
  working directory. Each render gets its own temporary folder and an absolute
  ``filename`` in it, so nothing is written into the user's tree and parallel renders
  never share a file.
* **Portability**: Graphviz's SVG points at each icon by its absolute path on the
  build machine (diagrams issues #8, #26). Every ``<image>`` is inlined as a
  ``data:`` URI, and only icons of the installed library or the checked custom icons
  are accepted; the SVG is then verified to reference no file at all.
* **Untrusted labels**: labels are wrapped and cut to a few short lines, stripped of
  characters XML cannot hold, backslashes doubled (Graphviz expands ``\\N``, ``\\G``...
  even inside HTML labels), HTML-escaped and passed as a Graphviz HTML label, so no
  label can end a DOT string, add attributes or put markup into the SVG. Node, cluster
  and subgraph names in the DOT source are generated (``n0``, ``cluster_0``), never
  taken from the file.

The diagrams library keeps the current Diagram/Cluster in context variables; each
render runs in a fresh :class:`contextvars.Context`, so renders on several threads do
not see each other's diagram.
"""

from __future__ import annotations

import base64
import contextvars
import functools
import html
import re
import struct
import subprocess
import tempfile
import textwrap
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

import diagrams
import graphviz

from mkdocs_wa.diagrams import nodetypes
from mkdocs_wa.diagrams.architecture import ArchCluster, ArchEdge, Architecture, ArchNode
from mkdocs_wa.diagrams.diff import ArchDiff, diff
from mkdocs_wa.diagrams.icons import Icon

#: Deeper nesting is drawn flat from there: Graphviz and readers give up long before.
MAX_CLUSTER_DEPTH = 16
#: Seconds Graphviz may spend on one diagram. The node and edge limits do not bound its
#: time: 300 nodes with 900 labelled edges between random pairs kept dot busy for more
#: than ten minutes, with ortho or ordinary splines (real architectures take seconds).
GRAPHVIZ_TIMEOUT = 60.0

_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_FONT = re.compile(r"^[A-Za-z0-9 ,_-]{1,64}$")
_NUMBER = re.compile(r"^\d{1,2}(\.\d{1,2})?$")
_SAFE_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,100}$")


class RenderError(Exception):
    """Graphviz failed, or its output did not pass the safety checks."""


@dataclass(frozen=True)
class Theme:
    """Colours and spacing of the drawing (part of the cache key)."""

    added: str = "#2E7D32"
    changed: str = "#D98E04"
    removed: str = "#C62828"
    #: Text of removed elements, greyed out.
    removed_text: str = "#7A7A7A"
    #: Helvetica: Graphviz measures it with built-in metrics close to what browsers draw
    #: (Helvetica, Arial, Liberation Sans), so no label overflows its box or the picture.
    fontname: str = "Helvetica"
    #: Points, for every label. With the page showing a diagram no narrower than
    #: 11/16 of its natural width (see pages/decision.py), labels stay >= 11 px.
    fontsize: str = "16"
    #: Inches of blank space around the drawing (the library's default is 2.0).
    pad: str = "0.3"
    legend: bool = True

    def __post_init__(self) -> None:
        # These go into DOT attributes: only plain values, whatever the config says.
        for name in ("added", "changed", "removed", "removed_text"):
            if not _COLOR.match(getattr(self, name)):
                raise ValueError(f"theme colour {name} must be #RRGGBB, not {getattr(self, name)!r}")
        if not _FONT.match(self.fontname):
            raise ValueError(f"theme fontname {self.fontname!r} is not a plain font name")
        if not _NUMBER.match(self.pad):
            raise ValueError(f"theme pad {self.pad!r} is not a number of inches")
        if not _NUMBER.match(self.fontsize):
            raise ValueError(f"theme fontsize {self.fontsize!r} is not a number of points")

    def key(self) -> dict[str, object]:
        return asdict(self)


# --- labels -----------------------------------------------------------------------

# Characters XML 1.0 cannot hold, and bidirectional overrides that make text read
# differently from what it is (a label cannot be allowed to spoof another).
_UNSAFE_CHARS = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u202a-\u202e\u2066-\u2069]")


def label_lines(text: str, width: int, max_lines: int) -> list[str]:
    """``text`` as at most ``max_lines`` lines of at most ``width`` characters."""
    clean = _UNSAFE_CHARS.sub("", str(text)).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    lines: list[str] = []
    for paragraph in clean.split("\n"):
        # Runs of spaces collapse (Graphviz would turn them into no-break spaces).
        paragraph = re.sub(" {2,}", " ", paragraph)
        lines.extend(textwrap.wrap(paragraph, width, break_long_words=True, break_on_hyphens=False))
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


def html_label(text: str, width: int = 20, max_lines: int = 3) -> str:
    """A Graphviz HTML label showing ``text`` literally ('' for no text)."""
    lines = label_lines(text, width, max_lines)
    if not lines:
        return ""
    # Backslashes doubled first: Graphviz applies its escString rules (\\N, \\G, \\l...)
    # to HTML label text after decoding entities, so one backslash must become two.
    return "<" + "<br/>".join(html.escape(line.replace("\\", "\\\\"), quote=True) for line in lines) + ">"


# --- icons ------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def library_icons_dir() -> Path:
    """Where the installed ``diagrams`` keeps its PNGs (``Node._load_icon``)."""
    return (Path(diagrams.__file__).resolve().parent.parent / "resources").resolve()


@functools.lru_cache(maxsize=512)
def _library_icon(path: str) -> bytes:
    real = Path(path).resolve()
    if not real.is_relative_to(library_icons_dir()) or real.suffix.lower() != ".png":
        raise RenderError(f"the drawing refers to an image outside the diagrams library: {path}")
    return real.read_bytes()


@functools.lru_cache(maxsize=1)
def _placeholder_png() -> bytes:
    """A blank square PNG: Graphviz sizes custom icons from it and never reads the
    user's file; the real icon replaces it in the SVG."""
    size = 256
    raw = b"".join(b"\x00" + b"\x00\x00\x00\x00" * size for _ in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def _data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


# --- drawing ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Scene:
    """Everything drawn: the current elements plus the removed ones, with marks."""

    nodes: tuple[tuple[ArchNode, str | None], ...]
    clusters: tuple[tuple[ArchCluster, str | None], ...]
    edges: tuple[tuple[ArchEdge, str | None], ...]
    diff: ArchDiff


def scene(arch: Architecture, previous: Architecture | None) -> _Scene:
    d = diff(previous, arch)
    nodes = [(n, d.node_mark(n.id)) for n in arch.nodes]
    clusters = [(c, d.cluster_mark(c.id)) for c in arch.clusters]
    edges = [(e, d.edge_mark(e.key)) for e in arch.edges]
    if previous is not None:
        nodes += [(n, "removed") for n in previous.nodes if n.id in d.removed_nodes]
        clusters += [(c, "removed") for c in previous.clusters if c.id in d.removed_clusters]
        edges += [(e, "removed") for e in previous.edges if e.key in d.removed_edges]
    return _Scene(tuple(nodes), tuple(clusters), tuple(edges), d)


def _mark_attrs(mark: str | None, theme: Theme, *, kind: str) -> dict[str, str]:
    if mark is None:
        return {}
    color = {"added": theme.added, "changed": theme.changed, "removed": theme.removed}[mark]
    if kind == "cluster":
        attrs = {"pencolor": color, "penwidth": "2.5"}
        if mark == "removed":
            attrs |= {"style": "rounded,dashed", "fontcolor": theme.removed_text}
        return attrs
    if kind == "edge":
        attrs = {"color": color, "fontcolor": color, "penwidth": "2"}
        if mark == "removed":
            attrs |= {"style": "dashed", "fontcolor": theme.removed_text}
        return attrs
    attrs = {"shape": "box", "style": "rounded", "color": color, "penwidth": "2.5"}
    if mark == "removed":
        attrs |= {"style": "rounded,dashed", "fontcolor": theme.removed_text}
    return attrs


def _svg_id(prefix: str, value: str, index: int) -> str:
    # Ids from the file match the schema's pattern; anything else gets a numbered id.
    return f"{prefix}-{value}" if _SAFE_ID.match(value) else f"{prefix}-{index}"


def _build(arch: Architecture, sc: _Scene, theme: Theme, icons: Mapping[str, Icon], workdir: Path) -> dict[str, Icon]:
    """Declare the diagram with the library; returns the placeholder files to replace."""
    placeholders: dict[str, Icon] = {}
    cluster_ids = {c.id for c, _ in sc.clusters}
    children: dict[str | None, list[tuple[ArchCluster, str | None]]] = {}
    for c, mark in sc.clusters:
        parent = c.parent if c.parent in cluster_ids and c.parent != c.id else None
        children.setdefault(parent, []).append((c, mark))
    members: dict[str | None, list[tuple[ArchNode, str | None]]] = {}
    for n, mark in sc.nodes:
        members.setdefault(n.cluster if n.cluster in cluster_ids else None, []).append((n, mark))

    drawn: dict[str, diagrams.Node] = {}
    counter = iter(range(1_000_000))

    def node(n: ArchNode, mark: str | None) -> None:
        i = next(counter)
        lines = label_lines(n.label, 20, 3)
        attrs = {
            "class": f"wa-node wa-{mark}" if mark else "wa-node",
            "id": _svg_id("wa-node", n.id, i),
            **_mark_attrs(mark, theme, kind="node"),
        }
        label = html_label(n.label)
        # The library's own sizes (1.9 in, plus 0.4 per extra label line); a marked node
        # gets a frame, drawn a little taller so the label stays inside it.
        height = f"{1.9 + 0.4 * max(0, len(lines) - 1) + (0.3 if mark else 0):.1f}"
        cls = nodetypes.node_class(n.type) if n.type else None
        if n.icon and n.icon in icons:
            file = workdir / f"icon-{i}.png"
            file.write_bytes(_placeholder_png())
            placeholders[str(file)] = icons[n.icon]
            attrs = {"shape": "none", "image": str(file), "imagescale": "true", "height": height, **attrs}
            drawn[n.id] = diagrams.Node(label, nodeid=f"n{i}", **attrs)
        elif cls is not None:
            drawn[n.id] = cls(label, nodeid=f"n{i}", height=height, **attrs)
        else:  # unknown type (already a diagnostic): a plain box keeps the picture whole
            plain = {"shape": "box", "style": "rounded", "height": "0.9", "labelloc": "c"}
            drawn[n.id] = diagrams.Node(label, nodeid=f"n{i}", **{**plain, **attrs})

    def cluster(c: ArchCluster, mark: str | None, depth: int) -> None:
        i = next(counter)
        attrs = {
            "class": f"wa-cluster wa-{mark}" if mark else "wa-cluster",
            "id": _svg_id("wa-cluster", c.id, i),
            "fontname": theme.fontname,
            "fontsize": theme.fontsize,
            **_mark_attrs(mark, theme, kind="cluster"),
        }
        with diagrams.Cluster(html_label(c.label, 40, 2), graph_attr=attrs) as group:
            # The library names the subgraph "cluster_" + label: generated names keep
            # two clusters with one label apart and user text out of the DOT names.
            group.dot.name = f"cluster_{i}"
            for n, nmark in members.get(c.id, []):
                node(n, nmark)
            for child, cmark in children.get(c.id, []):
                if depth + 1 < MAX_CLUSTER_DEPTH:
                    cluster(child, cmark, depth + 1)
                else:
                    flat(child.id)

    def flat(cid: str) -> None:  # too deep: draw the rest inside the current cluster
        for n, nmark in members.get(cid, []):
            node(n, nmark)
        for child, _ in children.get(cid, []):
            flat(child.id)

    for n, mark in members.get(None, []):
        node(n, mark)
    for c, mark in children.get(None, []):
        cluster(c, mark, 0)
    for e, mark in sc.edges:
        if e.source not in drawn or e.target not in drawn:
            continue
        i = next(counter)
        safe_ends = _SAFE_ID.match(e.source) and _SAFE_ID.match(e.target)
        attrs = {
            "class": f"wa-edge wa-{mark}" if mark else "wa-edge",
            # ':' cannot occur in an id, so "from:to" names one edge unambiguously.
            "id": f"wa-edge-{e.source}:{e.target}" if safe_ends else f"wa-edge-{i}",
            "fontname": theme.fontname,
            "fontsize": theme.fontsize,
            **_mark_attrs(mark, theme, kind="edge"),
        }
        if e.style in ("dashed", "dotted", "bold") and "style" not in attrs:
            attrs["style"] = e.style
        edge = diagrams.Edge(drawn[e.source], forward=True, label=html_label(e.label, 24, 2), **attrs)
        drawn[e.source].connect(drawn[e.target], edge)
    if theme.legend and not sc.diff.empty:
        _legend(sc, theme)
    return placeholders


def _legend(sc: _Scene, theme: Theme) -> None:
    marks = {m for _, m in sc.nodes} | {m for _, m in sc.edges} | {m for _, m in sc.clusters}
    legend_attr = {"class": "wa-legend", "id": "wa-legend", "bgcolor": "#FFFFFF", "fontname": theme.fontname,
                   "fontsize": theme.fontsize}
    with diagrams.Cluster("Legend", graph_attr=legend_attr) as group:
        group.dot.name = "cluster_legend"
        for mark in ("added", "changed", "removed"):
            if mark not in marks:
                continue
            attrs = _mark_attrs(mark, theme, kind="node")
            attrs |= {"fontcolor": attrs.get("color", "#2D3436"), "width": "1.1", "height": "0.45", "labelloc": "c"}
            diagrams.Node(mark, nodeid=f"legend_{mark}", **{"class": f"wa-legend-item wa-{mark}", "id": f"wa-legend-{mark}"}, **attrs)


# --- the SVG ----------------------------------------------------------------------

_IMAGE_HREF = re.compile(r'(<image\b[^>]*?\bxlink:href=")([^"]*)(")')
_COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)
_SCRIPT = re.compile(r"<script\b.*?(?:</script\s*>|/>)", re.DOTALL | re.IGNORECASE)
_EVENT_ATTR = re.compile(r"""\son[A-Za-z]+\s*=\s*(?:"[^"]*"|'[^']*')""")
_XLINK = "{http://www.w3.org/1999/xlink}href"
_FORBIDDEN_TAGS = {"script", "foreignObject", "iframe", "object", "embed", "a", "use", "feImage"}
_DATA_IMAGE = re.compile(r"^data:image/(png|svg\+xml);base64,[A-Za-z0-9+/=]*$")


def _inline_images(svg: str, placeholders: Mapping[str, Icon]) -> str:
    def replace(m: re.Match[str]) -> str:
        path = html.unescape(m.group(2))
        icon = placeholders.get(path)
        uri = _data_uri(icon.mime, icon.data) if icon else _data_uri("image/png", _library_icon(path))
        return m.group(1) + uri + m.group(3)

    return _IMAGE_HREF.sub(replace, svg)


def check_svg(svg: str) -> None:
    """Raise :class:`RenderError` unless ``svg`` is inert and self-contained: no
    script, no event handler, no reference to anything but embedded images."""
    try:
        root = ET.fromstring(svg.encode("utf-8"))
    except ET.ParseError as exc:
        raise RenderError(f"Graphviz produced SVG that does not parse: {exc}") from None
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag in _FORBIDDEN_TAGS:
            raise RenderError(f"the drawing contains a <{tag}> element")
        for name, value in el.attrib.items():
            local = name.rsplit("}", 1)[-1]
            if local.lower().startswith("on"):
                raise RenderError(f"the drawing contains an event handler ({local})")
            if local == "href" or name == _XLINK:
                if not _DATA_IMAGE.match(value):
                    raise RenderError(f"the drawing refers to something outside itself: {value[:80]}")
            elif "url(" in value.lower() or "file:" in value.lower():
                raise RenderError(f"the drawing refers to something outside itself: {value[:80]}")


def finish_svg(svg: str, placeholders: Mapping[str, Icon]) -> str:
    """Inline images, drop comments, strip script defensively, then verify."""
    svg = _inline_images(svg, placeholders)
    svg = _COMMENT.sub("", svg)
    svg = _SCRIPT.sub("", svg)
    svg = _EVENT_ATTR.sub("", svg)
    check_svg(svg)
    return svg


class _DotFailed(RenderError):
    """Graphviz ran and failed (as opposed to missing, or producing unsafe SVG)."""


class _TimedDiagram(diagrams.Diagram):
    """The library's Diagram, with Graphviz run under :data:`GRAPHVIZ_TIMEOUT` (the
    library's own render waits for ever). SVG only."""

    def render(self) -> None:
        self.dot.save()  # the DOT source, at the absolute path given as filename
        source = Path(self.dot.filepath)
        try:
            subprocess.run(
                ["dot", "-Kdot", "-Tsvg", "-O", source.name],
                cwd=source.parent, capture_output=True, check=True, timeout=GRAPHVIZ_TIMEOUT,
            )
        except subprocess.TimeoutExpired:  # run() has killed dot; not retried (splines are as slow)
            raise RenderError(
                f"Graphviz gave up after {GRAPHVIZ_TIMEOUT:g} s laying out the diagram; "
                "draw fewer nodes and edges (split the architecture into several workloads)"
            ) from None
        except FileNotFoundError as exc:
            raise graphviz.ExecutableNotFound(["dot"]) from exc
        except subprocess.CalledProcessError as exc:
            raise graphviz.CalledProcessError(exc.returncode, exc.cmd, exc.stdout, exc.stderr) from None


def _render(
    arch: Architecture, previous: Architecture | None, theme: Theme, icons: Mapping[str, Icon], splines: str | None = None
) -> str:
    sc = scene(arch, previous)
    with tempfile.TemporaryDirectory(prefix="mkdocs-wa-diagram-") as tmp:
        workdir = Path(tmp)
        target = workdir / "diagram"
        graph_attr = {"pad": theme.pad, "fontname": theme.fontname, "fontsize": theme.fontsize}
        if splines:
            graph_attr["splines"] = splines  # overrides the library's "ortho"
        node_attr = {"fontname": theme.fontname, "fontsize": theme.fontsize}
        edge_attr: dict[str, str] = {}
        try:
            with _TimedDiagram(
                "",
                filename=str(target),
                direction=arch.direction if arch.direction in ("LR", "RL", "TB", "BT") else "LR",
                outformat="svg",
                show=False,
                graph_attr=graph_attr,
                node_attr=node_attr,
                edge_attr=edge_attr,
            ):
                placeholders = _build(arch, sc, theme, icons, workdir)
        except graphviz.ExecutableNotFound as exc:
            raise RenderError("Graphviz is not installed (no 'dot' program on PATH)") from exc
        except graphviz.CalledProcessError as exc:
            stderr = exc.stderr.decode("utf-8", "replace") if isinstance(exc.stderr, bytes) else str(exc.stderr or "")
            raise _DotFailed(f"Graphviz failed: {stderr.strip()[:500] or exc}") from exc
        svg = (workdir / "diagram.svg").read_text(encoding="utf-8")
    return finish_svg(svg, placeholders)


def render_svg(
    arch: Architecture,
    previous: Architecture | None = None,
    *,
    icons: Mapping[str, Icon] | None = None,
    theme: Theme | None = None,
) -> str:
    """The SVG of ``arch`` with its changes since ``previous`` marked.

    ``icons``: the custom icons the two architectures use, read with
    :func:`mkdocs_wa.diagrams.icons.read` (path -> Icon). Thread-safe.
    """
    theme, icons = theme or Theme(), icons or {}
    try:
        # A fresh context per call: the library's current Diagram/Cluster live there.
        return contextvars.Context().run(_render, arch, previous, theme, icons)
    except _DotFailed as first:
        # Graphviz's orthogonal edge router aborts on some valid graphs ("maze.c:
        # chkSgraph: Assertion `np->cells[1]' failed", seen with 2.43 on ~1 in 1,000
        # synthetic architectures): draw those with ordinary splines rather than fail
        # the build over a decision file that has nothing wrong with it.
        try:
            return contextvars.Context().run(_render, arch, previous, theme, icons, "spline")
        except _DotFailed:
            raise first from None
