"""safepath.replace_file: how every generated, cached or renumbered file is written."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from mkdocs_wa import safepath
from mkdocs_wa.safepath import FILE_MODE, replace_file


def test_writes_text_as_utf8_with_its_line_endings_and_the_ordinary_mode(tmp_path: Path) -> None:
    target = tmp_path / "page.md"
    replace_file(target, "é\r\nline\n")
    assert target.read_bytes() == "é\r\nline\n".encode()
    assert stat.S_IMODE(target.stat().st_mode) == FILE_MODE  # not mkstemp's private 0o600
    replace_file(target, b"\x00bytes", 0o640)
    assert target.read_bytes() == b"\x00bytes" and stat.S_IMODE(target.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["page.md"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "cache.json"
    target.write_text("old", encoding="utf-8")

    def full_disk(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safepath.os, "replace", full_disk)
    with pytest.raises(OSError, match="No space left"):
        replace_file(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["cache.json"]


def test_a_link_in_place_of_the_file_is_replaced_not_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep", encoding="utf-8")
    (tmp_path / "site").mkdir()
    link = tmp_path / "site" / "index.html"
    link.symlink_to(outside)
    replace_file(link, "page")
    assert outside.read_text(encoding="utf-8") == "keep"
    assert not link.is_symlink() and link.read_text(encoding="utf-8") == "page"
