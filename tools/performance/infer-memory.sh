#!/usr/bin/env bash
# Resident memory of `e2e infer` over a long stream (docs/guide/performance.md, "e2e infer").
# Usage: tools/performance/infer-memory.sh [BUILD_DIR] [LINES=1000000] [MODEL=position-none-snr05/v1]
# Pipes LINES seeded random position observations (the paper's test regions) from Python into `e2e infer position`
# and samples the process's VmRSS every 5 s; prints the samples, the answer count and the wall time. The memory is
# flat when the samples stop growing after the first seconds.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${1:-$root/inference/E2EDeploy.Cli/bin/Release/net10.0}"
count="${2:-1000000}"
model="$root/models/${3:-position-none-snr05/v1}"
[[ -f "$bin/e2e.dll" ]] || { echo "error: $bin/e2e.dll not found; build inference/E2EDeploy.Cli -c Release first" >&2; exit 2; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkfifo "$work/lines"
python3 - "$count" > "$work/lines" <<'PY' &
import json, random, sys
rng = random.Random(7)
count = int(sys.argv[1])
out = sys.stdout
for _ in range(count):
    v = lambda: round(rng.gauss(0, 0.5), 6)
    out.write(json.dumps({"y": {"re": [[v() for _ in range(20)] for _ in range(2)], "im": [[v() for _ in range(20)] for _ in range(2)]},
                          "regions": [[0.571, 1.094], [-0.900, -0.377]]}) + "\n")
PY
start=$(date +%s.%N)
dotnet "$bin/e2e.dll" infer position --model "$model" < "$work/lines" > "$work/answers" &
pid=$!
echo "| seconds | answers so far | VmRSS |"; echo "|---|---|---|"
while kill -0 "$pid" 2> /dev/null; do
  sleep 5
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2> /dev/null || true)
  [[ -n "$rss" ]] && printf "| %.0f | %s | %s MB |\n" "$(echo "$(date +%s.%N) - $start" | bc -l)" "$(wc -l < "$work/answers")" "$((rss / 1024))"
done
wait "$pid" || true
end=$(date +%s.%N)
answers=$(wc -l < "$work/answers"); errors=$(grep -c '"error"' "$work/answers" || true)
printf "%s lines, %s answers (%s errors) in %.1f s\n" "$count" "$answers" "$errors" "$(echo "$end - $start" | bc -l)"
[[ "$answers" == "$count" ]] || { echo "error: $answers answers for $count lines" >&2; exit 1; }
