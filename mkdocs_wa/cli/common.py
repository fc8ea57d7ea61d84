"""Helpers shared by subcommands: the project's configuration, the lens option, dates,
and printing diagnostics."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from mkdocs_wa.diagnostics import Diagnostic, format_github, format_json
from mkdocs_wa.model import Lens
from mkdocs_wa.source.lens import load_lens
from mkdocs_wa.source.project import Project, find_config, read_project


def add_lens_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lens",
        metavar="FILE",
        help="lens file (pillars and principles) or a shipped lens name; "
        "default: the plugin's 'lens' in mkdocs.yml, else aws-well-architected",
    )


def add_config_option(parser: argparse.ArgumentParser) -> None:
    """``-f/--config-file`` as MkDocs has it: the project's options come from there."""
    parser.add_argument(
        "--config-file", "-f", type=Path, metavar="FILE",
        help="the project's MkDocs configuration, whose well-architected options (decisions_dir, lens, "
        "review_days, today) the command follows (default: mkdocs.yml in the current folder, if any)",
    )


def project_or_exit(args: argparse.Namespace, fmt: str = "text") -> Project:
    """The project of ``args.config_file`` (or the current folder); exit 2 when its
    mkdocs.yml cannot be read or the plugin's options are wrong."""
    project = read_project(find_config(getattr(args, "config_file", None)))
    if project.problems:
        print_diagnostics(project.problems, fmt if fmt in ("text", "github", "json") else "text")
        raise SystemExit(2)
    return project


def date_arg(text: str) -> dt.date:
    """An argparse type for YYYY-MM-DD that says what is wrong in plain words."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date: write it as YYYY-MM-DD, e.g. 2026-12-01") from None


def lens_or_exit(spec: str | None) -> Lens:
    lens, diags = load_lens(spec)
    if lens is None:
        print_diagnostics(diags, "text")
        raise SystemExit(2)
    return lens


def print_diagnostics(diags: Sequence[Diagnostic], fmt: str, stream=None) -> None:
    out = stream or sys.stdout
    if fmt == "json":
        print(format_json(diags), file=out)
        return
    for d in diags:
        print(format_github(d) if fmt == "github" else d.format(), file=out)
