"""File sources: a real Locust run's stats CSV, and k6, JMeter, CSV and JSON reports
written to their documented formats."""

from __future__ import annotations

import csv
import http.server
import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import write
from measure_helpers import decision, evidence_lines, metric

from mkdocs_wa.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


LOCUSTFILE = """\
from locust import HttpUser, constant, task


class Reader(HttpUser):
    wait_time = constant(0.05)

    @task
    def index(self):
        self.client.get("/")
"""


class Slow(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        body = b"hello"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_locust_stats_csv_from_a_real_run(in_tmp: Path, capsys) -> None:
    locust = shutil.which("locust", path=str(Path(sys.executable).parent))
    assert locust, "locust is installed with the test extras (pip install -e '.[test]')"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        write(in_tmp, "loadtests/locustfile.py", LOCUSTFILE)
        subprocess.run(
            [locust, "-f", "loadtests/locustfile.py", "--headless", "-u", "2", "-r", "2", "-t", "3s",
             "--csv", "loadtests/chat", "--host", f"http://127.0.0.1:{server.server_port}", "--only-summary"],
            check=True, capture_output=True, timeout=120,
        )
    finally:
        server.shutdown()
    stats = in_tmp / "loadtests/chat_stats.csv"
    rows = {r["Name"]: r for r in csv.DictReader(stats.open(newline=""))}
    assert int(rows["Aggregated"]["Request Count"]) > 10
    p95 = metric("Response time", "s", "<= 1", "file:\n  path: loadtests/chat_stats.csv\n  format: locust")
    rps = metric("Throughput", "1/min", ">= 60", "file:\n  path: loadtests/chat_stats.csv\n  format: locust\n  column: Requests/s")
    write(in_tmp, "decisions/chat/0001-x.yaml", decision("CHAT-0001", p95 + rps))
    code, _, err = run(capsys, "measure", "--at", "2026-11-02T12:00:00Z")
    assert code == 0, err
    records = evidence_lines(in_tmp, "chat", "CHAT-0001")
    assert records[0]["value"] == pytest.approx(float(rows["Aggregated"]["95%"]) / 1000)  # ms -> s
    assert records[1]["value"] == pytest.approx(float(rows["Aggregated"]["Requests/s"]) * 60)  # 1/s -> 1/min
    assert records[0]["query"] == "locust: 95% of row Aggregated"
    assert records[0]["source"] == "loadtests/chat_stats.csv"


#: ``k6 run --summary-export=summary.json`` (the legacy summary format)
K6_EXPORT = {
    "metrics": {
        "http_req_duration": {"avg": 120.5, "min": 80, "med": 110, "max": 400, "p(90)": 200, "p(95)": 250},
        "http_req_failed": {"passes": 3, "fails": 97, "value": 0.03},
        "http_reqs": {"count": 100, "rate": 9.8},
    }
}
#: a ``handleSummary`` data object written with JSON.stringify
K6_SUMMARY = {
    "metrics": {
        "http_req_duration": {"type": "trend", "contains": "time", "values": {"avg": 95.0, "p(95)": 180.0, "max": 300}},
        "http_req_failed": {"type": "rate", "contains": "default", "values": {"rate": 0.02, "passes": 2, "fails": 98}},
        "data_received": {"type": "counter", "contains": "data", "values": {"count": 2048000, "rate": 4096}},
    }
}


def test_k6_summaries(in_tmp: Path, capsys) -> None:
    write(in_tmp, "k6/export.json", json.dumps(K6_EXPORT))
    write(in_tmp, "k6/summary.json", json.dumps(K6_SUMMARY))
    metrics = (
        metric("p95 export", "s", "<= 1", "file:\n  path: k6/export.json\n  format: k6")
        + metric("errors export", "%", "<= 5", "file:\n  path: k6/export.json\n  format: k6\n  metric: http_req_failed\n  statistic: value")
        + metric("requests", "1/s", ">= 5", "file:\n  path: k6/export.json\n  format: k6\n  metric: http_reqs\n  statistic: rate")
        + metric("p95 summary", "ms", "<= 1000", "file:\n  path: k6/summary.json\n  format: k6")
        + metric("errors summary", "%", "<= 5", "file:\n  path: k6/summary.json\n  format: k6\n  metric: http_req_failed\n  statistic: rate")
        + metric("received", "kB/s", ">= 1", "file:\n  path: k6/summary.json\n  format: k6\n  metric: data_received\n  statistic: rate")
    )
    write(in_tmp, "decisions/chat/0001-x.yaml", decision("CHAT-0001", metrics))
    code, _, err = run(capsys, "measure", "--at", "2026-11-02T12:00:00Z")
    assert code == 0, err
    values = [(r["value"], r["unit"]) for r in evidence_lines(in_tmp, "chat", "CHAT-0001")]
    assert values == [(0.25, "s"), (3.0, "%"), (9.8, "1/s"), (180.0, "ms"), (2.0, "%"), (4.096, "kB/s")]


JTL_HEADER = "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n"


def jtl(samples: list[tuple[int, int, str, bool]]) -> str:
    return JTL_HEADER + "".join(
        f"{ts},{ms},{label},{200 if ok else 500},{'OK' if ok else 'Error'},Users 1-1,text,{str(ok).lower()},,512,100,1,1,"
        f"http://x/{label},{ms // 2},0,3\n"
        for ts, ms, label, ok in samples
    )


def test_jmeter_jtl(in_tmp: Path, capsys) -> None:
    # 20 'chat' samples of 10, 20, ... 200 ms (the 20th fails), one slow 'login' sample
    samples = [(1_700_000_000_000 + 500 * i, 10 * (i + 1), "chat", i != 19) for i in range(20)]
    samples.append((1_700_000_000_000, 5000, "login", True))
    write(in_tmp, "jmeter/results.jtl", jtl(samples))
    base = "file:\n  path: jmeter/results.jtl\n  format: jmeter\n  label: chat\n  statistic: "
    metrics = (
        metric("p95", "ms", "<= 1000", base + "p95")
        + metric("mean", "ms", "<= 1000", base + "mean")
        + metric("errors", "%", "<= 10", base + "error_rate")
        + metric("throughput", "1/s", ">= 1", base + "throughput")
        + metric("max all", "s", "<= 10", "file:\n  path: jmeter/results.jtl\n  format: jmeter\n  statistic: max")
    )
    write(in_tmp, "decisions/chat/0001-x.yaml", decision("CHAT-0001", metrics))
    code, _, err = run(capsys, "measure", "--at", "2026-11-02T12:00:00Z")
    assert code == 0, err
    values = [r["value"] for r in evidence_lines(in_tmp, "chat", "CHAT-0001")]
    # nearest rank: ceil(0.95 * 20) = 19th of 20 -> 190 ms; mean 105; 1 of 20 failed;
    # 20 samples from the first start to the last end (9.5 s + 200 ms)
    assert values[:3] == [190.0, 105.0, 5.0]
    assert values[3] == pytest.approx(20 / 9.7)
    assert values[4] == 5.0


def test_plain_csv_with_a_time_column_gives_a_series(in_tmp: Path, capsys) -> None:
    write(in_tmp, "reports/weekly.csv", "week,p95_ms\n2026-10-05,900\n2026-10-12,700\n2026-10-19,650\n")
    m = metric("Latency", "s", "<= 0.8", "file:\n  path: reports/weekly.csv\n  format: csv\n  column: p95_ms\n  time_column: week\n  unit: ms")
    write(in_tmp, "decisions/chat/0001-x.yaml", decision("CHAT-0001", m))
    for at in ("2026-10-06T00:00:00Z", "2026-10-13T00:00:00Z", "2026-11-01T00:00:00Z"):
        assert run(capsys, "measure", "--at", at)[0] == 0
    records = evidence_lines(in_tmp, "chat", "CHAT-0001")
    assert [(r["time"], r["value"]) for r in records] == [
        ("2026-10-06T00:00:00Z", 0.9), ("2026-10-13T00:00:00Z", 0.7), ("2026-11-01T00:00:00Z", 0.65)
    ]
    assert records[0]["query"] == "csv: p95_ms of line 2"
    code, _, err = run(capsys, "measure", "--at", "2026-10-01T00:00:00Z")
    assert code == 1
    assert "CHAT-0001 'Latency': reports/weekly.csv has no rows at or before 2026-10-01T00:00:00Z" in err


def test_json_path(in_tmp: Path, capsys) -> None:
    write(in_tmp, "reports/run.json", json.dumps({"runs": [{"latency": {"p95": 3.5}}, {"latency": {"p95": 1.25}}]}))
    ok = metric("Latency", "s", "<= 2", "file:\n  path: reports/run.json\n  format: json\n  json_path: runs[-1].latency.p95")
    missing = metric("Other", "s", "<= 2", "file:\n  path: reports/run.json\n  format: json\n  json_path: runs[0].latency.p99")
    write(in_tmp, "decisions/chat/0001-x.yaml", decision("CHAT-0001", ok + missing))
    code, _, err = run(capsys, "measure", "--at", "2026-11-02T12:00:00Z")
    assert code == 1
    assert [r["value"] for r in evidence_lines(in_tmp, "chat", "CHAT-0001")] == [1.25]
    assert "CHAT-0001 'Other': reports/run.json: nothing at 'runs[0].latency.p99' ('p99' is missing)" in err


@pytest.mark.parametrize(
    ("content", "spec", "message"),
    [
        ("Type,Name,95%\n,Aggregated,N/A\n", "format: locust", "'95%' of row 'Aggregated' is N/A (no requests?)"),
        ("a,b\n1,2\n", "format: locust", "is not a Locust stats CSV (no 'Name' column)"),
        ("v\nNaN\n", "format: csv\n  column: v", "v of line 2 is nan, not a measurement"),
        ("v\n12abc\n", "format: csv\n  column: v", "reports/r.txt:2: v is '12abc', not a number"),
        ("{not json", "format: json\n  json_path: a", "reports/r.txt is not valid JSON"),
        ('{"metrics": {}}', "format: k6", "has no k6 metric 'http_req_duration'"),
    ],
)
def test_bad_reports(content: str, spec: str, message: str, in_tmp: Path, capsys) -> None:
    write(in_tmp, "reports/r.txt", content)
    write(in_tmp, "decisions/chat/0001-x.yaml", decision("CHAT-0001", metric("M", "s", "<= 1", f"file:\n  path: reports/r.txt\n  {spec}")))
    code, _, err = run(capsys, "measure")
    assert code == 1
    assert message in err, err


def test_missing_report(in_tmp: Path, capsys) -> None:
    write(in_tmp, "decisions/chat/0001-x.yaml", decision("CHAT-0001", metric("M", "s", "<= 1", "file:\n  path: nope.csv\n  format: csv\n  column: v")))
    code, _, err = run(capsys, "measure")
    assert code == 1
    assert "CHAT-0001 'M': no such file: nope.csv" in err
