#!/usr/bin/env bash
# Set up everything the tests need (Graphviz, Chromium, .venv with the test extras) and
# run the whole test suite. Extra arguments go to pytest.
#
# The tests run the project's own commands (mkdocs-wa, mkdocs, pre-commit) as a user
# would, so .venv/bin goes first on PATH: they are the ones setup installed, never a
# copy found elsewhere on the machine. Works with nothing but the system on PATH:
#   env -i PATH=/usr/bin:/bin HOME=$HOME ./scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --test
export PATH="$PWD/.venv/bin:$PATH"
export VIRTUAL_ENV="$PWD/.venv"
export NO_MKDOCS_2_WARNING=1
exec .venv/bin/python -m pytest "$@"
