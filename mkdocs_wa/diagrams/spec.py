"""From each decision's ``architecture`` mapping to a resolved :class:`Architecture`.

A decision may draw its architecture whole, or start from another one with
``extends`` and say what changes:

* ``extends: previous``: the workload's previous iteration that has an architecture
  (for an iteration: the one before it in ``catalog.iterations``; for a proposed or
  rejected decision: the latest iteration before it in the catalog's order). A decision
  without an ``architecture`` leaves the picture as it was, so it is skipped.
* ``extends: <decision id>``: that decision's resolved architecture.

Then, in this order: ``direction``; ``nodes``, ``clusters`` and ``edges`` (an id, or for
edges a ``from``/``to`` pair, that is already there changes the fields given, a new one
is added); ``remove`` (a node takes its edges with it; a cluster takes its nested
clusters, their nodes and those nodes' edges). A node may leave every cluster with
``cluster: ""``.

Every problem is a diagnostic at the file, line and column of the value at fault. The
result is still drawable: an unknown type becomes a plain box, an edge to an unknown
node is left out, a node in an unknown cluster is drawn outside any cluster.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from mkdocs_wa.diagnostics import Diagnostic, did_you_mean, error, sort_key
from mkdocs_wa.diagrams import icons, nodetypes
from mkdocs_wa.diagrams.architecture import MAX_EDGES, MAX_NODES, ArchCluster, ArchEdge, Architecture, ArchNode
from mkdocs_wa.model import Catalog, Decision

Path_ = tuple[str | int, ...]
_ARCH = ("architecture",)


def previous_iterations(catalog: Catalog) -> dict[str, str | None]:
    """For every decision with an architecture: the id of the workload's previous
    iteration that has one (what ``extends: previous`` and the diff start from)."""
    out: dict[str, str | None] = {}
    for decisions in catalog.workloads().values():
        latest: str | None = None  # the latest iteration with an architecture so far
        for d in decisions:  # catalog order: date, then id
            if d.architecture is not None:
                out[d.id] = latest
            if d.is_iteration and d.architecture is not None:
                latest = d.id
    return out


class _Resolver:
    def __init__(self, catalog: Catalog, project_root: Path, base_dir: Path) -> None:
        self.by_id = catalog.by_id()
        self.previous = previous_iterations(catalog)
        self.root = project_root
        self.base_dir = base_dir
        self.done: dict[str, Architecture] = {}
        self.visiting: list[str] = []
        self.diags: list[Diagnostic] = []

    # --- diagnostics ------------------------------------------------------------

    def at(self, d: Decision, path: Path_, message: str, *, key: bool = False) -> None:
        pos = d.source.position(_ARCH + path, key=key) if d.source is not None else None
        line, col = (pos.line, pos.col) if pos else (0, 0)
        self.diags.append(error(d.path, line, col, message, "diagram"))

    # --- extends ----------------------------------------------------------------

    def base_of(self, d: Decision, spec: Mapping[str, Any]) -> Architecture | None:
        target = spec.get("extends")
        if not target:
            return None
        if target == "previous":
            prev = self.previous.get(d.id)
            if prev is None:
                self.at(d, ("extends",), f"extends 'previous', but no earlier iteration of workload '{d.workload}' "
                        "has an architecture; draw this one whole (drop 'extends')")
                return None
            target = prev
        elif target not in self.by_id:
            self.at(d, ("extends",), f"extends unknown decision '{target}'{did_you_mean(target, self.by_id)}")
            return None
        elif self.by_id[target].architecture is None:
            self.at(d, ("extends",), f"extends '{target}', which has no architecture")
            return None
        if target in self.visiting:  # d itself is on the path too
            chain = " -> ".join([*self.visiting[self.visiting.index(target) :], target])
            self.at(d, ("extends",), f"extends cycle: {chain}")
            return None
        return self.resolve(self.by_id[target])

    # --- one decision -----------------------------------------------------------

    def resolve(self, d: Decision) -> Architecture:
        if d.id in self.done:
            return self.done[d.id]
        self.visiting.append(d.id)
        try:
            arch = self._build(d, d.architecture or {})
        finally:
            self.visiting.pop()
        self.done[d.id] = arch
        return arch

    def _build(self, d: Decision, spec: Mapping[str, Any]) -> Architecture:
        """The architecture of ``d``: its base (``extends``), then in passes the nodes,
        clusters and edges it lists, what it removes, and what is left dangling."""
        base = self.base_of(d, spec)
        nodes: dict[str, ArchNode] = {n.id: n for n in base.nodes} if base else {}
        clusters: dict[str, ArchCluster] = {c.id: c for c in base.clusters} if base else {}
        edges: dict[tuple[str, str], ArchEdge] = {e.key: e for e in base.edges} if base else {}
        direction = spec.get("direction") or (base.direction if base else "LR")

        listed_nodes, cluster_refs = self._nodes(d, spec.get("nodes") or (), nodes)
        cluster_pos = self._clusters(d, spec.get("clusters") or (), clusters)
        listed_edges = self._edges(d, spec.get("edges") or (), edges)
        self._remove(d, spec.get("remove") or {}, base, nodes, clusters, edges)
        self._check_parents(d, clusters, cluster_pos)
        self._dangling(d, nodes, clusters, edges, {**listed_nodes, **cluster_refs}, listed_edges)

        if len(nodes) > MAX_NODES or len(edges) > MAX_EDGES:
            self.at(
                d, (), f"the architecture has {len(nodes)} nodes and {len(edges)} edges; diagrams are drawn up to "
                f"{MAX_NODES} nodes and {MAX_EDGES} edges (split it into workloads or clusters of its own)", key=True,
            )
        return Architecture(
            decision=d.id,
            workload=d.workload,
            direction=direction,
            nodes=tuple(nodes.values()),
            clusters=tuple(clusters.values()),
            edges=tuple(edges.values()),
            extends=base.decision if base else None,
            previous=self.previous.get(d.id),
        )

    def _nodes(
        self, d: Decision, listed: Sequence[Mapping[str, Any]], nodes: dict[str, ArchNode]
    ) -> tuple[dict[str, Path_], dict[str, Path_]]:
        """Add or change the nodes ``d`` lists; returns where each node's id and each
        node's ``cluster`` was given."""
        listed_nodes: dict[str, Path_] = {}
        cluster_refs: dict[str, Path_] = {}  # node id -> where its 'cluster' was given
        for i, n in enumerate(listed):
            p: Path_ = ("nodes", i)
            nid = n["id"]
            if nid in listed_nodes:
                self.at(d, p + ("id",), f"node '{nid}' is listed twice (first at line {self._line(d, listed_nodes[nid])})")
                continue
            listed_nodes[nid] = p + ("id",)
            old = nodes.get(nid)
            ntype = old.type if old else None
            if "type" in n:
                ntype = n["type"]
                pos = self._pos(d, p + ("type",))
                problem = nodetypes.check_type(ntype, d.path, *pos)
                if problem is not None:
                    self.diags.append(problem)
                    ntype = None
            icon = old.icon if old else None
            if "icon" in n:
                icon = self._icon(d, n["icon"], p + ("icon",))
            if old is None and "type" not in n and "icon" not in n:
                self.at(d, p + ("id",), f"node '{nid}' needs a 'type' (e.g. aws.compute.EC2) or an 'icon'")
            cluster = old.cluster if old else None
            if "cluster" in n:
                cluster = n["cluster"] or None
                cluster_refs[nid] = p + ("cluster",)
            label = n.get("label", old.label if old else nid)
            nodes[nid] = ArchNode(nid, ntype, label, cluster, icon)
        return listed_nodes, cluster_refs

    def _clusters(
        self, d: Decision, listed: Sequence[Mapping[str, Any]], clusters: dict[str, ArchCluster]
    ) -> dict[str, Path_]:
        """Add or change the clusters ``d`` lists (nested ones too, depth first in file
        order); returns where each cluster's id was given."""
        listed_clusters: dict[str, Path_] = {}
        cluster_pos: dict[str, Path_] = {}
        stack: list[tuple[Mapping[str, Any], Path_, str | None]] = [
            (c, ("clusters", i), None) for i, c in reversed(list(enumerate(listed)))
        ]
        while stack:
            c, p, parent = stack.pop()
            cid = c["id"]
            if cid in listed_clusters:
                self.at(d, p + ("id",), f"cluster '{cid}' is listed twice (first at line {self._line(d, listed_clusters[cid])})")
                continue
            listed_clusters[cid] = p + ("id",)
            old_c = clusters.get(cid)
            # Listed at the top it keeps the parent it had; listed inside another, it moves there.
            new_parent = parent if parent is not None else (old_c.parent if old_c else None)
            clusters[cid] = ArchCluster(cid, c.get("label", old_c.label if old_c else cid), new_parent)
            cluster_pos[cid] = p + ("id",)
            stack.extend((child, p + ("clusters", j), cid) for j, child in reversed(list(enumerate(c.get("clusters") or ()))))
        return cluster_pos

    def _edges(
        self, d: Decision, listed: Sequence[Mapping[str, Any]], edges: dict[tuple[str, str], ArchEdge]
    ) -> dict[tuple[str, str], Path_]:
        """Add or change the edges ``d`` lists; returns where each was given."""
        listed_edges: dict[tuple[str, str], Path_] = {}
        for i, e in enumerate(listed):
            p: Path_ = ("edges", i)
            key = (e["from"], e["to"])
            if key in listed_edges:
                self.at(d, p, f"edge {key[0]} -> {key[1]} is listed twice (first at line {self._line(d, listed_edges[key])})", key=False)
                continue
            listed_edges[key] = p
            old_e = edges.get(key)
            edges[key] = ArchEdge(
                key[0],
                key[1],
                e.get("label", old_e.label if old_e else ""),
                e.get("style", old_e.style if old_e else "solid"),
            )
        return listed_edges

    def _dangling(
        self,
        d: Decision,
        nodes: dict[str, ArchNode],
        clusters: dict[str, ArchCluster],
        edges: dict[tuple[str, str], ArchEdge],
        node_refs: Mapping[str, Path_],
        listed_edges: Mapping[tuple[str, str], Path_],
    ) -> None:
        """What the others left dangling: a node in an unknown cluster is drawn outside
        any; an edge to an unknown node is left out (reported only when ``d`` listed it:
        an inherited edge that went with its node is no error)."""
        for nid, node in list(nodes.items()):
            if node.cluster is not None and node.cluster not in clusters:
                self.at(d, node_refs.get(nid, ()), f"node '{nid}' is in unknown cluster '{node.cluster}'{did_you_mean(node.cluster, clusters)}")
                nodes[nid] = ArchNode(node.id, node.type, node.label, None, node.icon)
        for key in list(edges):
            missing = [end for end in key if end not in nodes]
            if not missing:
                continue
            del edges[key]
            if key in listed_edges:
                for end, field in ((key[0], "from"), (key[1], "to")):
                    if end in missing:
                        self.at(d, listed_edges[key] + (field,), f"edge names unknown node '{end}'{did_you_mean(end, nodes)}")

    def _remove(
        self,
        d: Decision,
        remove: Mapping[str, Any],
        base: Architecture | None,
        nodes: dict[str, ArchNode],
        clusters: dict[str, ArchCluster],
        edges: dict[tuple[str, str], ArchEdge],
    ) -> None:
        whose = f"in the architecture of {base.decision}" if base else "(this architecture extends nothing: add 'extends: previous')"
        for i, nid in enumerate(remove.get("nodes") or ()):
            if nid not in nodes:
                self.at(d, ("remove", "nodes", i), f"cannot remove node '{nid}': there is no such node {whose}{did_you_mean(nid, nodes)}")
                continue
            del nodes[nid]
        for i, cid in enumerate(remove.get("clusters") or ()):
            if cid not in clusters:
                self.at(d, ("remove", "clusters", i), f"cannot remove cluster '{cid}': there is no such cluster {whose}{did_you_mean(cid, clusters)}")
                continue
            gone = {cid}
            grew = True
            while grew:  # nested clusters go with their parent
                more = {c.id for c in clusters.values() if c.parent in gone} - gone
                gone |= more
                grew = bool(more)
            for c in gone:
                clusters.pop(c, None)
            for nid in [n.id for n in nodes.values() if n.cluster in gone]:
                del nodes[nid]
        for i, e in enumerate(remove.get("edges") or ()):
            key = (e["from"], e["to"])
            if key not in edges:
                self.at(d, ("remove", "edges", i), f"cannot remove edge {key[0]} -> {key[1]}: there is no such edge {whose}")
                continue
            del edges[key]

    def _check_parents(self, d: Decision, clusters: dict[str, ArchCluster], where: dict[str, Path_]) -> None:
        """Re-nesting inherited clusters can make a loop (a inside b inside a): cut it."""
        for cid in list(clusters):
            seen = [cid]
            parent = clusters[cid].parent
            while parent is not None and parent in clusters:
                if parent in seen:
                    self.at(d, where.get(cid, ("clusters",)), f"cluster '{cid}' ends up inside itself: {' in '.join(seen + [parent])}")
                    c = clusters[cid]
                    clusters[cid] = ArchCluster(c.id, c.label, None)
                    break
                seen.append(parent)
                parent = clusters[parent].parent

    # --- helpers ----------------------------------------------------------------

    def _icon(self, d: Decision, value: str, path: Path_) -> str | None:
        try:
            rel = icons.locate(value, self.base_dir / d.path, self.root)
            if rel is not None:
                icons.read(rel, self.root)  # content checks too: validate reports them before a build
        except icons.IconError as exc:
            self.at(d, path, str(exc))
            return None
        except OSError as exc:
            self.at(d, path, f"cannot read icon '{value}': {exc.strerror or exc}")
            return None
        return rel

    @staticmethod
    def _pos(d: Decision, path: Path_) -> tuple[int, int]:
        if d.source is None:
            return (0, 0)
        pos = d.source.position(_ARCH + path)
        return (pos.line, pos.col)

    def _line(self, d: Decision, path: Path_) -> int:
        return self._pos(d, path)[0]


