"""The JSON export: its content, and its validity against its own documented schema."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import write
from jsonschema import Draft202012Validator
from sites import decision_yaml

from mkdocs_wa.model import Lens
from mkdocs_wa.render.export import SCHEMA_ID, export_json, export_schema, export_text
from mkdocs_wa.source.lens import load_lens
from mkdocs_wa.source.validate import load_catalog

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2024, 12, 1)


def validator() -> Draft202012Validator:
    return Draft202012Validator(export_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def assert_valid(data: dict[str, Any]) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(data)]
    assert errors == []


def demo(root: Path) -> None:
    """Two workloads: a refuted PoC replaced by a confirmed split, an open overdue loop, a proposal."""
    write(
        root,
        "decisions/video/0001-poc.yaml",
        decision_yaml(
            "VID-0001",
            "Ship the proof of concept",
            "superseded",
            "2021-03-01",
            deciders=["platform team"],
            tags=["launch"],
            context="Weeks to launch.",
            principles=["automate-everything"],
            hypothesis={
                "statement": "Under 2.5 s for launch day.",
                "review_by": "2021-04-15",
                "metrics": [
                    {"name": "Response", "unit": "s", "baseline": "1-2.5 at 50 users", "target": "<= 2.5", "observed": 10,
                     "source": "https://example.com/d"},
                    {"name": "Users", "unit": "users", "target": ">= 10000", "observed": 1000},
                ],
            },
            result={"outcome": "refuted", "measured_on": "2021-04-10", "summary": "Too slow.", "next": "VID-0002"},
            pillars={"reliability": {"score": 1, "note": "oscillated"}, "security": {"score": 4}},
            architecture={"nodes": [{"id": "alb", "type": "aws.network.ALB"}]},
        ),
    )
    write(
        root,
        "decisions/video/0002-split.yaml",
        decision_yaml(
            "VID-0002",
            "Split chat from video",
            "accepted",
            "2021-04-14",
            supersedes=["VID-0001"],
            hypothesis={
                "statement": "Chat survives video trouble.",
                "review_by": "2021-05-15",
                "metrics": [{"name": "Response", "unit": "s", "target": "<= 1 s", "observed": "800 ms"}, {"name": "Chat errors", "target": "== 0"}],
            },
            pillars={"reliability": {"score": 3}},
            imported_from={"path": "docs/adr/0002-split.md", "format": "nygard"},
        ),
    )
    write(root, "decisions/video/0003-ivs.yaml", decision_yaml("VID-0003", "Try IVS", "proposed", "2021-11-08", principles=["on-demand"]))
    write(
        root,
        "decisions/telemetry/0001-forklift.yaml",
        decision_yaml(
            "TEL-0001",
            "Forklift",
            "accepted",
            "2022-02-07",
            hypothesis={"statement": "Same as on premises.", "metrics": [{"name": "Storage", "unit": "TB", "target": "<= 70", "observed": "65000 GB"}]},
            result={"outcome": "confirmed"},
            pillars={"cost-optimization": {"score": 2}},
        ),
    )


@pytest.fixture
def catalog(in_tmp: Path, aws_lens: Lens):
    demo(in_tmp)
    catalog, diags = load_catalog([Path("decisions")], aws_lens)
    assert diags == []
    return catalog


def test_schema_is_valid_and_documented() -> None:
    schema = export_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == SCHEMA_ID and schema["$schema"].endswith("/draft/2020-12/schema")
    undocumented: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for name, sub in (node.get("properties") or {}).items():
                if isinstance(sub, dict) and "description" not in sub and "$ref" not in sub:
                    undocumented.append(f"{where}.{name}")
            for key, sub in node.items():
                walk(sub, f"{where}.{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{where}[{i}]")

    walk(schema, "")
    for name, sub in schema["$defs"].items():
        if "description" not in sub:
            undocumented.append(f"$defs.{name}")
    assert undocumented == []


def test_export_validates_and_carries_verdicts_and_loops(catalog) -> None:
    data = json.loads(export_text(export_json(catalog, today=TODAY)))
    assert_valid(data)
    assert (data["format"], data["version"], data["today"], data["default_review_days"]) == ("mkdocs-wa-export", 2, "2024-12-01", 90)
    assert [p["id"] for p in data["lens"]["pillars"]][:2] == ["operational-excellence", "security"]
    by_id = {d["id"]: d for d in data["decisions"]}
    assert list(by_id) == ["TEL-0001", "VID-0001", "VID-0002", "VID-0003"]

    poc = by_id["VID-0001"]
    assert poc["verdict"] == "missed" and poc["outcome_agrees"] is True
    assert [(m["verdict"], m["target_text"], m["observed_text"]) for m in poc["hypothesis"]["metrics"]] == [
        ("missed", "<= 2.5 s", "10 s"),
        ("missed", ">= 10000 users", "1000 users"),
    ]
    assert poc["hypothesis"]["metrics"][0]["baseline"] == "1-2.5 at 50 users"
    assert poc["result"] == {"outcome": "refuted", "measured_on": "2021-04-10", "summary": "Too slow.", "learned": "", "next": "VID-0002"}
    assert poc["loop"]["state"] == "closed" and poc["superseded_by"] == ["VID-0002"]
    assert poc["pillars"] == {"security": {"score": 4, "note": ""}, "reliability": {"score": 1, "note": "oscillated"}}
    assert poc["architecture"] == {"nodes": [{"id": "alb", "type": "aws.network.ALB"}]}
    assert poc["history"] == []

    split = by_id["VID-0002"]
    assert split["verdict"] == "not measured" and split["result"] is None and split["outcome_agrees"] is None
    assert split["loop"] == {"state": "open", "due": "2021-05-15", "due_from": "review_by", "overdue": True, "days_overdue": 1296}
    assert split["imported_from"]["format"] == "nygard"
    assert by_id["VID-0003"]["loop"]["state"] == "none" and by_id["VID-0003"]["hypothesis"] is None
    assert by_id["TEL-0001"]["verdict"] == "met"  # 65000 GB <= 70 TB, converted

    video = next(w for w in data["workloads"] if w["id"] == "video")
    assert video["iterations"] == ["VID-0001", "VID-0002"] and video["latest_iteration"] == "VID-0002"
    assert video["pillar_series"] == [
        {"decision": "VID-0001", "date": "2021-03-01", "scores": {"security": 4, "reliability": 1}, "scored": ["security", "reliability"]},
        {"decision": "VID-0002", "date": "2021-04-14", "scores": {"security": 4, "reliability": 3}, "scored": ["reliability"]},
    ]
    assert video["latest_scores"] == {"security": 4, "reliability": 3} and video["weakest"] == ["reliability"]
    assert video["open_loops"] == ["VID-0002"] and video["timeline"] is None
    assert data["open_loops"] == ["VID-0002"]
    assert {"decisions": ["VID-0001", "VID-0002"], "first": "VID-0001", "latest": "VID-0002",
            "links": [{"from": "VID-0001", "to": "VID-0002", "kinds": ["next", "supersedes"]}]} in data["chains"]
    coverage = {p["id"]: p["decisions"] for p in data["principles"]}
    assert coverage["on-demand"] == ["VID-0003"] and coverage["practice"] == []


def test_history_and_timelines_when_given(catalog) -> None:
    by_id = catalog.by_id()
    history = {
        "VID-0002": [
            {"commit": "a" * 40, "date": dt.datetime(2021, 4, 14, 9, 30, tzinfo=dt.UTC), "subject": "Propose"},
            {"commit": "b" * 40, "date": dt.date(2021, 4, 20), "subject": "Accept", "changes": [{"kind": "status", "old": "proposed", "new": "accepted"}]},
        ]
    }
    timelines = {"video": {"iterations": [by_id["VID-0001"], by_id["VID-0002"]], "milestones": [{"tag": "v1", "date": dt.date(2021, 5, 1)}]}}
    data = json.loads(export_text(export_json(catalog, today=TODAY, history=history, timelines=timelines)))
    assert_valid(data)
    split = next(d for d in data["decisions"] if d["id"] == "VID-0002")
    assert split["history"][0] == {"commit": "a" * 40, "date": "2021-04-14T09:30:00+00:00", "subject": "Propose"}
    assert split["history"][1]["changes"][0]["new"] == "accepted"
    video = next(w for w in data["workloads"] if w["id"] == "video")
    assert video["timeline"] == {"iterations": ["VID-0001", "VID-0002"], "milestones": [{"tag": "v1", "date": "2021-05-01"}]}
    telemetry = next(w for w in data["workloads"] if w["id"] == "telemetry")
    assert telemetry["timeline"] is None


def git(root: Path, *args: str, date: str = "2024-01-01T12:00:00+00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "Ana",
           "GIT_AUTHOR_EMAIL": "ana@example.com", "GIT_COMMITTER_NAME": "Ana", "GIT_COMMITTER_EMAIL": "ana@example.com"}
    subprocess.run(["git", "-C", str(root), *args], check=True, env=env, capture_output=True)


def test_history_from_git(in_tmp: Path, aws_lens: Lens) -> None:
    """The history stage's own History object, from a real repository with backdated commits."""
    history_mod = pytest.importorskip("mkdocs_wa.history.reader")
    path = "decisions/app/0001-queue.yaml"
    write(in_tmp, path, decision_yaml("APP-0001", status="proposed", hypothesis={"statement": "s"}))
    git(in_tmp, "init", "-q", "-b", "main")
    git(in_tmp, "add", ".")
    git(in_tmp, "commit", "-q", "-m", "Propose a queue", date="2024-01-10T09:00:00+00:00")
    write(in_tmp, path, decision_yaml("APP-0001", status="accepted", hypothesis={"statement": "s"}))
    git(in_tmp, "commit", "-q", "-am", "Accept the queue", date="2024-02-01T09:00:00+00:00")
    catalog, diags = load_catalog([Path("decisions")], aws_lens)
    assert diags == []
    history = history_mod.read_history(in_tmp, Path("decisions"))
    data = json.loads(export_text(export_json(catalog, today=TODAY, history=history)))
    assert_valid(data)
    revisions = data["decisions"][0]["history"]
    assert [r["subject"] for r in revisions] == ["Propose a queue", "Accept the queue"]
    assert revisions[1]["date"] == "2024-02-01T09:00:00+00:00" and revisions[1]["author"] == "Ana"
    [status] = [c for c in revisions[1]["changes"] if c["kind"] == "status"]
    assert (status["old"], status["new"], status["text"]) == ("proposed", "accepted", "status: proposed → accepted")
    assert "blocks" not in revisions[1] and revisions[1]["fields"]["status"] == "accepted"  # v2: the tracked fields


