#!/usr/bin/env bash
# Validates the released models of models/ with `e2e validate` (10,000 trials per point, seed 1) and writes their
# reports into docs/models/: one folder per version, docs/models/<family>/<version>/ (rmse, beam patterns, report.md;
# a version whose report exists is kept, as versions are immutable), the Figs. 7 and 10 sweeps, and
# docs/models/TARGETS.md, which checks the release targets (docs/guide/training.md) against the highest version's CSVs.
# Every validation also runs the ideal estimator on the learned precoders (`e2e validate --ideal`: ML with the true
# arrays, not deployable), so each report shows how much of the learned RMSE's excess is the decoder's.
# E2E_IDEAL=0 leaves it out.
#
#   bash training/validate-release.sh
set -euo pipefail
cd "$(dirname "$0")/.."

registry=${E2E_REGISTRY:-models}
docs=docs/models
trials=${E2E_TRIALS:-10000}
ideal=(); [ "${E2E_IDEAL:-1}" = "1" ] && ideal=(--ideal)
dotnet build inference/E2EDeploy.Cli -c Release -v quiet -nologo >/dev/null
e2e() { dotnet run --project inference/E2EDeploy.Cli -c Release --no-build -- "$@"; }

mkdir -p "$docs"
for family in aod-none aod-spacing aod-coupling position-none position-none-snr05 position-spacing position-coupling; do
  for manifest in "$registry/$family"/v*/manifest.json; do
    [ -f "$manifest" ] || { echo "$family: not in $registry, skipped"; continue; }
    version=$(basename "$(dirname "$manifest")")
    out="$docs/$family/$version"
    if [ -f "$out/rmse.csv" ]; then echo "$family/$version: report exists, kept"; continue; fi
    rm -rf "${out:?}"
    e2e validate --family "$family/$version" --registry "$registry" --trials "$trials" --seed 1 "${ideal[@]}" --out "$out" 2>/dev/null
  done
done

# Position models over the training prior (20 UEs): the Ziv-Zakai bound and the MMSE estimator hold over a prior only, so the
# low-SNR targets of docs/guide/training.md are checked on these reports (the AoD reports are over U1 already).
for family in position-none position-none-snr05 position-spacing position-coupling; do
  for manifest in "$registry/$family"/v*/manifest.json; do
    [ -f "$manifest" ] || continue
    version=$(basename "$(dirname "$manifest")")
    out="$docs/$family/$version/over-prior"
    if [ -f "$out/rmse.csv" ]; then echo "$family/$version over the prior: report exists, kept"; continue; fi
    rm -rf "${out:?}"
    e2e validate --family "$family/$version" --registry "$registry" --trials "$trials" --seed 1 --over-prior "${E2E_PRIOR_UES:-20}" "${ideal[@]}" --out "$out" 2>/dev/null
  done
done

spacing=$(ls -d "$registry"/position-none "$registry"/position-spacing "$registry"/position-spacing-s* 2>/dev/null | xargs -n1 basename | paste -sd, -)
coupling=$(ls -d "$registry"/position-coupling-z* 2>/dev/null | xargs -n1 basename | paste -sd, -)
if [ -n "$spacing" ]; then rm -rf "$docs/sweep-spacing"; e2e validate --sweep spacing --family "$spacing" --registry "$registry" --trials "$trials" --seed 1 "${ideal[@]}" --out "$docs/sweep-spacing" 2>/dev/null; fi
if [ -n "$coupling" ]; then rm -rf "$docs/sweep-coupling"; e2e validate --sweep coupling --family "$coupling" --registry "$registry" --trials "$trials" --seed 1 "${ideal[@]}" --out "$docs/sweep-coupling" 2>/dev/null; fi

python3 training/check-targets.py "$docs" | tee "$docs/TARGETS.md.tmp"
mv "$docs/TARGETS.md.tmp" "$docs/TARGETS.md"
