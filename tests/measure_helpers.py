"""Helpers for the ``mkdocs-wa measure`` tests: decisions with sources, a real Prometheus."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import write

UTC = dt.UTC


def decision(ident: str, metrics: str, status: str = "accepted", extra: str = "") -> str:
    """A decision whose hypothesis has ``metrics`` (YAML list items, indented 4)."""
    return (
        f"schema: 1\nid: {ident}\ntitle: Measured\nstatus: {status}\ndate: 2026-10-01\n"
        f"deciders: [Ana, Bo]\nhypothesis:\n  statement: It gets faster.\n  metrics:\n{metrics}{extra}"
    )


def metric(name: str, unit: str, target: str, measure: str, observed: str = "") -> str:
    """One metric item; ``measure`` is the YAML under ``measure:`` (indented 8)."""
    text = f"    - name: {name}\n      unit: \"{unit}\"\n      target: \"{target}\"\n"
    if observed:
        text += f"      observed: {observed}\n"
    return text + "      measure:\n" + "".join(f"        {line}\n" for line in measure.splitlines())


def evidence_lines(root: Path, workload: str, ident: str) -> list[dict]:
    file = root / "decisions" / workload / "evidence" / f"{ident}.jsonl"
    return [json.loads(line) for line in file.read_text("utf-8").splitlines()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require(tool: str) -> str:
    """The tool's path; the test FAILS without it (scripts/setup.sh --test installs it)."""
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"'{tool}' is not installed: run scripts/setup.sh --test (Debian package 'prometheus')")
    return path


def openmetrics(series: dict[str, Sequence[tuple[dt.datetime, float]]], kind: str = "gauge") -> str:
    """OpenMetrics text for promtool: ``{'name{labels}': [(time, value), ...]}``."""
    families: dict[str, list[str]] = {}
    for key, points in series.items():
        name = key.split("{", 1)[0]
        lines = families.setdefault(name, [f"# TYPE {name} {kind}"])
        lines += [f"{key} {value!r} {int(t.timestamp())}" for t, value in points]
    return "\n".join(line for lines in families.values() for line in lines) + "\n# EOF\n"


@contextmanager
def prometheus_server(tmp: Path, series: dict[str, Sequence[tuple[dt.datetime, float]]]) -> Iterator[str]:
    """A real Prometheus on 127.0.0.1 whose storage holds exactly ``series`` (backfilled
    with promtool); yields its URL."""
    prometheus, promtool = require("prometheus"), require("promtool")
    data = tmp / "tsdb"
    data.mkdir()
    source = tmp / "series.om"
    source.write_text(openmetrics(series), "utf-8")
    subprocess.run([promtool, "tsdb", "create-blocks-from", "openmetrics", str(source), str(data)],
                   check=True, capture_output=True, timeout=120)
    config = write(tmp, "prometheus.yml", "global:\n  scrape_interval: 1h\nscrape_configs: []\n")
    port = free_port()
    proc = subprocess.Popen(
        [prometheus, f"--config.file={config}", f"--storage.tsdb.path={data}", f"--web.listen-address=127.0.0.1:{port}",
         "--storage.tsdb.retention.time=100y", "--log.level=warn"],
        stdout=subprocess.DEVNULL, stderr=(tmp / "prometheus.log").open("wb"),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/-/ready", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("Prometheus did not start: " + (tmp / "prometheus.log").read_text(errors="replace")[-2000:])
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
