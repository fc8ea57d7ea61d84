"""``mkdocs-wa schema``: print (or write) the JSON Schema of decision files."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from mkdocs_wa.source.schema import CURRENT, VERSIONS, schema_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "schema",
        help="print the JSON Schema of decision files (for editors and other tools)",
        description="Print the JSON Schema (draft 2020-12) of decision files. Point yaml-language-server at it "
        "with a first line '# yaml-language-server: $schema=PATH'.",
    )
    p.add_argument("--version", dest="schema_version", type=int, choices=sorted(VERSIONS), default=CURRENT,
                   help=f"format version (default: {CURRENT})")
    p.add_argument("--output", "-o", type=Path, metavar="FILE", help="write to FILE instead of printing")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    text = json.dumps(schema_json(args.schema_version), indent=2) + "\n"
    if args.output is None:
        print(text, end="")
        return 0
    if args.output.exists() and not args.force:
        print(f"mkdocs-wa: {args.output} exists; add --force to overwrite it", file=sys.stderr)
        return 2
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as exc:  # no such folder, a directory, no permission
        print(f"mkdocs-wa: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(args.output)
    return 0
