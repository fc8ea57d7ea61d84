"""Generated decision files with architectures, for the benchmarks and tests (not shipped).

``write_synthetic(folder, 200)`` writes 200 valid decisions (20 workloads of 10
iterations): each workload starts with 8 to 12 nodes in two clusters, and every later
iteration adds a node or two, changes a label and type, and removes a node, so every
diagram after the first has a diff to draw. Deterministic for a given ``seed``.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import yaml

TYPES = (
    "aws.compute.EC2", "aws.compute.Lambda", "aws.compute.Fargate", "aws.compute.ECS",
    "aws.database.Aurora", "aws.database.Dynamodb", "aws.database.RDS", "aws.database.ElastiCache",
    "aws.network.ELB", "aws.network.ALB", "aws.network.CloudFront", "aws.network.APIGateway",
    "aws.storage.S3", "aws.integration.SQS", "aws.integration.SNS", "aws.management.Cloudwatch",
    "onprem.database.Oracle", "onprem.client.Users", "generic.device.Mobile", "onprem.queue.Kafka",
)


def _node(rng: random.Random, n: int, clusters: list[str]) -> dict[str, str]:
    node = {"id": f"n{n}", "type": rng.choice(TYPES), "label": f"Component {n}"}
    if clusters and rng.random() < 0.6:
        node["cluster"] = rng.choice(clusters)
    return node


def _evolve(
    rng: random.Random, i: int, nodes: list[dict[str, str]], edges: list[dict[str, str]], next_id: int, clusters: list[str]
) -> tuple[dict[str, str], dict[str, str], list[dict[str, str]], list[dict[str, str]]]:
    """One iteration: remove a node (and its edges), change one, add one or two."""
    gone = nodes.pop(rng.randrange(1, len(nodes)))
    edges[:] = [e for e in edges if gone["id"] not in (e["from"], e["to"])]
    changed = rng.choice(nodes)
    changed["label"] = f"{changed['label']} v{i}"
    changed["type"] = rng.choice(TYPES)
    added: list[dict[str, str]] = []
    new_edges: list[dict[str, str]] = []
    for _ in range(rng.randint(1, 2)):
        new = _node(rng, next_id + len(added), clusters)
        edge = {"from": rng.choice(nodes)["id"], "to": new["id"], "label": f"flow {i}"}
        edges.append(edge)
        new_edges.append(edge)
        nodes.append(new)
        added.append(new)
    return gone, changed, added, new_edges


def synthetic_decisions(count: int = 200, *, per_workload: int = 10, seed: int = 0, whole: bool = False) -> dict[str, str]:
    """Decision files as {relative path: YAML text}, under ``<workload>/NNNN-slug.yaml``.

    ``whole=True`` writes every architecture in full (no ``extends``), so a change to
    one decision changes only its own drawing and its successor's diff.
    """
    rng = random.Random(seed)
    files: dict[str, str] = {}
    start = dt.date(2020, 1, 6)
    clusters = ["c0", "c1"]
    for w in range(0, count, per_workload):
        workload = f"w{w // per_workload:03d}"
        prefix = f"W{w // per_workload:03d}"
        nodes = [_node(rng, k, clusters) for k in range(rng.randint(8, 12))]
        edges = [{"from": nodes[k]["id"], "to": nodes[k + 1]["id"]} for k in range(len(nodes) - 1)]
        next_id = len(nodes)
        size = min(per_workload, count - w)
        for i in range(size):
            spec: dict[str, object] = {"direction": "LR"}
            if i > 0:
                gone, changed, added, new_edges = _evolve(rng, i, nodes, edges, next_id, clusters)
                next_id += len(added)
            if i == 0 or whole:
                spec["clusters"] = [{"id": "c0", "label": "Front"}, {"id": "c1", "label": "Back"}]
                spec["nodes"] = [dict(n) for n in nodes]
                spec["edges"] = [dict(e) for e in edges]
            else:
                spec["extends"] = "previous"
                spec["nodes"] = [dict(n) for n in added] + [{"id": changed["id"], "label": changed["label"], "type": changed["type"]}]
                spec["edges"] = [dict(e) for e in new_edges]
                spec["remove"] = {"nodes": [gone["id"]]}
            number = i + 1
            decision: dict[str, object] = {
                "schema": 1,
                "id": f"{prefix}-{number:04d}",
                "title": f"Iteration {number} of {workload}",
                "status": "accepted" if i == size - 1 else "superseded",
                "date": (start + dt.timedelta(days=30 * i + w)).isoformat(),
            }
            if i:
                decision["supersedes"] = [f"{prefix}-{number - 1:04d}"]
            decision["architecture"] = spec
            files[f"{workload}/{number:04d}-iteration-{number}.yaml"] = yaml.safe_dump(decision, sort_keys=False)
    return files


def write_synthetic(folder: Path, count: int = 200, **options: object) -> list[Path]:
    """Write :func:`synthetic_decisions` under ``folder`` (e.g. ``decisions/``)."""
    out = []
    for rel, text in synthetic_decisions(count, **options).items():  # type: ignore[arg-type]
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out
