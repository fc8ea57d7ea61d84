"""Lenses: the pillars and design principles that decisions are scored against.

A lens is data (a YAML file), never code. The default is the AWS Well-Architected lens
shipped in ``lenses/``; a team points the CLI (``--lens FILE``) or the plugin
(``lens: FILE``) at its own file, or names a shipped one (``azure-well-architected``).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from mkdocs_wa.diagnostics import Diagnostic, error, sort_key
from mkdocs_wa.model import Lens, Pillar, Principle
from mkdocs_wa.source.load import parse_text, read_yaml
from mkdocs_wa.source.schema import explain, lens_validator

DEFAULT_LENS = "aws-well-architected"


def builtin_lenses() -> list[str]:
    folder = resources.files("mkdocs_wa").joinpath("lenses")
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_lens(spec: str | Path | None = None) -> tuple[Lens | None, list[Diagnostic]]:
    """Load a lens by shipped name or by file path; ``None`` gives the default lens."""
    spec = spec or DEFAULT_LENS
    name = str(spec)
    if isinstance(spec, str) and name in builtin_lenses():
        text = resources.files("mkdocs_wa").joinpath("lenses", f"{name}.yaml").read_text("utf-8")
        doc, diags = parse_text(text, f"builtin:{name}")
    else:
        path = Path(spec)
        if not path.exists():
            shipped = ", ".join(builtin_lenses())
            return None, [error(name, 0, 0, f"lens file not found (shipped lenses: {shipped})", "lens")]
        if path.is_dir():
            return None, [error(name, 0, 0, "is a directory, not a lens file", "lens")]
        doc, diags = read_yaml(path)
    if doc is None:
        return None, diags
    if not isinstance(doc.data, dict):
        return None, [error(doc.path, 1, 1, "a lens file must be a mapping with schema, id, name and pillars", "lens")]
    # explain() leaves the top-level 'schema' (missing or another version) to its caller
    if "schema" not in doc.data:
        diags.append(error(doc.path, 1, 1, "missing 'schema: 1' (the format version of this lens file)", "lens"))
    elif doc.data["schema"] != 1 or isinstance(doc.data["schema"], bool):
        pos = doc.position(("schema",))
        message = f"lens schema version {doc.data['schema']!r} is not supported (this mkdocs-wa reads version 1)"
        diags.append(error(doc.path, pos.line, pos.col, message, "lens"))
    for err in lens_validator().iter_errors(doc.data):
        for path_, on_key, message in explain(err, doc):
            pos = doc.position(path_, key=on_key)
            diags.append(error(doc.path, pos.line, pos.col, message, "lens"))
    for kind in ("pillars", "principles"):
        seen: set[str] = set()
        items = doc.data.get(kind)
        for i, item in enumerate(items if isinstance(items, list) else []):  # else: a schema error above
            item_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(item_id, str):  # missing or not text: a schema error above
                continue
            if item_id in seen:
                pos = doc.position((kind, i, "id"))
                diags.append(error(doc.path, pos.line, pos.col, f"duplicate {kind[:-1]} id '{item_id}'", "lens"))
            seen.add(item_id)
    if diags:
        return None, sorted(diags, key=sort_key)
    data = doc.data
    return (
        Lens(
            id=data["id"],
            name=data["name"],
            pillars=tuple(Pillar(p["id"], p["name"], p.get("description", "")) for p in data["pillars"]),
            principles=tuple(Principle(p["id"], p["name"], p.get("description", "")) for p in data.get("principles", [])),
            url=data.get("url", ""),
            description=data.get("description", ""),
            origin=doc.path,
        ),
        [],
    )
