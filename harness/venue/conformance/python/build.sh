#!/usr/bin/env bash
# Idempotent build of the Python conformance clients (ccxt, binance-futures-connector): their own
# .venv with the pinned requirements (fast when up to date). Run by `npm run provision`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec bash "$here/../../../../scripts/python-venv.sh" "$here" 'venue python conformance' 'import ccxt, binance.um_futures' requirements.txt
