"""`mkdocs-wa measure` against a real Prometheus (Debian's package), with backfilled series.

The series are written with ``promtool tsdb create-blocks-from openmetrics`` before the
server starts, so the value of each query at ``--at`` is known exactly.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write
from measure_helpers import UTC, decision, evidence_lines, free_port, metric, prometheus_server

from mkdocs_wa.cli import main
from mkdocs_wa.source.lens import load_lens
from mkdocs_wa.source.validate import load_catalog

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
#: p95 chat latency every minute for an hour: 0.5 s, then 2.0 s from minute 30 on
LATENCY = [(T0 + dt.timedelta(minutes=i), 0.5 if i < 30 else 2.0) for i in range(60)]
USERS = [(T0 + dt.timedelta(minutes=i), 100.0 + i) for i in range(60)]


@pytest.fixture(scope="module")
def prom(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    series = {
        'chat_latency_p95_seconds{job="chat"}': LATENCY,
        'chat_users{instance="a"}': USERS,
        'chat_users{instance="b"}': USERS,
    }
    with prometheus_server(tmp_path_factory.mktemp("prom"), series) as url:
        yield url


def project(root: Path, *metrics: str, status: str = "accepted", extra: str = "") -> Path:
    return write(root, "decisions/chat/0001-faster.yaml", decision("CHAT-0001", "".join(metrics), status, extra))


LATENCY_MS = metric("Chat response time", "ms", "<= 1000", "prometheus:\n  query: max(chat_latency_p95_seconds)\n  unit: s")
USERS_METRIC = metric("Concurrent users", "users", ">= 100", "prometheus:\n  query: sum(chat_users)")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_measure_at_a_time_records_exact_values(prom: str, in_tmp: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("PROMETHEUS_URL", prom)
    project(in_tmp, LATENCY_MS, USERS_METRIC)
    code, out, err = run(capsys, "measure", "--at", "2026-11-02T09:10:00Z")
    assert code == 0, err
    assert out == "decisions/chat/evidence/CHAT-0001.jsonl: 2 records added\n"
    assert "[####################] 2/2 CHAT-0001 'Concurrent users' (prometheus): 220 users" in err
    records = evidence_lines(in_tmp, "chat", "CHAT-0001")
    # 0.5 s in the metric's unit (ms); 2 x (100 + 10) users
    assert [(r["metric"], r["value"], r["unit"]) for r in records] == [("Chat response time", 500.0, "ms"), ("Concurrent users", 220.0, "users")]
    assert records[0] == {
        "time": "2026-11-02T09:10:00Z", "metric": "Chat response time", "value": 500.0, "unit": "ms",
        "kind": "prometheus", "query": "max(chat_latency_p95_seconds)", "source": prom,
    }

    # the same run again (a CI job re-run with the same --at) adds nothing
    code, out, err = run(capsys, "measure", "--at", "2026-11-02T09:10:00Z")
    assert (code, out) == (0, "decisions/chat/evidence/CHAT-0001.jsonl: 0 records added\n")
    # a second run later appends (never rewrites) and the latest value becomes observed
    code, _, err = run(capsys, "measure", "--at", "2026-11-02T09:45:00Z", "CHAT-0001")
    assert code == 0, err
    records = evidence_lines(in_tmp, "chat", "CHAT-0001")
    assert [r["value"] for r in records] == [500.0, 220.0, 2000.0, 290.0]
    lens, _ = load_lens()
    catalog, diags = load_catalog([in_tmp / "decisions"], lens)
    m = catalog.decisions[0].hypothesis.metrics[0]
    assert [e.value for e in m.evidence] == [500.0, 2000.0]
    assert m.latest.time == dt.datetime(2026, 11, 2, 9, 45, tzinfo=UTC)


def test_dry_run_writes_nothing(prom: str, in_tmp: Path, capsys) -> None:
    project(in_tmp, LATENCY_MS)
    code, out, err = run(capsys, "measure", "--dry-run", "--prometheus-url", prom, "--at", "2026-11-02T09:31:00Z")
    assert code == 0, err
    line = json.loads(out.split(": ", 1)[1])
    assert out.startswith("decisions/chat/evidence/CHAT-0001.jsonl: ")
    assert line["value"] == 2000.0
    assert "nothing written (--dry-run)" in err
    assert not (in_tmp / "decisions/chat/evidence").exists()


def test_credentials_in_the_url_are_never_written(prom: str, in_tmp: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("PROMETHEUS_URL", prom.replace("http://", "http://ana:s3cret-pw@"))
    project(in_tmp, LATENCY_MS)
    code, out, err = run(capsys, "measure", "--at", "2026-11-02T09:10:00Z")
    assert code == 0, err
    text = (in_tmp / "decisions/chat/evidence/CHAT-0001.jsonl").read_text()
    assert "s3cret" not in text and "ana" not in text and "s3cret" not in out + err
    assert evidence_lines(in_tmp, "chat", "CHAT-0001")[0]["source"] == prom


FAILING = {
    "bad query": ("sum(chat_users", "Prometheus refused the query (HTTP 400, bad query): bad_data"),
    "empty": ("no_such_metric", "the query returned no data at 2026-11-02 09:10:00Z"),
    "nan": ("0/0", "the query returned NaN at 2026-11-02 09:10:00Z"),
    "two series": ("chat_users", "the query returned 2 series (chat_users{instance=\"a\"}, chat_users{instance=\"b\"}); aggregate them"),
}


@pytest.mark.parametrize("case", sorted(FAILING))
def test_each_failure_is_reported_for_its_metric_and_others_are_measured(case: str, prom: str, in_tmp: Path, capsys) -> None:
    query, message = FAILING[case]
    broken = metric("Broken", "s", "<= 1", f"prometheus:\n  query: '{query}'")
    project(in_tmp, broken, USERS_METRIC)
    code, out, err = run(capsys, "measure", "--prometheus-url", prom, "--at", "2026-11-02T09:10:00Z")
    assert code == 1
    # the failing metric's message points at its 'measure' key (line 13, column 7)
    assert f"decisions/chat/0001-faster.yaml:13:7: error: CHAT-0001 'Broken': {message}" in err, err
    assert "1 measured, 1 failed" in err
    assert [r["metric"] for r in evidence_lines(in_tmp, "chat", "CHAT-0001")] == ["Concurrent users"]


def test_wrong_unit_is_reported_before_measuring(prom: str, in_tmp: Path, capsys) -> None:
    """A 'unit' that cannot be the metric's is an error of the decision file, at its line."""
    wrong = metric("Latency", "s", "<= 1", "prometheus:\n  query: max(chat_latency_p95_seconds)\n  unit: GB")
    project(in_tmp, wrong)
    code, _, err = run(capsys, "measure", "--prometheus-url", prom, "--at", "2026-11-02T09:10:00Z")
    assert code == 1
    assert "decisions/chat/0001-faster.yaml:16:17: error: the source's unit 'GB' does not convert to the metric's unit 's'" in err
    assert not (in_tmp / "decisions/chat/evidence").exists()