def test_non_finite_numbers_stay_strict_json(in_tmp: Path, aws_lens: Lens) -> None:
    write(
        in_tmp,
        "decisions/w/0001-a.yaml",
        "schema: 1\nid: W-0001\ntitle: t\nstatus: accepted\ndate: 2024-01-01\n"
        "hypothesis:\n  statement: s\n  metrics:\n    - {name: m, target: '<= 1', baseline: .nan}\n    - {name: n, target: '>= 1', baseline: -.inf}\n",
    )
    catalog, diags = load_catalog([Path("decisions")], aws_lens)
    assert diags == []  # observed values must be finite; a baseline is free text or a number
    text = export_text(export_json(catalog, today=TODAY))  # allow_nan=False would raise on NaN
    data = json.loads(text)
    assert_valid(data)
    assert [m["baseline"] for m in data["decisions"][0]["hypothesis"]["metrics"]] == ["nan", "-inf"]


def test_schema_rejects_a_broken_export(catalog) -> None:
    data = export_json(catalog, today=TODAY)
    broken = json.loads(export_text(data))
    broken["decisions"][0]["verdict"] = "maybe"
    broken["decisions"][1]["loop"]["state"] = "ajar"
    del broken["workloads"][0]["pillar_series"]
    broken["workloads"][1]["latest_scores"]["reliability"] = 7
    paths = sorted("/".join(map(str, e.absolute_path)) for e in validator().iter_errors(broken))
    assert paths == ["decisions/0/verdict", "decisions/1/loop/state", "workloads/0", "workloads/1/latest_scores/reliability"]


