#!/usr/bin/env bash
# Fetches an official PP-DocLayout inference model with PaddleX, converts it to ONNX with
# Paddle2ONNX, makes its outputs batchable by Triton where the architecture allows, checks the
# result with ONNX Runtime, and places it in this model repository with a matching config.pbtxt.
#
#   model_repo/fetch_models.sh [PP-DocLayout-L|PP-DocLayout_plus-L|PP-DocLayout-M|PP-DocLayout-S] [gpu|cpu]
#
# Needs Python 3.9-3.12, pip, and network access to PyPI and PaddleX's model hosting. It cannot run
# on Roche's CI machines (no network beyond npm/apt); nothing in the test suite depends on it.
#
# Why the ONNX step: PaddleX exports return boxes for the whole batch concatenated ([M, 6]) plus a
# count per image ([N]). Triton, when max_batch_size > 0, needs every output to start with the batch
# dim so it can split a dynamically merged batch back to its requests.
#   - RT-DETR models (L, plus-L; `arch: DETR` in inference.yml) return a fixed number of rows per
#     image (the top-K queries, 300 in PaddleDetection's DETRPostProcess): the boxes are reshaped to
#     [N, K, 6] here, and the model is served with max_batch_size 8 and dynamic batching.
#   - PicoDet models (M, S; `arch: GFL`) run NMS in the graph, so rows per image vary: they are served
#     with max_batch_size 0 and explicit batch dims; Roche's micro-batcher still sends several pages
#     per request, Triton does not merge requests.
# Which case applies is decided from `arch`, never from a trial run: a PicoDet export can return the
# same number of rows for two noise images by chance and would then mix boxes between pages.
#
# Checks (model_repo/check-export.ts, rules in packages/inference/src/paddlex/inference-yml.ts, tested
# on fixture files): inference.yml's Preprocess ops (found by their `type:`) must match Roche's model
# table (packages/inference/src/paddlex/models.ts): Resize target size, keep_ratio false, interp 2;
# NormalizeImage mean/std as PaddleX's build_normalize applies them (`norm_type: none` still uses the
# yml's mean/std); label_list; and the ONNX graph's inputs and its outputs `fetch_name_0` (boxes) and
# `fetch_name_1` (counts), the names Roche asks Triton for. Any disagreement stops the script.
# It runs with Node from this checkout (npm ci first).
set -euo pipefail
MODEL="${1:-PP-DocLayout-L}"
DEVICE="${2:-gpu}"
MAX_BATCH="${MAX_BATCH:-8}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

case "$MODEL" in
  PP-DocLayout-L|PP-DocLayout_plus-L|PP-DocLayout-M|PP-DocLayout-S) ;;
  *) echo "unknown model $MODEL" >&2; exit 2 ;;
esac
case "$DEVICE" in gpu|cpu) ;; *) echo "device must be gpu or cpu" >&2; exit 2 ;; esac
[ -d "$ROOT/node_modules" ] || { echo "run npm ci in $ROOT first (the export check runs with Node)" >&2; exit 2; }

python3 -m venv "$WORK/venv"
# shellcheck disable=SC1091
. "$WORK/venv/bin/activate"
pip install --quiet "paddlepaddle==3.0.*" "paddlex==3.0.*" "paddle2onnx==2.*" onnx onnxruntime numpy

# 1. PaddleX downloads the official inference model (inference.json/.pdiparams/.yml) into its cache.
python3 - "$MODEL" "$WORK/paddle" <<'PY'
import shutil, sys
from paddlex import create_model
name, dest = sys.argv[1], sys.argv[2]
shutil.copytree(create_model(model_name=name).model_dir, dest)
PY

# 2. Paddle2ONNX (PIR json format of Paddle 3).
paddle2onnx --model_dir "$WORK/paddle" --model_filename inference.json --params_filename inference.pdiparams \
  --save_file "$WORK/raw.onnx" --opset_version 16 --enable_onnx_checker True

