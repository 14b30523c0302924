#!/usr/bin/env python3
"""The work of one estimate in a released ONNX graph (docs/guide/performance.md, "Released estimators at batch 1").

Usage: python3 tools/performance/onnx_graph_work.py MODEL.onnx [MODEL.onnx ...]   (Debian: apt install python3-onnx)

For each file: the node count, the most frequent operators, and the FLOPs of one estimate (batch 1): 2 per
multiply-add of every MatMul and Gemm, from ONNX's own shape inference with the batch dimension set to 1, plus one per
output element of every other node (element-wise and reduction work, a generous count). The dense products dominate.
"""
import collections
import sys

import numpy as np
import onnx
from onnx import shape_inference


def work(path):
    model = onnx.load(path)
    graph = model.graph
    for value in list(graph.input) + list(graph.output):
        dims = value.type.tensor_type.shape.dim
        if dims and not dims[0].HasField("dim_value"):
            dims[0].ClearField("dim_param")
            dims[0].dim_value = 1
    inferred = shape_inference.infer_shapes(model, strict_mode=False)
    shapes = {}
    for value in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output):
        dims = value.type.tensor_type.shape.dim
        if all(d.HasField("dim_value") for d in dims):
            shapes[value.name] = [d.dim_value for d in dims]
    for initializer in graph.initializer:
        shapes[initializer.name] = list(initializer.dims)
    dense = other = 0
    unknown = 0
    for node in graph.node:
        if node.op_type in ("MatMul", "Gemm"):
            a, b = shapes.get(node.input[0]), shapes.get(node.input[1])
            out = shapes.get(node.output[0])
            if a is None or b is None or out is None:
                unknown += 1
                continue
            inner = a[-1]
            dense += 2 * inner * int(np.prod(out))
        else:
            out = shapes.get(node.output[0])
            if out is None:
                unknown += 1
            else:
                other += int(np.prod(out)) if out else 1
    ops = collections.Counter(node.op_type for node in graph.node).most_common(8)
    print(f"{path}: {len(graph.node)} nodes ({', '.join(f'{op} {n}' for op, n in ops)}); one estimate: "
          f"{dense / 1e6:.3f} MFLOP in MatMul/Gemm, {other / 1e3:.1f} kFLOP elsewhere"
          + (f"; {unknown} nodes without a static shape left out" if unknown else ""))


for argument in sys.argv[1:]:
    work(argument)
