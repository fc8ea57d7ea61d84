"""The demo measures: a case-study metric's values come from a load-test report shipped
with the demo, recorded by the real measuring code in evidence commits."""

from __future__ import annotations

import csv
import json
import re
import subprocess
from pathlib import Path

from sites import article, build, read

from mkdocs_wa.authoring.demo import make_demo_repo

PROJECT = Path(__file__).resolve().parent.parent
REPORT = PROJECT / "loadtests" / "live-chat-weekly.csv"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def test_demo_records_a_measured_series_and_shows_it(tmp_path: Path) -> None:
    repo = tmp_path / "demo"
    make_demo_repo(repo)
    rows = [r for r in csv.DictReader(REPORT.open(newline="")) if r["week"] >= "2021-07-12"]  # VID-0004's date on
    evidence = repo / "decisions/live-video/evidence/VID-0004.jsonl"
    records = [json.loads(line) for line in evidence.read_text().splitlines()]
    assert [(r["time"], r["value"]) for r in records] == [(f"{r['week']}T12:00:00Z", float(r["chat_p95_s"])) for r in rows]
    assert {(r["metric"], r["kind"], r["source"]) for r in records} == {("Chat response time", "file", "loadtests/live-chat-weekly.csv")}
    # one commit per measurement, by the scheduled job, at the measuring time, appending one line
    log = git(repo, "log", "--reverse", "--format=%an|%aI|%s", "--", "decisions/live-video/evidence/VID-0004.jsonl").splitlines()
    assert log == [f"Measure bot|{r['week']}T12:00:00+00:00|Evidence from mkdocs-wa measure" for r in rows]
    assert (repo / "loadtests/live-chat-weekly.csv").read_bytes() == REPORT.read_bytes()

    result = build(repo)  # --strict: nothing regressed
    assert result.returncode == 0, result.stderr
    page = article(read(repo / "site", "architecture/live-video/0004-serverless-chat/index.html"))
    latest = rows[-1]
    assert f"{float(latest['chat_p95_s']):g} s (measured)" in page
    assert f"{len(rows)} records" in page and "(s)" not in page
    chart = read(repo / "site", "architecture/live-video/charts/0004-serverless-chat-measured-1.svg")
    assert all(f">{float(r['chat_p95_s']):g} s<" in chart for r in rows)
    assert re.search(r'src="../charts/0004-serverless-chat-measured-1.svg"', page)
