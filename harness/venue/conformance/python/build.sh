#!/usr/bin/env bash
# Idempotent build of the Python conformance clients: creates .venv and installs the pinned
# requirements from PyPI. Does nothing (fast) when the stamp matches the sha256 of requirements.txt.
# Run by `npm run provision` (scripts/provision.sh runs harness/*/conformance/*/build.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

PY="${PYTHON:-python3}"
STAMP=".venv/.conformance-build-stamp"
want="$(sha256sum requirements.txt | cut -d' ' -f1)"

if [[ -x .venv/bin/python && -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]]; then
  echo "venue python conformance: build up to date" >&2
  exit 0
fi

if [[ ! -x .venv/bin/python ]]; then
  echo "venue python conformance: creating .venv with $("$PY" --version 2>&1)" >&2
  "$PY" -m venv --clear .venv
fi
rm -f "$STAMP"
echo "venue python conformance: installing requirements" >&2
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt >&2
# Fail the build if anything unpinned or broken slipped in.
.venv/bin/python -m pip check >&2
.venv/bin/python -c 'import ccxt, binance.um_futures' >&2
echo "$want" > "$STAMP"
echo "venue python conformance: build done" >&2
