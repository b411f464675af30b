#!/usr/bin/env bash
# Builds the production bundle and packages the .vsix, then reports its size and checks that
# no source, test or node_modules file slipped in (.vscodeignore keeps them out) and that the
# walkthrough's pictures are in it.
#   MLWF_IMAGES_BASE_URL=https://…/  where media/screenshots/ is published (the README's pictures)
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
# The installed extension's page loads README pictures only from https: URLs (VS Code drops
# relative and data: images there), and there is no public repository for vsce to point them at:
# MLWF_IMAGES_BASE_URL names the https folder where media/screenshots/ is published (e.g. a
# public-read Cloud Storage prefix), and vsce prepends it to the README's picture links.
LINK_ARGS=(--no-rewrite-relative-links)
if [ -n "${MLWF_IMAGES_BASE_URL:-}" ]; then
  LINK_ARGS=(--baseImagesUrl "${MLWF_IMAGES_BASE_URL%/}/")
else
  echo "note: MLWF_IMAGES_BASE_URL is not set, so the installed extension's page shows no pictures (see docs/development.md)"
fi
npx vsce package --no-dependencies --allow-missing-repository "${LINK_ARGS[@]}" -o "$OUT" >/dev/null
size=$(stat -c %s "$OUT")
echo "$OUT: $((size / 1024)) KiB"
listing=$(npx vsce ls --no-dependencies 2>/dev/null)
while read -r line; do echo "  $line"; done <<< "$listing"
if echo "$listing" | grep -E '^(src|test|node_modules|bench|scripts|webview|docs)/|\.ts$|\.map$'; then
  echo "the package holds files that should stay out (see .vscodeignore)"; exit 1
fi
# Every walkthrough picture must ship as a file.
missing=0
while read -r img; do
  [ -n "$img" ] || continue
  echo "$listing" | grep -qxF "$img" || { echo "the walkthrough shows $img, which is not in the package (see .vscodeignore)"; missing=1; }
done < <(node -e 'for (const w of require("./package.json").contributes.walkthroughs ?? []) for (const s of w.steps) if (s.media?.image) console.log(s.media.image)')
[ "$missing" = 0 ] || exit 1
# Leave a development build behind for the tests that follow.
node esbuild.mjs
