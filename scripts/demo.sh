#!/usr/bin/env bash
# Set up (Graphviz, .venv, the package) and serve the demo architecture site on
# http://127.0.0.1:8000. `./scripts/demo.sh build` builds it into ./site instead.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export NO_MKDOCS_2_WARNING=1
if [ "${1:-serve}" = "build" ]; then
  exec .venv/bin/mkdocs build --strict
fi
exec .venv/bin/mkdocs serve
