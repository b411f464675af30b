#!/usr/bin/env bash
# Builds the production bundle and packages the .vsix, then reports its size and checks that
# no source, test or node_modules file slipped in (.vscodeignore keeps them out).
set -euo pipefail
cd "$(dirname "$0")/.."
node esbuild.mjs --production
mkdir -p dist-vsix
npx vsce package --no-dependencies --allow-missing-repository --no-rewrite-relative-links -o dist-vsix/mlwf.vsix >/dev/null
size=$(stat -c %s dist-vsix/mlwf.vsix)
echo "dist-vsix/mlwf.vsix: $((size / 1024)) KiB"
listing=$(npx vsce ls --no-dependencies 2>/dev/null)
echo "$listing" | sed 's/^/  /'
if echo "$listing" | grep -E '^(src|test|node_modules|bench|scripts|webview|media/screenshots)/|\.ts$|\.map$'; then
  echo "the package holds files that should stay out (see .vscodeignore)"; exit 1
fi
# Leave a development build behind for the tests that follow.
node esbuild.mjs
