#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database (create it first: createdb NAME).
#   bash scripts/restore.sh FILE DATABASE_URL
# One transaction: a restore that fails half-way leaves the database empty, never half-filled.
set -euo pipefail
file="${1:?FILE}"; url="${2:?DATABASE_URL}"
url="${url/postgresql+psycopg:/postgresql:}"
PG_RESTORE="$(command -v pg_restore || ls /usr/lib/postgresql/*/bin/pg_restore 2>/dev/null | sort -V | tail -1)"
"$PG_RESTORE" --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$url" "$file"
echo "restored $file"
