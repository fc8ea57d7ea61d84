"""The ``mkdocs-wa`` command line: one module per subcommand, each with ``register``.

Exit codes: 0 success, 1 problems found in the decisions, 2 usage errors.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from mkdocs_wa import __version__
from mkdocs_wa.diagnostics import SafeStream

#: Subcommand modules in this package, in the order ``--help`` lists them.
COMMANDS = ("init", "validate", "new", "import_", "diff", "renumber", "measure", "generate", "export", "schema", "demo")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mkdocs-wa",
        description="Architecture decisions with hypotheses, metrics and pillar scores.",
    )
    parser.add_argument("--version", action="version", version=f"mkdocs-wa {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{name}":
                continue  # a subcommand not written yet
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return 2
    # User text (titles, file names, git messages) reaches the terminal or a CI log
    # through every command: control characters and bidi overrides never do.
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(out), SafeStream(err)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `mkdocs-wa schema | head`
        return 0
    finally:
        sys.stdout, sys.stderr = out, err


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
