#!/usr/bin/env bash
# Builds the Debian bookworm base image Faultline's local images start FROM, with no container
# registry: debootstrap a minimal rootfs from the Debian mirror apt already uses, then
# `docker import` it. The tarball is cached under .faultline/cache keyed by this script's hash, so
# a second provision on the same machine skips debootstrap.
#   usage: build-rootfs.sh <image-tag> <cache-dir> <labels...>
set -euo pipefail
tag="$1"; cache="$2"; shift 2
mirror="$(awk '/^URIs:/ {print $2; exit} /^deb / {print $2; exit}' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | head -1)"
mirror="${FAULTLINE_DEBIAN_MIRROR:-${mirror:-http://deb.debian.org/debian}}"
mkdir -p "$cache"
# Machines behind a TLS-inspecting egress proxy add their CA to the host's store (and point pip at
# it); the local images must trust the same CAs for apt/pip in RUN steps, so those are part of the key.
host_cas=(/usr/local/share/ca-certificates/*.crt)
[ -e "${host_cas[0]}" ] || host_cas=()
key="$(cat "${BASH_SOURCE[0]}" "${host_cas[@]}" /etc/pip.conf 2>/dev/null | sha256sum | cut -c1-16)"
tarball="$cache/debian-bookworm-$key.tar"
if [ ! -s "$tarball" ]; then
  root="$(mktemp -d "$cache/rootfs.XXXXXX")"
  trap 'rm -rf "$root"' EXIT
  debootstrap --variant=minbase --include=ca-certificates bookworm "$root" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || { tail -20 "$cache/debootstrap.log"; exit 1; }
  # Same mirror inside the images, so `apt-get install` in a Dockerfile RUN step works offline-from-registries.
  printf 'deb %s bookworm main\ndeb %s bookworm-updates main\n' "$mirror" "$mirror" >"$root/etc/apt/sources.list"
  # Smaller images: no docs, no man pages, no apt lists after each install.
  printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/locale/*\n' >"$root/etc/dpkg/dpkg.cfg.d/01-nodoc"
  if [ ${#host_cas[@]} -gt 0 ]; then
    cp "${host_cas[@]}" "$root/usr/local/share/ca-certificates/"
    chroot "$root" update-ca-certificates >/dev/null 2>&1
  fi
  [ -f /etc/pip.conf ] && cp /etc/pip.conf "$root/etc/pip.conf"
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" --numeric-owner -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
fi
changes=()
for l in "$@"; do changes+=(--change "LABEL $l"); done
docker import "${changes[@]}" --change 'CMD ["bash"]' "$tarball" "$tag" >/dev/null
