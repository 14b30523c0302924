#!/usr/bin/env bash
# Trains and exports the released models of models/ (docs/research-log.md, "Released models"), one family after another,
# on the CPU. Every family is trained with the release profile of e2e-train; impaired families start from the unimpaired
# model of their task (--init-from). A family whose version already exists in models/ is skipped, and a run folder that
# holds a checkpoint is resumed, so the script can be stopped and started again.
#
#   bash training/release-models.sh [FAMILY ...]      (default: every family, in the order below)
#
# Logs: runs/release/<family>.log. Environment: E2E_STEPS overrides the steps of every run (for a smoke test only),
# E2E_REGISTRY the registry root (default models), E2E_RUNS the run folders (default runs/release).
set -euo pipefail
cd "$(dirname "$0")/.."

registry=${E2E_REGISTRY:-models}
runs=${E2E_RUNS:-runs/release}
mkdir -p "$runs"
dotnet build orchestration/E2EDeploy.Pipeline -c Release -v quiet -nologo >/dev/null

# family | version | task | impairment | scenario file ('-' for the paper's) | warm start from ('-' for none) | steps |
# fixed SNR ('-' for the release profile's -5..30 dB range) | starting learning rate | decoder sees the region (region or -) |
# the exported estimator projects its estimate onto the prior's support, U or P (project or -).
# The sweep families of Figs. 7 and 10 are evaluated at 20 dB only, so they are fine-tuned at a fixed 20 dB. Their v1
# (2,000 steps from 1e-3) lost much of the warm start; v2 fine-tunes from 1e-4 (docs/research-log.md); v1 is retired.
# The AoD families' v2 give the decoder the a-priori region (--decoder-region), warm-started from v1 (the region's
# weights start at zero) and fine-tuned from 1e-4 (docs/research-log.md, "The region as a decoder input").
# s200, z200, then z100 and s150 v3: the v2 recipe for 5,000 steps; their v2 logs still improved at step 1,500.
# z050 v3: 5,000 more steps from 1e-4, warm-started from its v2. The same for z200, z100 (from v3) did not help at the
# figures' test point, so they, and s200, s150 and z025, have no such version (docs/research-log.md, "More steps for the sweep families").
# position-spacing and position-coupling v2: the AoD v2 recipe for position (every BS's region as a decoder input,
# warm-started from v1 with zero weights on the regions, 8,000 steps from 1e-4 over the SNR range). The same for
# position-none, and the regions for the sweep families at 20 dB, were measured and not released (docs/research-log.md).
# position-spacing v3: 8,000 more steps from v2, Adam from 1e-4 (v2 ended at 1.25e-5); aod-none v4 the same from v3.
# aod-spacing and aod-coupling v3: 8,000 more steps from 1e-4, warm-started from v2, whose logs still improved at their end.
# From these on, the exported estimators project their estimate onto U or P (export --project-onto-prior; docs/research-log.md,
# "Projection onto the prior"). aod-none v3 is the same recipe: aod-none v2 ended at a learning rate of 6e-6, and
# 8,000 more steps from 1e-4 had made aod-spacing v3 better at every SNR.
# position-none v3: bound weight 1 instead of 10, 9,000 steps from 1e-4, warm-started from v1 (an experiment of an earlier
# session, runs/exp/pn-ft-bw1, trained as 3,000 steps and resumed to 9,000, which equals one run); its precoders have
# a lower threshold. It is retired unrefined; its refined export is position-none v4 (docs/research-log.md). An optional
# twelfth column adds train options.
# aod-none v6 and aod-coupling v5: 3,000 steps from v4 and v3 with the knee at 0 dB (-5 and 0 dB weigh more) and bound
# weight 0 and 1, for precoders with a lower threshold; retired unrefined, refined as aod-none v7 and aod-coupling v6.
# aod-none v8 and aod-coupling v7: 10,000 (trained as 5,000, resumed to 10,000) and 5,000 more steps from those, bound
# weight 0, the knee at -5 dB (no steeper fall below any SNR of the range); retired unrefined, refined as v9 and v8.
# aod-none v10 and v11: the v8 step twice more (10,000 steps each from 1e-4, bound weight 0, the knee at -5 dB), v10 from
# v8 and v11 from v10; retired unrefined, v11 refined as v12. (Trained first from `e2e-train import --model
# models/aod-none/v9`, whose weights are v8's best: docs/research-log.md, "Two more lower-threshold steps for aod-none".)
# position-none-snr05 v1: the paper's recipe of one model per SNR for 5 dB, where the range-trained position-none misses
# target 2 by the most: from scratch at a fixed 5 dB, the paper's loss (bound weight 0), the regions as a decoder input,
# 10,000 steps (trained as 4,000 and resumed to 10,000). Not refined: at 5 dB its learned decoder is closer to the bound
# than the ML steps (docs/research-log.md, "One model for 5 dB").
families=$(cat <<'LIST'
aod-none                 v1 aod      none     -                                    -                  15000 -  1e-3  -  -
position-none            v1 position none     -                                    -                  15000 -  1e-3  -  -
aod-spacing              v1 aod      spacing  -                                    aod-none           5000  -  1e-3  -  -
aod-coupling             v1 aod      coupling -                                    aod-none           5000  -  1e-3  -  -
position-spacing         v1 position spacing  -                                    position-none      5000  -  1e-3  -  -
position-coupling        v1 position coupling -                                    position-none      5000  -  1e-3  -  -
aod-none                 v2 aod      none     -                                    aod-none           15000 -  1e-4  region  -
aod-spacing              v2 aod      spacing  -                                    aod-spacing        8000  -  1e-4  region  -
aod-coupling             v2 aod      coupling -                                    aod-coupling       8000  -  1e-4  region  -
position-spacing-s050    v2 position spacing  training/scenarios/spacing-s050.json  position-none      1500  20 1e-4  -  -
position-spacing-s150    v2 position spacing  training/scenarios/spacing-s150.json  position-spacing   1500  20 1e-4  -  -
position-spacing-s200    v2 position spacing  training/scenarios/spacing-s200.json  position-spacing   1500  20 1e-4  -  -
position-coupling-z025   v2 position coupling training/scenarios/coupling-z025.json position-coupling  1500  20 1e-4  -  -
position-coupling-z050   v2 position coupling training/scenarios/coupling-z050.json position-coupling  1500  20 1e-4  -  -
position-coupling-z100   v2 position coupling training/scenarios/coupling-z100.json position-coupling  1500  20 1e-4  -  -
position-coupling-z200   v2 position coupling training/scenarios/coupling-z200.json position-coupling  1500  20 1e-4  -  -
position-spacing-s200    v3 position spacing  training/scenarios/spacing-s200.json  position-spacing   5000  20 1e-4  -  -
position-coupling-z200   v3 position coupling training/scenarios/coupling-z200.json position-coupling  5000  20 1e-4  -  -
position-coupling-z100   v3 position coupling training/scenarios/coupling-z100.json position-coupling  5000  20 1e-4  -  -
position-spacing-s150    v3 position spacing  training/scenarios/spacing-s150.json  position-spacing   5000  20 1e-4  -  -
position-coupling-z050   v3 position coupling training/scenarios/coupling-z050.json position-coupling-z050-v2  5000  20 1e-4  -  -
position-spacing         v2 position spacing  -                                    position-spacing   8000  -  1e-4  region  project
position-coupling        v2 position coupling -                                    position-coupling  8000  -  1e-4  region  project
position-spacing         v3 position spacing  -                                    position-spacing-v2  8000  -  1e-4  region  project
aod-spacing              v3 aod      spacing  -                                    aod-spacing-v2     8000  -  1e-4  region  project
aod-coupling             v3 aod      coupling -                                    aod-coupling-v2    8000  -  1e-4  region  project
aod-none                 v3 aod      none     -                                    aod-none-v2        8000  -  1e-4  region  project
aod-none                 v4 aod      none     -                                    aod-none-v3        8000  -  1e-4  region  project
position-none            v3 position none     -                                    position-none      9000  -  1e-4  -  -  --bound-weight 1
aod-none                 v6 aod      none     -                                    aod-none-v4        3000  -  1e-4  region  -  --bound-weight 0 --snr-knee 0
aod-coupling             v5 aod      coupling -                                    aod-coupling-v3    3000  -  1e-4  region  -  --bound-weight 1 --snr-knee 0
aod-none                 v8 aod      none     -                                    aod-none-v6        10000 -  1e-4  region  -  --bound-weight 0 --snr-knee -5
aod-coupling             v7 aod      coupling -                                    aod-coupling-v5    5000  -  1e-4  region  -  --bound-weight 0 --snr-knee -5
aod-none                 v10 aod     none     -                                    aod-none-v8        10000 -  1e-4  region  -  --bound-weight 0 --snr-knee -5
aod-none                 v11 aod     none     -                                    aod-none-v10       10000 -  1e-4  region  -  --bound-weight 0 --snr-knee -5
position-none-snr05      v1 position none     -                                    -                  10000 5  1e-3  region  project  --bound-weight 0
LIST
)

