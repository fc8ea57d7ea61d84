"""Helpers for the diagram tests: decision files with an architecture, in a tmp project."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from conftest import load_tree, write

from mkdocs_wa.diagnostics import Diagnostic
from mkdocs_wa.diagrams import Architecture, resolve
from mkdocs_wa.model import Catalog


def decision_text(number: int, architecture: dict[str, Any] | None, *, status: str = "accepted", prefix: str = "W", day: int | None = None, **extra: Any) -> str:
    data: dict[str, Any] = {
        "schema": 1,
        "id": f"{prefix}-{number:04d}",
        "title": f"Decision {number}",
        "status": status,
        "date": f"2021-{number:02d}-{day or 1:02d}" if number <= 12 else f"2022-01-{number - 12:02d}",
        **extra,
    }
    if architecture is not None:
        data["architecture"] = architecture
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def write_decision(root: Path, number: int, architecture: dict[str, Any] | None, *, workload: str = "w", **kw: Any) -> Path:
    return write(root, f"decisions/{workload}/{number:04d}-decision-{number}.yaml", decision_text(number, architecture, **kw))


def load(root: Path) -> tuple[Catalog, dict[str, Architecture], list[Diagnostic]]:
    catalog, problems = load_tree(root)
    assert not [p for p in problems if ": error:" in p], problems
    archs, diags = resolve(catalog, project_root=root)
    return catalog, archs, diags


def position(path: Path, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based line and column of the n-th ``needle`` in the file."""
    seen = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        col = line.find(needle)
        while col >= 0:
            seen += 1
            if seen == occurrence:
                return number, col + 1
            col = line.find(needle, col + 1)
    raise AssertionError(f"{needle!r} not in {path}")


#: A small architecture: viewers -> lb -> app -> db, the app in a cluster.
BASE: dict[str, Any] = {
    "direction": "LR",
    "clusters": [{"id": "aws", "label": "AWS", "clusters": [{"id": "asg", "label": "Auto Scaling group"}]}],
    "nodes": [
        {"id": "viewers", "type": "onprem.client.Users", "label": "Viewers"},
        {"id": "lb", "type": "aws.network.ELB", "label": "Load balancer", "cluster": "aws"},
        {"id": "app", "type": "aws.compute.EC2", "label": "App", "cluster": "asg"},
        {"id": "db", "type": "onprem.database.Oracle", "label": "Oracle", "cluster": "aws"},
    ],
    "edges": [
        {"from": "viewers", "to": "lb"},
        {"from": "lb", "to": "app", "label": "http"},
        {"from": "app", "to": "db", "style": "dashed"},
    ],
}
