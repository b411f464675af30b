#!/usr/bin/env bash
# Builds the production bundle and packages the .vsix, then reports its size and checks that
# no source, test or node_modules file slipped in (.vscodeignore keeps them out) and that every
# picture the README shows is in the package (the installed extension's page shows them from
# there: there is no public repository to load them from).
#   VSIX_OUT=FILE  where to write it (default dist-vsix/mlwf.vsix)
# Needs the npm packages: run `npm ci` first on a fresh clone (npm test does it for you).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/vsce ] || [ ! -d node_modules/esbuild ]; then
  echo "npm packages are missing: run 'npm ci' first" >&2; exit 1
fi
OUT=${VSIX_OUT:-dist-vsix/mlwf.vsix}
node esbuild.mjs --production
mkdir -p "$(dirname "$OUT")"
npx vsce package --no-dependencies --allow-missing-repository --no-rewrite-relative-links -o "$OUT" >/dev/null
size=$(stat -c %s "$OUT")
echo "$OUT: $((size / 1024)) KiB"
listing=$(npx vsce ls --no-dependencies 2>/dev/null)
while read -r line; do echo "  $line"; done <<< "$listing"
if echo "$listing" | grep -E '^(src|test|node_modules|bench|scripts|webview|docs)/|\.ts$|\.map$'; then
  echo "the package holds files that should stay out (see .vscodeignore)"; exit 1
fi
missing=0
while read -r img; do
  [ -n "$img" ] || continue
  echo "$listing" | grep -qxF "$img" || { echo "README.md shows $img, which is not in the package (see .vscodeignore)"; missing=1; }
done < <(grep -oE '\]\((media/[^)]+\.(png|svg|gif|jpg))\)' README.md | sed -E 's/^\]\(|\)$//g' | sort -u)
[ "$missing" = 0 ] || exit 1
# Leave a development build behind for the tests that follow.
node esbuild.mjs