def find_project_root(start: Path) -> Path:
    """The nearest folder from ``start`` up that holds mkdocs.yml or .git (else ``start``)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if any((folder / name).exists() for name in ("mkdocs.yml", "mkdocs.yaml", ".git")):
            return folder
    return start


def resolve(
    catalog: Catalog,
    *,
    project_root: Path | None = None,
    paths_relative_to: Path | None = None,
) -> tuple[dict[str, Architecture], list[Diagnostic]]:
    """Every decision's full architecture, by decision id, and every problem found.

    ``project_root``: the repository, which icons must stay inside; decision paths
    (``Decision.path``) are relative to it. Without it (``mkdocs-wa validate``), decision
    paths are relative to the working directory and the root is found from there
    (:func:`find_project_root`). ``paths_relative_to`` overrides where decision paths
    start.
    """
    cwd = Path.cwd().resolve()
    root = project_root.resolve() if project_root is not None else find_project_root(cwd)
    base = paths_relative_to.resolve() if paths_relative_to is not None else (root if project_root is not None else cwd)
    r = _Resolver(catalog, root, base)
    out: dict[str, Architecture] = {}
    for d in catalog.decisions:
        if d.architecture is not None:
            out[d.id] = r.resolve(d)
    r.diags.sort(key=sort_key)
    return out, r.diags
