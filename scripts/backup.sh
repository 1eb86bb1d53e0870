#!/usr/bin/env bash
# Back up a Sagsflow PostgreSQL database: pg_dump in its custom format (compressed, restorable table by table).
#   bash scripts/backup.sh DATABASE_URL FILE
# DATABASE_URL as in SAGSFLOW_DATABASE_URL (postgresql+psycopg://user@host:port/db) or a plain postgresql:// URL.
set -euo pipefail
url="${1:?DATABASE_URL}"; file="${2:?FILE}"
url="${url/postgresql+psycopg:/postgresql:}"
PG_DUMP="$(command -v pg_dump || ls /usr/lib/postgresql/*/bin/pg_dump 2>/dev/null | sort -V | tail -1)"
"$PG_DUMP" --format=custom --no-owner --no-privileges --file="$file" --dbname="$url"
echo "backup in $file"
