"""ruff and mypy, as configured in pyproject.toml, find nothing in the code.

They run from the test virtualenv (``scripts/setup.sh --test`` installs them with the
test extras); a missing one fails the test. A second pair of tests feeds each tool a
file with the faults the configuration exists to catch (a relative import, a function
above the complexity limit, a type error inside an unannotated function), so a
configuration that silently stopped checking them fails too.
"""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

from tools import venv_env, venv_tool

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = REPO / "pyproject.toml"


def _run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, env=venv_env(), capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    done = _run(venv_tool("ruff"), "check", "--no-cache", "mkdocs_wa", "tests", "benchmarks")
    assert done.returncode == 0, f"ruff check mkdocs_wa tests benchmarks:\n{done.stdout}{done.stderr}"


def test_mypy_finds_nothing() -> None:
    # No paths: pyproject's [tool.mypy] names the package (packages = ["mkdocs_wa"]).
    done = _run(venv_tool("mypy"))
    assert done.returncode == 0, f"mypy:\n{done.stdout}{done.stderr}"
    assert "no issues found" in done.stdout, done.stdout


def _branches(n: int) -> str:
    return "\n".join(f"    if x == {i}:\n        return {i}" for i in range(n))


def test_ruff_configuration_bans_relative_imports_and_complex_functions(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "other.py").write_text("VALUE = 1\n")
    (pkg / "bad.py").write_text(
        "from .other import VALUE\n\n\n"
        f"def at_limit(x: int) -> int:\n{_branches(24)}\n    return VALUE\n\n\n"
        f"def over_limit(x: int) -> int:\n{_branches(25)}\n    return VALUE\n"
    )
    done = _run(venv_tool("ruff"), "check", "--no-cache", "--config", str(PYPROJECT), "--output-format", "concise",
                str(pkg), cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    found = done.stdout
    assert "bad.py:1:1: TID252" in found, found
    # McCabe counts one for the function and one per branch: 25 is allowed, 26 is not.
    assert "C901 `over_limit` is too complex (26 > 25)" in found, found
    assert "at_limit" not in found, found


def test_mypy_configuration_checks_the_bodies_of_unannotated_functions(tmp_path: Path) -> None:
    (tmp_path / "mkdocs_wa").mkdir()
    (tmp_path / "mkdocs_wa" / "__init__.py").write_text(textwrap.dedent("""\
        def untyped(x):
            count: int = "not a number"
            return count
        """))
    done = _run(venv_tool("mypy"), "--config-file", str(PYPROJECT), "--cache-dir", str(tmp_path / "cache"),
                "-p", "mkdocs_wa", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "mkdocs_wa/__init__.py:2: error: Incompatible types in assignment" in done.stdout, done.stdout
