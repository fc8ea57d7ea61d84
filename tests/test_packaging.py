"""The package as a user installs it: a wheel built from this checkout, in a fresh virtualenv.

`pip install mkdocs-wa` then `mkdocs-wa demo --build` must work without a checkout: the
case studies ship in the wheel (``mkdocs_wa/case_studies``). The build uses the package
index (for the build backend and the dependencies); it takes a minute once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _copy_checkout(dest: Path) -> None:
    """The checkout's files (tracked and new, not ignored), links kept as links, so the
    wheel is built elsewhere than in the checkout (pip writes build/ next to the sources)."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        src, dst = REPO / rel, dest / rel
        if not src.exists() and not src.is_symlink():
            continue  # deleted in the working tree
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            os.symlink(os.readlink(src), dst)
        else:
            shutil.copy2(src, dst)


def test_the_demo_works_from_an_installed_wheel(tmp_path: Path) -> None:
    source, wheels, venv, work = tmp_path / "src", tmp_path / "wheels", tmp_path / "venv", tmp_path / "work"
    _copy_checkout(source)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(source)],
                           env=env, capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    # The license is an SPDX expression: setuptools no longer warns about a table.
    assert "project.license` as a TOML table is deprecated" not in built.stderr
    (wheel,) = wheels.glob("mkdocs_wa-*.whl")
    # Only the product: the benchmarks' synthetic data and timing scripts stay in benchmarks/.
    modules = [n for n in zipfile.ZipFile(wheel).namelist() if n.endswith(".py")]
    assert "mkdocs_wa/authoring/demo.py" in modules
    assert not [n for n in modules if "synthetic" in n or "bench" in n or not n.startswith("mkdocs_wa/")], modules

    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    installed = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
                               env=env, capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stderr

    work.mkdir()
    env["PATH"] = str(venv / "bin") + os.pathsep + env.get("PATH", "")
    demo = subprocess.run([str(venv / "bin" / "mkdocs-wa"), "demo", "--build", "-o", "demo"], cwd=work, env=env,
                          capture_output=True, text=True, timeout=900)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    site = work / "demo" / "site"
    assert (site / "index.html").is_file()
    pages = {p.parent.name for p in (site / "architecture").rglob("index.html")}
    assert "0002-split-chat-from-video" in pages and "0005-serverless-ingest-and-batch" in pages
    # It ran from the wheel, not from this checkout, and its site loads no web fonts.
    assert str(REPO) not in demo.stdout + demo.stderr
    assert "fonts.googleapis.com" not in (site / "index.html").read_text("utf-8")
