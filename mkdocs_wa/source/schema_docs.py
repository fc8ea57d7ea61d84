"""The decision format reference, generated from the JSON Schema so it cannot drift.

:func:`format_reference_markdown` walks ``schemas/decision-v<N>.schema.json`` and writes
one table per object (the top level, then every nested object, ``$defs`` included):
key, type, whether it is required, allowed values and the description. The project's
site adds it as ``reference/format.md`` through ``docs/hooks/format_reference.py``.
"""

from __future__ import annotations

import html
import json
from typing import Any

from mkdocs_wa.source.schema import CURRENT, schema_json


def _cell(text: str) -> str:
    """Schema text in a table cell: HTML-escaped, pipes escaped, one line.

    Descriptions use backticks for code, which stay Markdown; everything else is
    escaped so a schema string can never inject HTML into the page.
    """
    parts = " ".join(text.split()).split("`")
    # odd parts are code spans: Markdown shows them literally, so they need no escaping
    out = [p if i % 2 else html.escape(p, quote=False) for i, p in enumerate(parts)]
    return "`".join(out).replace("|", "\\|")


def _code(value: Any) -> str:
    return "`" + (json.dumps(value) if not isinstance(value, str) else value).replace("`", "'") + "`"


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        name = ref.rsplit("/", 1)[1]
        return root["$defs"][name], name
    return schema, None


def _type(schema: dict[str, Any], root: dict[str, Any]) -> str:
    schema, ref = _resolve(schema, root)
    if ref:
        return f"[{ref}](#{ref})"
    if "const" in schema:
        return f"constant {_code(schema['const'])}"
    if "enum" in schema:
        return "one of the values"
    t = schema.get("type")
    if t == "array":
        return f"list of {_type(schema.get('items', {}), root)}"
    if t == "object" and isinstance(schema.get("additionalProperties"), dict) and not schema.get("properties"):
        return f"mapping of name to {_type(schema['additionalProperties'], root)}"
    names = {"string": "text", "integer": "whole number", "number": "number", "object": "mapping", "boolean": "true/false", "null": "null"}
    if isinstance(t, list):
        return " or ".join(names.get(x) or str(x) for x in t)
    return names.get(str(t)) or str(t or "any")


def _allowed(schema: dict[str, Any], root: dict[str, Any]) -> str:
    schema, _ = _resolve(schema, root)
    parts: list[str] = []
    if "enum" in schema:
        parts.append(", ".join(_code(v) for v in schema["enum"]))
    if "pattern" in schema:
        pattern = schema["pattern"]
        parts.append("date `YYYY-MM-DD`" if pattern.startswith("^\\d{4}") else f"pattern {_code(pattern)}")
    if "minimum" in schema or "maximum" in schema:
        parts.append(f"{schema.get('minimum', '')} to {schema.get('maximum', '')}".strip())
    if schema.get("minLength"):
        parts.append("not empty")
    items = schema.get("items")
    if isinstance(items, dict) and "$ref" not in items:
        inner = _allowed(items, root)
        if inner:
            parts.append(f"each: {inner}")
    names = schema.get("propertyNames")
    if isinstance(names, dict) and "pattern" in names:
        parts.append(f"names: pattern {_code(names['pattern'])}")
    return "; ".join(parts)


def _objects(schema: dict[str, Any], path: str, root: dict[str, Any], out: list[tuple[str, dict[str, Any]]]) -> None:
    """Every object with properties under ``schema``, depth first, by dotted path."""
    if schema.get("properties"):
        out.append((path, schema))
    for key, sub in (schema.get("properties") or {}).items():
        sub, ref = _resolve(sub, root)
        if ref:
            continue  # documented once under its own heading
        child = f"{path}.{key}" if path else key
        _objects(sub, child, root, out)
        items = sub.get("items")
        if isinstance(items, dict) and "$ref" not in items:
            _objects(items, child + "[]", root, out)
        extra = sub.get("additionalProperties")
        if isinstance(extra, dict):
            _objects(extra, child + ".<name>", root, out)


def _table(schema: dict[str, Any], root: dict[str, Any]) -> list[str]:
    required = set(schema.get("required", []))
    lines = ["| Key | Type | Required | Allowed values | Description |", "| --- | --- | --- | --- | --- |"]
    for key, sub in schema["properties"].items():
        target, _ = _resolve(sub, root)
        desc = sub.get("description") or target.get("description") or ""
        lines.append(
            f"| `{key}` | {_type(sub, root)} | {'yes' if key in required else 'no'} | {_allowed(sub, root)} | {_cell(desc)} |"
        )
    return lines


def format_reference_markdown(version: int = CURRENT) -> str:
    """The Markdown page documenting every key of the decision file format."""
    root = schema_json(version)
    lines = [
        f"# Decision file format (version {version})",
        "",
        "<!-- Generated from mkdocs_wa/schemas/decision-v"
        f"{version}.schema.json by mkdocs_wa.source.schema_docs: edit the schema, not this page. -->",
        "",
        _cell(root.get("description", "")),
        "",
        "A decision is one YAML file, `decisions/<workload>/NNNN-short-title.yaml`. "
        "`mkdocs-wa schema` prints the JSON Schema this page is generated from; "
        "`mkdocs-wa new` writes a file that validates as written.",
        "",
    ]
    objects: list[tuple[str, dict[str, Any]]] = []
    _objects(root, "", root, objects)
    for path, schema in objects:
        lines += ["", f"## {'Top level' if not path else f'`{path}`'}", ""]
        if path and schema.get("description"):
            lines += [_cell(schema["description"]), ""]
        lines += _table(schema, root)
    for name, schema in (root.get("$defs") or {}).items():
        nested: list[tuple[str, dict[str, Any]]] = []
        _objects(schema, name, root, nested)
        for path, sub in nested:
            anchor = " { #" + name + " }" if path == name else ""
            lines += ["", f"## `{path}`{anchor}", ""]
            if sub.get("description"):
                lines += [_cell(sub["description"]), ""]
            lines += _table(sub, root)
    return "\n".join(lines) + "\n"
