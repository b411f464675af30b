#!/usr/bin/env bash
# Builds the production bundle and packages the .vsix, then reports its size and checks that
# no source, test or node_modules file slipped in (.vscodeignore keeps them out) and that the
# walkthrough's pictures are in it.
#   MLWF_IMAGES_BASE_URL=https://…/  where media/screenshots/ is published (the README's pictures);
#                                    overrides the repository's raw files
#   VSIX_OUT=FILE  where to write it (default dist-vsix/mlwf.vsix)
#   VSIX_PREBUILT=1  package the production build already in dist/ (the package tests)
# Needs the npm packages: run `npm ci` first on a fresh clone (npm test does it for you).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/vsce ] || [ ! -d node_modules/esbuild ]; then
  echo "npm packages are missing: run 'npm ci' first" >&2; exit 1
fi
OUT=${VSIX_OUT:-dist-vsix/mlwf.vsix}
[ -n "${VSIX_PREBUILT:-}" ] || node esbuild.mjs --production
mkdir -p "$(dirname "$OUT")"
# The installed extension's page loads README pictures only from https: URLs (VS Code drops
# relative and data: images there). Where they come from, first that applies:
#  1. MLWF_IMAGES_BASE_URL: the https folder where media/screenshots/ is published (e.g. a
#     public-read Cloud Storage prefix); vsce prepends it to the README's picture links.
#  2. package.json's "repository": vsce points them at the repository's raw files (its default,
#     what a published extension does; GitHub and GitLab are recognised).
#  3. Neither (the project has no public repository yet): the packaged README leaves its pictures
#     out, so the page has no broken ones, and this script says so.
README_ARGS=()
repository=$(node -e 'const r = require("./package.json").repository; console.log(typeof r === "string" ? r : r?.url ?? "")')
if [ -n "${MLWF_IMAGES_BASE_URL:-}" ]; then
  case "$MLWF_IMAGES_BASE_URL" in
    https://*) ;;
    *) echo "MLWF_IMAGES_BASE_URL must be an https:// URL (the extension page shows no other pictures): $MLWF_IMAGES_BASE_URL" >&2; exit 1 ;;
  esac
  LINK_ARGS=(--baseImagesUrl "${MLWF_IMAGES_BASE_URL%/}/")
  [ -n "$repository" ] || LINK_ARGS+=(--allow-missing-repository)
elif [ -n "$repository" ]; then
  LINK_ARGS=()
else
  LINK_ARGS=(--allow-missing-repository --no-rewrite-relative-links)
  mkdir -p dist
  # Picture lines only: a picture inside a sentence would leave half a sentence.
  node -e 'const fs = require("fs"); fs.writeFileSync("dist/README.md", fs.readFileSync("README.md", "utf8").replace(/^!\[[^\]]*\]\((?![a-z]+:)[^)]*\)[ \t]*\n\n?/gim, ""))'
  README_ARGS=(--readme-path dist/README.md)
  echo "note: neither MLWF_IMAGES_BASE_URL nor a package.json \"repository\" is set, so the installed extension's page shows the README without its pictures (see docs/development.md)"
fi
npx vsce package --no-dependencies "${LINK_ARGS[@]}" "${README_ARGS[@]}" -o "$OUT" >/dev/null
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
[ -n "${VSIX_PREBUILT:-}" ] || node esbuild.mjs
