#!/usr/bin/env bash
# What the test suite needs beyond scripts/setup.sh, so CI skips nothing: OpenCV for Python (the
# bit-exactness oracle of the INTER_CUBIC port), tesseract-ocr (the Tesseract baseline engine) and
# chromium (the viewer's browser test, driven by playwright-core; never a downloaded browser).
# Idempotent and quiet when everything is already there. Not part of `npm run demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

missing=()
/usr/bin/python3 -c 'import cv2' >/dev/null 2>&1 || python3 -c 'import cv2' >/dev/null 2>&1 || missing+=(python3-opencv)
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "[setup-test] installing ${missing[*]} from apt" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  # Wait for another apt run (a parallel setup) instead of failing on its lock.
  APT=(-o DPkg::Lock::Timeout=600)
  $SUDO apt-get "${APT[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get "${APT[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
