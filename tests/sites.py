"""Helpers that make real MkDocs projects in temporary folders and build them."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent

BASE_CONFIG = {
    "site_name": "Test site",
    "theme": {"name": "material"},
    "markdown_extensions": ["admonition", "tables", {"toc": {"permalink": True}}],
    "plugins": ["search", {"well-architected": {"today": "2026-01-01", "history": False}}],
}


def decision_yaml(
    id: str = "APP-0001",
    title: str = "Use a queue",
    status: str = "accepted",
    date: str = "2024-01-10",
    **extra: object,
) -> str:
    data = {"schema": 1, "id": id, "title": title, "status": status, "date": date, **extra}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def make_project(
    root: Path,
    decisions: dict[str, str],
    *,
    config: dict | None = None,
    plugin_options: dict | None = None,
    docs: dict[str, str] | None = None,
) -> Path:
    """Write mkdocs.yml, docs/ and decisions/ under ``root`` and return ``root``."""
    cfg = yaml.safe_load(yaml.safe_dump(BASE_CONFIG))
    if plugin_options:
        cfg["plugins"][1]["well-architected"].update(plugin_options)
    if config:
        cfg.update(config)
    (root / "docs").mkdir(parents=True, exist_ok=True)
    for rel, text in (docs or {"index.md": "# Home\n\nWelcome.\n"}).items():
        path = root / "docs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    for rel, text in decisions.items():
        path = root / "decisions" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "mkdocs.yml").write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    return root


def build(root: Path, *, strict: bool = True) -> subprocess.CompletedProcess[str]:
    """``mkdocs build`` in a subprocess, as a user runs it; returns the finished process."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    args = [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")]
    if strict:
        args.append("--strict")
    return subprocess.run(args, cwd=root, env=env, capture_output=True, text=True, timeout=300)


def build_in_process(root: Path, caplog=None, **overrides: object) -> Path:
    """Build with MkDocs' API (faster; logs land in ``caplog``). Returns the site folder."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    cwd = os.getcwd()
    os.chdir(root)
    try:
        if caplog is not None:
            caplog.set_level(logging.WARNING, logger="mkdocs")
        cfg = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"), **overrides)
        mkdocs_build(cfg)
    finally:
        os.chdir(cwd)
    return root / "site"


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes, to prove a build wrote nothing there."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def article(html: str) -> str:
    """The page's main content, without navigation, header and footer."""
    start = html.index("<article")
    return html[start : html.index("</article>", start)]
