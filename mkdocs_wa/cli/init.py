"""``mkdocs-wa init``: turn a folder (an empty git repository) into a project that builds."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from mkdocs_wa.authoring.scaffold import create_exclusive
from mkdocs_wa.authoring.starter import GITIGNORE_LINES, starter_files
from mkdocs_wa.cli.common import date_arg
from mkdocs_wa.source.names import slugify, workload_problem
from mkdocs_wa.source.project import find_config, read_project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "init",
        help="start a project: mkdocs.yml, docs/index.md, .gitignore and a first decision",
        description="Write what a project needs to build its architecture site with `mkdocs build --strict`: "
        "mkdocs.yml (Material, search and the well-architected plugin), docs/index.md, a .gitignore for site/ "
        "and .cache/, the JSON Schema for editors and a first decision that validates. Never overwrites a "
        "file: each one that exists is left alone and named.",
    )
    p.add_argument("--workload", "-w", metavar="W",
                   help="the workload of the first decision (default: derived from the folder's name)")
    p.add_argument("--site-name", metavar="NAME", help="the site's name (default: derived from the folder's name)")
    p.add_argument("--decisions-dir", type=Path, metavar="DIR",
                   help="the decisions folder (default: the decisions_dir of an existing mkdocs.yml, else decisions)")
    p.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD", help="the first decision's date (default: today)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    here = Path.cwd()
    name = here.name or "project"
    workload = args.workload or slugify(name, max_length=30)
    if problem := workload_problem(workload):
        print(f"mkdocs-wa init: {problem}", file=sys.stderr)
        return 2
    config = find_config()
    project = read_project(config) if config is not None else None
    if project is not None and project.problems:
        project = None  # a broken mkdocs.yml: left alone, reported below
    decisions_dir = args.decisions_dir or (project.decisions_dir if project and project.has_plugin else Path("decisions"))
    files = starter_files(
        site_name=args.site_name or name.replace("-", " ").replace("_", " ").strip().capitalize() or "Architecture",
        decisions_dir=decisions_dir,
        workload=workload,
        date=args.date or dt.date.today(),
        config_name=config.name if config is not None else "mkdocs.yml",
    )
    first = [p for p in files if p.suffix == ".yaml"][0]
    existing_decisions = decisions_dir.is_dir() and any(decisions_dir.rglob("*.y*ml"))
    written: list[Path] = []
    kept: list[str] = []
    for path, text in files.items():
        if path == first and existing_decisions:
            kept.append(f"{decisions_dir}/ (it holds decisions already: no first decision written)")
            continue
        if path.exists() or path.is_symlink():
            kept.append(str(path))
            continue
        if create_exclusive(path, text):
            written.append(path)
        else:
            kept.append(str(path))
    for path in written:
        print(f"wrote {path}")
    for shown in kept:
        print(f"left alone {shown} (exists)" if not shown.endswith(")") else f"left alone {shown}")
    # What a kept file may lack, so the site still builds as the guide says.
    if config is not None and str(config) in kept and project is not None and not project.has_plugin:
        print(f"note: {config} has no well-architected plugin: add it under plugins: (see mkdocs-wa init --help)")
    gitignore = Path(".gitignore")
    if str(gitignore) in kept:
        lines = {ln.strip() for ln in gitignore.read_text(encoding="utf-8", errors="replace").splitlines()}
        lacking = [ln for ln in GITIGNORE_LINES if ln not in lines and ln.rstrip("/") not in lines]
        if lacking:
            print(f"note: .gitignore does not ignore {', '.join(lacking)}: add {'them' if len(lacking) > 1 else 'it'}")
    print("next: mkdocs-wa validate, then mkdocs build --strict (or mkdocs serve); commit the files to publish them")
    return 0
