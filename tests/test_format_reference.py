"""The decision format reference is generated from the schema: every key is on the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sites import build

from mkdocs_wa.source.schema import schema_json
from mkdocs_wa.source.schema_docs import format_reference_markdown

REPO = Path(__file__).resolve().parent.parent
HOOK = REPO / "docs" / "hooks" / "format_reference.py"


def _keys(schema: Any, out: set[str]) -> set[str]:
    """Every property name anywhere in the schema, $defs included."""
    if isinstance(schema, dict):
        for key, sub in (schema.get("properties") or {}).items():
            out.add(key)
            _keys(sub, out)
        for name in ("items", "additionalProperties", "$defs"):
            sub = schema.get(name)
            if name == "$defs" and isinstance(sub, dict):
                for d in sub.values():
                    _keys(d, out)
            else:
                _keys(sub, out)
    return out


def _enums(schema: Any, out: set[str]) -> set[str]:
    if isinstance(schema, dict):
        out.update(str(v) for v in schema.get("enum", []))
        for sub in schema.values():
            _enums(sub, out)
    elif isinstance(schema, list):
        for sub in schema:
            _enums(sub, out)
    return out


def test_every_key_and_allowed_value_of_the_schema_is_documented() -> None:
    schema = schema_json()
    text = format_reference_markdown()
    keys = _keys(schema, set())
    assert {"schema", "hypothesis", "review_by", "observed", "extends", "imported_from", "unmapped", "style"} <= keys
    assert sorted(k for k in keys if f"| `{k}` |" not in text) == []
    assert sorted(v for v in _enums(schema, set()) if f"`{v}`" not in text) == []
    for required in schema["required"]:
        assert f"| `{required}` | " in text and f"| `{required}` |" in text
    assert "| `status` | one of the values | yes |" in text
    assert "| `deciders` | list of text | no |" in text
    # nested objects get their own section, with their own required keys
    assert "## `hypothesis.metrics[]`" in text and "| `target` | number or text | yes |" in text
    assert "## `pillars.<name>`" in text and "| `score` | whole number | yes | 0 to 5 |" in text
    assert "## `node` { #node }" in text and "list of [node](#node)" in text


def test_descriptions_are_escaped_outside_code() -> None:
    text = format_reference_markdown()
    assert "(`<= 1`, `< 2.5`" in text  # code spans stay as written
    assert "Pillar id (from the lens) -&gt; the pillar" in text  # prose is HTML-escaped


def test_hook_adds_the_generated_page_to_a_real_build(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\nSee [the format](reference/format.md).\n", "utf-8")
    config = {
        "site_name": "Format",
        "theme": {"name": "material"},
        "markdown_extensions": ["attr_list", "tables", {"toc": {"permalink": True}}],
        "hooks": [str(HOOK)],
    }
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), "utf-8")
    result = build(tmp_path, strict=True)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "reference" / "format" / "index.html").read_text("utf-8")
    assert "Decision file format (version 1)" in page
    assert 'id="node"' in page and "<code>imported_from</code>" in page
    assert not (tmp_path / "docs" / "reference").exists()  # generated in memory only
