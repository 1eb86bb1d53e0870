#!/usr/bin/env bash
# Debian's nginx-light for the test that runs deploy/nginx-sticky.conf in front of two gunicorns; installed when missing.
set -euo pipefail
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then exit 0; fi
if [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
  # The package starts a system nginx on port 80; the tests run their own.
  (systemctl disable --now nginx || service nginx stop || nginx -s stop) >/dev/null 2>&1 || true
else
  echo "nginx is not installed (apt-get install nginx-light)" >&2; exit 1
fi
