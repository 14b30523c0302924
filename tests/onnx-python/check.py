#!/usr/bin/env python3
"""Independent check of exported models with the Python onnx package and onnxruntime (a third runtime build).

    python3 tests/onnx-python/check.py models [tests/Fixtures/models ...]

For every version folder with a manifest.json, every ONNX file: onnx.checker.check_model(full_check=True) (the
ONNX spec's checker with strict shape inference), then onnxruntime (Python) on the manifest's golden inputs, compared
with the golden outputs that ONNX Runtime for C# recorded at export (max abs difference <= 1e-5). Prints one line
per file and exits 1 on any failure. Needs numpy, onnx and onnxruntime (not part of CI: run it where they exist).
"""
import json
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort

failures = checked = 0
worst = 0.0
for registry in sys.argv[1:] or ["models"]:
    for family in sorted(os.listdir(registry)):
        for version in sorted(os.listdir(os.path.join(registry, family))):
            folder = os.path.join(registry, family, version)
            manifest_path = os.path.join(folder, "manifest.json")
            if not os.path.isfile(manifest_path):
                continue
            manifest = json.load(open(manifest_path))
            golden = {g["file"]: g for g in manifest.get("golden") or []}
            for entry in manifest["files"]:
                path = os.path.join(folder, entry["file"])
                checked += 1
                try:
                    model = onnx.load(path)
                    onnx.checker.check_model(model, full_check=True)
                    g = golden[entry["file"]]
                    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
                    x = np.asarray(g["input"], dtype=np.float32).reshape(g["inputShape"])
                    y = session.run(None, {session.get_inputs()[0].name: x})[0].ravel()
                    # where the runtime refines after the graph, the graph's own output is graphOutput
                    diff = float(np.max(np.abs(y - np.asarray(g.get("graphOutput") or g["output"], dtype=np.float32))))
                    worst = max(worst, diff)
                    ok = diff <= 1e-5
                    print(f"{'ok  ' if ok else 'FAIL'} {family}/{version}/{entry['file']}: checker passed, opset {model.opset_import[0].version}, "
                          f"{len(model.graph.node)} nodes, max |python ORT - C# ORT golden| = {diff:.2e}")
                    failures += 0 if ok else 1
                except Exception as e:  # report every file, then fail
                    failures += 1
                    print(f"FAIL {family}/{version}/{entry['file']}: {e}")
print(f"onnx {onnx.__version__}, onnxruntime {ort.__version__}: {checked - failures} of {checked} files pass (worst {worst:.2e})")
sys.exit(1 if failures else 0)
