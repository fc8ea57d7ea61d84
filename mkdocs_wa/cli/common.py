"""Helpers shared by subcommands: the lens option and printing diagnostics."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..diagnostics import Diagnostic, format_github, format_json
from ..lens import load_lens
from ..model import Lens


def add_lens_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lens",
        metavar="FILE",
        help="lens file (pillars and principles) or a shipped lens name; default: aws-well-architected",
    )


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
