#!/usr/bin/env bash
# Writes the two files that RefinedAodGraphForms compares (docs/guide/performance.md, "Released estimators at batch 1"):
#   BenchmarkDotNet.Artifacts/graph-forms/before.onnx  a refined AoD estimator exported by BEFORE_BUILD's e2e-train
#   BenchmarkDotNet.Artifacts/graph-forms/after.onnx   the same run exported by this build's e2e-train
# and prints the start-up of `e2e infer aod` (this build's inference/E2EDeploy.Cli, one line, median of 5) on each
# exported version.
# The run is a short training (STEPS) of the released aod-none v12 architecture (gram decoder input with the region, H = 128),
# exported with 3 Fisher-scoring steps; speed does not depend on the weights. Each export passes its export check
# (ONNX Runtime against TorchSharp within 1e-5) or writes nothing. Usage:
#   tools/performance/refined-graph-forms.sh BEFORE_BUILD_DIR   (a folder with e2e-train.dll of the older exporter,
#   for instance a `git worktree` of 2459cc9 built with dotnet build orchestration/E2EDeploy.Pipeline -c Release)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
before="${1:?usage: $0 BEFORE_BUILD_DIR (holding e2e-train.dll of the older exporter)}"
steps="${2:-2}"
after="$root/orchestration/E2EDeploy.Pipeline/bin/Release/net10.0"
for dll in "$before/e2e-train.dll" "$after/e2e-train.dll"; do
  [[ -f "$dll" ]] || { echo "error: $dll not found; build orchestration/E2EDeploy.Pipeline -c Release first" >&2; exit 2; }
done
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
out="$root/BenchmarkDotNet.Artifacts/graph-forms"; mkdir -p "$out"
dotnet "$after/e2e-train.dll" train --task aod --decoder-input gram --decoder-region --hidden 128 --steps "$steps" --batch 256 \
  --eval-every "$steps" --validation-size 100 --out "$work/run" > /dev/null
for form in before after; do
  dll="$before/e2e-train.dll"; [[ "$form" == after ]] && dll="$after/e2e-train.dll"
  dotnet "$dll" export --run "$work/run" --family graph-$form --registry "$work/models" --refine-steps 3 > /dev/null
  cp "$work/models/graph-$form/v1/aod-estimator.onnx" "$out/$form.onnx.tmp" && mv "$out/$form.onnx.tmp" "$out/$form.onnx"
  echo "$out/$form.onnx"
done
e2e="$root/inference/E2EDeploy.Cli/bin/Release/net10.0/e2e.dll"
if [[ -f "$e2e" ]]; then
  echo '{"y": {"re": [0.1, -0.2, 0.3, 0.1, 0.0, 0.2, -0.1, 0.4, 0.1, -0.3, 0.2, 0.0, 0.1, 0.1, -0.2, 0.3, 0.0, 0.1, -0.1, 0.2], "im": [0.0, 0.1, -0.1, 0.2, 0.3, -0.2, 0.1, 0.0, 0.2, 0.1, -0.1, 0.3, 0.0, -0.2, 0.1, 0.1, 0.2, -0.3, 0.0, 0.1]}, "theta_min": 0.698, "theta_max": 1.047}' > "$work/one.jsonl"
  for form in before after; do
    for k in 1 2 3 4 5; do
      start=$(date +%s.%N); dotnet "$e2e" infer aod --model "$work/models/graph-$form/v1" < "$work/one.jsonl" > /dev/null; end=$(date +%s.%N)
      echo "$end - $start" | bc -l
    done | sort -g | awk -v form="$form" '{a[NR]=$1} END {printf "e2e infer aod start-up, %s: %.2f s (median of 5)\n", form, a[3]}'
  done
else
  echo "($e2e not built: no start-up times)"
fi
