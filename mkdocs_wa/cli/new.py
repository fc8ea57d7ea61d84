"""``mkdocs-wa new TITLE --workload W``: start the next decision from a valid template."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import unicodedata
from pathlib import Path

from mkdocs_wa.authoring.scaffold import choose_prefix, create_exclusive, render_template, scan_existing, schema_reference, schema_text, used_numbers
from mkdocs_wa.cli.common import add_config_option, add_lens_option, date_arg, lens_or_exit, project_or_exit
from mkdocs_wa.diagnostics import did_you_mean
from mkdocs_wa.model import STATUSES
from mkdocs_wa.safepath import folder_problem
from mkdocs_wa.source.names import file_name, format_id, slugify, workload_problem
from mkdocs_wa.source.validate import load_catalog

#: How many numbers to try when another process creates the same file meanwhile.
_ATTEMPTS = 20


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "new",
        help="create the next-numbered decision file from a template",
        description="Create decisions/WORKLOAD/NNNN-slug.yaml from a template that validates as written and print "
        "its path. Never overwrites a file. If two branches pick the same number, `mkdocs-wa validate` reports the "
        "duplicate id after the merge and says which number to take instead.",
    )
    p.add_argument("title", metavar="TITLE", help="one line naming the decision")
    p.add_argument("--workload", "-w", required=True, metavar="W",
                   help="the system the decision belongs to (a folder under the decisions folder)")
    p.add_argument("--status", choices=STATUSES, default="proposed", help="initial status (default: proposed)")
    p.add_argument("--supersedes", nargs="+", default=[], metavar="ID", help="ids of the decisions this one replaces")
    p.add_argument("--from-latest", action="store_true",
                   help="start the architecture from the workload's latest iteration (extends: previous)")
    p.add_argument("--decisions-dir", type=Path, metavar="DIR",
                   help="the decisions folder (default: the decisions_dir of mkdocs.yml, else decisions)")
    p.add_argument("--id-prefix", metavar="PREFIX",
                   help="id prefix, e.g. VID for VID-0004 (default: the workload's existing prefix, else derived from its name)")
    p.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD", help="decision date (default: today)")
    add_lens_option(p)
    add_config_option(p)
    p.set_defaults(run=run)


def _fail(message: str) -> int:
    print(f"mkdocs-wa new: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    workload: str = args.workload
    if problem := workload_problem(workload):
        return _fail(problem)
    if args.id_prefix and not args.id_prefix[:1].isalpha():
        return _fail(f"--id-prefix '{args.id_prefix}' must start with a letter")
    if not args.title.strip() or "\n" in args.title:
        return _fail("TITLE must be one non-empty line")
    try:
        args.title.encode("utf-8")
    except UnicodeEncodeError:
        return _fail("TITLE is not valid UTF-8 text")
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in args.title):
        return _fail("TITLE holds control or formatting characters (such as right-to-left overrides); type it plainly")
    project = project_or_exit(args)
    decisions_dir: Path = args.decisions_dir or project.decisions_dir
    if decisions_dir.exists() and not decisions_dir.is_dir():
        return _fail(f"{decisions_dir} is not a folder")
    if unsafe := folder_problem(decisions_dir / workload):
        return _fail(unsafe)

    files = scan_existing(decisions_dir)
    known_ids = sorted({f.id for f in files if f.id})
    for old in args.supersedes:
        if old not in known_ids:
            return _fail(f"--supersedes: no decision has the id '{old}'{did_you_mean(old, known_ids)}")

    if args.from_latest:
        lens = lens_or_exit(args.lens or project.lens)
        catalog, _ = load_catalog([decisions_dir], lens) if decisions_dir.is_dir() else (None, [])
        if catalog is None or not catalog.iterations(workload):
            return _fail(
                f"--from-latest: workload '{workload}' has no accepted decision yet to start the architecture from"
            )

    prefix = choose_prefix(files, workload, args.id_prefix)
    taken = used_numbers(files, workload)
    ids_in_use = set(known_ids)
    ref, schema_to_write = schema_reference(files, decisions_dir, workload)
    slug = slugify(args.title)
    number = max(taken, default=0) + 1
    folder = decisions_dir / workload
    for _ in range(_ATTEMPTS):
        decision_id = format_id(prefix, number)
        if decision_id in ids_in_use:  # e.g. a file named out of sequence holds it
            number += 1
            continue
        text = render_template(
            decision_id=decision_id,
            title=" ".join(args.title.split()),
            status=args.status,
            date=args.date or dt.date.today(),
            schema_ref=ref,
            supersedes=args.supersedes,
            from_latest=args.from_latest,
        )
        path = folder / file_name(number, slug)
        if create_exclusive(path, text):
            break
        number += 1  # created meanwhile (another process, or a file named out of sequence)
    else:
        return _fail(f"could not find a free file name in {folder} after {_ATTEMPTS} tries")

    if schema_to_write is not None and create_exclusive(schema_to_write, schema_text()):
        print(f"wrote the JSON Schema for editors to {schema_to_write}", file=sys.stderr)
    print(path)
    if args.supersedes:
        olds = ", ".join(args.supersedes)
        print(f"once {decision_id} is accepted, set the status of {olds} to superseded", file=sys.stderr)
    return 0
