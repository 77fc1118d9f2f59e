#!/usr/bin/env sh
# The IIIF viewer the browser test opens our manifests in (tests/test_viewer.py): Mirador, from
# the npm registry, into tests/viewer/node_modules (pinned by tests/viewer/package-lock.json).
# Needs npm (Debian's, installed by scripts/install-system-packages.sh as root); without it the
# test says it was skipped, and fails where CI=true.
cd "$(dirname "$0")/../tests/viewer" || exit 0
[ -f node_modules/mirador/dist/mirador.min.js ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
  echo "install-viewer: npm not found; Mirador not installed (the viewer test will be skipped)" >&2
  exit 0
fi
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null 2>&1 \
  || echo "install-viewer: npm could not install Mirador (the viewer test will say so)" >&2
exit 0
