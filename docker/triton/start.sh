#!/usr/bin/env bash
# Starts Triton on Roche's model repository, with the weights from a cache volume.
#   - The image holds model_repo/ (configs, the Python preprocessing model) at /opt/roche/model_repo.
#   - Weights are not in the image: they live in ROCHE_MODEL_CACHE (a mounted volume), laid out like
#     a Triton repository (pp_doclayout/1/model.onnx, optionally its config.pbtxt as written by
#     model_repo/fetch_models.sh). With ROCHE_MODELS_S3=s3://bucket/prefix the cache is filled from
#     there once; later starts find it complete and download nothing.
#   - The repository Triton serves is assembled in ROCHE_MODEL_REPO: the image's files, then the
#     cache's on top (symlinks, so a config.pbtxt in the cache wins).
#   - --model-control-mode=explicit: the models in ROCHE_TRITON_LOAD are loaded at start; others can
#     be loaded and unloaded later through the repository API without a restart.
set -euo pipefail
BAKED="${ROCHE_BAKED_MODEL_REPO:-/opt/roche/model_repo}"
CACHE="${ROCHE_MODEL_CACHE:-/models-cache}"
REPO="${ROCHE_MODEL_REPO:-/tmp/roche-model-repo}"
LOAD="${ROCHE_TRITON_LOAD:-pp_doclayout}"

if [ -n "${ROCHE_MODELS_S3:-}" ]; then
  python3 /opt/roche/fetch_models.py "$ROCHE_MODELS_S3" "$CACHE"
fi

rm -rf "$REPO"
cp -r "$BAKED" "$REPO"
if [ -d "$CACHE" ]; then
  while IFS= read -r -d '' f; do
    mkdir -p "$REPO/$(dirname "$f")"
    ln -sfn "$CACHE/$f" "$REPO/$f"
  done < <(cd "$CACHE" && find . -type f ! -name '.roche-*' ! -name '*.part' -printf '%P\0')
fi

args=()
need=()
for model in ${LOAD//,/ }; do
  if [ ! -f "$REPO/$model/config.pbtxt" ]; then
    echo "roche-triton: no model \"$model\" in the repository (ROCHE_TRITON_LOAD=$LOAD)" >&2
    exit 78
  fi
  args+=("--load-model=$model")
  need+=("$model")
  # An ensemble loads its steps: they need their files too.
  if grep -q 'platform: *"ensemble"' "$REPO/$model/config.pbtxt"; then
    while read -r step; do need+=("$step"); done < <(grep -o 'model_name: *"[^"]*"' "$REPO/$model/config.pbtxt" | sed 's/.*"\(.*\)"/\1/')
  fi
done
# Every model to be loaded, other than ensembles and Python models (whose code is in the image),
# must have weights in a version folder.
for model in "${need[@]}"; do
  config="$REPO/$model/config.pbtxt"
  grep -q 'platform: *"ensemble"\|backend: *"python"' "$config" && continue
  if [ -z "$(find -L "$REPO/$model" -mindepth 2 -maxdepth 2 -type f ! -name .keep -print -quit)" ]; then
    echo "roche-triton: model \"$model\" has no weights: put them in the cache volume ($CACHE/$model/1/) or set ROCHE_MODELS_S3" >&2
    exit 78
  fi
done

exec tritonserver \
  --model-repository="$REPO" \
  --model-control-mode=explicit \
  "${args[@]}" \
  --strict-readiness=true \
  --http-port=8000 --grpc-port=8001 --metrics-port=8002 \
  "$@"
