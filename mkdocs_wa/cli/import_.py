"""``mkdocs-wa import SOURCE_DIR --workload W``: Markdown ADRs to version 1 decision files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mkdocs_wa.authoring.adr_import import import_adrs
from mkdocs_wa.cli.common import add_config_option, add_lens_option, lens_or_exit, project_or_exit
from mkdocs_wa.model import STATUSES
from mkdocs_wa.safepath import folder_problem
from mkdocs_wa.source.names import workload_problem


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="convert Markdown ADRs (Nygard/adr-tools, MADR 2-4, log4brains) into decision files",
        description="Convert the Markdown ADRs in SOURCE_DIR into decision files under DECISIONS_DIR/WORKLOAD/, "
        "and report what was done with each file. Never overwrites or deletes a file; each decision records "
        "the ADR it came from (imported_from.path), so the site's timeline includes that file's git history. "
        "Exit 0 when every ADR was imported (or had been before), 1 when a file needs attention or the folder holds "
        "no ADR, 2 on usage errors.",
    )
    p.add_argument("source", type=Path, metavar="SOURCE_DIR", help="the folder of Markdown ADRs, e.g. doc/adr")
    p.add_argument("--workload", "-w", required=True, metavar="W", help="the workload the decisions belong to")
    p.add_argument("--dry-run", "-n", action="store_true", help="write nothing; print the report and the files it would write")
    p.add_argument("--decisions-dir", type=Path, metavar="DIR",
                   help="the decisions folder (default: the decisions_dir of mkdocs.yml, else decisions)")
    p.add_argument("--id-prefix", metavar="PREFIX",
                   help="id prefix (default: the workload's existing prefix, else derived from its name)")
    p.add_argument("--recursive", "-r", action="store_true",
                   help="read subfolders too; a folder named like an ADR (0007-use-x/) holding index.md is one ADR")
    p.add_argument("--update", action="store_true",
                   help="refresh decisions imported before whose source changed (only the imported fields are rewritten; "
                        "hypothesis, metrics, pillars and result stay), and mark those a new ADR supersedes")
    p.add_argument("--default-status", choices=STATUSES, metavar="STATUS",
                   help="status of ADRs that state none (default: proposed, shown as 'not stated in the source')")
    p.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    add_lens_option(p)
    add_config_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not args.source.is_dir():
        print(f"mkdocs-wa import: {args.source} is not a folder", file=sys.stderr)
        return 2
    if problem := workload_problem(args.workload):
        print(f"mkdocs-wa import: {problem}", file=sys.stderr)
        return 2
    if args.id_prefix and not args.id_prefix[:1].isalpha():
        print(f"mkdocs-wa import: --id-prefix '{args.id_prefix}' must start with a letter", file=sys.stderr)
        return 2
    project = project_or_exit(args)
    decisions_dir = args.decisions_dir or project.decisions_dir
    if not args.dry_run and (unsafe := folder_problem(decisions_dir / args.workload)):
        print(f"mkdocs-wa import: {unsafe}", file=sys.stderr)
        return 2
    lens = lens_or_exit(args.lens or project.lens)
    report = import_adrs(
        args.source, args.workload, decisions_dir=decisions_dir, id_prefix=args.id_prefix, dry_run=args.dry_run, lens=lens,
        recursive=args.recursive, default_status=args.default_status, update=args.update,
    )
    if args.format == "json":
        print(report.to_json())
    else:
        print(report.format_text(show_outputs=args.dry_run), end="")
    return 0 if report.ok else 1
