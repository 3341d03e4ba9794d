"""Triton Python backend: UINT8 HWC RGB pages -> FP32 CHW as PP-DocLayout-L expects (x / 255).

For PP-DocLayout-M/S set MEAN/STD to ImageNet's (0.485, 0.456, 0.406) / (0.229, 0.224, 0.225).
"""
import numpy as np
import triton_python_backend_utils as pb_utils

MEAN = np.array([0.0, 0.0, 0.0], dtype=np.float32).reshape(1, 3, 1, 1)
STD = np.array([1.0, 1.0, 1.0], dtype=np.float32).reshape(1, 3, 1, 1)


class TritonPythonModel:
    def execute(self, requests):
        responses = []
        for request in requests:
            x = pb_utils.get_input_tensor_by_name(request, "image_u8").as_numpy()  # [N, H, W, 3]
            y = (x.astype(np.float32).transpose(0, 3, 1, 2) / 255.0 - MEAN) / STD
            responses.append(pb_utils.InferenceResponse(output_tensors=[pb_utils.Tensor("image", y.astype(np.float32))]))
        return responses
