"""What changed between two architectures: as data (for the drawing) and as text.

Nodes and clusters are matched by id, edges by their (from, to) pair. A node changes
when its type, label, cluster or icon changes; an edge when its label or style does; a
cluster when its label or parent does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mkdocs_wa.diagrams.architecture import ArchCluster, ArchEdge, Architecture, ArchNode
from mkdocs_wa.text import esc


@dataclass(frozen=True)
class Change:
    """One changed element: its id (or 'from->to' key), and what changed."""

    id: str
    #: (field, old value, new value) for each field that differs.
    fields: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class ArchDiff:
    #: The architecture compared with (None: the first one, nothing to compare).
    previous: str | None
    current: str
    added_nodes: tuple[str, ...] = ()
    removed_nodes: tuple[str, ...] = ()
    changed_nodes: tuple[Change, ...] = ()
    added_edges: tuple[tuple[str, str], ...] = ()
    removed_edges: tuple[tuple[str, str], ...] = ()
    changed_edges: tuple[tuple[tuple[str, str], Change], ...] = ()
    added_clusters: tuple[str, ...] = ()
    removed_clusters: tuple[str, ...] = ()
    changed_clusters: tuple[Change, ...] = ()

    @property
    def empty(self) -> bool:
        return not (
            self.added_nodes or self.removed_nodes or self.changed_nodes
            or self.added_edges or self.removed_edges or self.changed_edges
            or self.added_clusters or self.removed_clusters or self.changed_clusters
        )

    def node_mark(self, node_id: str) -> str | None:
        """'added', 'removed', 'changed' or None: how the drawing marks this node."""
        if node_id in self.added_nodes:
            return "added"
        if node_id in self.removed_nodes:
            return "removed"
        if any(c.id == node_id for c in self.changed_nodes):
            return "changed"
        return None

    def edge_mark(self, key: tuple[str, str]) -> str | None:
        if key in self.added_edges:
            return "added"
        if key in self.removed_edges:
            return "removed"
        if any(k == key for k, _ in self.changed_edges):
            return "changed"
        return None

    def cluster_mark(self, cluster_id: str) -> str | None:
        if cluster_id in self.added_clusters:
            return "added"
        if cluster_id in self.removed_clusters:
            return "removed"
        if any(c.id == cluster_id for c in self.changed_clusters):
            return "changed"
        return None


def _fields(old: object, new: object, names: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    out = []
    for name in names:
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            out.append((name, "" if a is None else str(a), "" if b is None else str(b)))
    return tuple(out)


def diff(previous: Architecture | None, current: Architecture) -> ArchDiff:
    """Compare ``current`` with ``previous`` (None: nothing to compare, an empty diff)."""
    if previous is None:
        return ArchDiff(None, current.decision)
    old_n: dict[str, ArchNode] = {n.id: n for n in previous.nodes}
    new_n: dict[str, ArchNode] = {n.id: n for n in current.nodes}
    old_e: dict[tuple[str, str], ArchEdge] = {e.key: e for e in previous.edges}
    new_e: dict[tuple[str, str], ArchEdge] = {e.key: e for e in current.edges}
    old_c: dict[str, ArchCluster] = {c.id: c for c in previous.clusters}
    new_c: dict[str, ArchCluster] = {c.id: c for c in current.clusters}
    changed_nodes = []
    for nid, node in new_n.items():
        if nid in old_n and (f := _fields(old_n[nid], node, ("type", "label", "cluster", "icon"))):
            changed_nodes.append(Change(nid, f))
    changed_edges = []
    for key, edge in new_e.items():
        if key in old_e and (f := _fields(old_e[key], edge, ("label", "style"))):
            changed_edges.append((key, Change(f"{key[0]}->{key[1]}", f)))
    changed_clusters = []
    for cid, cluster in new_c.items():
        if cid in old_c and (f := _fields(old_c[cid], cluster, ("label", "parent"))):
            changed_clusters.append(Change(cid, f))
    return ArchDiff(
        previous=previous.decision,
        current=current.decision,
        added_nodes=tuple(n for n in new_n if n not in old_n),
        removed_nodes=tuple(n for n in old_n if n not in new_n),
        changed_nodes=tuple(changed_nodes),
        added_edges=tuple(k for k in new_e if k not in old_e),
        removed_edges=tuple(k for k in old_e if k not in new_e),
        changed_edges=tuple(changed_edges),
        added_clusters=tuple(c for c in new_c if c not in old_c),
        removed_clusters=tuple(c for c in old_c if c not in new_c),
        changed_clusters=tuple(changed_clusters),
    )


# --- text -------------------------------------------------------------------------

_SAFE_CODE = re.compile(r"^[A-Za-z0-9_.\-/]+$")


def _code(text: str) -> str:
    # Types and ids are plain names; anything else is shown as escaped text.
    return f"`{text}`" if _SAFE_CODE.match(text) else esc(text)


def _quoted(text: str) -> str:
    return f"“{esc(text)}”" if text else "(none)"


def _field(name: str, old: str, new: str) -> str:
    if name in ("type", "icon", "cluster", "parent", "style"):
        show = lambda v: _code(v) if v else "(none)"  # noqa: E731
    else:
        show = _quoted
    return f"{name} {show(old)} → {show(new)}"


def diff_markdown(d: ArchDiff, previous: Architecture | None = None, current: Architecture | None = None) -> str:
    """The changes as a Markdown list, every user string escaped; '' when there is
    nothing to compare. Pass the architectures to name nodes by label, not only id."""
    if d.previous is None:
        return ""
    if d.empty:
        return f"No change to the architecture since {esc(d.previous)}.\n"

    # Elements are named by their labels, as the drawing shows them; the id only when
    # an element has no label (types and ids are the file's vocabulary, not the reader's).
    def node_name(nid: str) -> str:
        node = (current and current.node(nid)) or (previous and previous.node(nid))
        return f"**{esc(node.label)}**" if node and node.label else f"**{_code(nid)}**"

    def end_name(nid: str) -> str:
        node = (current and current.node(nid)) or (previous and previous.node(nid))
        return esc(node.label) if node and node.label else _code(nid)

    def edge_name(key: tuple[str, str]) -> str:
        edge = (current and current.edge(key)) or (previous and previous.edge(key))
        label = f" “{esc(edge.label)}”" if edge and edge.label else ""
        return f"{end_name(key[0])} → {end_name(key[1])}{label}"

    def cluster_name(cid: str) -> str:
        c = (current and current.cluster(cid)) or (previous and previous.cluster(cid))
        return f"**{esc(c.label)}**" if c and c.label else f"**{_code(cid)}**"

    def group(cid: str) -> str:
        c = (current and current.cluster(cid)) or (previous and previous.cluster(cid))
        return f"“{esc(c.label)}”" if c and c.label else _code(cid)

    def field(name: str, old: str, new: str) -> str:
        if name == "type":  # the kind of element, as its icon shows it
            return f"kind {esc(old.rsplit('.', 1)[-1]) or '(none)'} → {esc(new.rsplit('.', 1)[-1]) or '(none)'}"
        if name in ("cluster", "parent"):
            return f"group {group(old) if old else '(none)'} → {group(new) if new else '(none)'}"
        return _field(name, old, new)

    lines: list[str] = []
    for nid in d.added_nodes:
        lines.append(f"- Added {node_name(nid)}")
    for c in d.changed_nodes:
        lines.append(f"- Changed {node_name(c.id)}: " + "; ".join(field(*f) for f in c.fields))
    for nid in d.removed_nodes:
        lines.append(f"- Removed {node_name(nid)}")
    for key in d.added_edges:
        lines.append(f"- Added connection {edge_name(key)}")
    for key, c in d.changed_edges:
        lines.append(f"- Changed connection {end_name(key[0])} → {end_name(key[1])}: " + "; ".join(field(*f) for f in c.fields))
    for key in d.removed_edges:
        lines.append(f"- Removed connection {edge_name(key)}")
    for cid in d.added_clusters:
        lines.append(f"- Added group {cluster_name(cid)}")
    for c in d.changed_clusters:
        lines.append(f"- Changed group {cluster_name(c.id)}: " + "; ".join(field(*f) for f in c.fields))
    for cid in d.removed_clusters:
        lines.append(f"- Removed group {cluster_name(cid)}")
    return "\n".join(lines) + "\n"

