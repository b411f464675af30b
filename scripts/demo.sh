#!/usr/bin/env bash
# npm run demo: builds the extension, starts the test MLflow server (demo scenario) behind nginx
# and code-server with the extension, prints the URL to open, and keeps running until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
[ -d node_modules ] || npm ci --no-fund --no-audit
exec bash test/e2e/run-in-code-server.sh demo
