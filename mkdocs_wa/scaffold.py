"""Writing new decision files: numbers, ids, slugs, the schema comment and the template.

Shared by ``mkdocs-wa new`` and ``mkdocs-wa import``. Two rules hold for every file
written here: it validates as written, and an existing file is never replaced (files
are created with ``O_EXCL``, so even a race with another process cannot overwrite one).
"""

from __future__ import annotations

import collections
import datetime as dt
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mkdocs_wa.load import read_yaml
from mkdocs_wa.schema import CURRENT, schema_json

#: ``0007-some-title.yaml`` -> 7; the same rule as :data:`mkdocs_wa.validate.FILE_NAME`.
_FILE_NUMBER = re.compile(r"^(\d+)-")
#: ``VID-0003`` -> ("VID", "0003"); ids are ``PREFIX-NUMBER`` by convention only.
_ID = re.compile(r"^(?P<prefix>[A-Za-z][A-Za-z0-9_.]*)-(?P<number>\d+)$")
_WORKLOAD = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SCHEMA_FILE_NAME = f"decision-v{CURRENT}.schema.json"


def slugify(text: str, max_length: int = 60) -> str:
    """A file-name slug: lower-case ASCII letters, digits and single dashes.

    Accents are folded (``Café`` -> ``cafe``) rather than dropped, and a long title is
    cut at a word boundary so file names stay readable in a terminal.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut[:max_length]
    return slug.strip("-") or "decision"


def valid_workload(name: str) -> bool:
    return bool(_WORKLOAD.match(name))


def workload_problem(name: str) -> str:
    """Why ``name`` cannot name a workload, with the name to use instead; '' if it can."""
    if valid_workload(name):
        return ""
    message = f"workload '{name}' must be lower-case letters, digits and '-' (it names a folder)"
    suggestion = slugify(name, max_length=200)
    if suggestion != "decision" and valid_workload(suggestion):
        message += f"; use --workload {suggestion}"
    return message


def derive_prefix(workload: str) -> str:
    """An id prefix from a workload name: ``payments`` -> ``PAY``, ``live-video`` -> ``LV``.

    Only used when the workload has no decisions yet and no ``--id-prefix`` is given;
    after that, :func:`existing_prefix` keeps whatever the team chose.
    """
    words = [w for w in workload.split("-") if w]
    if len(words) > 1:
        prefix = "".join(w[0] for w in words[:4]).upper()
    else:
        prefix = (words[0] if words else "adr")[:3].upper()
    return prefix if prefix[0].isalpha() else "W" + prefix


def split_id(decision_id: str) -> tuple[str, int] | None:
    m = _ID.match(decision_id)
    return (m["prefix"], int(m["number"])) if m else None


def existing_prefix(ids: Iterable[str]) -> str | None:
    """The prefix most of ``ids`` use (ties: the alphabetically first), or None."""
    counts = collections.Counter(p[0] for i in ids if (p := split_id(i)))
    if not counts:
        return None
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def format_id(prefix: str, number: int) -> str:
    return f"{prefix}-{number:04d}"


def file_name(number: int, slug: str) -> str:
    return f"{number:04d}-{slug}.yaml"


def file_number(name: str) -> int | None:
    m = _FILE_NUMBER.match(name)
    return int(m[1]) if m else None


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

    Unlike :func:`mkdocs_wa.validate.load_catalog` this keeps files that do not
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


#: The template's placeholder text, by the field it stands in. ``mkdocs-wa validate`` warns
#: when a decision that is no longer ``proposed`` still holds one.
PLACEHOLDERS: dict[tuple[str, ...], str] = {
    ("context",): "TODO: the forces at play, and why a decision is needed now.",
    ("decision",): "TODO: what we decided to do.",
    ("consequences",): "TODO: what becomes easier, and what becomes harder.",
    ("hypothesis", "statement"): "TODO: what this change should achieve, in a form a measurement can confirm or refute.",
}


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
