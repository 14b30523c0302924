#!/usr/bin/env python3
"""Is a retrained model the same as a released one? Compares two model version folders (models/<family>/<version>).

    /usr/bin/python3 tools/crosscheck/same_model.py models/position-none-snr05/v1 /tmp/repro-models/position-none-snr05/v1

Per ONNX file of the first manifest: the graphs must be equal to the byte (nodes, inputs, outputs and every
initializer's raw data), and so must the opsets. The metadata_props and the manifest.json fields are compared key by
key; what differs is printed. Only the export's time and source commit (e2e.created, e2e.source_commit, created,
sourceCommit), and the files' SHA-256 that cover them, may differ. Keys that one side lacks are listed, with the value
the other side has, so that a setting added to the code after the release can be seen to hold its default.
Exit code 0: the same model; 1: a difference that matters; 2: bad arguments. Uses only the onnx package (python3-onnx).
"""
import json
import os
import sys

import onnx

VOLATILE_METADATA = {"e2e.created", "e2e.source_commit"}
VOLATILE_MANIFEST = {"created", "sourceCommit", "files"}


def load_manifest(folder):
    path = os.path.join(folder, "manifest.json")
    if not os.path.isfile(path):
        print(f"error: '{folder}': no manifest.json; expected a model version folder such as models/aod-none/v12",
              file=sys.stderr)
        sys.exit(2)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def compare_json(a, b, where, problems, added):
    """Records in problems every value that differs, in added every key that only one side has."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a:
                added.append(f"{where}.{key} only in the second: {json.dumps(b[key])}")
            elif key not in b:
                added.append(f"{where}.{key} only in the first: {json.dumps(a[key])}")
            else:
                compare_json(a[key], b[key], f"{where}.{key}", problems, added)
    elif a != b:
        problems.append(f"{where}: {json.dumps(a)[:120]} != {json.dumps(b)[:120]}")


def metadata(model):
    return {p.key: p.value for p in model.metadata_props}


def parse(value):
    try:
        return json.loads(value)
    except ValueError:
        return value


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    first, second = argv[1], argv[2]
    m1, m2 = load_manifest(first), load_manifest(second)
    problems, added = [], []
    compare_json({k: v for k, v in m1.items() if k not in VOLATILE_MANIFEST},
                 {k: v for k, v in m2.items() if k not in VOLATILE_MANIFEST}, "manifest", problems, added)
    files1 = [f["file"] for f in m1["files"]]
    files2 = [f["file"] for f in m2["files"]]
    if files1 != files2:
        problems.append(f"manifest.files: {files1} != {files2}")
    for name in files1:
        if name not in files2:
            continue
        a = onnx.load(os.path.join(first, name))
        b = onnx.load(os.path.join(second, name))
        same_graph = a.graph.SerializeToString() == b.graph.SerializeToString()
        weights = sum(len(t.raw_data) for t in a.graph.initializer)
        print(f"{name}: graph {'equal' if same_graph else 'DIFFERENT'} ({len(a.graph.node)} nodes, "
              f"{len(a.graph.initializer)} initializers, {weights} bytes of weights)")
        if not same_graph:
            problems.append(f"{name}: the graphs differ")
        if [(o.domain, o.version) for o in a.opset_import] != [(o.domain, o.version) for o in b.opset_import]:
            problems.append(f"{name}: the opsets differ")
        meta1, meta2 = metadata(a), metadata(b)
        compare_json({k: parse(v) for k, v in meta1.items() if k not in VOLATILE_METADATA},
                     {k: parse(v) for k, v in meta2.items() if k not in VOLATILE_METADATA},
                     f"{name}.metadata", problems, added)
    for line in added:
        print(f"key on one side only: {line}")
    for line in problems:
        print(f"DIFFERENT: {line}")
    if problems:
        print(f"not the same model: {len(problems)} difference(s)")
        return 1
    print("the same model: equal graphs and weights; the manifests and metadata differ only in the export's time and "
          "source commit" + (" and the keys listed above" if added else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
