#!/usr/bin/env bash
# Times `e2e infer` on JSON lines for released models of each kind (docs/guide/performance.md, "e2e infer").
# Usage: tools/performance/infer-stream.sh [BUILD_DIR] [LINES] [OPTIONS]
# BUILD_DIR holds e2e.dll (default, or "": the Release build of inference/E2EDeploy.Cli; build it first); LINES default
# 10000; OPTIONS are more options of `e2e infer`, for instance "--flush".
# For each model: the start-up (wall time of a run on one line, median of 5), the wall time of LINES lines, the cost
# per line beyond the start-up, and the peak resident memory. The lines are random observations (seeded) with the
# paper's test regions; speed does not depend on their values.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${1:-$root/inference/E2EDeploy.Cli/bin/Release/net10.0}"
count="${2:-10000}"
options="${3:-}"
dll="$bin/e2e.dll"
[[ -f "$dll" ]] || { echo "error: $dll not found; build inference/E2EDeploy.Cli -c Release first" >&2; exit 2; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

lines() { # KIND T COUNT FILE: seeded random observations with the paper's regions
  python3 - "$@" <<'PY'
import json, math, random, sys
kind, t, count, path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rng = random.Random(7)
deg = math.pi / 180
with open(path, "w") as f:
    for _ in range(count):
        v = lambda: round(rng.gauss(0, 0.5), 6)
        if kind == "aod":
            line = {"y": {"re": [v() for _ in range(t)], "im": [v() for _ in range(t)]}, "theta_min": 40 * deg, "theta_max": 60 * deg}
        elif kind == "position":
            line = {"y": {"re": [[v() for _ in range(t)] for _ in range(2)], "im": [[v() for _ in range(t)] for _ in range(2)]},
                    "regions": [[0.571, 1.094], [-0.900, -0.377]]}
        else:
            line = {"theta_min": 40 * deg, "theta_max": 60 * deg}
        f.write(json.dumps(line) + "\n")
PY
}

seconds() { local start end; start=$(date +%s.%N); "$@" > /dev/null; end=$(date +%s.%N); echo "$end - $start" | bc -l; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf "| model | kind | start-up (1 line, median of 5) | %s lines | per line beyond start-up | lines/s | peak RSS |\n|---|---|---|---|---|---|---|\n" "$count"
for spec in "position-none-snr05/v1 position" "position-none/v5 position" "aod-none/v13 aod" "aod-none/v13 precoder"; do
  set -- $spec; model="$root/models/$1"; kind="$2"
  lines "$kind" 20 "$count" "$work/$kind.jsonl"; head -1 "$work/$kind.jsonl" > "$work/one.jsonl"
  run() { dotnet "$dll" infer "$kind" --model "$model" $options < "$1"; }
  startup=$(for k in 1 2 3 4 5; do seconds run "$work/one.jsonl"; done | median)
  /usr/bin/time -f "%M" -o "$work/rss" bash -c "$(declare -f run); dll='$dll' kind='$kind' model='$model' options='$options'; run '$work/$kind.jsonl' > '$work/out.jsonl'"
  total=$(seconds run "$work/$kind.jsonl")
  answered=$(grep -c '"line"' "$work/out.jsonl"); errors=$(grep -c '"error"' "$work/out.jsonl" || true)
  [[ "$answered" == "$count" ]] || { echo "error: $answered answers for $count lines" >&2; exit 1; }
  per=$(echo "($total - $startup) / $count * 1000000" | bc -l)
  printf "| %s | %s | %.2f s | %.2f s | %.1f us | %.0f | %s MB |\n" "$1" "$kind" "$startup" "$total" "$per" "$(echo "1000000 / $per" | bc -l)" "$(( $(cat "$work/rss") / 1024 ))"
  [[ "$errors" == "0" ]] || echo "  ($errors of $count answers were errors)"
done
