#!/usr/bin/python3
"""Writes a ResNet-shaped ONNX model with random weights (the embedding benchmark's model when no real one is at hand):
224x224 input [N,3,224,224], conv 7x7/2, max-pool, four stages of basic blocks (64, 128, 256, 512 channels; 2-2-2-2 blocks for
depth 18, 3-4-6-3 for depth 34, about ResNet-50's 3.6-4.1 GFLOPs), global average pool, output [N,512]. The compute of the
real network without batch norm (which ONNX Runtime folds into the convolutions anyway).

usage: make_resnet.py OUT.onnx [18|34]"""
import sys
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(18)
nodes, inits, counter = [], [], [0]


def name(prefix):
    counter[0] += 1
    return f"{prefix}{counter[0]}"


def conv(x, cin, cout, k, stride, relu=True):
    w, b, y = name("w"), name("b"), name("conv")
    inits.append(numpy_helper.from_array((rng.standard_normal((cout, cin, k, k)) * np.sqrt(2 / (cin * k * k))).astype(np.float32), w))
    inits.append(numpy_helper.from_array(np.zeros(cout, np.float32), b))
    nodes.append(helper.make_node("Conv", [x, w, b], [y], kernel_shape=[k, k], strides=[stride, stride], pads=[k // 2] * 4))
    if not relu:
        return y
    r = name("relu")
    nodes.append(helper.make_node("Relu", [y], [r]))
    return r


def block(x, cin, cout, stride):
    y = conv(conv(x, cin, cout, 3, stride), cout, cout, 3, 1, relu=False)
    shortcut = x if stride == 1 and cin == cout else conv(x, cin, cout, 1, stride, relu=False)
    s, r = name("add"), name("relu")
    nodes.append(helper.make_node("Add", [y, shortcut], [s]))
    nodes.append(helper.make_node("Relu", [s], [r]))
    return r


x = conv("pixels", 3, 64, 7, 2)
pooled = name("pool")
nodes.append(helper.make_node("MaxPool", [x], [pooled], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]))
x, cin = pooled, 64
depth = int(sys.argv[2]) if len(sys.argv) > 2 else 18
counts = [2, 2, 2, 2] if depth == 18 else [3, 4, 6, 3]
for (cout, stride), n in zip([(64, 1), (128, 2), (256, 2), (512, 2)], counts):
    x = block(x, cin, cout, stride)
    for _ in range(n - 1):
        x = block(x, cout, cout, 1)
    cin = cout
nodes.append(helper.make_node("GlobalAveragePool", [x], ["gap"]))
nodes.append(helper.make_node("Flatten", ["gap"], ["embedding"], axis=1))
graph = helper.make_graph(nodes, f"resnet{depth}-shaped",
                          [helper.make_tensor_value_info("pixels", TensorProto.FLOAT, ["batch", 3, 224, 224])],
                          [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", 512])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8)
onnx.checker.check_model(model)
onnx.save(model, sys.argv[1])