# Refined versions (docs/research-log.md, "Fisher-scoring refinement"): no new training of the networks. Each takes the run of
# its family's previous version, learns the UE's array model of every BS from that run's training data (e2e-train
# calibrate; the impaired families only: for none the nominal array is the true one), and exports the estimator with
# 3 Fisher-scoring steps appended (export --refine-steps 3). Columns: family | version | source run folder under $runs.
refined=$(cat <<'LIST'
aod-none                 v5 aod-none-v4
aod-spacing              v4 aod-spacing-v3
aod-coupling             v4 aod-coupling-v3
position-none            v2 position-none
position-none            v4 position-none-v3
aod-none                 v7 aod-none-v6
aod-coupling             v6 aod-coupling-v5
aod-none                 v9 aod-none-v8
aod-none                 v12 aod-none-v11
aod-coupling             v8 aod-coupling-v7
position-spacing         v4 position-spacing-v3
position-coupling        v3 position-coupling-v2
position-spacing-s050    v3 position-spacing-s050-v2
position-spacing-s150    v4 position-spacing-s150-v3
position-spacing-s200    v4 position-spacing-s200-v3
position-coupling-z025   v3 position-coupling-z025-v2
position-coupling-z050   v4 position-coupling-z050-v3
position-coupling-z100   v4 position-coupling-z100-v3
position-coupling-z200   v4 position-coupling-z200-v3
LIST
)

