"""``mkdocs-wa demo``: build (or serve) the demo site on a generated git repository.

The repository replays the two case studies commit by commit over their real dates
(see :mod:`mkdocs_wa.authoring.demo`), so the evolution timeline shows a real history. This
module is an adapter: it runs MkDocs (``python -m mkdocs``) in that repository.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs_wa.authoring.demo import case_studies_dir, default_source, make_demo_repo


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help="build or serve the demo site on a generated repository replaying the case studies",
        description="Create a git repository whose commits replay the case studies in decisions/ over their "
        "real dates (proposed, accepted, measured, superseded, with tags at milestones), copy mkdocs.yml "
        "and docs/ into it, then build the site (default) or serve it.",
    )
    p.add_argument("--output", "-o", type=Path, metavar="DIR", help="where to create the repository (default: a new temporary folder)")
    p.add_argument("--force", action="store_true", help="replace DIR if it exists and is not empty")
    p.add_argument("--source", type=Path, metavar="DIR",
                   help="project checkout with decisions/, mkdocs.yml, docs/ (default: this one, or the case studies "
                   "shipped in the package when installed)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--build", dest="mode", action="store_const", const="build", help="build the site into DIR/site (default)")
    mode.add_argument("--serve", dest="mode", action="store_const", const="serve", help="serve the site with live reload")
    mode.add_argument("--repo-only", dest="mode", action="store_const", const="repo", help="only create the repository")
    p.add_argument("--dev-addr", "-a", metavar="IP:PORT", default="127.0.0.1:8000", help="address for --serve (default: %(default)s)")
    p.set_defaults(run=run, mode="build")


def run(args: argparse.Namespace) -> int:
    # A checkout gives its mkdocs.yml and docs/; installed from a wheel, the demo uses the
    # case studies shipped in the package.
    source = args.source or default_source()
    source = source.resolve() if source is not None else None
    decisions = source / "decisions" if source is not None else case_studies_dir()
    if not decisions.is_dir():
        print(f"mkdocs-wa demo: {decisions} not found; pass --source with a mkdocs-wa checkout", file=sys.stderr)
        return 2
    if args.output is None:
        output = Path(tempfile.mkdtemp(prefix="mkdocs-wa-demo-"))
    else:
        output = args.output.resolve()
        if output.exists() and (not output.is_dir() or any(output.iterdir())):
            if not args.force:
                print(f"mkdocs-wa demo: {output} exists and is not empty; add --force to replace it", file=sys.stderr)
                return 2
            problem = _unsafe_to_replace(output, source)
            if problem:
                print(f"mkdocs-wa demo: will not replace {output}: {problem}", file=sys.stderr)
                return 2
            if output.is_dir():
                shutil.rmtree(output)
            else:
                output.unlink()
    commits = make_demo_repo(output, source)
    print(f"demo repository: {output} ({len(commits)} commits, tags: {', '.join(t for c in commits for t in c.tags)})")
    if args.mode == "repo":
        return 0
    config = str(output / "mkdocs.yml")
    if args.mode == "serve":
        command = [sys.executable, "-m", "mkdocs", "serve", "-f", config, "-a", args.dev_addr]
    else:
        command = [sys.executable, "-m", "mkdocs", "build", "-f", config, "-d", str(output / "site")]
    try:
        code = subprocess.run(command, cwd=output).returncode
    except KeyboardInterrupt:
        return 130
    if code == 0 and args.mode == "build":
        print(f"site: {output / 'site' / 'index.html'}")
    return code


def _unsafe_to_replace(output: Path, source: Path | None) -> str:
    """Why ``--force`` must not delete ``output``, or ''."""
    cwd = Path.cwd().resolve()
    home = Path.home().resolve()
    if output == Path(output.anchor) or output == home:
        return "it is the root or home folder"
    if output == cwd or output in cwd.parents:
        return "it contains the current folder"
    if source is not None and (output == source or output in source.parents):
        return "it contains the project the demo is made from"
    return ""
