#!/usr/bin/env bash
# Idempotent Python venv for a target or a test client, shared by their build.sh scripts:
#   python-venv.sh <folder> <label> <python -c import check> <requirement file>...
# Creates <folder>/.venv, installs the pinned requirements from PyPI, runs `pip check` and the
# import check, and writes a stamp (sha256 of the requirement files). Does nothing, fast, when the
# stamp matches.
set -euo pipefail
dir="$1" label="$2" check="$3"
shift 3
cd "$dir"

PY="${PYTHON:-python3}"
STAMP=".venv/.faultline-build-stamp"
want="$(cat "$@" | sha256sum | cut -d' ' -f1)"

if [[ -x .venv/bin/python && -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]]; then
  echo "$label: build up to date" >&2
  exit 0
fi
if [[ ! -x .venv/bin/python ]]; then
  echo "$label: creating .venv with $("$PY" --version 2>&1)" >&2
  "$PY" -m venv --clear .venv
fi
rm -f "$STAMP"
echo "$label: installing requirements" >&2
reqs=()
for r in "$@"; do reqs+=(-r "$r"); done
.venv/bin/python -m pip install --quiet --disable-pip-version-check "${reqs[@]}" >&2
# Fail the build if anything unpinned or broken slipped in.
.venv/bin/python -m pip check >&2
.venv/bin/python -c "$check" >&2
echo "$want" > "$STAMP"
echo "$label: build done" >&2
