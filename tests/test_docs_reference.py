"""The configuration reference names every plugin option, so it cannot drift."""

from __future__ import annotations

from pathlib import Path

from mkdocs_wa.plugin.config import WellArchitectedConfig

DOC = Path(__file__).resolve().parent.parent / "docs" / "reference" / "configuration.md"


def test_every_option_is_documented():
    text = DOC.read_text(encoding="utf-8")
    options = [name for name, _ in WellArchitectedConfig._schema]
    assert options, "the plugin has options"
    missing = [name for name in options if f"| `{name}` |" not in text]
    assert missing == []