# 3. inference.yml and the export's names against Roche's tables; prints LAYOUT SIZE MEAN STD BOXES COUNTS IM_SHAPE.
if ! (cd "$ROOT" && npx --no-install tsx model_repo/check-export.ts "$WORK/paddle/inference.yml" "$MODEL" "$WORK/raw.onnx") > "$WORK/layout.env"; then
  echo "fetch_models.sh: $MODEL does not match what Roche expects (see above); nothing was installed" >&2
  exit 1
fi
# shellcheck disable=SC1090
. <(tr ' ' '\n' < "$WORK/layout.env")

# 4. Fixed-row exports: measure K and reshape the boxes to [N, K, 6]; a DETR export whose rows vary stops here.
ROWS=0
if [ "$LAYOUT" = fixed ]; then
  ROWS=$(python3 - "$WORK/raw.onnx" "$WORK/model.onnx" "$SIZE" "$BOXES" <<'PY'
import sys, numpy as np, onnx, onnxruntime as ort
from onnx import helper, numpy_helper
src, dst, size, boxes_name = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
sess = ort.InferenceSession(src, providers=["CPUExecutionProvider"])
names = [i.name for i in sess.get_inputs()]
outs = [o.name for o in sess.get_outputs()]
def run(n):
    rng = np.random.default_rng(n)
    feeds = {"image": rng.random((n, 3, size, size), dtype=np.float32)}
    if "im_shape" in names: feeds["im_shape"] = np.full((n, 2), size, np.float32)
    feeds["scale_factor"] = np.ones((n, 2), np.float32)
    return sess.run(outs[:2], feeds)
counts = [int(c) for n in (1, 2, 3) for c in run(n)[1]]
if len(set(counts)) != 1:
    sys.exit(f"arch says DETR (fixed rows per image) but the export returned {counts} rows per image")
k = counts[0]
m = onnx.load(src)
g = m.graph
flat = boxes_name + "_flat"
for node in g.node:
    node.output[:] = [flat if o == boxes_name else o for o in node.output]
    node.input[:] = [flat if i == boxes_name else i for i in node.input]
g.initializer.append(numpy_helper.from_array(np.array([-1, k, 6], np.int64), name="roche_boxes_shape"))
g.node.append(helper.make_node("Reshape", [flat, "roche_boxes_shape"], [boxes_name], name="roche_boxes_per_image"))
out = next(o for o in g.output if o.name == boxes_name)
out.type.tensor_type.shape.ClearField("dim")
for d in ("N", k, 6):
    dim = out.type.tensor_type.shape.dim.add()
    if isinstance(d, str): dim.dim_param = d
    else: dim.dim_value = d
onnx.checker.check_model(m)
onnx.save(m, dst)
print(k)
PY
)
else
  cp "$WORK/raw.onnx" "$WORK/model.onnx"
fi

