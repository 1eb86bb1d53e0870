#!/usr/bin/env bash
# Install and start Sagsflow with demo users and cases on SQLite; prints the URL.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q -e .
bash scripts/fonts.sh             # DejaVu for the aktindsigt PDF (Debian's fonts-dejavu-core)
bash scripts/assets.sh >/dev/null  # the modeler, htmx and charts, served by the app itself
bash scripts/fonts.sh              # DejaVu Sans for the letters (Debian's fonts-dejavu-core)
exec .venv/bin/sagsflow demo "$@"
