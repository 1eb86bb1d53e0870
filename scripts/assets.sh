#!/usr/bin/env bash
# Install the browser assets from npm (package-lock.json) and copy what the app serves into
# src/web/static/vendor/.  Nothing is fetched from a CDN at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --loglevel=error
vendor=src/web/static/vendor
rm -rf "$vendor"
mkdir -p "$vendor"/bpmn-js "$vendor"/dmn-js
cp node_modules/bpmn-js/dist/bpmn-modeler.production.min.js \
   node_modules/bpmn-js/dist/bpmn-navigated-viewer.production.min.js "$vendor"/bpmn-js/
cp -r node_modules/bpmn-js/dist/assets "$vendor"/bpmn-js/
cp node_modules/dmn-js/dist/dmn-modeler.production.min.js "$vendor"/dmn-js/
cp -r node_modules/dmn-js/dist/assets "$vendor"/dmn-js/
cp node_modules/htmx.org/dist/htmx.min.js "$vendor"/
cp node_modules/chart.js/dist/chart.umd.min.js "$vendor"/
echo "assets in $vendor"