# Versions retired from models/ to keep it within 80 MB (docs/research-log.md, "Released models"): their runs are still
# trained, as later versions start from them, but they are not exported. They remain in the git history.
retired=" aod-none/v1 aod-spacing/v1 aod-coupling/v1 position-spacing-s150/v2 position-spacing-s200/v2 position-coupling-z050/v2 position-coupling-z100/v2 position-coupling-z200/v2 "
# Retired when the refined versions arrived (their runs are the refined versions' sources; recover one with
# git checkout 72f9825 -- models/<family>/<version>). aod-none v4 stays, as the learned decoder without refinement;
# position-none v1 too would take models/ past 80 MB.
# Retired when their successors from lower-threshold precoders arrived (recover with git checkout 589273f -- models/...).
retired+="aod-none/v6 aod-none/v5 aod-coupling/v5 aod-coupling/v4 "
# ... and again when the knee moved to -5 dB (recover with git checkout 9f212ee -- models/...).
retired+="aod-none/v8 aod-none/v7 aod-coupling/v7 aod-coupling/v6 "
retired+="position-none/v3 position-none/v2 position-none/v1 aod-none/v2 aod-none/v3 aod-spacing/v2 aod-spacing/v3 aod-coupling/v2 aod-coupling/v3 position-spacing/v1 position-spacing/v2 position-spacing/v3 position-coupling/v1 position-coupling/v2 "
# aod-none v4 (the learned decoder without refinement, kept for comparison) made room for position-none-snr05 v1;
# recover it with git checkout b4226ab -- models/aod-none/v4.
retired+="aod-none/v4 "
# aod-none v9 made room for v12, which has a lower threshold; recover it with git checkout 62f112a -- models/aod-none/v9.
retired+="aod-none/v10 aod-none/v11 aod-none/v9 "
retired+="position-spacing-s050/v2 position-spacing-s150/v3 position-spacing-s200/v3 position-coupling-z025/v2 position-coupling-z050/v3 position-coupling-z100/v3 position-coupling-z200/v3 "

