"""The versioned JSON Schema of decision files, and its errors as diagnostics.

Each format version has a schema file in ``schemas/`` and, for old versions, a
migration to the next one. :func:`check` validates a document against the schema of
the version it declares, then migrates it to :data:`CURRENT`, so everything after
this module sees one shape. Adding version 2 means: a ``decision-v2.schema.json``, an
entry in :data:`VERSIONS` and a ``migrate`` function for version 1.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from mkdocs_wa.diagnostics import Diagnostic, did_you_mean, error
from mkdocs_wa.source.load import Document


@dataclass(frozen=True)
class Version:
    number: int
    schema_file: str
    #: Turns data valid for this version into data of the next version (None: current).
    migrate: Callable[[dict[str, Any]], dict[str, Any]] | None = None


VERSIONS: dict[int, Version] = {1: Version(1, "decision-v1.schema.json")}
CURRENT = max(VERSIONS)


@cache
def schema_json(version: int = CURRENT) -> dict[str, Any]:
    text = resources.files("mkdocs_wa").joinpath("schemas", VERSIONS[version].schema_file).read_text("utf-8")
    return json.loads(text)


@cache
def _validator(version: int) -> Draft202012Validator:
    return Draft202012Validator(schema_json(version), format_checker=None)


@cache
def lens_validator() -> Draft202012Validator:
    text = resources.files("mkdocs_wa").joinpath("schemas", "lens-v1.schema.json").read_text("utf-8")
    return Draft202012Validator(json.loads(text))


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:g}"  # "must be a whole number, not 2.5"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


_EXPECTED = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "object": "a mapping of keys to values",
    "array": "a list",
    "null": "nothing",
    "boolean": "true or false",
}


def _clip(value: Any, limit: int = 60) -> str:
    """A value for a message, cut short: a file may hold a 100,000-character 'status'."""
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "..."


def _where(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the document"


def _is_flow(doc: Document, path: tuple[str | int, ...]) -> bool:
    """Whether the mapping at ``path`` is written in flow style (``{a: 1, b: 2}``)."""
    if not doc.text or path not in doc.values:
        return False
    pos = doc.values[path]
    start = 0
    for _ in range(pos.line - 1):
        start = doc.text.find("\n", start) + 1
        if start == 0:
            return False
    return doc.text[start + pos.col - 1 : start + pos.col] == "{"


def explain(err: ValidationError, doc: Document) -> Iterator[tuple[tuple[str | int, ...], bool, str]]:
    """(path, point at the key?, message) for one schema error, in plain words."""
    path = tuple(err.absolute_path)
    where = _where(path)
    validator = err.validator
    # jsonschema's stubs type these as "unset or any"; an error from iter_errors has them all.
    instance: Any = err.instance
    wanted_value: Any = err.validator_value
    schema: Any = err.schema
    if validator == "additionalProperties" and isinstance(instance, dict):
        known = list(schema.get("properties", {}))
        keys = list(instance)
        for i, key in enumerate(keys):
            if key not in known:
                hint = did_you_mean(str(key), known)
                inside = f" in {where}" if path else ""
                prev = keys[i - 1] if i else None
                if instance[key] is None and prev is not None and _is_flow(doc, path):
                    # {..., learned: Static belongs on S3, always.}: the comma started a key
                    value = instance[prev]
                    text = f"{value}, {key}" if isinstance(value, str) else ""
                    quoted = f' ({prev}: "{_clip(text)}")' if text and '"' not in text else ""
                    hint = (
                        f": the comma after '{prev}' started a new key; inside {{...}} put text that holds a comma "
                        f"in quotes{quoted}, or write {where} in block style, one key per line"
                    )
                yield path + (key,), True, f"unknown key '{_clip(key)}'{inside}{hint}"
        return
    if validator == "required":
        # a missing 'schema' key is reported by _version_of, with the version to write.
        # jsonschema raises one error per missing key, naming it first in its message.
        missing = [
            k
            for k in wanted_value
            if k not in instance and (path or k != "schema") and err.message.startswith(repr(k) + " ")
        ]
        for key in missing:
            yield path, False, f"{where} is missing the required key '{key}'"
        return
    if validator == "type" and path[:1] == ("pillars",) and len(path) == 2 and path[1] in ("score", "note"):
        # pillars:\n  reliability:\n  score: 3 -- the pillar's keys were not indented under it
        yield path, True, (
            f"'{path[1]}' is not a pillar: it belongs to the pillar above it; indent it two spaces more than that "
            "pillar's key"
        )
        return
    if validator == "type" and instance is None and "object" in (
        wanted_value if isinstance(wanted_value, list) else [wanted_value]
    ):
        yield path, True, (
            f"{where} is empty (nothing follows '{path[-1] if path else ''}:'); write its keys on the lines below it, "
            "indented two spaces more than it"
        )
        return
    if validator == "type":
        wanted = wanted_value if isinstance(wanted_value, list) else [wanted_value]
        expect = " or ".join(_EXPECTED.get(w) or str(w) for w in wanted)
        yield path, False, f"{where} must be {expect}, not {_type_name(instance)}"
        return
    if validator == "enum":
        choices = ", ".join(str(c) for c in wanted_value)
        hint = did_you_mean(str(instance), [str(c) for c in wanted_value])
        yield path, False, f"{where} is '{_clip(instance)}', which is not one of: {choices}{hint}"
        return
    if validator == "const" and path == ("schema",):
        return  # the version check below says it better
    if "propertyNames" in err.relative_schema_path:
        # jsonschema reports the name's own error (a pattern) at the mapping's path
        yield path + (instance,), True, f"'{_clip(instance)}' in {where} must be lower-case letters, digits and '-'"
        return
    if validator == "pattern":
        if wanted_value.startswith(r"^\d{4}"):
            yield path, False, f"{where} is '{_clip(instance)}', not a date written YYYY-MM-DD"
        else:
            yield path, False, f"{where} '{_clip(instance)}' has characters it may not have (allowed: {wanted_value})"
        return
    if validator in ("minimum", "maximum") and path[-1:] == ("score",):
        yield path, False, f"{where} is {instance}; a score is from 0 to 5"
        return
    if validator in ("minLength", "minItems") and wanted_value == 1:
        yield path, False, f"{where} must not be empty"
        return
    if validator == "propertyNames":
        yield path + (instance,), True, f"'{_clip(instance)}' in {where} must be lower-case letters, digits and '-'"
        return
    yield path, False, f"{where}: {err.message}"


def _version_of(doc: Document) -> tuple[int | None, list[Diagnostic]]:
    data = doc.data
    if "schema" not in data:
        return None, [
            error(doc.path, 1, 1, f"missing 'schema: {CURRENT}' (the format version of this file)", "schema")
        ]
    version = data["schema"]
    pos = doc.position(("schema",))
    if isinstance(version, bool) or not isinstance(version, int):
        return None, [error(doc.path, pos.line, pos.col, f"'schema' must be a whole number such as {CURRENT}", "schema")]
    if version not in VERSIONS:
        known = ", ".join(str(v) for v in sorted(VERSIONS))
        return None, [
            error(
                doc.path,
                pos.line,
                pos.col,
                f"schema version {version} is not supported by this mkdocs-wa (it reads version {known}); "
                + ("upgrade mkdocs-wa" if version > CURRENT else "fix the version"),
                "schema",
            )
        ]
    return version, []


def check(doc: Document) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """Validate ``doc`` against its declared version; return current-version data."""
    if doc.data is None:
        return None, [error(doc.path, 1, 1, "file is empty: a decision needs at least schema, id, title, status and date", "schema")]
    if not isinstance(doc.data, dict):
        return None, [
            error(doc.path, 1, 1, f"a decision file must be a mapping of keys to values, not {_type_name(doc.data)}", "schema")
        ]
    version, diags = _version_of(doc)
    if version is None:
        # Still report the other problems against the current schema: one run, all errors.
        version = CURRENT
    for err in _validator(version).iter_errors(doc.data):
        for path, on_key, message in explain(err, doc):
            pos = doc.position(path, key=on_key)
            diags.append(error(doc.path, pos.line, pos.col, message, "schema"))
    if any(d.is_error for d in diags):
        return None, diags
    data = doc.data
    while VERSIONS[version].migrate is not None:
        data = VERSIONS[version].migrate(data)  # type: ignore[misc]
        version += 1
    return data, diags
