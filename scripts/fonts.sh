#!/usr/bin/env bash
# Debian's DejaVu fonts for the letters (DejaVu Sans prints every name, "Łucja Nowak" too); installed when missing.
# No maintained PyPI package ships only the DejaVu TTFs (matplotlib carries them among 40 MB of plotting code).
set -euo pipefail
if [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null
else
  echo "DejaVu-skrifttypen mangler (apt-get install fonts-dejavu-core, eller sæt SAGSFLOW_FONT_DIR)" >&2; exit 1
fi
