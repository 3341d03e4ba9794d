"""Triton Python backend: UINT8 HWC RGB pages -> FP32 CHW as PP-DocLayout expects.

Same arithmetic as PaddleX 3.x's `Normalize` (x * alpha + beta on a float32 image, alpha = (1/255)/std
and beta = -mean/std computed in double), so the model sees the values it would see inside PaddleX.
mean/std come from config.pbtxt
parameters (none for RT-DETR-based L/plus-L, ImageNet for PicoDet-based M/S).
"""
import json

import numpy as np
import triton_python_backend_utils as pb_utils


def _floats(params, key, default):
    value = params.get(key, {}).get("string_value", default)
    return [float(v) for v in value.split(",")]


class TritonPythonModel:
    def initialize(self, args):
        params = json.loads(args["model_config"]).get("parameters", {})
        mean = _floats(params, "mean", "0,0,0")
        std = _floats(params, "std", "1,1,1")
        self.alpha = np.array([(1.0 / 255.0) / s for s in std], dtype=np.float32).reshape(1, 3, 1, 1)
        self.beta = np.array([-m / s for m, s in zip(mean, std)], dtype=np.float32).reshape(1, 3, 1, 1)

    def execute(self, requests):
        responses = []
        for request in requests:
            x = pb_utils.get_input_tensor_by_name(request, "image_u8").as_numpy()  # [N, H, W, 3]
            y = x.transpose(0, 3, 1, 2).astype(np.float32)
            y *= self.alpha
            y += self.beta
            responses.append(pb_utils.InferenceResponse(output_tensors=[pb_utils.Tensor("image", np.ascontiguousarray(y))]))
        return responses
