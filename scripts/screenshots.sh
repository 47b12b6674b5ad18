#!/usr/bin/env bash
# Regenerates the README's screenshots (docs/images/*.png, git-ignored) from the running demo:
# start it first with ./run.sh (Development seeds the demo organization). CIBA_URL names another
# address (default http://127.0.0.1:5080); CHROMIUM another browser (default /usr/bin/chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
url="${CIBA_URL:-http://127.0.0.1:5080}"
if ! curl -fsS "$url/healthz" >/dev/null 2>&1; then
  echo "Ciba is not answering at $url: start the demo with ./run.sh first." >&2
  exit 1
fi
if [ ! -d scripts/screenshots/node_modules ]; then
  (cd scripts/screenshots && npm ci --no-audit --no-fund >/dev/null)
fi
CIBA_URL="$url" node scripts/screenshots/screenshots.mjs docs/images
