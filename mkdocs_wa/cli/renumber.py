"""``mkdocs-wa renumber OLD NEW [PATH]``: give a decision a new id and file number.

Renames the file (same slug, new number) and rewrites every reference to the old id in
the decisions (``supersedes``, ``result.next``, Markdown links and mentions), editing
the text in place. Exit 0 when done (or with ``--dry-run``), 2 when refused: nothing is
written then.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from mkdocs_wa.authoring.renumber import RenumberError, apply, plan
from mkdocs_wa.cli.common import add_config_option, project_or_exit
from mkdocs_wa.diagnostics import visible
from mkdocs_wa.render.pages.words import count


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "renumber",
        help="give a decision a new id: rename its file and rewrite every reference to it",
        description="Give the decision OLD the id NEW (e.g. when two branches both added VID-0006): its file is "
        "renamed to the new number (same slug), and every mention of OLD or of the old file name in the "
        "decisions (supersedes, result.next, Markdown links and text) is rewritten in place, keeping the "
        "files' formatting and comments. Refused, with nothing written, when NEW or the new file name is taken. "
        "Exit 0 when done, 2 when refused.",
    )
    p.add_argument("old", metavar="OLD", help="the id to change, e.g. VID-0006")
    p.add_argument("new", metavar="NEW", help="the new id, e.g. VID-0008 (`mkdocs-wa diff` names a free one)")
    p.add_argument("path", nargs="?", type=Path, metavar="PATH",
                   help="the decisions folder (default: the decisions_dir of mkdocs.yml, else decisions/)")
    p.add_argument("--file", type=Path, metavar="FILE",
                   help="the file to renumber when several hold OLD (after a merge)")
    p.add_argument("--dry-run", action="store_true", help="print what would change, write nothing")
    add_config_option(p)
    p.set_defaults(run=run)


def _show(path: Path) -> str:
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:
        return path.as_posix()


def run(args: argparse.Namespace) -> int:
    path = args.path or project_or_exit(args).decisions_dir
    try:
        todo = plan(path, args.old, args.new, file=args.file)
    except RenumberError as exc:
        print(f"mkdocs-wa renumber: {visible(str(exc))}", file=sys.stderr)
        return 2
    would = "would " if args.dry_run else ""
    if todo.target != todo.source:
        print(f"{would}rename {_show(todo.source)} -> {_show(todo.target)}")
    for c in todo.changes:
        shown = todo.target if c.path == todo.source else c.path
        print(visible(f"{_show(shown)}:{c.line}:{c.col}: {c.field}: {c.old} -> {c.new}"))
    for note in todo.notes:
        print(visible(f"note: {note}"), file=sys.stderr)
    if not args.dry_run:
        try:
            apply(todo)
        except (RenumberError, OSError) as exc:
            print(f"mkdocs-wa renumber: {visible(str(exc))}", file=sys.stderr)
            return 2
    files = len(todo.texts)
    print(f"{count(len(todo.changes), 'change')} in {count(files, 'file')}{' (dry run: nothing written)' if args.dry_run else ''}")
    return 0
