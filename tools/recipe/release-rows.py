#!/usr/bin/env python3
"""Compares a recipe candidate with the released version of its family, row by row of the release check.

    python3 tools/recipe/release-rows.py aod-spacing runs/release/aod-spacing/reports/aod-spacing
    python3 tools/recipe/release-rows.py position-spacing REPORT [OVER_PRIOR_REPORT]

REPORT is the folder of the candidate's `e2e validate` (its rmse.csv); for a position family, OVER_PRIOR_REPORT is its
`e2e validate --over-prior 20` (targets 6 to 8 are checked over the prior; without it those rows are missing for the
candidate). A copy of docs/models gets the candidate as the family's newest version, training/check-targets.py runs on
the copy and on docs/models, and every row of the family is printed with both values: a released version is replaced by
the candidate only where the candidate is at least as good on every row (docs/guide/training.md, "The released models'
recipe"). "At least as good" is a value no higher for a "<=" or "<" row (an RMSE ratio), and a pass for a ">=" row (target
8 tests the Ziv-Zakai bound, where neither side is better).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CANDIDATE = "v9999"


def rows_of(docs, family):
    """{(target, check with the version removed): (value, comparison, verdict)} of `family`'s rows in check-targets' table."""
    out = subprocess.run([sys.executable, str(ROOT / "training" / "check-targets.py"), str(docs)], check=True, capture_output=True, text=True).stdout
    found = {}
    pattern = re.compile(r"^\| (\d) \| " + re.escape(family) + r"/v\d+( .*?) \| ([-0-9.]+) \| (<=|<|>=) [0-9.]+ \| (pass|\*\*FAIL\*\*) \|")
    for line in out.splitlines():
        match = pattern.match(line)
        if match:
            # Target 8 names the estimator that is lowest, which may differ between the two: the row is the SNR's.
            check = re.sub(r", lowest of \d+ estimators \(.*\)$", ", lowest of the estimators", match.group(2).strip())
            found[(match.group(1), check)] = (float(match.group(3)), match.group(4), match.group(5).strip("*"))
    return found


def main(family, report, over_prior=None):
    docs = ROOT / "docs" / "models"
    if not (Path(report) / "rmse.csv").is_file():
        print(f"error: {report} holds no rmse.csv (expected the folder of the candidate's e2e validate)", file=sys.stderr)
        return 2
    if over_prior is not None and not (Path(over_prior) / "rmse.csv").is_file():
        print(f"error: {over_prior} holds no rmse.csv (expected the folder of the candidate's e2e validate --over-prior)", file=sys.stderr)
        return 2
    released = rows_of(docs, family)
    if not released:
        print(f"error: the release check has no row of '{family}' (expected a released family, such as aod-spacing)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "docs" / "models"
        shutil.copytree(docs, copy)
        target = copy / family / CANDIDATE
        target.mkdir(parents=True)
        shutil.copy(Path(report) / "rmse.csv", target / "rmse.csv")
        if over_prior is not None:
            (target / "over-prior").mkdir()
            shutil.copy(Path(over_prior) / "rmse.csv", target / "over-prior" / "rmse.csv")
        candidate = rows_of(copy, family)

    worse = 0
    print(f"| {family}: target | check | released | candidate | candidate at least as good |")
    print("|---|---|---|---|---|")
    def order(key):
        snr = re.search(r"at (-?[0-9.]+) dB", key[1])
        return key[0], float(snr.group(1)) if snr else 0.0, key[1]

    for key in sorted(set(released) | set(candidate), key=order):
        old, new = released.get(key), candidate.get(key)
        if old is None or new is None:
            verdict = "no (row missing)" if new is None else "yes (new row)"
        elif old[1] == ">=":
            verdict = "yes" if new[2] == "pass" else "no (fails)"
        else:
            verdict = "yes" if new[0] <= old[0] else f"no ({new[0] / old[0]:.3f} x)"
        worse += verdict.startswith("no")
        show = lambda v: "-" if v is None else f"{v[0]:.3f} ({v[2]})"
        print(f"| {key[0]} | {key[1]} | {show(old)} | {show(new)} | {verdict} |")
    print(f"\n{len(set(released) | set(candidate)) - worse} of {len(set(released) | set(candidate))} rows at least as good; "
          + ("the candidate may replace the released version." if worse == 0 else "the released version stays."))
    return 0


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
