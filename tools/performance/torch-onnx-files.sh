#!/usr/bin/env bash
# Writes the two precoder files that TorchOnnxExportVersusOurExporter compares, from the weights of the released
# models/aod-none/v13 precoder of BS 1 (docs/guide/performance.md, "Against PyTorch"):
#   BenchmarkDotNet.Artifacts/torch/precoder-ours.onnx   our exporter today (e2e-train import, then export)
#   BenchmarkDotNet.Artifacts/torch/precoder-torch.onnx  the PyTorch network of pytorch_aod_step.py, torch.onnx.export
# Needs a Release build of orchestration/E2EDeploy.Pipeline and Debian's python3-torch and python3-onnx (apt).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/BenchmarkDotNet.Artifacts/torch"
dll="$root/orchestration/E2EDeploy.Pipeline/bin/Release/net10.0/e2e-train.dll"
[[ -f "$dll" ]] || { echo "error: $dll not found; build orchestration/E2EDeploy.Pipeline -c Release first" >&2; exit 2; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
dotnet "$dll" import --model "$root/models/aod-none/v13" --out "$work/run"
dotnet "$dll" export --run "$work/run" --family aod-none --registry "$work/models" > /dev/null
cp "$work"/models/aod-none/v*/precoder-bs1.onnx "$out/precoder-ours.onnx.tmp" && mv "$out/precoder-ours.onnx.tmp" "$out/precoder-ours.onnx"
/usr/bin/python3 "$root/tools/performance/pytorch_aod_step.py" --export-from "$root/models/aod-none/v13/precoder-bs1.onnx" --export-to "$out/precoder-torch.onnx"
echo "wrote $out/precoder-ours.onnx and $out/precoder-torch.onnx"
