#!/usr/bin/env bash
# A real one-node Grid Engine cell (Debian's Son of Grid Engine 8.1.9, the open-source line ABCI
# 2.0's Univa Grid Engine grew from) for the Jobs tests.
#   scripts/gridengine.sh install   Debian packages, if missing (noninteractive)
#   scripts/gridengine.sh start     install if needed, configure the cell, start qmaster + execd
#   scripts/gridengine.sh stop      stop only the daemons this script started
#   scripts/gridengine.sh status    "running" / "stopped" (exit 0 / 1) and the queue
# Idempotent: start on a running cell changes nothing, and stop leaves a cell alone that was
# already running before start (it may belong to someone else). Exit 3 with one line
# "skipped: WHY" when the cell cannot run here (no apt, not root), so suites can skip.
set -uo pipefail
export SGE_ROOT=${SGE_ROOT:-/var/lib/gridengine} SGE_CELL=${SGE_CELL:-default}
COMMON=$SGE_ROOT/$SGE_CELL/common
STATE=${MLWF_GRIDENGINE_STATE:-${TMPDIR:-/tmp}/mlwf-gridengine}
PKGS=(gridengine-master gridengine-exec gridengine-client)
HOST=$(hostname)

skip() { echo "skipped: $*"; exit 3; }
running() { qstat -u "*" >/dev/null 2>&1 && qhost 2>/dev/null | grep -qE "^$HOST +[^ ]+ +[0-9]+ .* [0-9]+\.[0-9]+ "; }

install() {
  local missing=() p
  for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || skip "Grid Engine is not installed and there is no apt-get"
  [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null || skip "installing Grid Engine needs root"
  local SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "installing Debian packages: ${missing[*]}"
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    "${missing[@]}" >/dev/null || skip "apt-get could not install ${missing[*]}"
}

# Starts a daemon in its own process group; it forks into the background and writes its pid into
# a file under the spool folder (the execd's is named after the host as commlib resolves it).
alive_pid() { # NAME PIDFILE-GLOB: prints the pid of the running daemon, if any
  local f
  for f in $2; do
    [ -s "$f" ] && grep -q "$1" "/proc/$(cat "$f")/cmdline" 2>/dev/null && { cat "$f"; return 0; }
  done
  return 1
}
start_daemon() { # NAME PIDFILE-GLOB
  alive_pid "$1" "$2" >/dev/null && return 0  # already running (not ours: stop leaves it)
  setsid "/usr/sbin/$1" </dev/null >/dev/null 2>&1 &

  for _ in $(seq 1 60); do
    alive_pid "$1" "$2" >> "$STATE/pids" && return 0
    sleep 0.5
  done
  echo "$1 did not start" >&2; return 1
}

configure_cell() {
  # The package scripts leave act_qmaster empty in a container; commlib needs the machine's name
  # and localhost to be one host when they share 127.0.0.1.
  [ -s "$COMMON/act_qmaster" ] || echo "$HOST" > "$COMMON/act_qmaster"
  grep -qx "$HOST localhost" "$COMMON/host_aliases" 2>/dev/null || echo "$HOST localhost" >> "$COMMON/host_aliases"
}

configure_queue() {
  qconf -ah "$HOST" >/dev/null 2>&1 || true
  qconf -as "$HOST" >/dev/null 2>&1 || true
  # Test jobs may run as root (the container's user): lower the minimum uid/gid.
  # qconf -Mconf takes the configuration's name from the file's name.
  local dir; dir=$(mktemp -d)
  qconf -sconf global > "$dir/global"
  if grep -qE '^min_(uid|gid) +[1-9]' "$dir/global"; then
    sed -i -E 's/^(min_uid|min_gid)( +).*/\1\20/' "$dir/global"; qconf -Mconf "$dir/global" >/dev/null
  fi
  # Schedule every 2 s instead of 15 s: a test job starts in seconds, yet is seen queued first.
  qconf -ssconf > "$dir/sched"
  if grep -qE '^schedule_interval +0:0:15$' "$dir/sched"; then
    sed -i -E 's/^(schedule_interval +).*/\10:0:2/' "$dir/sched"; qconf -Msconf "$dir/sched" >/dev/null
  fi
  rm -rf "$dir"
  if ! qconf -sql 2>/dev/null | grep -qx all.q; then
    local q; q=$(mktemp)
    cat > "$q" <<EOF
qname                 all.q
hostlist              $HOST
seq_no                0
load_thresholds       NONE
suspend_thresholds    NONE
nsuspend              1
suspend_interval      00:05:00
priority              0
min_cpu_interval      00:05:00
processors            UNDEFINED
qtype                 BATCH INTERACTIVE
ckpt_list             NONE
pe_list               NONE
rerun                 FALSE
slots                 2
tmpdir                /tmp
shell                 /bin/bash
prolog                NONE
epilog                NONE
shell_start_mode      unix_behavior
starter_method        NONE
suspend_method        NONE
resume_method         NONE
terminate_method      NONE
notify                00:00:60
owner_list            NONE
user_lists            NONE
xuser_lists           NONE
subordinate_list      NONE
complex_values        NONE
projects              NONE
xprojects             NONE
calendar              NONE
initial_state         default
s_rt                  INFINITY
h_rt                  INFINITY
s_cpu                 INFINITY
h_cpu                 INFINITY
s_fsize               INFINITY
h_fsize               INFINITY
s_data                INFINITY
h_data                INFINITY
s_stack               INFINITY
h_stack               INFINITY
s_core                INFINITY
h_core                INFINITY
s_rss                 INFINITY
h_rss                 INFINITY
s_vmem                INFINITY
h_vmem                INFINITY
EOF
    qconf -Aq "$q" >/dev/null; rm -f "$q"
  fi
}

start() {
  if running; then echo "Grid Engine cell already running on $HOST"; return 0; fi
  install
  [ -x /usr/sbin/sge_qmaster ] || skip "sge_qmaster is missing after install"
  mkdir -p "$STATE"; : > "$STATE/pids"
  configure_cell
  local qspool; qspool=$(awk '$1 == "qmaster_spool_dir" {print $2}' "$COMMON/bootstrap")
  start_daemon sge_qmaster "${qspool:-/var/spool/gridengine/qmaster}/qmaster.pid" || return 1

  for _ in $(seq 1 60); do qconf -sh >/dev/null 2>&1 && break; sleep 0.5; done
  configure_queue
  local espool; espool=$(qconf -sconf global | awk '$1 == "execd_spool_dir" {print $2}')
  start_daemon sge_execd "${espool:-/var/spool/gridengine/execd}/*/execd.pid" || return 1
  for _ in $(seq 1 60); do running && qstat -f 2>/dev/null | grep -q "all.q@" && break; sleep 0.5; done
  running || { echo "the Grid Engine cell did not come up" >&2; return 1; }
  qmod -c "all.q@$HOST" >/dev/null 2>&1 || true  # clear an error state left by an earlier run
  echo "Grid Engine cell running on $HOST (SGE_ROOT=$SGE_ROOT)"
}

stop() {
  [ -s "$STATE/pids" ] || { echo "no Grid Engine daemons started by this script"; return 0; }
  local pid
  # execd first (recorded second), then qmaster; each only if it is still the daemon we started.
  for pid in $(tac "$STATE/pids"); do
    if grep -qE 'sge_(qmaster|execd)' "/proc/$pid/cmdline" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  rm -f "$STATE/pids"; echo "Grid Engine daemons stopped"
}

status() {
  if running; then echo running; qstat -f 2>/dev/null | head -5; return 0; fi
  echo stopped; return 1
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
