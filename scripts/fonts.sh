#!/usr/bin/env bash
# DejaVu Sans for the letters and the aktindsigt PDF (every name prints, "Łucja Nowak" too): Debian's
# fonts-dejavu-core, installed when missing.  Sagsflow reads it from SAGSFLOW_FONT_DIR
# (default /usr/share/fonts/truetype/dejavu).  No maintained PyPI package ships only the DejaVu TTFs.
set -euo pipefail
DIR="${SAGSFLOW_FONT_DIR:-/usr/share/fonts/truetype/dejavu}"
if [ -f "$DIR/DejaVuSans.ttf" ] && [ -f "$DIR/DejaVuSans-Bold.ttf" ]; then exit 0; fi
if [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null
else
  echo "DejaVu fonts are not installed (apt-get install fonts-dejavu-core)" >&2; exit 1
fi
