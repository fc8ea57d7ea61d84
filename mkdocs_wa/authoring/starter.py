"""The files of a new project (``mkdocs-wa init``): a site that builds, and a first decision.

Nothing here writes: :func:`starter_files` only says what to write; the command creates
each file that is not there yet and leaves every existing file alone.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mkdocs_wa.authoring.scaffold import SCHEMA_FILE_NAME, schema_comment, schema_text, yaml_scalar
from mkdocs_wa.source.names import derive_prefix, format_id

#: What a project never commits: MkDocs' output and the plugin's cache.
GITIGNORE_LINES = ("site/", ".cache/")


def mkdocs_yml(site_name: str, decisions_dir: str) -> str:
    return f"""\
site_name: {yaml_scalar(site_name)}
theme:
  name: material
  # No request to Google Fonts: pages use the reader's system fonts, so the site works
  # behind a firewall and tells no third party who reads it.
  font: false
markdown_extensions:
  - admonition
  - attr_list
  - tables
plugins:
  - search
  - well-architected:
      decisions_dir: {yaml_scalar(decisions_dir)}
"""


def index_md(site_name: str) -> str:
    return f"""\
# {site_name}

The architecture of this project, one decision at a time: each decision records what we
expected (a hypothesis and the metrics that test it), what we measured, and how the
Well-Architected pillars scored after it. See **Architecture** in the navigation.
"""


def first_decision(decision_id: str, date: dt.date, schema_ref: str) -> str:
    """An accepted decision that validates as written: to record decisions."""
    return f"""\
{schema_comment(schema_ref)}
schema: 1
id: {decision_id}
title: Record architecture decisions
status: accepted
date: {date.isoformat()}
context: |
  We change the architecture in iterations, and forget why we made each change and
  whether it did what we expected.
decision: |
  We record each architecture decision as a YAML file in this folder (`mkdocs-wa new`),
  with the hypothesis it tests and the metrics that measure it, and publish them with
  MkDocs. `mkdocs-wa validate` checks them.
consequences: |
  Every change of the architecture says what it should achieve; the site shows whether
  it did, and how each decision changed the pillar scores.
"""


def starter_files(
    *, site_name: str, decisions_dir: Path, workload: str, date: dt.date, config_name: str = "mkdocs.yml"
) -> dict[Path, str]:
    """Every file of a new project, by path relative to the project folder."""
    folder = decisions_dir / workload
    ref = f"../{SCHEMA_FILE_NAME}"
    return {
        Path(config_name): mkdocs_yml(site_name, decisions_dir.as_posix()),
        Path("docs") / "index.md": index_md(site_name),
        Path(".gitignore"): "".join(line + "\n" for line in GITIGNORE_LINES),
        decisions_dir / SCHEMA_FILE_NAME: schema_text(),
        folder / "0001-record-architecture-decisions.yaml": first_decision(
            format_id(derive_prefix(workload), 1), date, ref
        ),
    }
