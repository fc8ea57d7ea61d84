"""``mkdocs-wa diff --base REV [PATH]``: what the decisions changed since a revision.

Prints Markdown fit for a pull-request comment (or JSON): new, changed and removed
decisions, status changes, pillar score changes per workload, feedback loops opened and
closed. Exit 0 with the report, 2 when the request cannot be answered (not a git
repository, an unknown revision, git missing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from mkdocs_wa.analysis.loops import DEFAULT_REVIEW_DAYS
from mkdocs_wa.cli.common import add_config_option, add_lens_option, date_arg, lens_or_exit, project_or_exit
from mkdocs_wa.compare.prdiff import DiffError, diff_json, diff_markdown, diff_revision


def _days(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "diff",
        help="what the decisions changed since a git revision, for a pull-request comment",
        description="Compare the decisions at a git revision (e.g. the pull request's target branch) with the "
        "working tree: new, changed and removed decisions, status changes, pillar score changes per workload, "
        "feedback loops opened and closed. Prints Markdown (for a PR comment) or JSON. "
        "Exit 0 with the report, 2 when the revision or repository cannot be read.",
    )
    p.add_argument("path", nargs="?", type=Path, metavar="PATH",
                   help="the decisions folder (default: the decisions_dir of mkdocs.yml, else decisions/)")
    p.add_argument("--base", required=True, metavar="REV",
                   help="the revision to compare with: a branch, tag or commit (e.g. origin/main)")
    p.add_argument("--format", choices=("markdown", "json"), default="markdown", help="markdown (default) or json")
    p.add_argument("--today", type=date_arg, metavar="YYYY-MM-DD",
                   help="the date open feedback loops are judged on (default: the plugin's 'today', else today)")
    p.add_argument("--review-days", type=_days, metavar="N",
                   help="days after a decision when its result is due without review_by "
                   f"(default: the plugin's 'review_days', else {DEFAULT_REVIEW_DAYS})")
    p.add_argument("--link-prefix", default="", metavar="URL",
                   help="prefix for links to decision files, e.g. https://github.com/ORG/REPO/blob/SHA/ (default: relative)")
    add_lens_option(p)
    add_config_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project = project_or_exit(args)
    lens = lens_or_exit(args.lens or project.lens)
    review_days = args.review_days if args.review_days is not None else project.review_days
    try:
        diff = diff_revision(
            args.base, args.path or project.decisions_dir, lens, args.today or project.today or dt.date.today(),
            default_review_days=review_days,
        )
    except DiffError as exc:
        print(f"mkdocs-wa diff: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(diff_json(diff), indent=2, ensure_ascii=False))
    else:
        print(diff_markdown(diff, link_prefix=args.link_prefix), end="")
    return 0
