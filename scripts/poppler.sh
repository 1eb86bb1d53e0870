#!/usr/bin/env bash
# Debian's poppler-utils (pdftoppm) for the tests that render one letter of each kind to PNG; installed when missing.
set -euo pipefail
if command -v pdftoppm >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
else
  echo "pdftoppm is not installed (apt-get install poppler-utils)" >&2; exit 1
fi
