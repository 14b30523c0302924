#!/usr/bin/env bash
# Times `e2e-train throughput --batch 1000 --hidden 256` alone, beside one busy process, and beside a second training
# (a second `e2e-train throughput` loop of the same binary), on this machine's cores (docs/guide/performance.md,
# "Training under a shared CPU"). Usage: tools/performance/shared-cpu-throughput.sh [BUILD_DIR] [LABEL]
# BUILD_DIR holds e2e-train.dll (default: the Release build of orchestration/E2EDeploy.Pipeline); build it first.
# The environment is passed through, so OMP_WAIT_POLICY=ACTIVE (or any value) set by the caller is what runs.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${1:-$root/orchestration/E2EDeploy.Pipeline/bin/Release/net10.0}"
label="${2:-$(basename "$(dirname "$(dirname "$(dirname "$bin")")")")}"
dll="$bin/e2e-train.dll"
[[ -f "$dll" ]] || { echo "error: $dll not found; build orchestration/E2EDeploy.Pipeline -c Release first" >&2; exit 2; }

measure() { # prints the median step and the matmul rate of one run
  dotnet "$dll" throughput --batch 1000 --hidden 256 --steps 20 | grep -E "median step time|dense matmul|threads" | sed 's/[│|]/ /g;s/  */ /g'
}

background=()
stop_background() { for p in "${background[@]}"; do kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done; background=(); sleep 1; }
trap stop_background EXIT

echo "== $label: alone"
measure
echo "== $label: beside one busy process (one spinning Python thread)"
setsid python3 -c "while True: pass" & background+=($!)
sleep 1
measure
stop_background
echo "== $label: beside a second training (a second throughput loop of the same binary)"
setsid bash -c "while true; do dotnet '$dll' throughput --batch 1000 --hidden 256 --steps 1000 >/dev/null; done" & background+=($!)
sleep 8
measure
stop_background
