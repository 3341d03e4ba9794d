#!/usr/bin/env bash
# Fetches the official PP-DocLayout inference model with PaddleX, converts it to ONNX with
# Paddle2ONNX and places it as model_repo/pp_doclayout/1/model.onnx. Needs Python 3.8-3.12, pip and
# network access to PaddleX's model hosting (it cannot run on the Roche CI machines, which have
# neither). Usage: model_repo/fetch_models.sh [PP-DocLayout-L|PP-DocLayout-M|PP-DocLayout-S] [cpu|gpu]
set -euo pipefail
MODEL="${1:-PP-DocLayout-L}"
DEVICE="${2:-gpu}"
HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

python3 -m venv "$WORK/venv"
# shellcheck disable=SC1091
. "$WORK/venv/bin/activate"
pip install --quiet "paddlepaddle==3.0.*" "paddlex==3.0.*" "paddle2onnx==2.*"

# PaddleX downloads the official inference model (inference.json/.pdiparams/.yml) into the cache.
python3 - "$MODEL" "$WORK/model" <<'PY'
import shutil, sys
from paddlex import create_model
name, dest = sys.argv[1], sys.argv[2]
model = create_model(name)
shutil.copytree(model.model_dir, dest)
PY

paddle2onnx --model_dir "$WORK/model" --model_filename inference.json --params_filename inference.pdiparams \
  --save_file "$WORK/model.onnx" --opset_version 16 --enable_onnx_checker True

install -D -m 0644 "$WORK/model.onnx" "$HERE/pp_doclayout/1/model.onnx"
install -D -m 0644 "$WORK/model/inference.yml" "$HERE/pp_doclayout/inference.yml"
if [ "$DEVICE" = cpu ]; then cp "$HERE/pp_doclayout/config_cpu.pbtxt" "$HERE/pp_doclayout/config.pbtxt"; fi
echo "placed $MODEL as $HERE/pp_doclayout/1/model.onnx ($DEVICE config)."
echo "check input size and normalization in pp_doclayout/inference.yml against packages/inference/src/paddlex/models.ts"
