#!/usr/bin/env bash
set -euo pipefail
DATA="${SAGSFLOW_PG_DIR:-/tmp/sagsflow-pg}"
BIN="$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")"
RUN=()
if [ "$(id -u)" = 0 ]; then RUN=(runuser -u postgres --); fi
"${RUN[@]}" "$BIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1 || true
