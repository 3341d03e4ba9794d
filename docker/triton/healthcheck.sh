#!/usr/bin/env bash
# HEALTHCHECK for the Triton images: GET /v2/health/ready on the HTTP port, with bash alone.
set -euo pipefail
exec 3<>"/dev/tcp/127.0.0.1/${1:-8000}"
printf 'GET /v2/health/ready HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
IFS= read -r -t 4 status <&3
[[ "$status" == *" 200 "* ]]
