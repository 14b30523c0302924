#!/usr/bin/env bash
# Trains the released families with the release recipe of `e2e-train pipeline` (docs/guide/training.md, "The pipeline's
# recipe"), one family after another, on the CPU: each family is its task and its scenario file, nothing else. The
# candidates go into a registry of their own (not models/); a released version in models/ is replaced by a candidate
# only where the candidate is at least as good on every row of the release check (docs/models/TARGETS.md,
# training/check-targets.py), which is a decision made by hand after `bash training/validate-release.sh`. The retired hand
# lineage of the released versions (warm starts, learning rates and flags per version) is in the git history of this
# file (commit 394897c) and in docs/research-log.md, "Released models".
#
#   bash training/release-models.sh [FAMILY ...]      (default: every family, in the order below)
#
# Resumable: run it again and each pipeline continues where it stopped. Logs: $E2E_RUNS/<family>.log. Environment:
# E2E_STEPS overrides the training steps of every family (for a smoke test only), E2E_REGISTRY the candidates' registry
# (default runs/release/models), E2E_RUNS the pipeline folders (default runs/release), E2E_TRIALS the validation trials
# (default 10000).
set -euo pipefail
cd "$(dirname "$0")/.."

registry=${E2E_REGISTRY:-runs/release/models}
runs=${E2E_RUNS:-runs/release}
mkdir -p "$runs"
dotnet build orchestration/E2EDeploy.Pipeline -c Release -v quiet -nologo >/dev/null

# family | task | scenario file ('-' for the paper's)
families=$(cat <<'LIST'
aod-none                 aod      -
position-none            position -
aod-spacing              aod      training/scenarios/spacing.json
position-spacing         position training/scenarios/spacing.json
aod-coupling             aod      training/scenarios/coupling.json
position-coupling        position training/scenarios/coupling.json
position-spacing-s050    position training/scenarios/spacing-s050.json
position-spacing-s150    position training/scenarios/spacing-s150.json
position-spacing-s200    position training/scenarios/spacing-s200.json
position-coupling-z025   position training/scenarios/coupling-z025.json
position-coupling-z050   position training/scenarios/coupling-z050.json
position-coupling-z100   position training/scenarios/coupling-z100.json
position-coupling-z200   position training/scenarios/coupling-z200.json
LIST
)

wanted=("$@")
while read -r family task scenario; do
  [ -z "$family" ] && continue
  if [ ${#wanted[@]} -gt 0 ] && [[ ! " ${wanted[*]} " =~ " $family " ]]; then continue; fi
  args=(pipeline --task "$task" --profile release --out "$runs/$family" --registry "$registry" --family "${family#"$task"-}" --trials "${E2E_TRIALS:-10000}")
  [ "$scenario" != "-" ] && args+=(--scenario "$scenario")
  [ -n "${E2E_STEPS:-}" ] && args+=(--steps "$E2E_STEPS")
  echo "$family: e2e-train ${args[*]}"
  start=$(date +%s)
  dotnet run --project orchestration/E2EDeploy.Pipeline -c Release --no-build -- "${args[@]}" > "$runs/$family.log" 2>&1
  echo "$family: done in $(( $(date +%s) - start )) s; summary in $runs/$family.log"
done <<< "$families"
