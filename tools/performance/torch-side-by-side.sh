#!/usr/bin/env bash
# TorchSharp (`e2e-train throughput`) and PyTorch (tools/performance/pytorch_aod_step.py) on the same AoD autoencoder
# step, one after the other, twice each, in one run, with the same thread count and OpenMP wait policy
# (docs/guide/performance.md, "Against PyTorch"). Needs Debian's python3-torch and libopenblas0-pthread (apt) and a
# Release build of orchestration/E2EDeploy.Pipeline. Usage: tools/performance/torch-side-by-side.sh [THREADS]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
threads="${1:-2}"
dll="$root/orchestration/E2EDeploy.Pipeline/bin/Release/net10.0/e2e-train.dll"
[[ -f "$dll" ]] || { echo "error: $dll not found; build orchestration/E2EDeploy.Pipeline -c Release first" >&2; exit 2; }
/usr/bin/python3 -c "import torch" 2>/dev/null || { echo "error: /usr/bin/python3 has no torch: apt install python3-torch libopenblas0-pthread" >&2; exit 2; }
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}" OMP_NUM_THREADS="$threads"
echo "OMP_WAIT_POLICY=$OMP_WAIT_POLICY OMP_NUM_THREADS=$OMP_NUM_THREADS, batch 1000, H = 256, 20 timed steps after 5 warm-up"
for round in 1 2; do
  echo "== round $round: TorchSharp"
  dotnet "$dll" throughput --batch 1000 --hidden 256 --steps 20 | grep -E "threads|median step|achieved|dense matmul|fraction" | sed 's/[│|]/ /g;s/  */ /g'
  echo "== round $round: PyTorch"
  /usr/bin/python3 "$root/tools/performance/pytorch_aod_step.py" --batch 1000 --hidden 256 --steps 20 --threads "$threads"
done
