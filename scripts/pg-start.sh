#!/usr/bin/env bash
# Start a throwaway PostgreSQL on 127.0.0.1 for the tests; prints its URL on the last line.
# Installs Debian's postgresql when it is missing and we are root.
set -euo pipefail
PORT="${SAGSFLOW_PG_PORT:-54329}"
DATA="${SAGSFLOW_PG_DIR:-/tmp/sagsflow-pg}"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  else
    echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1
  fi
fi
BIN="$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")"
RUN=()
if [ "$(id -u)" = 0 ]; then RUN=(runuser -u postgres --); fi
if [ ! -f "$DATA/PG_VERSION" ]; then
  rm -rf "$DATA"; mkdir -p "$DATA"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$DATA"; fi
  "${RUN[@]}" "$BIN/initdb" -D "$DATA" -U sagsflow --auth=trust -E UTF8 >/dev/null
fi
if ! "${RUN[@]}" "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  "${RUN[@]}" "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
    -o "-h 127.0.0.1 -p $PORT -k $DATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >&2
fi
echo "postgresql+psycopg://sagsflow@127.0.0.1:$PORT/postgres"