wanted=("$@")
while read -r family version task impairment scenario init steps snr rate region project extra; do
  [ -z "$family" ] && continue
  if [ ${#wanted[@]} -gt 0 ] && [[ ! " ${wanted[*]} " =~ " $family " ]]; then continue; fi
  if [ -f "$registry/$family/$version/manifest.json" ]; then echo "$family: $registry/$family/$version exists, skipped"; continue; fi
  exportArgs=(export --family "$family" --version "$version" --registry "$registry")
  [ "$project" = "project" ] && exportArgs+=(--project-onto-prior)
  out="$runs/$family"; [ "$version" != "v1" ] && out="$runs/$family-$version"
  args=(train --task "$task" --profile release --impairment "$impairment" --steps "${E2E_STEPS:-$steps}" --learning-rate "$rate" --out "$out")
  [ "$scenario" != "-" ] && args+=(--scenario "$scenario")
  [ "$snr" != "-" ] && args+=(--snr "$snr")
  [ "$region" = "region" ] && args+=(--decoder-region)
  # shellcheck disable=SC2206 # the extra column is a list of options, split on purpose
  [ -n "${extra:-}" ] && args+=($extra)
  if [ -f "$out/checkpoint.bin" ]; then
    args=(train --out "$out" --resume)
  elif [ "$init" != "-" ]; then
    args+=(--init-from "$runs/$init")
  fi
  echo "$family: e2e-train ${args[*]}"
  start=$(date +%s)
  dotnet run --project orchestration/E2EDeploy.Pipeline -c Release --no-build -- "${args[@]}" > "$out.log" 2>&1
  if [[ "$retired" == *" $family/$version "* ]]; then echo "$family/$version: retired, trained (for the warm starts that follow) and not exported"; continue; fi
  dotnet run --project orchestration/E2EDeploy.Pipeline -c Release --no-build -- "${exportArgs[@]}" --run "$out" >> "$out.log" 2>&1
  echo "$family: trained and exported in $(( $(date +%s) - start )) s"
done <<< "$families"

while read -r family version source; do
  [ -z "$family" ] && continue
  if [ ${#wanted[@]} -gt 0 ] && [[ ! " ${wanted[*]} " =~ " $family " ]]; then continue; fi
  if [ -f "$registry/$family/$version/manifest.json" ]; then echo "$family: $registry/$family/$version exists, skipped"; continue; fi
  if [[ "$retired" == *" $family/$version "* ]]; then continue; fi
  run="$runs/$source"
  start=$(date +%s)
  if [[ "$family" != *-none ]] && [ ! -f "$run/calibration.bin" ]; then
    echo "$family: e2e-train calibrate --run $run --steps 2000 --learning-rate 1e-2"
    dotnet run --project orchestration/E2EDeploy.Pipeline -c Release --no-build -- calibrate --run "$run" --steps 2000 --learning-rate 1e-2 > "$run.calibrate.log" 2>&1
  fi
  # These versions were exported with the steps in the graph (the only form then); the released successor of each is its
  # e2e-train move-scoring copy (below).
  dotnet run --project orchestration/E2EDeploy.Pipeline -c Release --no-build -- export --family "$family" --version "$version" --registry "$registry" --refine-steps 3 --scoring-in-graph --run "$run" > "$run.refined-$version.log" 2>&1
  echo "$family/$version: calibrated and exported in $(( $(date +%s) - start )) s"
done <<< "$refined"

# The released versions of the refined families: each refined version above (its family's highest) with the same weights
# and the scoring steps run by the runtime instead of the graph (docs/guide/performance.md, "Released estimators at batch 1"):
# aod-none v13, aod-spacing v5, aod-coupling v9, position-none v5, position-spacing v5, position-coupling v4 and the sweeps'.
for folder in "$registry"/*/; do
  family=$(basename "$folder")
  if [ ${#wanted[@]} -gt 0 ] && [[ ! " ${wanted[*]} " =~ " $family " ]]; then continue; fi
  latest=$(ls "$folder" | grep -E '^v[0-9]+$' | sort -V | tail -1)
  [ -n "$latest" ] || continue
  grep -q '"kind": "fisher-scoring"' "$folder/$latest/manifest.json" 2>/dev/null || grep -q '"estimatorRefinementSteps": [1-9]' "$folder/$latest/manifest.json" || continue
  echo "$family/$latest: e2e-train move-scoring"
  dotnet run --project orchestration/E2EDeploy.Pipeline -c Release --no-build -- move-scoring --model "$folder/$latest" --trials 1000 > "$runs/$family-$latest.move-scoring.log" 2>&1
done
