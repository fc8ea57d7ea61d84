"""Evidence in the site and the checks: observed values, regressions, charts, export, feed."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import write
from jsonschema import Draft202012Validator
from measure_helpers import decision, metric
from sites import article, build, make_project, read

from mkdocs_wa.cli import main
from mkdocs_wa.render.export import export_schema

LATENCY = metric("Chat response time", "s", "<= 1", "file:\n  path: reports/p95.csv\n  format: csv\n  column: p95\n  unit: s",
                 observed="0.9")
USERS = metric("Concurrent users", "users", ">= 100", "prometheus:\n  query: sum(chat_users)")
CHAT = decision("CHAT-0001", LATENCY + USERS, extra="result:\n  outcome: confirmed\n  measured_on: 2026-10-20\n")
TYPED = decision("CHAT-0002", "    - name: Cost\n      unit: USD/month\n      target: \"<= 100\"\n      observed: 80\n").replace(
    "date: 2026-10-01", "date: 2026-10-02")

EVIDENCE = "".join(
    json.dumps({"time": t, "metric": m, "value": v, "unit": u, "kind": k, "query": q, "source": "reports/p95.csv"}) + "\n"
    for t, m, v, u, k, q in [
        ("2026-10-10T09:00:00Z", "Chat response time", 0.8, "s", "file", "csv: p95 of line 2"),
        ("2026-10-17T09:00:00Z", "Chat response time", 900, "ms", "file", "csv: p95 of line 3"),
        ("2026-10-24T09:00:00Z", "Chat response time", 1.4, "s", "file", "csv: p95 of line 4"),
        ("2026-10-24T09:00:00Z", "Concurrent users", 150, "users", "prometheus", "sum(chat_users)"),
    ]
)


@pytest.fixture
def site_project(tmp_path: Path) -> Path:
    root = make_project(
        tmp_path,
        {"chat/0001-faster.yaml": CHAT, "chat/0002-typed.yaml": TYPED},
        config={"site_url": "https://example.org/docs/"},
    )
    write(root, "decisions/chat/evidence/CHAT-0001.jsonl", EVIDENCE)
    return root


def test_the_site_shows_evidence_regressions_charts_export_and_feed(site_project: Path) -> None:
    root = site_project
    strict = build(root)
    assert strict.returncode == 1  # the regression is a warning: --strict fails
    assert "regressed: CHAT-0001 'Chat response time' measured 1.4 s on 2026-10-24 09:00 UTC (file), missing its target <= 1 s; " \
           "it met it on 2026-10-17 09:00 UTC (900 ms)" in strict.stderr
    result = build(root, strict=False)
    assert result.returncode == 0, result.stderr
    site = root / "site"

    page = article(read(site, "architecture/chat/0001-faster/index.html"))
    # the latest evidence is the observed value (not the typed 0.9), and it misses the target
    row = re.search(r"Chat response time</td>(.*?)</tr>", page, re.S)
    assert row, page
    # columns: Target met?, Observed, Target, Baseline (the verdict first: it stays in view on a phone)
    assert re.fullmatch(r"\s*<td><span class=\"wa-missed\">.*?</td>\s*<td>1.4 s \(measured\)</td>\s*<td>&lt;= 1 s</td>\s*<td>–</td>\s*", row.group(1), re.S), row.group(1)
    assert "Concurrent users" in page and "150 users (measured)" in page
    assert "id=\"measured\"" in page and "decisions/chat/evidence/CHAT-0001.jsonl" in page
    assert "replaces the value typed in the file, 0.9 s" in page
    assert "Regressed" in page  # the admonition
    chart = read(site, "architecture/chat/charts/0001-faster-measured-1.svg")
    assert chart.startswith("<?xml") and "<script" not in chart
    labels = re.findall(r">([^<>]*)</text>", chart)  # the chart's words, not its coordinates
    assert "Measured" in chart and "Target" in chart and "1.4 s" in chart
    assert not any("900" in t for t in labels), labels  # 900 ms drawn as 0.9 s
    assert "0.9 s" in chart
    assert 'src="../charts/0001-faster-measured-1.svg"' in page

    typed = article(read(site, "architecture/chat/0002-typed/index.html"))
    assert re.search(r"<td><span class=\"wa-met\">(?:(?!</tr>).)*?</td>\s*<td>80 USD/month</td>", typed, re.S)
    assert "id=\"measured\"" not in typed

    loops = article(read(site, "architecture/loops/index.html"))
    assert "What regressed" in loops and "1 regressed metric." in loops
    assert re.search(r"Chat response time</td>\s*<td><span class=\"wa-missed\">✘ 1.4 s</span> on 2026-10-24 09:00 UTC</td>\s*<td>&lt;= 1 s</td>\s*<td>900 ms on 2026-10-17</td>\s*<td>Ana, Bo</td>", loops)
    overview = article(read(site, "architecture/index.html"))
    # the dashboard counts them, on the workload's card, and links the list on the loops page
    assert re.search(r'failure.*1 regressed metric', overview, re.S) and "1 regressed metric</span>" in overview
    assert "loops/#what-regressed" in overview

    data = json.loads(read(site, "architecture/decisions.json"))
    Draft202012Validator(export_schema()).validate(data)
    chat = next(d for d in data["decisions"] if d["id"] == "CHAT-0001")
    # the result was written from the typed 0.9 s (met): the outcome agrees; the later 1.4 s is a regression
    assert chat["outcome_agrees"] is True and "disagrees" not in result.stderr
    latency = chat["hypothesis"]["metrics"][0]
    assert latency["observed_from"] == "evidence" and latency["observed"] == 0.9 and latency["verdict"] == "missed"
    assert [e["value"] for e in latency["evidence"]] == [0.8, 900, 1.4]
    assert latency["evidence"][2] == {"time": "2026-10-24T09:00:00Z", "value": 1.4, "unit": "s", "kind": "file",
                                      "query": "csv: p95 of line 4", "source": "reports/p95.csv",
                                      "file": "decisions/chat/evidence/CHAT-0001.jsonl", "line": 3}
    assert latency["measure"] == {"file": {"path": "reports/p95.csv", "format": "csv", "column": "p95", "unit": "s"}}
    assert [(r["decision"], r["metric"], r["last_met"]["value"]) for r in data["regressed"]] == [("CHAT-0001", "Chat response time", 900)]

    feed = ET.fromstring(read(site, "architecture/feed.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert feed.findtext("a:title", namespaces=ns) == "Test site: architecture decisions"
    assert feed.findtext("a:updated", namespaces=ns) == "2026-10-24T09:00:00Z"  # the newest entry, not the build time
    titles = [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)]
    assert titles == [
        "Regressed: CHAT-0001 Chat response time",
        "Result of CHAT-0001: Confirmed",
        "Accepted: CHAT-0002 Measured",
        "Accepted: CHAT-0001 Measured",
    ]
    first = feed.find("a:entry", ns)
    assert first.find("a:link", ns).get("href") == "https://example.org/docs/architecture/chat/0001-faster/"
    assert "Deciders: Ana, Bo." in first.findtext("a:summary", namespaces=ns)
    for entry in feed.findall("a:entry", ns):  # RFC 4287: id, title, updated in every entry
        assert entry.findtext("a:id", namespaces=ns).startswith("tag:mkdocs-wa,2026:architecture/")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry.findtext("a:updated", namespaces=ns))


def test_validate_strict_fails_on_a_regression(site_project: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(site_project)
    assert main(["validate", "--today", "2026-10-25"]) == 0
    assert main(["validate", "--strict", "--today", "2026-10-25"]) == 1
    out = capsys.readouterr().out
    # at the metric's target (line 12 of the decision file)
    assert "decisions/chat/0001-faster.yaml:12:15: warning: regressed: CHAT-0001 'Chat response time'" in out


def test_a_metric_that_never_met_its_target_is_not_regressed(tmp_path: Path, capsys, monkeypatch) -> None:
    open_loop = CHAT.split("result:")[0]  # no result: an open loop still measuring
    write(tmp_path, "decisions/chat/0001-faster.yaml", open_loop)
    write(tmp_path, "decisions/chat/evidence/CHAT-0001.jsonl",
          '{"time": "2026-10-10T00:00:00Z", "metric": "Chat response time", "value": 3, "unit": "s"}\n')
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--strict", "--today", "2026-10-25"]) == 0, capsys.readouterr().out


def test_problems_in_an_evidence_file_have_their_line(tmp_path: Path, capsys, monkeypatch) -> None:
    write(tmp_path, "decisions/chat/0001-faster.yaml", CHAT)
    write(tmp_path, "decisions/chat/evidence/CHAT-0001.jsonl", "\n".join([
        '{"time": "2026-10-10T00:00:00Z", "metric": "Chat response time", "value": 0.5, "unit": "s"}',
        '{"time": "2026-10-11T00:00:00Z", "metric": "Chat respons time", "value": 0.5, "unit": "s"}',
        '{"time": "yesterday", "metric": "Chat response time", "value": 0.5}',
        '{"time": "2026-10-12T00:00:00Z", "metric": "Chat response time", "value": NaN}',
        '{"time": "2026-10-12T00:00:00Z", "metric": "Chat response time", "value": 0.5,',
    ]) + "\n")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--today", "2026-10-25"]) == 1
    out = capsys.readouterr().out.splitlines()
    ev = "decisions/chat/evidence/CHAT-0001.jsonl"
    assert out == [
        f"{ev}:2:1: warning: evidence for 'Chat respons time', which is not a metric of CHAT-0001 (did you mean 'Chat response time'?); the record is not used",
        f"{ev}:3:1: error: 'time' is 'yesterday', not an ISO 8601 time such as 2026-12-02T18:00:00Z (this line is skipped)",
        f"{ev}:4:1: error: 'value' is NaN, not a finite number (this line is skipped)",
        f"{ev}:5:79: error: not a JSON object: Expecting property name enclosed in double quotes (this line is skipped)",
    ]


def test_measure_never_rewrites_the_decision_file(tmp_path: Path, capsys, monkeypatch) -> None:
    decision_file = write(tmp_path, "decisions/chat/0001-faster.yaml", CHAT)
    write(tmp_path, "reports/p95.csv", "p95\n0.7\n")
    old = write(tmp_path, "decisions/chat/evidence/CHAT-0001.jsonl", EVIDENCE.rstrip("\n"))  # no final newline
    before = decision_file.read_bytes()
    monkeypatch.chdir(tmp_path)
    assert main(["measure", "--at", "2026-10-30T00:00:00Z", "CHAT-0001", "--prometheus-url", "http://127.0.0.1:9"]) == 1
    assert decision_file.read_bytes() == before
    lines = old.read_text().splitlines()
    assert lines[:4] == EVIDENCE.splitlines()  # appended after the old lines, never rewritten
    assert json.loads(lines[4])["value"] == 0.7
    # and the regression is gone: the latest evidence meets the target again
    assert main(["validate", "--strict", "--today", "2026-10-25"]) == 0


def test_an_evidence_pull_request_changes_no_decision_in_the_diff(tmp_path: Path, monkeypatch) -> None:
    """`mkdocs-wa diff` compares decisions as written: new evidence lines are not a changed decision."""
    import datetime as dt
    import subprocess

    from mkdocs_wa.compare.prdiff import diff_revision
    from mkdocs_wa.source.lens import load_lens

    write(tmp_path, "decisions/chat/0001-faster.yaml", CHAT)
    write(tmp_path, "decisions/chat/evidence/CHAT-0001.jsonl", EVIDENCE.splitlines(keepends=True)[0])
    env = {"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@x", "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@x"}
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "x"]):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, env={**__import__("os").environ, **env})
    write(tmp_path, "decisions/chat/evidence/CHAT-0001.jsonl", EVIDENCE)
    monkeypatch.chdir(tmp_path)
    lens, _ = load_lens()
    diff = diff_revision("main", Path("decisions"), lens, dt.date(2026, 10, 25))
    assert diff.empty
    # a decision edited in the same change: only what was edited in the file is a change
    write(tmp_path, "decisions/chat/0001-faster.yaml", CHAT.replace("title: Measured", "title: Measured again"))
    diff = diff_revision("main", Path("decisions"), lens, dt.date(2026, 10, 25))
    assert [c.fields for c in diff.changed] == [("title",)]


def test_any_evidence_text_gives_diagnostics_never_an_exception() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from mkdocs_wa.source.evidence import parse_evidence

    line = st.one_of(
        st.text(max_size=80),
        st.builds(lambda v: f'{{"time": "2026-01-01", "metric": "m", "value": {v}}}',
                  st.sampled_from(["1" * 5000, "1e999", "-1e999", "NaN", "Infinity", "9" * 400, "[1]", "true", "null"])),
        st.builds(json.dumps, st.dictionaries(st.sampled_from(["time", "metric", "value", "unit", "kind"]),
                                              st.one_of(st.none(), st.integers(), st.floats(), st.text(max_size=20)))),
    )

    @settings(max_examples=300, deadline=None)
    @given(st.lists(line, max_size=5), st.binary(max_size=20))
    def check(lines: list[str], tail: bytes) -> None:
        records, diags = parse_evidence(("\n".join(lines)).encode("utf-8", "surrogatepass") + tail, "e.jsonl")
        assert all(r.value == r.value and abs(r.value) != float("inf") for r in records)
        assert all(d.line >= 1 for d in diags)

    check()


def test_validate_checks_measure_settings_at_their_line(tmp_path: Path, capsys, monkeypatch) -> None:
    metrics = (
        metric("A", "s", "<= 1", "file:\n  path: r.csv\n  format: csv")
        + metric("B", "s", "<= 1", "file:\n  path: r.jtl\n  format: jmeter\n  statistic: p95th\n  row: x")
        + metric("C", "s", "<= 1", "prometheus:\n  query: up\n  unit: GB")
        + metric("D", "req/min", ">= 1", "file:\n  path: r.csv\n  format: locust\n  column: Requests/s\n  unit: 1/s")
        + metric("E", "ms", "<= 1", "file:\n  path: r.json\n  format: json")
    )
    write(tmp_path, "decisions/chat/0001-faster.yaml", decision("CHAT-0001", metrics))
    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 1
    out = capsys.readouterr().out.splitlines()
    f = "decisions/chat/0001-faster.yaml"
    assert out == [
        f"{f}:15:11: error: a csv source needs 'column': the column that holds the value",  # at the file source
        f"{f}:24:22: error: 'p95th' is not a JMeter statistic: mean, median, min, max, error_rate, throughput or pNN (p95)",
        f"{f}:25:11: error: 'row' is not read from a jmeter file (it is for locust)",
        f"{f}:32:17: error: the source's unit 'GB' does not convert to the metric's unit 's': cannot compare '1 GB' "
        "with 's': 'GB' measures data size, 's' measures time",
        f"{f}:47:11: error: a json source needs 'json_path', e.g. 'results.latency.p95'",
    ]  # D (a rate in 1/s for a metric in req/min) is fine


def test_feed_links_are_relative_without_site_url(tmp_path: Path) -> None:
    import datetime as dt

    from conftest import load_tree

    from mkdocs_wa.analysis.loops import feedback_loops
    from mkdocs_wa.layout import Layout
    from mkdocs_wa.render.feed import atom_feed

    write(tmp_path, "decisions/chat/0001-faster.yaml", CHAT)
    write(tmp_path, "decisions/chat/evidence/CHAT-0001.jsonl", EVIDENCE)
    catalog, _ = load_tree(tmp_path)
    loops = feedback_loops(catalog, dt.date(2026, 10, 25))
    feed = ET.fromstring(atom_feed(catalog, loops, Layout("arch"), use_directory_urls=False))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.find("a:link[@rel='self']", ns).get("href") == "feed.xml"
    assert feed.find("a:link[@rel='alternate']", ns).get("href") == "index.html"
    hrefs = {e.findtext("a:title", namespaces=ns): e.find("a:link", ns).get("href") for e in feed.findall("a:entry", ns)}
    assert hrefs["Regressed: CHAT-0001 Chat response time"] == "chat/0001-faster.html"
    assert feed.findtext("a:title", namespaces=ns) == "Architecture decisions"
    # the same inputs give the same bytes (no build time in it)
    assert atom_feed(catalog, loops, Layout("arch")) == atom_feed(catalog, loops, Layout("arch"))