def test_unreachable_server(in_tmp: Path, capsys) -> None:
    project(in_tmp, USERS_METRIC)
    port = free_port()  # nothing listens there
    code, _, err = run(capsys, "measure", "--prometheus-url", f"http://127.0.0.1:{port}")
    assert code == 1
    assert f"CHAT-0001 'Concurrent users': cannot reach Prometheus at http://127.0.0.1:{port}: Connection refused" in err
    assert not (in_tmp / "decisions/chat/evidence").exists()


def test_no_server_configured(in_tmp: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("PROMETHEUS_URL", raising=False)
    project(in_tmp, USERS_METRIC)
    code, _, err = run(capsys, "measure")
    assert code == 1
    assert "no Prometheus server: set PROMETHEUS_URL or pass --prometheus-url" in err


def test_a_server_that_never_answers_times_out(in_tmp: Path, capsys) -> None:
    with socket.socket() as listener:  # accepts connections (the kernel does) but never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        project(in_tmp, metric("Users", "users", ">= 1", "prometheus:\n  query: up\n  timeout: 1"), USERS_METRIC)
        code, _, err = run(capsys, "measure", "--prometheus-url", f"http://127.0.0.1:{port}", "--timeout", "1")
    assert code == 1
    assert f"CHAT-0001 'Users': Prometheus at http://127.0.0.1:{port} gave no answer within 1 s" in err
    assert f"CHAT-0001 'Concurrent users': Prometheus at http://127.0.0.1:{port} gave no answer within 1 s" in err


def test_a_huge_answer_is_refused(in_tmp: Path, capsys) -> None:
    """A server that streams an endless body: measure reads a bounded amount and stops."""
    import http.server

    class Endless(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            try:
                self.wfile.write(b'{"status":"success","data":{"resultType":"vector","result":[')
                for _ in range(200_000):
                    self.wfile.write(b'{"metric":{"a":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"},"value":[1,"1"]},')
            except OSError:
                pass

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Endless)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        project(in_tmp, USERS_METRIC)
        code, _, err = run(capsys, "measure", "--prometheus-url", f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
    assert code == 1
    assert "CHAT-0001 'Concurrent users': the answer is larger than 5,000,000 bytes" in err


def test_unknown_decision_is_a_usage_error(in_tmp: Path, capsys) -> None:
    project(in_tmp, USERS_METRIC)
    code, _, err = run(capsys, "measure", "CHAT-0009")
    assert code == 2
    assert "CHAT-0009:0:0: error: no such decision id" in err


def test_superseded_decisions_are_not_measured_unless_named(prom: str, in_tmp: Path, capsys) -> None:
    project(in_tmp, USERS_METRIC, status="rejected")
    code, _, err = run(capsys, "measure", "--prometheus-url", prom, "--at", "2026-11-02T09:10:00Z")
    assert (code, err.strip()) == (0, "no metric to measure (none has 'measure')")
    code, _, err = run(capsys, "measure", "--prometheus-url", prom, "--at", "2026-11-02T09:10:00Z", "CHAT-0001")
    assert code == 0, err
    assert evidence_lines(in_tmp, "chat", "CHAT-0001")[0]["value"] == 220.0
