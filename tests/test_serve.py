"""``mkdocs serve`` watches decisions/: an edit rebuilds, a broken edit does not kill it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from sites import decision_yaml, make_project


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


@pytest.fixture(params=["serve", "serve --dirty"])
def served(tmp_path, request):
    root = make_project(
        tmp_path,
        {
            "app/0001-queue.yaml": decision_yaml("APP-0001", "First title"),
            "ops/0001-runbooks.yaml": decision_yaml("OPS-0001", "Runbooks"),
        },
    )
    port = _free_port()
    log = open(tmp_path / "serve.log", "w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", *request.param.split(), "-a", f"127.0.0.1:{port}", "-f", str(root / "mkdocs.yml")],
        cwd=root,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        yield root, f"http://127.0.0.1:{port}/architecture/app/0001-queue/", proc, tmp_path / "serve.log"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_editing_a_decision_rebuilds_and_a_broken_edit_keeps_serving(served):
    root, url, proc, log = served
    assert _wait_for(lambda: "First title" in (_get(url) or "")), log.read_text()
    decision = root / "decisions" / "app" / "0001-queue.yaml"

    decision.write_text(decision_yaml("APP-0001", "Second title"), encoding="utf-8")
    assert _wait_for(lambda: "Second title" in (_get(url) or "")), log.read_text()

    decision.write_text("schema: 1\nid: APP-0001\ntitle: Broken\nstatus: acepted\ndate: 2024-01-10\n", encoding="utf-8")
    assert _wait_for(lambda: "decisions/app/0001-queue.yaml:4:9: error: status is 'acepted'" in log.read_text()), log.read_text()
    assert proc.poll() is None, "the server must survive a broken decision"

    decision.write_text(decision_yaml("APP-0001", "Third title"), encoding="utf-8")
    assert _wait_for(lambda: "Third title" in (_get(url) or "")), log.read_text()
    # the workload's log shows the new title too (with --dirty: its page was rendered again)
    assert _wait_for(lambda: "Third title" in (_get(url.replace("0001-queue/", "")) or "")), log.read_text()
    # and a page the edits did not touch is still served
    assert "Runbooks" in (_get(url.replace("app/0001-queue/", "ops/0001-runbooks/")) or "")
