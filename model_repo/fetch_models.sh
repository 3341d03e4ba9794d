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
#   - RT-DETR models (L, plus-L) return a fixed number of rows per image (the top-K queries,
#     300 in PaddleDetection's DETRPostProcess): the boxes are reshaped to [N, K, 6] here, and the
#     model is served with max_batch_size 8 and dynamic batching.
#   - PicoDet models (M, S) run NMS in the graph, so rows per image vary: they are served with
#     max_batch_size 0 and explicit batch dims; Roche's micro-batcher still sends several pages per
#     request, Triton does not merge requests.
# The script measures K and which case applies by running the converted model on a batch of two
# images, rather than trusting the architecture name.
set -euo pipefail
MODEL="${1:-PP-DocLayout-L}"
DEVICE="${2:-gpu}"
MAX_BATCH="${MAX_BATCH:-8}"
HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

case "$MODEL" in
  PP-DocLayout-L) SIZE=640 MEAN="0,0,0" STD="1,1,1" ;;
  PP-DocLayout_plus-L) SIZE=800 MEAN="0,0,0" STD="1,1,1" ;;
  PP-DocLayout-M) SIZE=640 MEAN="0.485,0.456,0.406" STD="0.229,0.224,0.225" ;;
  PP-DocLayout-S) SIZE=480 MEAN="0.485,0.456,0.406" STD="0.229,0.224,0.225" ;;
  *) echo "unknown model $MODEL" >&2; exit 2 ;;
esac
case "$DEVICE" in gpu|cpu) ;; *) echo "device must be gpu or cpu" >&2; exit 2 ;; esac

python3 -m venv "$WORK/venv"
# shellcheck disable=SC1091
. "$WORK/venv/bin/activate"
pip install --quiet "paddlepaddle==3.0.*" "paddlex==3.0.*" "paddle2onnx==2.*" onnx onnxruntime numpy pyyaml

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

# 3. Check the export against what Roche expects, measure rows per image, wrap if batchable.
python3 - "$WORK/raw.onnx" "$WORK/model.onnx" "$WORK/paddle/inference.yml" "$SIZE" "$MEAN" "$STD" > "$WORK/layout.env" <<'PY'
import sys, yaml, numpy as np, onnx, onnxruntime as ort
from onnx import helper, numpy_helper
src, dst, yml, size = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
mean = [float(v) for v in sys.argv[5].split(",")]
std = [float(v) for v in sys.argv[6].split(",")]

# Preprocessing Roche hard-codes (packages/inference/src/paddlex/models.ts) must match inference.yml.
pre = {next(iter(op)): op[next(iter(op))] for op in (yaml.safe_load(open(yml)).get("Preprocess") or [])}
resize, norm = pre.get("Resize", {}), pre.get("NormalizeImage", {})
problems = []
if list(resize.get("target_size", [size, size])) != [size, size]: problems.append(f"target_size {resize.get('target_size')} != {size}")
if resize.get("keep_ratio", False): problems.append("keep_ratio is true")
if resize.get("interp", 2) != 2: problems.append(f"interp {resize.get('interp')} != 2 (cubic)")
if norm and norm.get("norm_type", "mean_std") not in ("none",) :
    if [round(v, 3) for v in norm.get("mean", mean)] != [round(v, 3) for v in mean]: problems.append(f"mean {norm.get('mean')} != {mean}")
    if [round(v, 3) for v in norm.get("std", std)] != [round(v, 3) for v in std]: problems.append(f"std {norm.get('std')} != {std}")
if problems:
    sys.exit("inference.yml disagrees with Roche's model table: " + "; ".join(problems))

sess = ort.InferenceSession(src, providers=["CPUExecutionProvider"])
names = [i.name for i in sess.get_inputs()]
outs = [o.name for o in sess.get_outputs()]
if "image" not in names or "scale_factor" not in names: sys.exit(f"unexpected inputs {names}")
if len(outs) < 2: sys.exit(f"expected boxes and counts outputs, got {outs}")

