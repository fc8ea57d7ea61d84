"""Writing new decision files: numbers, ids, slugs, the schema comment and the template.

Shared by ``mkdocs-wa new`` and ``mkdocs-wa import``. Two rules hold for every file
written here: it validates as written, and an existing file is never replaced (files
are created with ``O_EXCL``, so even a race with another process cannot overwrite one).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mkdocs_wa.source.load import read_yaml
from mkdocs_wa.source.names import PLACEHOLDERS, derive_prefix, existing_prefix, file_number, split_id
from mkdocs_wa.source.schema import CURRENT, schema_json

SCHEMA_FILE_NAME = f"decision-v{CURRENT}.schema.json"


@dataclass(frozen=True)
class ExistingFile:
    """A YAML file already in the decisions tree, read leniently (it may be invalid)."""

    path: Path
    workload: str | None
    id: str | None
    status: str | None
    date: str | None
    imported_from: str | None
    #: The ``$schema=`` reference on its first line, if any.
    schema_ref: str | None


def scan_existing(decisions_dir: Path) -> list[ExistingFile]:
    """Every YAML file under ``decisions_dir`` with the few keys numbering needs.

    Unlike :func:`mkdocs_wa.source.validate.load_catalog` this keeps files that do not
    validate: a broken file still owns its number and its id.
    """
    out: list[ExistingFile] = []
    if not decisions_dir.is_dir():
        return out
    for file in sorted(decisions_dir.rglob("*.y*ml")):
        rel = file.relative_to(decisions_dir)
        if any(part.startswith(".") for part in rel.parts) or not file.is_file():
            continue
        doc, _ = read_yaml(file)
        data: Any = doc.data if doc is not None else None
        data = data if isinstance(data, dict) else {}
        imported = data.get("imported_from")
        first_line = doc.text.split("\n", 1)[0] if doc is not None else ""
        ref = first_line.split("$schema=", 1)[1].strip() if "$schema=" in first_line else None
        out.append(
            ExistingFile(
                path=file,
                workload=str(data.get("workload") or (rel.parts[0] if len(rel.parts) > 1 else "")) or None,
                id=str(data["id"]) if "id" in data else None,
                status=str(data["status"]) if "status" in data else None,
                date=str(data["date"]) if "date" in data else None,
                imported_from=str(imported["path"]) if isinstance(imported, dict) and "path" in imported else None,
                schema_ref=ref,
            )
        )
    return out


def used_numbers(files: Iterable[ExistingFile], workload: str) -> set[int]:
    """Numbers taken in a workload: by file names and by ids (either may be renumbered)."""
    taken: set[int] = set()
    for f in files:
        if f.workload != workload:
            continue
        if (n := file_number(f.path.name)) is not None:
            taken.add(n)
        if f.id and (p := split_id(f.id)):
            taken.add(p[1])
    return taken


def choose_prefix(files: Sequence[ExistingFile], workload: str, explicit: str | None) -> str:
    if explicit:
        return explicit
    return existing_prefix(f.id for f in files if f.workload == workload and f.id) or derive_prefix(workload)


# --- the schema comment for editors ---------------------------------------------------


def schema_comment(ref: str) -> str:
    """The first line yaml-language-server reads to validate and complete the file."""
    return f"# yaml-language-server: $schema={ref}"


def schema_reference(files: Sequence[ExistingFile], decisions_dir: Path, workload: str) -> tuple[str, Path | None]:
    """What the new file's ``$schema=`` should say, and a schema file to create, if any.

    A team's existing decision files already say where their schema is (a URL, or a
    path such as ``../../schemas/decision-v1.schema.json``): reuse what a file of the
    same workload says, else any file's reference, since every workload folder sits at
    the same depth. With no decisions yet, point at ``<decisions>/decision-v1.schema.json``
    and ask the caller to write it there (``mkdocs-wa schema -o`` refreshes it later).
    """
    same = [f.schema_ref for f in files if f.schema_ref and f.workload == workload]
    anywhere = [f.schema_ref for f in files if f.schema_ref and f.path.parent.parent == decisions_dir]
    if same or anywhere:
        return (same or anywhere)[0], None
    target = decisions_dir / SCHEMA_FILE_NAME
    return f"../{SCHEMA_FILE_NAME}", (None if target.exists() else target)


def schema_text() -> str:
    import json

    return json.dumps(schema_json(CURRENT), indent=2) + "\n"


# --- YAML text --------------------------------------------------------------------------


def yaml_scalar(value: str) -> str:
    """One string as a YAML scalar for a single-line value (quoted only when needed)."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1 << 16)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def yaml_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(yaml_scalar(v) for v in values) + "]"


