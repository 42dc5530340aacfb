#!/usr/bin/env bash
# Installs what the local runtime needs on a fresh Debian machine, idempotently:
#   redis-server and libfaketime (Debian packages), the real Toxiproxy server built from the Go
#   module proxy (pinned), and each target's own build (Python venvs). Safe to re-run: every step
#   checks first and does nothing when already done.
set -euo pipefail

TOXIPROXY_VERSION="${TOXIPROXY_VERSION:-v2.12.0}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_dir="$root/.faultline/bin"
mkdir -p "$bin_dir"

say() { printf 'provision: %s\n' "$*"; }
need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo "$@"; else
      say "need root to run: $* (install those packages yourself, then re-run)"; exit 2
    fi
  else "$@"; fi
}

# --- Debian packages -------------------------------------------------------------------------
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# Postgres for targets with the "postgres" capability and the pg-lock fault (the runtime starts its own cluster).
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
[ -e /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 ] || [ -n "$(find /usr/lib -name 'libfaketime.so.1' -print -quit 2>/dev/null)" ] || missing+=(libfaketime faketime)
command -v python3 >/dev/null 2>&1 || missing+=(python3 python3-venv)
# Report tests: headless Chromium renders the HTML report; xmllint validates junit.xml against its XSD.
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  need_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  need_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian enables a system redis-server service on install; Faultline starts its own per run.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
  say "note: a system redis-server service is running; Faultline does not use it"
fi
say "redis-server: $(redis-server --version | awk '{print $3}')"

# --- Toxiproxy (the real one, built from the Go module proxy) ---------------------------------
tp="$bin_dir/toxiproxy-server"
# go install embeds no version string ("version git"), so a stamp records which one was built.
stamp="$tp.version"
if [ ! -x "$tp" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$TOXIPROXY_VERSION" ]; then
  command -v go >/dev/null 2>&1 || { say "go is required to build Toxiproxy (apt-get install golang-go)"; exit 2; }
  say "building toxiproxy-server $TOXIPROXY_VERSION with go install"
  tmp_gobin="$(mktemp -d)"
  trap 'rm -rf "$tmp_gobin"' EXIT
  GOBIN="$tmp_gobin" GOFLAGS=-mod=mod go install "github.com/Shopify/toxiproxy/v2/cmd/server@${TOXIPROXY_VERSION}"
  mv "$tmp_gobin/server" "$tp"
  printf '%s\n' "$TOXIPROXY_VERSION" > "$stamp"
fi
say "toxiproxy-server: $(cat "$stamp") at $tp"

# --- Targets and test clients (each folder with an idempotent build.sh: its own venv) ----------
for build in "$root"/targets/*/build.sh "$root"/harness/*/conformance/*/build.sh; do
  [ -e "$build" ] || continue
  say "building ${build#"$root"/}"
  bash "$build"
done
say "done"
