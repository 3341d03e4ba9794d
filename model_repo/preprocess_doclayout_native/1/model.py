"""Triton Python backend: pages at their own size -> PP-DocLayout's inputs, as PaddleX prepares them.

Each request carries `image` (BYTES [N, 1], a page's RGB pixels row by row) and `image_size`
(INT32 [N, 2], height and width). Per page: cv2.resize to size x size with INTER_CUBIC (PaddleX's
Resize with keep_ratio false and interp 2), then PaddleX 3.x's Normalize (x * alpha + beta on a
float32 image, alpha = (1/255)/std and beta = -mean/std computed in double) and Permute to CHW;
im_shape is (size, size) and scale_factor (size / height, size / width), as PaddleX's Resize records
them. Roche's client computes the same thing (packages/inference/src/paddlex/preprocess.ts) for the
`uint8`/`fp32` wires; test/triton-preprocess.test.ts checks that both agree bit for bit.
"""
import json

import cv2
import numpy as np
import triton_python_backend_utils as pb_utils


def _floats(params, key, default):
    value = params.get(key, {}).get("string_value", default)
    return [float(v) for v in value.split(",")]


class TritonPythonModel:
    def initialize(self, args):
        params = json.loads(args["model_config"]).get("parameters", {})
        self.size = int(params.get("size", {}).get("string_value", "640"))
        self.max_pixels = int(params.get("max_pixels", {}).get("string_value", "100000000"))
        mean = _floats(params, "mean", "0,0,0")
        std = _floats(params, "std", "1,1,1")
        self.alpha = np.array([(1.0 / 255.0) / s for s in std], dtype=np.float32).reshape(3, 1, 1)
        self.beta = np.array([-m / s for m, s in zip(mean, std)], dtype=np.float32).reshape(3, 1, 1)

    def _page(self, data, height, width):
        if height <= 0 or width <= 0 or height * width > self.max_pixels:
            raise ValueError(f"page size {width}x{height} refused")
        if len(data) != height * width * 3:
            raise ValueError(f"page of {width}x{height} RGB needs {height * width * 3} bytes, got {len(data)}")
        img = np.frombuffer(data, dtype=np.uint8).reshape(height, width, 3)
        resized = cv2.resize(img, (self.size, self.size), interpolation=cv2.INTER_CUBIC)
        chw = resized.transpose(2, 0, 1).astype(np.float32)
        chw *= self.alpha
        chw += self.beta
        return chw

    def execute(self, requests):
        responses = []
        s = self.size
        for request in requests:
            pages = pb_utils.get_input_tensor_by_name(request, "image").as_numpy().reshape(-1)
            sizes = pb_utils.get_input_tensor_by_name(request, "image_size").as_numpy().reshape(-1, 2)
            n = len(pages)
            try:
                if sizes.shape[0] != n:
                    raise ValueError(f"{n} pages but {sizes.shape[0]} sizes")
                image = np.empty((n, 3, s, s), dtype=np.float32)
                scale = np.empty((n, 2), dtype=np.float32)
                for k in range(n):
                    h, w = int(sizes[k, 0]), int(sizes[k, 1])
                    image[k] = self._page(pages[k], h, w)
                    scale[k] = (s / h, s / w)
                im_shape = np.full((n, 2), s, dtype=np.float32)
            except ValueError as e:
                responses.append(pb_utils.InferenceResponse(output_tensors=[], error=pb_utils.TritonError(str(e))))
                continue
            responses.append(
                pb_utils.InferenceResponse(
                    output_tensors=[
                        pb_utils.Tensor("image_out", image),
                        pb_utils.Tensor("im_shape", im_shape),
                        pb_utils.Tensor("scale_factor", scale),
                    ]
                )
            )
        return responses
