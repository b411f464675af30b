#!/usr/bin/env bash
# Builds the production bundle and packages the .vsix, then reports its size and checks that
# no source, test or node_modules file slipped in (.vscodeignore keeps them out), that the
# package's README carries its pictures (embedded: the installed extension's page loads images
# only from https: and data:, and there is no public repository) and that the walkthrough's
# pictures are in it.
#   VSIX_OUT=FILE  where to write it (default dist-vsix/mlwf.vsix)
# Needs the npm packages: run `npm ci` first on a fresh clone (npm test does it for you).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/vsce ] || [ ! -d node_modules/esbuild ]; then
  echo "npm packages are missing: run 'npm ci' first" >&2; exit 1
fi
OUT=${VSIX_OUT:-dist-vsix/mlwf.vsix}
node esbuild.mjs --production
mkdir -p "$(dirname "$OUT")" dist-vsix
# The package's README carries its pictures as data: URIs (see scripts/readme-for-package.mjs).
node scripts/readme-for-package.mjs dist-vsix/README.md
README_ARGS=(--readme-path dist-vsix/README.md)
npx vsce package --no-dependencies --allow-missing-repository --no-rewrite-relative-links "${README_ARGS[@]}" -o "$OUT" >/dev/null
size=$(stat -c %s "$OUT")
echo "$OUT: $((size / 1024)) KiB"
listing=$(npx vsce ls --no-dependencies "${README_ARGS[@]}" 2>/dev/null)
while read -r line; do echo "  $line"; done <<< "$listing"
if echo "$listing" | grep -E '^(src|test|node_modules|bench|scripts|webview|docs)/|\.ts$|\.map$'; then
  echo "the package holds files that should stay out (see .vscodeignore)"; exit 1
fi
# Every picture of the README must be embedded, and every walkthrough picture shipped as a file.
if grep -qE '!\[[^]]*\]\((\./)?media/' dist-vsix/README.md; then
  echo "the package's README still links a picture in media/ (the installed page would not show it)"; exit 1
fi
missing=0
while read -r img; do
  [ -n "$img" ] || continue
  echo "$listing" | grep -qxF "$img" || { echo "the walkthrough shows $img, which is not in the package (see .vscodeignore)"; missing=1; }
done < <(node -e 'for (const w of require("./package.json").contributes.walkthroughs ?? []) for (const s of w.steps) if (s.media?.image) console.log(s.media.image)')
[ "$missing" = 0 ] || exit 1
# Leave a development build behind for the tests that follow.
node esbuild.mjs
