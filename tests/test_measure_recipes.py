"""The measuring recipes (docs/recipes/github-measure.yml, github-loop-issues.yml): their
shell and Python steps run here for real against a real project and a real site build.
GitHub itself (create-pull-request, the `gh` CLI's API calls) cannot run here: `gh` is a
stand-in script on PATH that answers `issue list` and records every other call."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import yaml
from conftest import write
from measure_helpers import decision, metric
from sites import build, make_project

RECIPES = Path(__file__).resolve().parent.parent / "docs" / "recipes"


def steps(name: str, job: str) -> dict[str, dict]:
    wf = yaml.safe_load((RECIPES / name).read_text("utf-8"))
    return {s.get("name", s.get("uses", s.get("run"))): s for s in wf["jobs"][job]["steps"]}


def sh(cwd: Path, script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def env_with_venv(**extra: str) -> dict[str, str]:
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", **extra}


def test_measure_workflow(tmp_path: Path) -> None:
    wf = yaml.safe_load((RECIPES / "github-measure.yml").read_text("utf-8"))
    assert wf[True]["schedule"][0]["cron"]  # YAML 1.1 reads the key `on` as true
    s = steps("github-measure.yml", "measure")
    assert s["Open a pull request with the new evidence"]["with"]["add-paths"] == "decisions/**/evidence/*.jsonl"

    good = metric("Latency", "s", "<= 1", "file:\n  path: reports/p95.csv\n  format: csv\n  column: p95")
    write(tmp_path, "reports/p95.csv", "p95\n0.4\n")
    write(tmp_path, "decisions/chat/0001-x.yaml", decision("CHAT-0001", good))
    output, summary = tmp_path / "output.txt", tmp_path / "summary.md"
    run_env = env_with_venv(GITHUB_OUTPUT=str(output), GITHUB_STEP_SUMMARY=str(summary), PROMETHEUS_URL="")
    result = sh(tmp_path, s["Measure"]["run"], run_env)
    assert result.returncode == 0, result.stderr
    assert output.read_text() == "status=0\n"
    assert json.loads((tmp_path / "decisions/chat/evidence/CHAT-0001.jsonl").read_text())["value"] == 0.4
    assert "decisions/chat/evidence/CHAT-0001.jsonl: 1 record added" in summary.read_text()

    # a failing source: the step still succeeds (the pull request is made), the last step fails
    bad = metric("Users", "", ">= 1", "prometheus:\n  query: up")
    time.sleep(1.1)  # records are kept per second: a second run within the same one adds nothing
    write(tmp_path, "decisions/chat/0001-x.yaml", decision("CHAT-0001", good + bad))
    output.write_text("")
    result = sh(tmp_path, s["Measure"]["run"], run_env)
    assert result.returncode == 0, result.stderr
    assert output.read_text() == "status=1\n"
    assert "CHAT-0001 'Users': no Prometheus server" in (tmp_path / "measure.md").read_text()
    assert len((tmp_path / "decisions/chat/evidence/CHAT-0001.jsonl").read_text().splitlines()) == 2
    assert s["Fail when a source failed"]["if"] == "steps.measure.outputs.status != '0'"


FAKE_GH = """#!/bin/bash
python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$@" >> "$GH_LOG"
if [ "$1 $2" = "issue list" ]; then
  echo '[{"number": 7, "title": "Feedback loop overdue: OLD-0001 Gone"}, {"number": 8, "title": "Regressed: CHAT-0001 Latency"}]'
fi
"""


def test_loop_issues_workflow(tmp_path: Path) -> None:
    latency = metric("Latency", "s", "<= 1", "file:\n  path: reports/p95.csv\n  format: csv\n  column: p95")
    regressed = decision("CHAT-0001", latency, extra="result:\n  outcome: confirmed\n")
    overdue = decision("CHAT-0002", latency).replace("title: Measured", "title: Slow loop").replace("[Ana, Bo]", "[Cy]")
    root = make_project(tmp_path, {"chat/0001-x.yaml": regressed, "chat/0002-y.yaml": overdue},
                        plugin_options={"today": "2027-03-01"})
    write(root, "decisions/chat/evidence/CHAT-0001.jsonl",
          '{"time": "2025-12-20T00:00:00Z", "metric": "Latency", "value": 2.5, "unit": "s", "kind": "file", "query": "csv: p95 of line 2"}\n')
    assert build(root, strict=False).returncode == 0
    s = steps("github-loop-issues.yml", "issues")
    result = sh(root, s["Which loops need an issue"]["run"], env_with_venv(SITE_URL="https://example.org"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2 loops need an issue"
    issues = {i["title"]: i["body"] for i in json.loads((root / "loop-issues.json").read_text())}
    # CHAT-0002 was decided on 2026-10-01 and has no result 90 days later; CHAT-0001 has one
    assert set(issues) == {"Feedback loop overdue: CHAT-0002 Slow loop", "Regressed: CHAT-0001 Latency"}
    assert "was due on 2026-12-30 and is 61 days late" in issues["Feedback loop overdue: CHAT-0002 Slow loop"]
    body = issues["Regressed: CHAT-0001 Latency"]
    assert "[CHAT-0001](https://example.org/architecture/chat/0001-x/)" in body
    assert "measured 2.5 s on 2025-12-20T00:00:00Z (file: `csv: p95 of line 2`)" in body and "Deciders: Ana, Bo." in body

    bin_dir = tmp_path / "bin"
    gh = write(bin_dir, "gh", FAKE_GH)
    gh.chmod(gh.stat().st_mode | stat.S_IEXEC)
    log = tmp_path / "gh.log"
    gh_env = env_with_venv(GH_LOG=str(log))
    gh_env["PATH"] = f"{bin_dir}{os.pathsep}{gh_env['PATH']}"
    result = sh(root, s["Open, update and close the issues"]["run"], gh_env)
    assert result.returncode == 0, result.stderr
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    assert calls[0][:3] == ["label", "create", "feedback-loop"]
    assert calls[1] == ["issue", "list", "--label", "feedback-loop", "--state", "open", "--limit", "500", "--json", "number,title"]
    (edit,) = [c for c in calls if c[:2] == ["issue", "edit"]]  # still regressed: updated
    assert edit[2] == "8" and "Deciders: Ana, Bo." in edit[4] and "<!-- mkdocs-wa regressed:CHAT-0001:Latency -->" in edit[4]
    (create,) = [c for c in calls if c[:2] == ["issue", "create"]]
    assert create[3] == "Feedback loop overdue: CHAT-0002 Slow loop" and "Deciders: Cy." in create[5]
    assert create[6:] == ["--label", "feedback-loop"]
    assert ["issue", "close", "7", "--comment", "Resolved: mkdocs-wa no longer reports this loop as overdue or regressed."] in calls
    assert len(calls) == 5
