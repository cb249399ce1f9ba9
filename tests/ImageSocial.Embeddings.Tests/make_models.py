#!/usr/bin/python3
"""Writes the ONNX models the embedding tests load, and their expected outputs computed with numpy alone (not ONNX Runtime).

usage: make_models.py OUT_DIR"""
import json, sys
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
rng = np.random.default_rng(7)
x = rng.standard_normal((2, 3, 4, 4)).astype(np.float32)


def save(name, nodes, inits, output_shape, expected, batch="batch", inputs=None):
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("pixels", TensorProto.FLOAT, [batch, 3, 4, 4])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, [batch, output_shape])],
        [numpy_helper.from_array(v, k) for k, v in inits.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8)
    onnx.checker.check_model(model)
    onnx.save(model, f"{out}/{name}.onnx")
    with open(f"{out}/{name}.json", "w") as f:
        data = x if inputs is None else inputs
        json.dump({"input": data.ravel().tolist(), "shape": list(data.shape),
                   "output": expected.astype(np.float32).ravel().tolist(), "outputShape": list(expected.shape)}, f)


# Flatten + Gemm: a linear projection of the pixels.
w = rng.standard_normal((48, 8)).astype(np.float32)
b = rng.standard_normal(8).astype(np.float32)
save("linear", [helper.make_node("Flatten", ["pixels"], ["flat"], axis=1), helper.make_node("Gemm", ["flat", "w", "b"], ["embedding"])],
     {"w": w, "b": b}, 8, x.reshape(2, -1).astype(np.float64) @ w.astype(np.float64) + b)

# Conv 3x3 (pad 1) + Relu + GlobalAveragePool + Flatten: the shape of a CNN's pooled features.
k = rng.standard_normal((5, 3, 3, 3)).astype(np.float32)
kb = rng.standard_normal(5).astype(np.float32)
padded = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (1, 1), (1, 1)))
conv = np.zeros((2, 5, 4, 4))
for n in range(2):
    for o in range(5):
        for i in range(4):
            for j in range(4):
                conv[n, o, i, j] = np.sum(padded[n, :, i:i + 3, j:j + 3] * k[o]) + kb[o]
pooled = np.maximum(conv, 0).mean(axis=(2, 3))
save("conv", [helper.make_node("Conv", ["pixels", "k", "kb"], ["c"], pads=[1, 1, 1, 1]), helper.make_node("Relu", ["c"], ["r"]),
              helper.make_node("GlobalAveragePool", ["r"], ["p"]), helper.make_node("Flatten", ["p"], ["embedding"], axis=1)],
     {"k": k, "kb": kb}, 5, pooled)

# The same network with its batch dimension fixed at 1, as ResNet-18's ONNX export declares it.
save("conv_fixed", [helper.make_node("Conv", ["pixels", "k", "kb"], ["c"], pads=[1, 1, 1, 1]), helper.make_node("Relu", ["c"], ["r"]),
                    helper.make_node("GlobalAveragePool", ["r"], ["p"]), helper.make_node("Flatten", ["p"], ["embedding"], axis=1)],
     {"k": k, "kb": kb}, 5, pooled[:1], batch=1, inputs=x[:1])

# The conv's feature map, its spatial size left to the runtime ([batch, 5, h, w]): an output no buffer can be sized for ahead of the run.
graph = helper.make_graph(
    [helper.make_node("Conv", ["pixels", "k", "kb"], ["c"], pads=[1, 1, 1, 1]), helper.make_node("Relu", ["c"], ["embedding"])], "conv_map",
    [helper.make_tensor_value_info("pixels", TensorProto.FLOAT, ["batch", 3, "height", "width"])],
    [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", 5, "h", "w"])],
    [numpy_helper.from_array(v, n) for n, v in {"k": k, "kb": kb}.items()])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8)
onnx.checker.check_model(model)
onnx.save(model, f"{out}/conv_map.onnx")
with open(f"{out}/conv_map.json", "w") as f:
    feature_map = np.maximum(conv, 0)
    json.dump({"input": x.ravel().tolist(), "shape": list(x.shape), "output": feature_map.astype(np.float32).ravel().tolist(),
               "outputShape": list(feature_map.shape)}, f)
