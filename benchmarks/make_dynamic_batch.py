#!/usr/bin/python3
"""Writes a copy of an ONNX model whose first input's and outputs' batch dimension (fixed, e.g. at 1) is symbolic ("N"), and drops the
intermediate shapes recorded for batch 1. Valid only for graphs whose operators do not bake the batch in (ResNet-18's: Conv,
BatchNormalization, Relu, MaxPool, Add, AveragePool). usage: make_dynamic_batch.py IN.onnx OUT.onnx"""
import sys
import onnx

model = onnx.load(sys.argv[1])
graph = model.graph
initializers = {t.name for t in graph.initializer}
for value in [v for v in graph.input if v.name not in initializers] + list(graph.output):
    dim = value.type.tensor_type.shape.dim[0]
    dim.ClearField("dim_value")
    dim.dim_param = "N"
del graph.value_info[:]
onnx.save(model, sys.argv[2])
