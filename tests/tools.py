"""The project's own commands, as setup installed them.

Tests run ``mkdocs-wa``, ``mkdocs`` and ``pre-commit`` from the virtualenv that runs the
tests (``scripts/setup.sh --test`` installs them there), never a copy found elsewhere on
PATH. A missing one fails the test with the command that installs it, never a skip.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: The folder of the running interpreter's scripts (``.venv/bin``).
BIN = Path(sys.executable).parent


def venv_tool(name: str) -> str:
    """The absolute path of ``name`` in the test virtualenv; fails the test when missing."""
    path = BIN / (name + (".exe" if os.name == "nt" else ""))
    assert path.is_file(), (
        f"{name} is not installed in {BIN}: run ./scripts/setup.sh --test (it installs the test extras)"
    )
    return str(path)


def venv_env(**extra: str) -> dict[str, str]:
    """The current environment with the virtualenv's scripts first on PATH, as
    ``scripts/test.sh`` sets it, so shell scripts (CI recipes, the guide's commands) run
    the project's own commands."""
    env = dict(os.environ)
    env["PATH"] = str(BIN) + os.pathsep + env.get("PATH", "")
    env.update(extra)
    return env
