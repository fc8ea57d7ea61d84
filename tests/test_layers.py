"""The pipeline's layers hold: import-linter's contracts in pyproject.toml (a module
imports only from the layers below its own; only the adapters import MkDocs)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.tools import venv_env, venv_tool

ROOT = Path(__file__).resolve().parent.parent


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [venv_tool("lint-imports"), "--no-cache"],
        cwd=cwd, capture_output=True, text=True, env=venv_env(PYTHONPATH=str(cwd)), timeout=300,
    )


def test_the_layers_hold() -> None:
    run = lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Contracts: 2 kept, 0 broken." in run.stdout


def test_a_core_module_importing_mkdocs_or_a_higher_layer_breaks_the_contracts(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "mkdocs_wa", tmp_path / "mkdocs_wa", symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__", "case_studies", "loadtests"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    model = tmp_path / "mkdocs_wa" / "model.py"
    model.write_text(model.read_text("utf-8") + "\nimport mkdocs.config  # noqa\nfrom mkdocs_wa.render import site  # noqa\n", "utf-8")
    run = lint_imports(tmp_path)
    assert run.returncode != 0
    assert "mkdocs_wa.model is not allowed to import mkdocs_wa.render" in run.stdout
    assert "mkdocs_wa.model -> mkdocs (l." in run.stdout
