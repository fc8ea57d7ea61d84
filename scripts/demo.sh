#!/usr/bin/env bash
# Set up (Graphviz, .venv, the package) and serve the demo architecture site on
# http://127.0.0.1:8000. The demo is a generated git repository in build/demo whose
# commits replay the two case studies over their real dates, so the evolution
# timelines have a history to show. `./scripts/demo.sh build` builds it into
# build/demo/site instead of serving it.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export NO_MKDOCS_2_WARNING=1
mode="--serve"
[ "${1:-serve}" = "build" ] && mode="--build"
exec .venv/bin/mkdocs-wa demo --output build/demo --force "$mode"
