#!/usr/bin/env bash
# Set up a development environment on a fresh machine: system packages (Graphviz for
# diagrams; with --test also Chromium, which Playwright drives in the browser tests, and
# Prometheus for the measure tests), a virtualenv in .venv and the package with its
# extras. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
[ "${1:-}" = "--test" ] && want_browser=1

apt_install() {
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
if [ "$want_browser" = 1 ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  # Prometheus (with promtool) for the tests of `mkdocs-wa measure`.
  command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
fi
command -v git >/dev/null 2>&1 || missing+=(git)
if [ "${#missing[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${missing[*]} with apt-get"
    apt_install "${missing[@]}"
  elif command -v brew >/dev/null 2>&1; then
    echo "setup: installing ${missing[*]} with brew"
    brew install "${missing[@]}"
  else
    echo "setup: please install ${missing[*]} (Graphviz is needed for diagrams)" >&2
    exit 1
  fi
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
if [ "$want_browser" = 1 ]; then
  .venv/bin/python -m pip install -q -e '.[test]'
else
  .venv/bin/python -m pip install -q -e .
fi
