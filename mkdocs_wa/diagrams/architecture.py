"""A decision's architecture, resolved: frozen data with nothing left to inherit.

:mod:`~mkdocs_wa.diagrams.spec` builds these from the YAML (applying ``extends`` and
``remove``); :mod:`~mkdocs_wa.diagrams.diff` compares two; :mod:`~mkdocs_wa.diagrams.render`
draws one. Labels are kept exactly as written: escaping belongs to whoever outputs them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

DIRECTIONS = ("LR", "RL", "TB", "BT")
#: Largest architecture that is drawn: Graphviz's layout time grows fast with size, and
#: a decision from a pull request must not be able to stall the preview build.
MAX_NODES = 300
MAX_EDGES = 900
EDGE_STYLES = ("solid", "dashed", "dotted", "bold")


@dataclass(frozen=True)
class ArchNode:
    id: str
    #: ``provider.group.Class``; None when the node has only a custom icon, or its
    #: type was unknown (it is then drawn as a plain box and a diagnostic says why).
    type: str | None
    label: str
    cluster: str | None = None
    #: A custom icon as a POSIX path relative to the project root (checked to be inside it).
    icon: str | None = None


@dataclass(frozen=True)
class ArchCluster:
    id: str
    label: str
    parent: str | None = None


@dataclass(frozen=True)
class ArchEdge:
    source: str
    target: str
    label: str = ""
    style: str = "solid"

    @property
    def key(self) -> tuple[str, str]:
        """Edges are identified by their ends: one arrow per ordered pair of nodes."""
        return (self.source, self.target)


@dataclass(frozen=True)
class Architecture:
    #: The decision this architecture belongs to.
    decision: str
    workload: str
    direction: str = "LR"
    nodes: tuple[ArchNode, ...] = ()
    clusters: tuple[ArchCluster, ...] = ()
    edges: tuple[ArchEdge, ...] = ()
    #: The decision id this one was built from with ``extends`` (None: drawn whole).
    extends: str | None = None
    #: The workload's previous iteration that has an architecture: what the diff is against.
    previous: str | None = None

    def node(self, node_id: str) -> ArchNode | None:
        return next((n for n in self.nodes if n.id == node_id), None)

    def cluster(self, cluster_id: str) -> ArchCluster | None:
        return next((c for c in self.clusters if c.id == cluster_id), None)

    def edge(self, key: tuple[str, str]) -> ArchEdge | None:
        return next((e for e in self.edges if e.key == key), None)

    @property
    def too_big(self) -> bool:
        return len(self.nodes) > MAX_NODES or len(self.edges) > MAX_EDGES

    def icons(self) -> tuple[str, ...]:
        """The custom icon paths this architecture uses, sorted."""
        return tuple(sorted({n.icon for n in self.nodes if n.icon}))

    def drawing(self) -> dict[str, Any]:
        """What the picture depends on, as JSON-ready data (for cache keys): the
        decision id and ``extends`` are left out, so equal pictures share a key."""
        data = asdict(self)
        for name in ("decision", "workload", "extends", "previous"):
            data.pop(name)
        return data