def test_custom_lens_export(in_tmp: Path) -> None:
    lens, _ = load_lens("azure-well-architected")
    assert lens is not None
    write(in_tmp, "decisions/shop/0001-a.yaml", decision_yaml("SHOP-0001", principles=["observe"], pillars={"reliability": {"score": 2}}))
    catalog, diags = load_catalog([Path("decisions")], lens)
    assert diags == []
    data = export_json(catalog, today=TODAY)
    assert_valid(json.loads(export_text(data)))
    assert data["lens"]["id"] == "azure-well-architected"
    assert [p["id"] for p in data["principles"]] == list(lens.principle_ids)
    assert data["workloads"][0]["latest_scores"] == {"reliability": 2}


def test_repository_demo_decisions_export(aws_lens: Lens) -> None:
    folder = REPO / "decisions"
    if not any(folder.glob("*/*.yaml")):
        pytest.skip("no demo decisions yet")
    catalog, diags = load_catalog([folder], aws_lens)
    assert not [d for d in diags if d.is_error]
    data = json.loads(export_text(export_json(catalog, today=dt.date(2026, 1, 1))))
    assert_valid(data)
    assert len(data["decisions"]) == len(catalog.decisions) and data["decisions"]
    assert all(d["verdict"] is not None for d in data["decisions"] if d["hypothesis"] and d["hypothesis"]["metrics"])
