#!/usr/bin/env bash
# Runs the independent cross-check (crosscheck.py) with Debian's Python, installing its two packages when they are
# missing (python3-numpy, python3-onnx; add onnxruntime yourself for --runtime onnxruntime or both). Arguments go to
# crosscheck.py, e.g.:  bash tools/crosscheck/run.sh --trials 10000 --seed 1 --out docs/models/CROSSCHECK.md
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
if ! "$PY" -c 'import numpy, onnx' 2>/dev/null; then
  echo "installing python3-numpy and python3-onnx (Debian packages) for the cross-check" >&2
  apt-get install -y -qq python3-numpy python3-onnx >&2 || { apt-get update -qq >&2 && apt-get install -y -qq python3-numpy python3-onnx >&2; }
fi
exec "$PY" tools/crosscheck/crosscheck.py "$@"