def run(n):
    rng = np.random.default_rng(0)
    feeds = {"image": rng.random((n, 3, size, size), dtype=np.float32)}
    if "im_shape" in names: feeds["im_shape"] = np.full((n, 2), size, np.float32)
    feeds["scale_factor"] = np.ones((n, 2), np.float32)
    boxes, counts = sess.run(outs[:2], feeds)
    return boxes, counts

boxes, counts = run(2)
if boxes.ndim != 2 or boxes.shape[1] != 6: sys.exit(f"boxes output has shape {boxes.shape}, expected [M, 6]")
if counts.sum() != boxes.shape[0]: sys.exit(f"counts {counts} do not add up to {boxes.shape[0]} rows")
fixed = len(set(int(c) for c in counts)) == 1 and int(counts[0]) == run(1)[1][0]
m = onnx.load(src)
g = m.graph
if fixed:
    k = int(counts[0])
    flat = outs[0] + "_flat"
    for node in g.node:
        node.output[:] = [flat if o == outs[0] else o for o in node.output]
        node.input[:] = [flat if i == outs[0] else i for i in node.input]
    g.initializer.append(numpy_helper.from_array(np.array([-1, k, 6], np.int64), name="roche_boxes_shape"))
    g.node.append(helper.make_node("Reshape", [flat, "roche_boxes_shape"], [outs[0]], name="roche_boxes_per_image"))
    out = next(o for o in g.output if o.name == outs[0])
    out.type.tensor_type.shape.ClearField("dim")
    for d in ("N", k, 6):
        dim = out.type.tensor_type.shape.dim.add()
        if isinstance(d, str): dim.dim_param = d
        else: dim.dim_value = d
    onnx.checker.check_model(m)
onnx.save(m, dst)
# Class names in model order; Roche's copies are LABELS_23 / LABELS_20_PLUS in paddlex/models.ts.
labels = yaml.safe_load(open(yml)).get("label_list") or []
open(dst + ".labels.txt", "w").write("\n".join(labels) + "\n")
print(f"BOXES={outs[0]} COUNTS={outs[1]} ROWS={k if fixed else 0} IM_SHAPE={'im_shape' in names and 1 or 0}")
PY
# shellcheck disable=SC1091
. "$WORK/layout.env"

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
install -D -m 0644 "$WORK/model.onnx.labels.txt" "$HERE/pp_doclayout/labels.txt"
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
  sed -i -e "s/640/$SIZE/g" -e "s/fetch_name_0/$BOXES/g; s/fetch_name_1/$COUNTS/g" -e "s/dims: \[ 300, 6 \]/dims: [ $ROWS, 6 ]/" "$HERE/pp_doclayout_u8/config.pbtxt" "$HERE/preprocess_doclayout/config.pbtxt"
  sed -i -e "s/string_value: \"0,0,0\"/string_value: \"$MEAN\"/" -e "s/string_value: \"1,1,1\"/string_value: \"$STD\"/" "$HERE/preprocess_doclayout/config.pbtxt"
  [ "$IM_SHAPE" = 1 ] || sed -i -e '/im_shape/d' "$HERE/pp_doclayout_u8/config.pbtxt"
else
  rm -rf "$HERE/pp_doclayout_u8" "$HERE/preprocess_doclayout"
  echo "note: removed the UINT8 ensemble (needs max_batch_size > 0); use ROCHE_TRITON_WIRE=fp32"
fi

echo "placed $MODEL: $HERE/pp_doclayout/1/model.onnx, config for $DEVICE, $([ "$ROWS" -gt 0 ] && echo "batched by Triton ($ROWS rows per image)" || echo "max_batch_size 0, batched by Roche only")"
echo "set ROCHE_PIPELINE_CONFIG's model_name to $MODEL; Roche checks names, datatypes and max_batch_size at start"
echo "compare pp_doclayout/labels.txt with the label list for $MODEL in packages/inference/src/paddlex/models.ts"
