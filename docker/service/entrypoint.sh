#!/bin/sh
# Maps a role to the roche CLI and execs node (tini, PID 1, forwards signals to it):
#   api → serve --api-only, worker → serve --worker-only, watcher → watch; anything else is passed
#   to the CLI as is (--help, submit, eval, ...).
set -eu
role="${1:-api}"
[ $# -gt 0 ] && shift
case "$role" in
  api) set -- serve --api-only "$@" ;;
  worker) set -- serve --worker-only "$@" ;;
  watcher) set -- watch "$@" ;;
  *) set -- "$role" "$@" ;;
esac
case "$role" in
  api | worker | watcher | serve | watch)
    if [ -z "${REDIS_URL:-}" ]; then
      echo "roche $role: set REDIS_URL (this image has no embedded Redis), and S3_* so that containers share objects" >&2
      exit 64
    fi
    ;;
esac
exec node /app/dist/main.js "$@"
