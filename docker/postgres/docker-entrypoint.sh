#!/usr/bin/env bash
# A small subset of the official image's entrypoint: first start initialises PGDATA, then
# PostgreSQL runs as the postgres user in the foreground (PID 1, so `docker stop` shuts it down).
set -euo pipefail
if [ "${1:0:1}" = '-' ]; then set -- postgres "$@"; fi
as_pg() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
if [ "$1" = 'postgres' ]; then
  mkdir -p "$PGDATA" && chown postgres:postgres "$PGDATA" && chmod 700 "$PGDATA"
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    user="${POSTGRES_USER:-postgres}" auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
    if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != trust ]; then
      echo 'error: set POSTGRES_PASSWORD, or POSTGRES_HOST_AUTH_METHOD=trust' >&2; exit 1
    fi
    pwfile="$(mktemp)"; printf '%s\n' "${POSTGRES_PASSWORD:-postgres}" >"$pwfile"; chown postgres "$pwfile"
    as_pg initdb -D "$PGDATA" -U "$user" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host="$auth" >/dev/null
    rm -f "$pwfile"
    echo "host all all all $auth" >>"$PGDATA/pg_hba.conf"
    db="${POSTGRES_DB:-$user}"
    if [ "$db" != postgres ]; then
      as_pg postgres --single -D "$PGDATA" -j postgres <<<"CREATE DATABASE \"$db\";" >/dev/null
    fi
  fi
  shift
  exec setpriv --reuid=postgres --regid=postgres --init-groups postgres -D "$PGDATA" -c listen_addresses='*' "$@"
fi
exec "$@"
