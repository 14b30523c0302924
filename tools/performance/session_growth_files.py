#!/usr/bin/env python3
"""The ONNX files of the SessionCreationGrowth benchmark (docs/guide/performance.md, "e2e infer", start-up).

Usage: E2E_RETIRED_MODELS=/tmp/retired/models python3 tools/performance/session_growth_files.py   (Debian: apt install python3-onnx)

The graph is the retired aod-none v12's (946 nodes, the scoring steps in the graph; its successor v13 runs them in the
runtime). Get it from a checkout before the move: git worktree add /tmp/retired 3fbd21f.

Writes to BenchmarkDotNet.Artifacts/session-growth/:
  first-K-nodes.onnx for K = 100, 300, 500, 700: the first K nodes of $E2E_RETIRED_MODELS/aod-none/v12/aod-estimator.onnx
      (in the file's topological order), with every value that no kept node consumes as a graph output;
  chain-900-nodes.onnx: 900 element-wise nodes (Add and Mul with a [1, 32] constant) in a chain on an [N, 32] input.
ONNX Runtime's time to create a session for each shows how it grows with the node count and the graph's shape.
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper

root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
out = os.path.join(root, "BenchmarkDotNet.Artifacts", "session-growth")
os.makedirs(out, exist_ok=True)


def save(model, name):
    path = os.path.join(out, name)
    onnx.save(model, path + ".tmp")
    os.replace(path + ".tmp", path)
    print(path)


import sys

retired = os.path.join(os.environ.get("E2E_RETIRED_MODELS", "(E2E_RETIRED_MODELS unset)"), "aod-none", "v12", "aod-estimator.onnx")
if not os.path.isfile(retired):
    sys.exit(f"error: '{retired}' does not exist: expected E2E_RETIRED_MODELS to name the models/ of a checkout with the retired "
             "aod-none v12 (git worktree add /tmp/retired 3fbd21f; E2E_RETIRED_MODELS=/tmp/retired/models)")
released = onnx.load(retired)
graph = released.graph
for count in (100, 300, 500, 700):
    nodes = list(graph.node[:count])
    consumed = {name for node in nodes for name in node.input}
    outputs = [name for node in nodes for name in node.output if name not in consumed]
    cut = helper.make_graph(nodes, f"first_{count}_nodes", list(graph.input),
                            [helper.make_tensor_value_info(name, TensorProto.FLOAT, None) for name in outputs],
                            [i for i in graph.initializer if i.name in consumed])
    model = helper.make_model(cut, opset_imports=released.opset_import)
    model.ir_version = released.ir_version
    save(model, f"first-{count}-nodes.onnx")

constant = helper.make_tensor("c", TensorProto.FLOAT, [1, 32], np.ones(32, np.float32))
nodes, previous = [], "x"
for k in range(900):
    name = "y" if k == 899 else f"t{k}"
    nodes.append(helper.make_node("Mul" if k % 2 else "Add", [previous, "c"], [name]))
    previous = name
chain = helper.make_graph(nodes, "chain_900_nodes", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 32])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 32])], [constant])
model = helper.make_model(chain, opset_imports=[helper.make_opsetid("", 17)])
model.ir_version = 8
save(model, "chain-900-nodes.onnx")
