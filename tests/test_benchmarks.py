"""Every benchmark script starts: its imports resolve and it parses its options.

The benchmarks are not run by the tests (they take minutes and print figures for a
person to read), but a benchmark that no longer imports is found here, not by the next
person who needs its figures (benchmarks/history.py once imported a generator from
where it had moved away)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
SCRIPTS = sorted(p for p in BENCHMARKS.glob("*.py") if p.name != "__init__.py" and not p.name.startswith("synthetic_"))


def test_the_benchmarks_are_found() -> None:
    assert {"run.py", "history.py", "scale.py", "portal.py"} <= {p.name for p in SCRIPTS}


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_benchmark_script_starts(script: Path) -> None:
    done = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, timeout=120,
                          cwd=BENCHMARKS.parent)
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout
