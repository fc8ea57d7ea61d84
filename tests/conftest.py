"""Shared fixtures and helpers. Keep this small: other test files may add to it."""

from __future__ import annotations

from pathlib import Path

import pytest

# Browser fixtures (Chromium through Playwright), shared by every module that drives it:
# defined once here so a session starts one Playwright, not one per importing module.
from browser import chromium, context, playwright_instance  # noqa: F401

from mkdocs_wa.model import Catalog, Lens
from mkdocs_wa.source.lens import load_lens
from mkdocs_wa.source.validate import load_catalog


def write(tmp_path: Path, relpath: str, text: str | bytes) -> Path:
    """Write ``text`` (or raw bytes) to ``tmp_path/relpath``, creating folders; return the path."""
    path = tmp_path / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


#: The smallest valid decision; tests append keys to it or replace its lines.
MINIMAL = """\
schema: 1
id: W-0001
title: A decision
status: accepted
date: 2021-03-01
"""


@pytest.fixture(scope="session")
def aws_lens() -> Lens:
    lens, diags = load_lens()
    assert lens is not None, diags
    return lens


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test with ``tmp_path`` as the working directory (paths show relative to it)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def load_tree(root: Path, lens: Lens | None = None) -> tuple[Catalog, list[str]]:
    """Run :func:`load_catalog` over ``root/decisions``; diagnostics as printed by the CLI.

    Paths in the diagnostics are relative to ``root`` ('decisions/w/0001-x.yaml').
    """
    if lens is None:
        lens, diags = load_lens()
        assert lens is not None, diags
    catalog, diags = load_catalog([root / "decisions"], lens, display=lambda f: f.relative_to(root).as_posix())
    return catalog, [d.format() for d in diags]
