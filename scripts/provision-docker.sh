#!/usr/bin/env bash
# Provisions the containers runtime, idempotently: the Docker engine and docker-compose from
# Debian packages, a running dockerd, and the images the runtime uses, built locally under the
# names users would pull (redis:7, postgres:15, ghcr.io/shopify/toxiproxy:2.12.0,
# python:3.11-slim-bookworm) from a debootstrapped Debian base, since this machine has no
# registry. Each image carries a faultline.image-hash label over its build inputs; an image whose
# label matches is not rebuilt, so a second run takes seconds.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="$root/.faultline"
mkdir -p "$state/cache"
say() { printf 'provision-docker: %s\n' "$*"; }
as_root() { if [ "$(id -u)" -ne 0 ]; then sudo "$@"; else "$@"; fi; }

# --- engine ------------------------------------------------------------------------------------
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! docker info >/dev/null 2>&1; then
  if [ -d /run/systemd/system ]; then
    as_root systemctl start docker
  else
    # No init system (CI containers, this machine): run dockerd by hand. Published ports, if any
    # test publishes one, bind to loopback only.
    say "starting dockerd (log: $state/dockerd.log)"
    as_root bash -c "nohup dockerd --ip 127.0.0.1 >'$state/dockerd.log' 2>&1 &"
  fi
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { say "dockerd did not come up"; tail -20 "$state/dockerd.log" 2>/dev/null; exit 1; }
fi
say "docker engine $(docker version -f '{{.Server.Version}}')"

# --- images ------------------------------------------------------------------------------------
export DOCKER_BUILDKIT=0 # the classic builder needs no buildx plugin and caches layers by parent image
hash_of() { (cd "$root" && find "$@" -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16); }
current() { docker image inspect -f '{{index .Config.Labels "faultline.image-hash"}}' "$1" 2>/dev/null || true; }
labels=(faultline.managed=image)

base=faultline/debian-base:bookworm
base_hash="$( (hash_of docker/base; cat /usr/local/share/ca-certificates/*.crt /etc/pip.conf 2>/dev/null) | sha256sum | cut -c1-16)"
if [ "$(current "$base")" != "$base_hash" ]; then
  say "building $base (debootstrap bookworm, cached in .faultline/cache)"
  bash "$root/docker/base/build-rootfs.sh" "$base" "$state/cache" "${labels[@]}" "faultline.image-hash=$base_hash"
fi

# build <tag> <context dir> <hash inputs...>: rebuilds when the inputs or the base changed.
build() {
  local tag="$1" ctx="$2"; shift 2
  local h; h="$(printf '%s %s' "$base_hash" "$(hash_of "$@")" | sha256sum | cut -c1-16)"
  if [ "$(current "$tag")" = "$h" ]; then say "$tag up to date"; return; fi
  say "building $tag"
  local log="$state/cache/build-${tag//[\/:]/_}.log"
  docker build -q --force-rm --label faultline.managed=image --label "faultline.image-hash=$h" -t "$tag" "$ctx" >"$log" 2>&1 \
    || { tail -30 "$log"; exit 1; }
}
build redis:7 docker/redis docker/redis
build postgres:15 docker/postgres docker/postgres
build python:3.11-slim-bookworm docker/python docker/python
build faultline/netguard:1 docker/netguard docker/netguard
build faultline/sinkhole:1 docker/sinkhole docker/sinkhole docker/python

tp="$state/bin/toxiproxy-server"
[ -x "$tp" ] || { say "$tp missing: run scripts/provision.sh first"; exit 2; }
tp_ctx="$state/cache/toxiproxy-context"
rm -rf "$tp_ctx" && mkdir -p "$tp_ctx" && cp docker/toxiproxy/Dockerfile "$tp" "$tp_ctx/"
build ghcr.io/shopify/toxiproxy:2.12.0 "$tp_ctx" "$tp_ctx"
say "images ready"
