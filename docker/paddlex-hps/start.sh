#!/usr/bin/env bash
# Runs PaddleX's high-stability serving (HPS) server for the paddlex-hps engine.
#   - The pipeline's HPS SDK `server/` folder (PaddleX publishes one per pipeline; Roche uses
#     layout_parsing, model `layout-parsing`) is mounted at /app: it holds server.sh, model_repo/
#     and pipeline_config.yaml. It is not in this image because PaddleX distributes it separately.
#   - PaddleX downloads the official models into /root/.paddlex/official_models on first use; that
#     folder is a volume, so the download happens once and later starts reuse it.
set -euo pipefail
if [ ! -f /app/server.sh ]; then
  echo "roche-paddlex-hps: mount the HPS SDK's server/ folder at /app (it must contain server.sh)" >&2
  exit 78
fi
cd /app
exec /bin/bash server.sh "$@"
