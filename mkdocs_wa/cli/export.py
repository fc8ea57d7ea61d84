"""``mkdocs-wa export``: write ``decisions.json`` and the diagrams it names into a folder.

What an organisation portal reads from each repository (see docs/guide/portal.md): the
same export the site publishes at ``<section>/decisions.json``, with the SVG of every
diagram at the relative path the export gives, so the folder can be uploaded as a CI
artifact or served as it is. It reads the ``well-architected`` options from mkdocs.yml
and runs the plugin's pipeline, without MkDocs.
"""

from __future__ import annotations

import argparse
import json
import os
import posixpath
import sys
from dataclasses import replace
from pathlib import Path

from mkdocs_wa.cli.common import print_diagnostics
from mkdocs_wa.cli.generate import _plan
from mkdocs_wa.diagnostics import error, has_errors, sort_key
from mkdocs_wa.memo import NO_MEMO
from mkdocs_wa.nouns import count
from mkdocs_wa.pipeline.build import build
from mkdocs_wa.pipeline.generate import check_output_folder

EXPORT_NAME = "decisions.json"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="write decisions.json and its diagrams into a folder (what an organisation portal reads)",
        description="Read the well-architected options from mkdocs.yml, run the pipeline and write DIR/decisions.json "
        "(format version 2, schema: mkdocs_wa/schemas/export-v2.schema.json) with every diagram it names, at its "
        "relative path, beside it. Exit 0 when written, 1 on errors in decisions (nothing written), 2 on usage errors.",
    )
    p.add_argument("out", type=Path, metavar="DIR", help="the folder to write (inside the project)")
    p.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"), metavar="FILE",
                   help="the MkDocs configuration (default: mkdocs.yml)")
    p.add_argument("--strict", action="store_true", help="fail (exit 1, write nothing) on warnings too")
    p.add_argument("--format", choices=("text", "github", "json"), default="text", help="how problems are printed")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    plan_args = argparse.Namespace(config_file=args.config_file, out=args.out)
    plan, diags, _ = _plan(plan_args, NO_MEMO)
    if plan is None:
        print_diagnostics(sorted(diags, key=sort_key), args.format, sys.stdout)
        return 2
    options = replace(plan.options, export=True)
    diags += check_output_folder(args.out, options.project_root)
    if has_errors(diags):
        print_diagnostics(sorted(diags, key=sort_key), args.format, sys.stdout)
        return 2
    result = build(options, plan.render)
    diags = sorted(diags + result.diagnostics, key=sort_key)
    failed = has_errors(diags, strict=args.strict) if plan.on_invalid == "fail" or args.strict else False
    print_diagnostics(diags, args.format, sys.stdout)
    if failed:
        print("problems in the decisions (above): nothing written", file=sys.stderr)
        return 1
    layout = options.layout
    by_path = {f.path: f for f in result.files}
    export = by_path.get(layout.export())
    if export is None:  # pragma: no cover (export=True above)
        print_diagnostics([error(str(args.config_file), 0, 0, "the build made no export", "export")], args.format, sys.stdout)
        return 1
    text = export.content if isinstance(export.content, str) else export.content.decode("utf-8")
    base = posixpath.dirname(layout.export())
    written = {EXPORT_NAME: text.encode("utf-8")}
    for d in json.loads(text)["decisions"]:
        rel = d.get("diagram")
        if rel and (svg := by_path.get(posixpath.join(base, rel))) is not None:
            written[rel] = svg.content.encode("utf-8") if isinstance(svg.content, str) else svg.content
    out = Path(args.out)
    for rel, content in written.items():
        target = out / rel
        os.makedirs(target.parent, exist_ok=True)
        target.write_bytes(content)
    size = sum(len(c) for c in written.values())
    print(f"{out}: {EXPORT_NAME} and {count(len(written) - 1, 'diagram')} written, {size:,} bytes; "
          f"{count(len(result.catalog.decisions), 'decision')}", file=sys.stderr)
    return 0