KIND=KIND_GPU; COUNT=1; [ "$DEVICE" = cpu ] && KIND=KIND_CPU && COUNT=2
GROUP="instance_group [ { count: $COUNT, kind: $KIND$([ "$DEVICE" = gpu ] && echo ', gpus: [ 0 ]') } ]"
ACCEL=""
# TensorRT FP16 through ONNX Runtime: fastest when it works; not every model works with every
# backend (PaddleX's own advice is to try), so remove this block if the model fails to load.
[ "$DEVICE" = gpu ] && ACCEL='optimization { execution_accelerators { gpu_execution_accelerator: [ { name: "tensorrt" parameters { key: "precision_mode" value: "FP16" } } ] } }'
IM_SHAPE_IN=""; IM_SHAPE_MAP=""
if [ "$ROWS" -gt 0 ]; then
  [ "$IM_SHAPE" = 1 ] && IM_SHAPE_IN='{ name: "im_shape" data_type: TYPE_FP32 dims: [ 2 ] },' && IM_SHAPE_MAP='input_map { key: "im_shape" value: "im_shape" }'
  IO="input [
  { name: \"image\" data_type: TYPE_FP32 dims: [ 3, $SIZE, $SIZE ] },
  $IM_SHAPE_IN
  { name: \"scale_factor\" data_type: TYPE_FP32 dims: [ 2 ] }
]
output [
  { name: \"$BOXES\" data_type: TYPE_FP32 dims: [ $ROWS, 6 ] },
  { name: \"$COUNTS\" data_type: TYPE_INT32 dims: [ 1 ] reshape: { shape: [ ] } }
]"
  BATCHING="max_batch_size: $MAX_BATCH
dynamic_batching {
  preferred_batch_size: [ 4, $MAX_BATCH ]
  max_queue_delay_microseconds: 2000
  default_queue_policy { timeout_action: REJECT default_timeout_microseconds: 30000000 max_queue_size: 256 }
}"
else
  [ "$IM_SHAPE" = 1 ] && IM_SHAPE_IN='{ name: "im_shape" data_type: TYPE_FP32 dims: [ -1, 2 ] },'
  IO="input [
  { name: \"image\" data_type: TYPE_FP32 dims: [ -1, 3, $SIZE, $SIZE ] },
  $IM_SHAPE_IN
  { name: \"scale_factor\" data_type: TYPE_FP32 dims: [ -1, 2 ] }
]
output [
  { name: \"$BOXES\" data_type: TYPE_FP32 dims: [ -1, 6 ] },
  { name: \"$COUNTS\" data_type: TYPE_INT32 dims: [ -1 ] }
]"
  BATCHING="# Rows per image vary (NMS inside the graph): Triton cannot split a merged batch, so no
# dynamic batching; Roche sends [N, ...] batches itself (ROCHE_BATCH_MAX).
max_batch_size: 0"
fi

install -D -m 0644 "$WORK/model.onnx" "$HERE/pp_doclayout/1/model.onnx"
install -D -m 0644 "$WORK/paddle/inference.yml" "$HERE/pp_doclayout/inference.yml"
cat > "$HERE/pp_doclayout/config.pbtxt" <<EOF
# Generated by fetch_models.sh for $MODEL ($DEVICE). ROCHE_TRITON_MODEL=pp_doclayout.
name: "pp_doclayout"
backend: "onnxruntime"
$BATCHING
$IO
$GROUP
$ACCEL
EOF

# The UINT8 ensemble needs Triton batching on all steps; with a max_batch_size 0 model use FP32.
if [ "$ROWS" -gt 0 ]; then
  ENSEMBLES=("$HERE/pp_doclayout_u8/config.pbtxt" "$HERE/preprocess_doclayout/config.pbtxt" "$HERE/pp_doclayout_native/config.pbtxt" "$HERE/preprocess_doclayout_native/config.pbtxt")
  sed -i -e "s/640/$SIZE/g" -e "s/fetch_name_0/$BOXES/g; s/fetch_name_1/$COUNTS/g" -e "s/dims: \[ 300, 6 \]/dims: [ $ROWS, 6 ]/" "${ENSEMBLES[@]}"
  sed -i -e "s/string_value: \"0,0,0\"/string_value: \"$MEAN\"/" -e "s/string_value: \"1,1,1\"/string_value: \"$STD\"/" "$HERE/preprocess_doclayout/config.pbtxt" "$HERE/preprocess_doclayout_native/config.pbtxt"
  # A model without im_shape: the ensembles stop passing it (the native preprocessing still makes it, unused).
  [ "$IM_SHAPE" = 1 ] || sed -i -e '/key: "im_shape"/d' -e '/name: "im_shape"/d' "$HERE/pp_doclayout_u8/config.pbtxt" "$HERE/pp_doclayout_native/config.pbtxt"
else
  rm -rf "$HERE/pp_doclayout_u8" "$HERE/preprocess_doclayout" "$HERE/pp_doclayout_native" "$HERE/preprocess_doclayout_native"
  echo "note: removed the UINT8 and native-size ensembles (they need max_batch_size > 0); use ROCHE_TRITON_WIRE=fp32"
fi

echo "placed $MODEL: $HERE/pp_doclayout/1/model.onnx, config for $DEVICE, $([ "$ROWS" -gt 0 ] && echo "batched by Triton ($ROWS rows per image)" || echo "max_batch_size 0, batched by Roche only")"
echo "set ROCHE_PIPELINE_CONFIG's model_name to $MODEL; Roche checks names, datatypes and max_batch_size at start"
echo "inference.yml (kept in pp_doclayout/) matched Roche's tables for $MODEL: input size, normalization, labels, output names"
