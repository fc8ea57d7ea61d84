"""``mkdocs-wa measure [DECISION ...]``: record observed values from their sources."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from mkdocs_wa.cli.common import add_config_option, add_lens_option, print_diagnostics, project_or_exit
from mkdocs_wa.diagnostics import error, sort_key
from mkdocs_wa.measure.common import DEFAULT_TIMEOUT, Context
from mkdocs_wa.measure.run import Outcome, Target, measure_all, record, targets
from mkdocs_wa.render.pages.words import count
from mkdocs_wa.source.evidence import evidence_file, format_time, parse_time, to_line
from mkdocs_wa.source.lens import load_lens
from mkdocs_wa.source.validate import load_catalog


def _time(text: str) -> dt.datetime:
    try:
        return parse_time(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not an ISO 8601 time such as 2026-12-01T09:00:00Z") from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "measure",
        help="measure metrics from their sources and record the values as evidence",
        description="Evaluate the 'measure' source of every metric of proposed and accepted decisions (or of the "
        "decisions named) and append each value to the decision's evidence file "
        "(decisions/<workload>/evidence/<ID>.jsonl). A source that fails is reported for its metric; the others "
        "are still measured. Exit 0 when every source gave a value, 1 when any failed (or a decision has errors), "
        "2 on usage errors.",
    )
    p.add_argument("ids", nargs="*", metavar="DECISION", help="decision ids (default: every proposed or accepted decision)")
    p.add_argument("--at", type=_time, metavar="TIME",
                   help="the time to measure at, ISO 8601 (default: now); e.g. 2026-12-01T09:00:00Z")
    p.add_argument("--dry-run", action="store_true", help="measure and print the records, write nothing")
    p.add_argument("--decisions", type=Path, metavar="DIR",
                   help="the decisions folder (default: the decisions_dir of mkdocs.yml, else decisions)")
    p.add_argument("--prometheus-url", metavar="URL", help="the Prometheus server (default: $PROMETHEUS_URL)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"time limit per source unless its 'timeout' says otherwise (default {DEFAULT_TIMEOUT:g})")
    add_lens_option(p)
    add_config_option(p)
    p.set_defaults(run=run)


class Progress:
    """One line per metric on stderr; on a terminal, a bar that redraws in place."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()

    def __call__(self, n: int, total: int, t: Target, outcome: Outcome | None) -> None:
        name = f"{t.decision.id} '{t.metric.name}' ({t.metric.measure.kind if t.metric.measure else '?'})"
        width = 20
        bar = "#" * (width * (n - (outcome is None)) // total)
        head = f"[{bar:<{width}}] {n}/{total}"
        if outcome is None:
            if self.tty:
                print(f"\r\x1b[K{head} {name} ...", end="", file=self.stream, flush=True)
            return
        if outcome.evidence is not None:
            e = outcome.evidence
            result = f"{e.value:.6g} {e.unit}".strip() + f" ({outcome.seconds:.1f} s)"
        else:
            result = "failed"
        print(f"{chr(13) + chr(27) + '[K' if self.tty else ''}{head} {name}: {result}", file=self.stream, flush=True)


def run(args: argparse.Namespace) -> int:
    project = project_or_exit(args)
    args.decisions = args.decisions or project.decisions_dir
    lens, problems = load_lens(args.lens or project.lens)
    if not args.decisions.is_dir():
        problems.append(error(str(args.decisions), 0, 0, "no such folder (run in the project folder, or pass --decisions)", "usage"))
    if args.timeout <= 0:
        problems.append(error("--timeout", 0, 0, "the time limit must be more than 0 seconds", "usage"))
    if lens is None or problems:
        print_diagnostics(problems, "text", sys.stderr)
        return 2
    catalog, diags = load_catalog([args.decisions], lens)
    errors = [d for d in diags if d.is_error]
    known = catalog.by_id()
    unknown = [i for i in args.ids if i not in known]
    if unknown:
        print_diagnostics([error(i, 0, 0, "no such decision id", "usage") for i in unknown], "text", sys.stderr)
        return 2
    ctx = Context(
        at=args.at or dt.datetime.now(dt.UTC).replace(microsecond=0),
        # file sources are relative to the project (the folder of mkdocs.yml)
        project_root=project.config_file.parent.resolve() if project.config_file else Path.cwd(),
        prometheus_url=args.prometheus_url,
        timeout=args.timeout,
    )
    chosen = targets(catalog, args.ids)
    print_diagnostics(errors, "text", sys.stderr)
    if not chosen:
        print("no metric to measure (none has 'measure')", file=sys.stderr)
        return 1 if errors else 0
    print(f"measuring {count(len(chosen), 'metric')} at {format_time(ctx.at)}", file=sys.stderr)
    outcomes = measure_all(chosen, ctx, Progress())
    failed = sorted((o.diagnostic() for o in outcomes if o.evidence is None), key=sort_key)
    print_diagnostics(failed, "text", sys.stderr)
    measured = [o for o in outcomes if o.evidence is not None]
    if args.dry_run:
        for o in measured:
            assert o.evidence is not None
            print(f"{evidence_file(o.target.file, o.target.decision.id).as_posix()}: {to_line(o.evidence)}", end="")
        print(f"{len(measured)} measured, {len(failed)} failed; nothing written (--dry-run)", file=sys.stderr)
    else:
        try:
            written = record(measured)
        except OSError as exc:
            print(f"error: cannot write evidence: {exc}", file=sys.stderr)
            return 1
        for file, n in sorted(written.items()):
            print(f"{os.path.relpath(file)}: {count(n, 'record')} added")
        print(f"{len(measured)} measured, {len(failed)} failed", file=sys.stderr)
    return 1 if failed or errors else 0
