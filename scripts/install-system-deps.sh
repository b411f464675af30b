#!/usr/bin/env bash
# Installs the Debian packages the tests and the demo need, once: nginx + htpasswd (the Basic-auth
# proxy in front of the test MLflow server, as on ABCI), Chromium (drives the real VS Code),
# libkrb5-dev (code-server's kerberos addon falls back to a source build without it), a
# Japanese font (without one, Chromium draws the Japanese UI of the locale test as empty boxes),
# shellcheck (lints the container job scripts MLWF generates), pigz (the export benchmark's
# "every core" peer), and awscli + s3cmd (the upload benchmark's peers, run as /usr/bin/aws and
# /usr/bin/s3cmd so another `aws` earlier on PATH is not measured instead).
# Idempotent: does nothing when everything is present.
set -euo pipefail
PKGS=(nginx apache2-utils chromium libkrb5-dev fonts-ipafont-gothic shellcheck pigz awscli s3cmd)
missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
# Debian starts nginx as a system service on install; the tests run their own instances.
$SUDO systemctl disable --now nginx >/dev/null 2>&1 || $SUDO service nginx stop >/dev/null 2>&1 || true
