#!/usr/bin/env bash
# The refinement graph's two forms on the same weights (docs/guide/performance.md, "Released estimators at batch 1").
# Usage: tools/performance/refined-graph-forms.sh BEFORE_BUILD_DIR [STEPS=2] [TASK=aod]
#   BEFORE_BUILD_DIR: a folder with e2e-train.dll of the older exporter, for instance a `git worktree` of 2459cc9 built
#   with `dotnet build orchestration/E2EDeploy.Pipeline -c Release`; STEPS: training steps at batch 256 (more, for
#   estimates that converge as a trained model's do); TASK: aod or position.
# Trains the released architecture of the task for STEPS steps (aod-none v12 and v13: gram decoder input with the region; position-
# none v4: gram decoder input; H = 128) and exports it with 3 Fisher-scoring steps through the older exporter and this
# build's. Each export passes its export check (ONNX Runtime against TorchSharp within 1e-5) or writes nothing. Writes the
# two estimator files to BenchmarkDotNet.Artifacts/graph-forms/ (before.onnx and after.onnx for aod, which
# RefinedAodGraphForms compares; before-position.onnx and after-position.onnx for position), and prints the start-up of
# `e2e infer TASK` (this build's inference/E2EDeploy.Cli, one line, median of 5) on each exported version.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
before="${1:?usage: $0 BEFORE_BUILD_DIR [STEPS] [TASK] (BEFORE_BUILD_DIR holding e2e-train.dll of the older exporter)}"
steps="${2:-2}"
task="${3:-aod}"
case "$task" in
  aod) flags=(--decoder-input gram --decoder-region); suffix=""
       line='{"y": {"re": [0.1, -0.2, 0.3, 0.1, 0.0, 0.2, -0.1, 0.4, 0.1, -0.3, 0.2, 0.0, 0.1, 0.1, -0.2, 0.3, 0.0, 0.1, -0.1, 0.2], "im": [0.0, 0.1, -0.1, 0.2, 0.3, -0.2, 0.1, 0.0, 0.2, 0.1, -0.1, 0.3, 0.0, -0.2, 0.1, 0.1, 0.2, -0.3, 0.0, 0.1]}, "theta_min": 0.698, "theta_max": 1.047}' ;;
  position) flags=(--decoder-input gram); suffix="-position"
       row='[0.1, -0.2, 0.3, 0.1, 0.0, 0.2, -0.1, 0.4, 0.1, -0.3, 0.2, 0.0, 0.1, 0.1, -0.2, 0.3, 0.0, 0.1, -0.1, 0.2]'
       line="{\"y\": {\"re\": [$row, $row], \"im\": [$row, $row]}, \"regions\": [[0.571, 1.094], [-0.900, -0.377]]}" ;;
  *) echo "error: TASK '$task': expected aod or position" >&2; exit 2 ;;
esac
after="$root/orchestration/E2EDeploy.Pipeline/bin/Release/net10.0"
for dll in "$before/e2e-train.dll" "$after/e2e-train.dll"; do
  [[ -f "$dll" ]] || { echo "error: $dll not found; build orchestration/E2EDeploy.Pipeline -c Release first" >&2; exit 2; }
done
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
out="$root/BenchmarkDotNet.Artifacts/graph-forms"; mkdir -p "$out"
dotnet "$after/e2e-train.dll" train --task "$task" "${flags[@]}" --hidden 128 --steps "$steps" --batch 256 \
  --eval-every "$steps" --validation-size 100 --out "$work/run" > /dev/null
for form in before after; do
  dll="$before/e2e-train.dll"; in_graph=(); [[ "$form" == after ]] && { dll="$after/e2e-train.dll"; in_graph=(--scoring-in-graph); }
  # This build exports the steps into the runtime by default; --scoring-in-graph asks for its graph (block) form.
  dotnet "$dll" export --run "$work/run" --family graph-$form --registry "$work/models" --refine-steps 3 "${in_graph[@]}" > /dev/null
  cp "$work/models/graph-$form/v1/$task-estimator.onnx" "$out/$form$suffix.onnx.tmp" && mv "$out/$form$suffix.onnx.tmp" "$out/$form$suffix.onnx"
  echo "$out/$form$suffix.onnx"
done
e2e="$root/inference/E2EDeploy.Cli/bin/Release/net10.0/e2e.dll"
if [[ -f "$e2e" ]]; then
  echo "$line" > "$work/one.jsonl"
  for form in before after; do
    for k in 1 2 3 4 5; do
      start=$(date +%s.%N); dotnet "$e2e" infer "$task" --model "$work/models/graph-$form/v1" < "$work/one.jsonl" > /dev/null; end=$(date +%s.%N)
      echo "$end - $start" | bc -l
    done | sort -g | awk -v form="$form" -v task="$task" '{a[NR]=$1} END {printf "e2e infer %s start-up, %s: %.2f s (median of 5)\n", task, form, a[3]}'
  done
else
  echo "($e2e not built: no start-up times)"
fi