class _BlockDumper(yaml.SafeDumper):
    """Multi-line strings as ``|`` blocks, so imported Markdown reads like Markdown."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _str)


def dump_mapping(data: dict[str, Any]) -> str:
    """YAML for a decision mapping, keys in the given order, Markdown as block scalars.

    PyYAML falls back to a quoted scalar when a block cannot hold a string exactly
    (trailing spaces, some control characters); the text still round-trips.
    """
    return yaml.dump(data, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


# --- creating files -----------------------------------------------------------------------


def create_exclusive(path: Path, text: str) -> bool:
    """Write ``text`` to a new file; False (and nothing written) if ``path`` exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
        out.write(text)
    return True


# --- the template of `mkdocs-wa new` -------------------------------------------------------


@dataclass(frozen=True)
class NewDecision:
    number: int
    id: str
    path: Path
    text: str


def render_template(
    *,
    decision_id: str,
    title: str,
    status: str,
    date: dt.date,
    schema_ref: str,
    supersedes: Sequence[str] = (),
    from_latest: bool = False,
) -> str:
    """The text of a new decision: valid as written, with comments saying what goes where."""
    lines = [
        schema_comment(schema_ref),
        "# An architecture decision. Fill in the TODOs; `mkdocs-wa validate` checks the file.",
        f"schema: {CURRENT}",
        f"id: {decision_id}",
        f"title: {yaml_scalar(title)}",
        f"status: {status}  # proposed | accepted | rejected | deprecated | superseded",
        f"date: {date.isoformat()}",
        "deciders: []  # people or teams, e.g. [platform team]",
        "tags: []",
    ]
    if supersedes:
        lines.append(f"supersedes: {yaml_list(supersedes)}")
    lines += [
        "context: |",
        f"  {PLACEHOLDERS['context',]}",
        "decision: |",
        f"  {PLACEHOLDERS['decision',]}",
        "consequences: |",
        f"  {PLACEHOLDERS['consequences',]}",
        "# principles: [automate-everything]  # design principles of the lens this applies",
        "hypothesis:",
        "  statement: |",
        f"    {PLACEHOLDERS['hypothesis', 'statement']}",
        "  metrics: []",
        "  # metrics:",
        "  #   - name: p95 response time",
        "  #     unit: s",
        "  #     baseline: 2.4",
        '  #     target: "<= 1"',
        "  #     observed:  # fill in once measured",
        "  # review_by: YYYY-MM-DD  # when the result is due",
        "# result:  # once measured",
        "#   outcome: confirmed  # confirmed | refuted | inconclusive",
        "#   summary: ...",
        "# pillars:  # the workload's ratings after this decision, 0 to 5",
        "#   reliability:",
        "#     score: 3",
        "#     note: why",
    ]
    if from_latest:
        lines += [
            "architecture:",
            "  extends: previous  # start from the workload's latest iteration, then change it:",
            "  # nodes: [{id: cache, type: aws.database.ElastiCache}]",
            "  # edges: [{from: app, to: cache}]",
            "  # remove: {nodes: [old-node]}",
        ]
    else:
        lines += [
            "# architecture:",
            "#   nodes:",
        "#     - id: app",
        "#       type: aws.compute.EC2",
        ]
    return "\n".join(lines) + "\n"
