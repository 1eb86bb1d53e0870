#!/usr/bin/env bash
# Install everything and run the whole test suite: on SQLite, then on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q -e ".[test]"
bash scripts/assets.sh            # bpmn-js, htmx, chart.js, axe-core from npm (package-lock.json)
bash scripts/chromium.sh          # Debian's Chromium for the Playwright tests
bash scripts/fonts.sh             # DejaVu, the Unicode font of the letters and the aktindsigt PDF
bash scripts/poppler.sh           # pdftoppm: one letter of each kind to PNG in test-artifacts/letters/
bash scripts/nginx.sh             # nginx in front of two gunicorns: deploy/nginx-sticky.conf
export SAGSFLOW_BROWSER_TESTS=required
.venv/bin/ruff check src tests bench
.venv/bin/ruff format --check src tests bench
.venv/bin/mypy
echo "== tests on SQLite =="
.venv/bin/pytest "$@"
echo "== tests on PostgreSQL =="
PG_URL="$(bash scripts/pg-start.sh | tail -1)"
trap 'bash scripts/pg-stop.sh' EXIT
SAGSFLOW_TEST_POSTGRES_URL="$PG_URL" .venv/bin/pytest "$@"
