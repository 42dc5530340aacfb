#!/usr/bin/env bash
# Idempotent build for refbot: creates .venv and installs the pinned requirements.
# Does nothing (fast) when the stamp matches the sha256 of the requirement files.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

PY="${PYTHON:-python3}"
STAMP=".venv/.refbot-build-stamp"
want="$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)"

if [[ -x .venv/bin/python && -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]]; then
  echo "refbot: build up to date" >&2
  exit 0
fi

if [[ ! -x .venv/bin/python ]]; then
  echo "refbot: creating .venv with $("$PY" --version 2>&1)" >&2
  "$PY" -m venv --clear .venv
fi
rm -f "$STAMP"
echo "refbot: installing requirements" >&2
.venv/bin/python -m pip install --quiet --disable-pip-version-check \
  -r requirements.txt -r requirements-dev.txt >&2
# Fail the build if anything unpinned or broken slipped in.
.venv/bin/python -m pip check >&2
.venv/bin/python -c 'import aiohttp, pytest' >&2
echo "$want" > "$STAMP"
echo "refbot: build done" >&2
