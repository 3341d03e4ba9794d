#!/usr/bin/env bash
# Installs what Roche needs on a fresh Debian machine with Node 20: npm packages, redis-server and
# the container tools the image test uses.
# Idempotent and quiet when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# redis-server for tests and the embedded mode; podman, buildah, runc and tini for the image test
# (test/deploy-image.test.ts builds docker/Dockerfile with Buildah and runs it with Podman).
APT=""
command -v redis-server >/dev/null 2>&1 || APT="$APT redis-server"
for bin in podman buildah runc tini; do command -v "$bin" >/dev/null 2>&1 || APT="$APT $bin"; done
# boto3 for the test of docker/triton/fetch_models.py (the Triton images' one-time S3 fill).
/usr/bin/python3 -c 'import boto3' >/dev/null 2>&1 || APT="$APT python3-boto3"
if [ -n "$APT" ]; then
  echo "[setup] installing$APT from apt" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $APT >/dev/null
fi

# npm ci when node_modules is missing or older than the lockfile.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
