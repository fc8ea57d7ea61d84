"""``mkdocs-wa validate [PATH ...]``: check decision files, as in a pull request."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from mkdocs_wa.analysis.checks import site_checks
from mkdocs_wa.cli.common import add_config_option, add_lens_option, date_arg, print_diagnostics, project_or_exit
from mkdocs_wa.diagnostics import error, has_errors, sort_key
from mkdocs_wa.render.pages.words import count
from mkdocs_wa.source.lens import load_lens
from mkdocs_wa.source.validate import load_catalog


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="check decision files against the schema and each other",
        description="Check decision files (or folders of them) and print every problem with file, line and column. "
        "Exit 0 when valid, 1 on any error (or warning with --strict), 2 on usage errors.",
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: the decisions_dir of mkdocs.yml, else decisions/)")
    p.add_argument("--format", choices=("text", "github", "json"), default="text",
                   help="text (default); github: workflow annotations on the PR diff; json: a list of diagnostics")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument("--today", type=date_arg, metavar="YYYY-MM-DD",
                   help="the date overdue feedback loops are judged on (default: the plugin's 'today', else today), "
                   "for deterministic CI")
    add_lens_option(p)
    add_config_option(p)
    p.set_defaults(run=run)


def _inside(path: Path, folder: Path) -> bool:
    return Path(os.path.abspath(path)).is_relative_to(os.path.abspath(folder))


def run(args: argparse.Namespace) -> int:
    # Usage errors (a broken lens, a path that is not there) exit 2, printed in the
    # requested format so that a --format json consumer still gets JSON.
    # The project's mkdocs.yml (if any) gives the decisions folder, lens, review days and
    # date, as `mkdocs build` reads them; what the command line names wins.
    project = project_or_exit(args, args.format)
    lens, problems = load_lens(args.lens or project.lens)
    paths = args.paths or [project.decisions_dir]
    hint = "" if args.paths else " (run in the project folder, or name the decisions folder)"
    problems += [error(str(p), 0, 0, f"no such file or folder{hint}", "usage") for p in paths if not p.exists()]
    if lens is None or problems:
        print_diagnostics(problems, args.format)
        return 2
    tree = project.decisions_dir
    context = bool(args.paths) and tree.is_dir() and all(_inside(p, tree) for p in paths)
    # Files named inside the project's tree (as a pre-commit hook names them) are checked
    # among all decisions, so their references to others are known; only their own
    # problems are printed.
    catalog, diags = load_catalog([tree] if context else paths, lens)
    today = args.today or project.today or dt.date.today()
    diags = sorted(diags + site_checks(catalog, today, review_days=project.review_days), key=sort_key)
    if context:
        diags = [d for d in diags if any(_inside(Path(d.path), p) for p in paths)]
    print_diagnostics(diags, args.format)
    if args.format == "text":
        errors = sum(d.is_error for d in diags)
        warnings = len(diags) - errors
        print(
            f"{count(len(catalog.decisions), 'decision')} loaded, {count(errors, 'error')}, {count(warnings, 'warning')}",
            file=sys.stderr,
        )
    return 1 if has_errors(diags, strict=args.strict) else 0
