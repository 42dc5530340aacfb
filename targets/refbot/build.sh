#!/usr/bin/env bash
# Idempotent build for refbot: its own .venv with the pinned requirements (fast when up to date).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec bash "$here/../../scripts/python-venv.sh" "$here" refbot 'import aiohttp, pytest' requirements.txt requirements-dev.txt
