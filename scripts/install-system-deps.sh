#!/usr/bin/env bash
# Installs the Debian packages the tests and the demo need, once: nginx + htpasswd (the Basic-auth
# proxy in front of the test MLflow server, as on ABCI), Chromium (drives the real VS Code),
# libkrb5-dev (code-server's kerberos addon falls back to a source build without it), a
# Japanese font (without one, Chromium draws the Japanese UI of the locale test as empty boxes),
# and ShellCheck (lints the container job scripts MLWF generates).
# With --bench (npm run bench passes it) also the benchmarks' peers: pigz (the export benchmark's
# "every core" peer) and awscli + s3cmd (the upload benchmark's, run as /usr/bin/aws and
# /usr/bin/s3cmd so another `aws` earlier on PATH is not measured instead). The tests need none
# of these three.
# Idempotent: does nothing when everything is present. It never stops, disables or reconfigures a
# service the machine already runs: the tests start their own nginx (own config, pid file and
# logs in a temporary folder, loopback ports), so a system nginx serving other things is left as
# it is.
set -euo pipefail
# python3-flaskext.wtf: Flask-WTF, which MLflow 3's auth app (the read-only user tests) imports.
PKGS=(nginx apache2-utils chromium libkrb5-dev fonts-ipafont-gothic shellcheck python3-flaskext.wtf)
[ "${1:-}" = --bench ] && PKGS+=(pigz awscli s3cmd)
missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
# Debian starts a freshly installed nginx as a system service listening on port 80. When this
# script is what installs it, that start is ours to prevent: a temporary policy-rc.d (Debian's
# documented switch for maintainer scripts) forbids service starts for the duration of this
# install only, and only when the machine has no policy of its own.
POLICY=/usr/sbin/policy-rc.d
own_policy=""
if [[ " ${missing[*]} " == *" nginx "* ]] && [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\n# written by MLWF install-system-deps.sh for one apt-get install; removed after it\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod 755 "$POLICY"; own_policy=1
  trap '[ -n "$own_policy" ] && $SUDO rm -f "$POLICY"' EXIT
fi
DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
